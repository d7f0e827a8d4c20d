import { EventEnvelope, type EventDefinition } from '@linli/contracts';
import { describeIssues } from './describe-issues';
import { errorMessage, type EventLogger } from './event-logger';
import type { EventRegistry } from './event-registry';
import type { ConsumerTuning, EventProducer, IncomingMessage, KafkaClient, MessageHeaders } from './kafka.client';
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
}

export interface RunningConsumer {
  /** Finishes the message in hand, leaves the group, disconnects. */
  stop(): Promise<void>;
  /** Resolves once the group has assigned partitions to this consumer (useful in tests). */
  readonly joined: Promise<void>;
}

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

  async function eachMessage(message: IncomingMessage): Promise<void> {
    const verdict = classifyMessage(message.value, registry);
    if (verdict.kind === 'dead-letter') return deadLetter(message, verdict.reason);
    if (verdict.kind === 'ignore') {
      log.debug({ consumer: consumerName, type: verdict.type, offset: message.offset }, 'event type not handled by this consumer; ignored');
      return;
    }
    const { event, definition } = verdict;
    const fields = { consumer: consumerName, eventId: event.id, type: event.type, version: event.version, topic: message.topic, partition: message.partition, offset: message.offset };
    try {
      const applied = await db.transaction(async (tx) => {
        const inserted = await tx.execute(
          `INSERT INTO "processed_events" ("consumer", "event_id") VALUES ($1, $2::uuid) ON CONFLICT DO NOTHING`,
          [consumerName, event.id],
        );
        if (inserted === 0) return false;
        await handle(event, tx, {
          topic: message.topic,
          partition: message.partition,
          offset: message.offset,
          key: message.key?.toString('utf8') ?? null,
          headers: message.headers,
          definition,
        });
        return true;
      });
      if (applied) log.debug(fields, 'event applied');
      else log.debug(fields, 'duplicate event skipped (already processed)');
    } catch (error) {
      if (error instanceof UnprocessableEventError) return deadLetter(message, `rejected by handler: ${error.message}`);
      log.error({ ...fields, err: errorMessage(error) }, 'event handler failed; the message will be retried');
      throw new EventHandlingError(`${consumerName} failed on ${event.type} ${event.id}: ${errorMessage(error)}`, { cause: error });
    }
  }

  try {
    await consumer.start({ topics: options.topics, fromBeginning: options.fromBeginning ?? false, eachMessage });
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
