import { EventEnvelope, type EventDefinition } from '@linli/contracts';
import { describeIssues } from './describe-issues';
import { errorMessage, type EventLogger } from './event-logger';
import type { EventRegistry } from './event-registry';
import type { ConsumerTuning, EventProducer, IncomingBatch, IncomingMessage, KafkaClient, MessageHeaders } from './kafka.client';
import type { SqlDatabase, SqlExecutor } from './sql-executor';

/** Where a consumed event came from; handy in handler logs. */
export interface MessageContext {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: MessageHeaders;
  definition: EventDefinition;
}

/**
 * Throw this from a handler when the event can never be applied (a business rule rejects it, not a
 * passing fault): the message goes to the dead-letter topic with this reason and the consumer moves on,
 * instead of retrying it forever. Anything else a handler throws is treated as transient and retried.
 */
export class UnprocessableEventError extends Error {
  override name = 'UnprocessableEventError';
}

/** Wraps a handler failure so kafkajs retries it: kafkajs gives up at once on TypeError and friends. */
export class EventHandlingError extends Error {
  override name = 'EventHandlingError';
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
  }
}

export interface RunConsumerOptions<TxNative = unknown> {
  kafka: KafkaClient;
  groupId: string;
  /** Name under which processed event ids are recorded (processed_events.consumer). Keep it stable. */
  consumerName: string;
  topics: readonly string[];
  /** The events this consumer applies; other types on its topics are ignored. */
  registry: EventRegistry;
  /** The consumer's own database, where processed_events lives. */
  db: SqlDatabase<TxNative>;
  deadLetterTopic: string;
  /**
   * Applies one event. Runs in the same transaction as the dedupe mark, so the effect and the mark
   * commit together; use `tx` (or `tx.native`) for the handler's own writes. `event.data` is the
   * validated (parsed) payload.
   */
  handle: (event: EventEnvelope, tx: SqlExecutor<TxNative>, context: MessageContext) => Promise<void>;
  log: EventLogger;
  /** Where a new group starts: the beginning of the topics, or only new messages (default). */
  fromBeginning?: boolean;
  tuning?: ConsumerTuning;
  /**
   * Up to this many events of one partition are applied in one transaction: one dedupe INSERT for all,
   * the handlers in order, one commit (default 1: a transaction per event). Only for handlers whose
   * every effect goes through `tx`: when one fails, the events before it are applied again in a new
   * transaction, so an effect outside it would happen twice. Failures are handled as with one event at a
   * time: a rejected event is dead-lettered, any other failure is retried (see README "Batches").
   */
  batchSize?: number;
  /**
   * Messages of one partition with different keys (subjects) are handled at the same time, up to this
   * many keys at once; a key's messages still go one at a time, in order, one transaction each. For
   * handlers that wait on another system (the lifecycle bridges wait for each Update to complete):
   * one slow project then no longer holds up the others on its partition. Not with `batchSize`.
   */
  keysConcurrently?: number;
}

export interface RunningConsumer {
  /** Finishes the message in hand, leaves the group, disconnects. */
  stop(): Promise<void>;
  /** Resolves once the group has assigned partitions to this consumer (useful in tests). */
  readonly joined: Promise<void>;
}

/** A valid event of a registered type, with the message it came in. */
interface Applicable {
  message: IncomingMessage;
  event: EventEnvelope;
  definition: EventDefinition;
}

/** A handler threw while applying the `index`-th event of a batch (the transaction is rolled back). */
class BatchHandlerFailure extends Error {
  constructor(
    readonly index: number,
    readonly failure: unknown,
  ) {
    super(errorMessage(failure));
  }
}

/**
 * A batch size for consumers that only project other services' events into their own tables (every
 * effect in the consumer's transaction): a backlog is taken in at one commit per hundred events.
 */
export const PROJECTION_BATCH_SIZE = 100;

type Verdict =
  | { kind: 'apply'; event: EventEnvelope; definition: EventDefinition }
  | { kind: 'ignore'; type: string }
  | { kind: 'dead-letter'; reason: string };

/** Decides what to do with one raw message; pure, so the policy is in one readable place. */
export function classifyMessage(value: Buffer | null, registry: EventRegistry): Verdict {
  if (value === null || value.length === 0) return { kind: 'dead-letter', reason: 'message has no value' };
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch (error) {
    return { kind: 'dead-letter', reason: `value is not JSON: ${errorMessage(error, 300)}` };
  }
  const envelope = EventEnvelope.safeParse(json);
  if (!envelope.success) return { kind: 'dead-letter', reason: `invalid envelope: ${describeIssues(envelope.error)}` };
  const { type, version } = envelope.data;
  if (!registry.has(type)) return { kind: 'ignore', type };
  const definition = registry.get(type, version);
  if (!definition) {
    return { kind: 'dead-letter', reason: `unknown version ${version} of ${type} (this consumer reads versions ${registry.versions(type).join(', ')})` };
  }
  const data = definition.data.safeParse(envelope.data.data);
  if (!data.success) return { kind: 'dead-letter', reason: `invalid data for ${type}@${version}: ${describeIssues(data.error, 'data')}` };
  return { kind: 'apply', event: { ...envelope.data, data: data.data }, definition };
}

function deadLetterHeaders(message: IncomingMessage, consumerName: string, reason: string): MessageHeaders {
  return {
    ...message.headers,
    'dlq-reason': reason,
    'dlq-source-topic': message.topic,
    'dlq-source-partition': String(message.partition),
    'dlq-source-offset': message.offset,
    'dlq-consumer': consumerName,
    'dlq-at': new Date().toISOString(),
  };
}

/**
 * Consumes `topics` and applies each event once (see README "Guarantees"):
 * - not JSON, not an envelope, a known type in an unknown version, or data that fails its schema →
 *   dead-letter topic (original key, value and headers plus dlq-* headers), then continue;
 * - a type not in the registry → ignored (consumers subscribe to whole topics);
 * - otherwise, in one transaction: mark (consumer, event id) in processed_events; if it was already
 *   there, skip (a redelivery); else run the handler. A handler error rolls everything back and the
 *   message is retried with backoff, never skipped.
 */
export async function runConsumer<TxNative = unknown>(options: RunConsumerOptions<TxNative>): Promise<RunningConsumer> {
  const { kafka, groupId, consumerName, registry, db, deadLetterTopic, handle, log } = options;
  const dlq: EventProducer = kafka.producer();
  await dlq.connect();
  const consumer = kafka.consumer(groupId, options.tuning);

  async function deadLetter(message: IncomingMessage, reason: string): Promise<void> {
    // A failed dead-letter send throws, so the message is retried rather than dropped.
    // Original key, value and headers byte for byte, so the message can be inspected or replayed as sent.
    await dlq.send(deadLetterTopic, [{ key: message.key, value: message.value ?? '', headers: deadLetterHeaders(message, consumerName, reason) }]);
    log.warn(
      { consumer: consumerName, topic: message.topic, partition: message.partition, offset: message.offset, deadLetterTopic, reason },
      'event dead-lettered',
    );
  }

  const fieldsOf = ({ message, event }: Applicable) => ({
    consumer: consumerName,
    eventId: event.id,
    type: event.type,
    version: event.version,
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
  });

  /** What a handler's failure on one event means: dead-letter it (rejected) or throw to retry it. */
  async function failed(item: Applicable, error: unknown): Promise<void> {
    if (error instanceof UnprocessableEventError) return deadLetter(item.message, `rejected by handler: ${error.message}`);
    log.error({ ...fieldsOf(item), err: errorMessage(error) }, 'event handler failed; the message will be retried');
    throw new EventHandlingError(`${consumerName} failed on ${item.event.type} ${item.event.id}: ${errorMessage(error)}`, { cause: error });
  }

  /**
   * Applies `items` (in partition order) in one transaction with their dedupe marks. When the handler
   * of one fails, the transaction is rolled back; the events before it are applied again without it,
   * then the failing one is dead-lettered (rejected: the handler saw exactly the state it would have
   * seen one event at a time) and the rest go on, or the failure is thrown and the consumer retries from
   * it. `done(offset)` is told each offset that is settled (committed or dead-lettered).
   */
  async function applyTogether(items: readonly Applicable[], done: (offset: string) => void): Promise<void> {
    if (items.length === 0) return;
    try {
      const applied = await db.transaction(async (tx) => {
        const marked = await tx.query<{ event_id: string }>(
          `INSERT INTO "processed_events" ("consumer", "event_id") SELECT $1, "id" FROM unnest($2::uuid[]) AS "id" ON CONFLICT DO NOTHING RETURNING "event_id"`,
          [consumerName, items.map((item) => item.event.id)],
        );
        const fresh = new Set(marked.map((row) => row.event_id.toLowerCase()));
        const result: boolean[] = [];
        for (const [index, item] of items.entries()) {
          // delete: the same event twice in one batch (a relay re-send) is applied once.
          const isNew = fresh.delete(item.event.id.toLowerCase());
          result.push(isNew);
          if (!isNew) continue;
          try {
            await handle(item.event, tx, {
              topic: item.message.topic,
              partition: item.message.partition,
              offset: item.message.offset,
              key: item.message.key?.toString('utf8') ?? null,
              headers: item.message.headers,
              definition: item.definition,
            });
          } catch (error) {
            throw new BatchHandlerFailure(index, error);
          }
        }
        return result;
      });
      for (const [index, item] of items.entries()) {
        log.debug(fieldsOf(item), applied[index] ? 'event applied' : 'duplicate event skipped (already processed)');
      }
      done(items[items.length - 1]!.message.offset);
    } catch (error) {
      if (!(error instanceof BatchHandlerFailure)) {
        // Not a handler: the dedupe INSERT, the commit, the connection. Nothing was applied; retry.
        const first = items[0]!;
        log.error({ ...fieldsOf(first), err: errorMessage(error) }, 'event transaction failed; the messages will be retried');
        throw new EventHandlingError(`${consumerName} failed on ${first.event.type} ${first.event.id}: ${errorMessage(error)}`, { cause: error });
      }
      await applyTogether(items.slice(0, error.index), done);
      const item = items[error.index]!;
      await failed(item, error.failure);
      done(item.message.offset);
      await applyTogether(items.slice(error.index + 1), done);
    }
  }

  const batchSize = Math.max(1, options.batchSize ?? 1);

  /**
   * One partition's fetched messages, in order: runs of valid events (ignored types between them ride
   * along) are applied `batchSize` at a time; a message that cannot be read is dead-lettered between
   * two runs, so order is kept. Offsets are resolved as each run settles.
   */
  async function eachBatch({ messages, resolveOffset, heartbeat, isActive }: IncomingBatch): Promise<void> {
    let run: Applicable[] = [];
    let lastOfRun: string | null = null;
    const settle = async () => {
      await applyTogether(run, resolveOffset);
      if (lastOfRun !== null) resolveOffset(lastOfRun);
      run = [];
      lastOfRun = null;
      await heartbeat();
    };
    for (const message of messages) {
      if (!isActive()) return; // stopping or rebalanced: the rest is fetched again by whoever owns it
      const verdict = classifyMessage(message.value, registry);
      if (verdict.kind === 'dead-letter') {
        await settle();
        await deadLetter(message, verdict.reason);
        resolveOffset(message.offset);
        continue;
      }
      if (verdict.kind === 'ignore') {
        log.debug({ consumer: consumerName, type: verdict.type, offset: message.offset }, 'event type not handled by this consumer; ignored');
      } else {
        run.push({ message, event: verdict.event, definition: verdict.definition });
      }
      lastOfRun = message.offset;
      if (run.length >= batchSize) await settle();
    }
    if (isActive()) await settle();
  }

  const keysConcurrently = Math.max(1, options.keysConcurrently ?? 1);
  if (keysConcurrently > 1 && batchSize > 1) throw new Error('runConsumer: keysConcurrently and batchSize do not go together');

  /**
   * One partition's fetched messages, grouped by key: up to `keysConcurrently` keys at once, each key's
   * messages in order (a key stops at its first failure). Once all have settled, everything before the
   * earliest failure is done, so that much is resolved and the failure thrown: the consumer retries
   * from it, and what other keys had already applied after it is skipped as a duplicate.
   */
  async function eachBatchByKey({ messages, resolveOffset, heartbeat, isActive }: IncomingBatch): Promise<void> {
    const byKey = new Map<string, IncomingMessage[]>();
    for (const message of messages) {
      const key = message.key?.toString('utf8') ?? '';
      const group = byKey.get(key);
      if (group) group.push(message);
      else byKey.set(key, [message]);
    }
    const queue = [...byKey.values()];
    const failures: { offset: bigint; error: unknown }[] = [];
    const worker = async () => {
      for (let group = queue.shift(); group; group = queue.shift()) {
        for (const message of group) {
          if (!isActive()) {
            failures.push({ offset: BigInt(message.offset), error: null });
            break;
          }
          try {
            await eachMessage(message);
          } catch (error) {
            failures.push({ offset: BigInt(message.offset), error });
            break;
          }
          // As kafkajs does between messages: a batch of slow Updates must not cost the group membership.
          await heartbeat();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(keysConcurrently, queue.length) }, worker));
    if (failures.length === 0) {
      if (messages.length > 0) resolveOffset(messages[messages.length - 1]!.offset);
      return;
    }
    const earliest = failures.reduce((a, b) => (b.offset < a.offset ? b : a));
    if (earliest.offset > BigInt(messages[0]!.offset)) resolveOffset(String(earliest.offset - 1n));
    // Stopping or rebalanced: leave the rest unresolved, without an error.
    if (earliest.error !== null) throw earliest.error;
  }

  async function eachMessage(message: IncomingMessage): Promise<void> {
    const verdict = classifyMessage(message.value, registry);
    if (verdict.kind === 'dead-letter') return deadLetter(message, verdict.reason);
    if (verdict.kind === 'ignore') {
      log.debug({ consumer: consumerName, type: verdict.type, offset: message.offset }, 'event type not handled by this consumer; ignored');
      return;
    }
    await applyTogether([{ message, event: verdict.event, definition: verdict.definition }], () => {});
  }

  try {
    const from = { topics: options.topics, fromBeginning: options.fromBeginning ?? false };
    await consumer.start(batchSize > 1 ? { ...from, eachBatch } : keysConcurrently > 1 ? { ...from, eachBatch: eachBatchByKey } : { ...from, eachMessage });
  } catch (error) {
    await Promise.allSettled([consumer.stop(), dlq.disconnect()]);
    throw error;
  }
  log.info({ consumer: consumerName, groupId, topics: options.topics }, 'event consumer started');

  return {
    joined: consumer.joined,
    async stop() {
      await consumer.stop();
      await dlq.disconnect();
    },
  };
}
