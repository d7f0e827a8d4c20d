import {
  Kafka,
  Partitioners,
  logLevel as KafkaLogLevel,
  type Admin,
  type Consumer,
  type IHeaders,
  type KafkaMessage,
  type LogEntry,
  type Producer,
  type RetryOptions,
} from 'kafkajs';
import { errorMessage, type EventLogger } from './event-logger';

/*
 * The only file that imports kafkajs. kafkajs has had no release since 2023; everything else in the
 * project talks to the small interfaces below, so the client can be swapped by rewriting this file.
 */

export type HeaderValue = string | Buffer;
export type MessageHeaders = Record<string, HeaderValue>;

export interface OutgoingMessage {
  key: string | Buffer | null;
  value: string | Buffer;
  headers?: MessageHeaders;
}

export interface EventProducer {
  connect(): Promise<void>;
  /** Resolves once every message is acknowledged by all in-sync replicas; rejects if any is not. */
  send(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}

export interface IncomingMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: MessageHeaders;
}

export interface ConsumerTuning {
  /** Broker bounds are 6 s .. 300 s by default. */
  sessionTimeout?: number;
  heartbeatInterval?: number;
  rebalanceTimeout?: number;
  /** How long a fetch waits for data; lower means lower latency and more requests. */
  maxWaitTimeInMs?: number;
  /** Retries of a failing message before the consumer restarts itself (and retries again). */
  retry?: Partial<RetryOptions>;
  /**
   * Partitions handled at the same time (default 3, the partitions of our topics). Messages of one
   * partition — so of one subject — still go one at a time, in order; a slow handler of one project no
   * longer holds up the others' (measured in docs/benchmarks.md).
   */
  partitionsConsumedConcurrently?: number;
}

/** The messages of one partition that one fetch returned, in offset order. */
export interface IncomingBatch {
  messages: readonly IncomingMessage[];
  /** Marks every message up to and including `offset` as done; the consumer commits past it. */
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping or the partition was taken away: stop and leave the rest. */
  isActive(): boolean;
}

export type StartConsumerOptions = {
  topics: readonly string[];
  fromBeginning?: boolean;
} & (
  | {
      /**
       * Called for each message in partition order. Resolving commits past it; rejecting makes the
       * consumer retry the same message with backoff (it never skips it).
       */
      eachMessage(message: IncomingMessage): Promise<void>;
      eachBatch?: never;
    }
  | {
      /**
       * Called with each fetched batch of one partition. Only resolved offsets are committed;
       * rejecting makes the consumer fetch again from the first unresolved message, with backoff.
       */
      eachBatch(batch: IncomingBatch): Promise<void>;
      eachMessage?: never;
    }
);

export interface EventConsumer {
  /** Connects, subscribes and starts; resolves once running (not yet necessarily in the group). */
  start(options: StartConsumerOptions): Promise<void>;
  /** Resolves the first time partitions are assigned to this member. */
  readonly joined: Promise<void>;
  /** Leaves the group after the message in hand is finished. */
  stop(): Promise<void>;
}

export interface TopicSettings {
  name: string;
  partitions?: number;
  retentionMs?: number;
}

export interface KafkaAdmin {
  /** Creates the missing topics; existing ones are left as they are. */
  ensureTopics(topics: readonly TopicSettings[]): Promise<void>;
  deleteTopics(names: readonly string[]): Promise<void>;
  listTopics(): Promise<string[]>;
  disconnect(): Promise<void>;
}

export interface KafkaClient {
  producer(): EventProducer;
  consumer(groupId: string, tuning?: ConsumerTuning): EventConsumer;
  admin(): Promise<KafkaAdmin>;
  /** Rejects unless a broker answers within `timeoutMs` (readiness checks). */
  ping(timeoutMs?: number): Promise<void>;
  /** Disconnects every producer, consumer and admin created from this client. */
  disconnect(): Promise<void>;
}

export interface CreateKafkaOptions {
  brokers: readonly string[] | string;
  clientId: string;
  log: EventLogger;
  /** kafkajs messages below this level are dropped; default warn (its info level is chatty). */
  logLevel?: 'error' | 'warn' | 'info' | 'debug';
  /** Connection retries (also the base for producer retries). */
  retry?: Partial<RetryOptions>;
  connectionTimeout?: number;
  requestTimeout?: number;
  /**
   * How often a producer retries one send before reporting failure. Bounded on purpose: the relay holds
   * its outbox rows locked while sending, and a failure just leaves the rows for the next round.
   */
  producerRetry?: Partial<RetryOptions>;
  /** Time the broker may take to acknowledge a send (kafkajs `timeout`). */
  sendTimeoutMs?: number;
}

const LEVELS = { error: KafkaLogLevel.ERROR, warn: KafkaLogLevel.WARN, info: KafkaLogLevel.INFO, debug: KafkaLogLevel.DEBUG };

/*
 * Known kafkajs messages that are expected in this setup, logged at debug instead of warn:
 * - we bound the idempotent producer's retries ourselves (see producerRetry); kafkajs warns about any
 *   bound because a given-up send could be retried by the caller and duplicated. Our caller is the relay,
 *   whose re-sends are deduplicated by consumers anyway.
 */
const EXPECTED_WARNINGS = [/^Limiting retries for the idempotent producer/];

function logCreator(log: EventLogger) {
  return () =>
    ({ namespace, level, log: entry }: LogEntry) => {
      const { message, timestamp: _t, logger: _l, ...extra } = entry;
      const fields = { component: 'kafkajs', namespace, ...extra };
      if (level === KafkaLogLevel.ERROR) log.error(fields, message);
      else if (level === KafkaLogLevel.WARN) {
        if (EXPECTED_WARNINGS.some((re) => re.test(message))) log.debug(fields, message);
        else log.warn(fields, message);
      } else if (level === KafkaLogLevel.INFO) log.info(fields, message);
      else log.debug(fields, message);
    };
}

function toIncomingHeaders(headers: IHeaders | undefined): MessageHeaders {
  const out: MessageHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    // Repeated headers are rare and never used here; the last one wins.
    const single = Array.isArray(value) ? value[value.length - 1] : value;
    if (single !== undefined) out[name] = single;
  }
  return out;
}

export function createKafka(options: CreateKafkaOptions): KafkaClient {
  const brokers = typeof options.brokers === 'string' ? options.brokers.split(',').map((b) => b.trim()).filter(Boolean) : [...options.brokers];
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers,
    logLevel: LEVELS[options.logLevel ?? 'warn'],
    logCreator: logCreator(options.log),
    connectionTimeout: options.connectionTimeout ?? 3_000,
    requestTimeout: options.requestTimeout ?? 30_000,
    ...(options.retry ? { retry: options.retry } : {}),
  });
  // Everything created from this client, with how to close it, for disconnect().
  const open = new Map<object, () => Promise<void>>();
  const track = <T extends object>(x: T, close: () => Promise<void>): T => {
    open.set(x, close);
    return x;
  };

  function producer(): EventProducer {
    let current: Producer | null = null;
    let connecting: Promise<Producer> | null = null;

    const create = (): Producer =>
      kafka.producer({
        // KIP-98: idempotence needs acks from all replicas (acks -1 on each send), retries, and one request
        // in flight per connection so a retried batch cannot overtake the next one. The broker then
        // drops the duplicates a retry would create and keeps each partition in send order.
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
        retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 5_000, ...options.producerRetry },
      });

    const connected = async (): Promise<Producer> => {
      if (current) return current;
      if (!connecting) {
        const p = create();
        connecting = p
          .connect()
          .then(() => {
            current = p;
            return p;
          })
          .finally(() => {
            connecting = null;
          });
      }
      return connecting;
    };

    const self: EventProducer = {
      async connect() {
        await connected();
      },
      async send(topic, messages) {
        if (messages.length === 0) return;
        const p = await connected();
        try {
          await p.send({
            topic,
            acks: -1,
            timeout: options.sendTimeoutMs ?? 30_000,
            messages: messages.map((m) => ({ key: m.key, value: m.value, ...(m.headers ? { headers: m.headers } : {}) })),
          });
        } catch (error) {
          // After a failed send the idempotent producer's sequence numbers may no longer match what the
          // broker has; start the next send with a fresh producer (new producer id) instead.
          if (current === p) current = null;
          await p.disconnect().catch(() => {});
          throw error;
        }
      },
      async disconnect() {
        open.delete(self);
        const p = current ?? (connecting ? await connecting.catch(() => null) : null);
        current = null;
        if (p) await p.disconnect();
      },
    };
    return track(self, () => self.disconnect());
  }

  function consumer(groupId: string, tuning: ConsumerTuning = {}): EventConsumer {
    let resolveJoined: () => void = () => {};
    const joined = new Promise<void>((resolve) => {
      resolveJoined = resolve;
    });
    let c: Consumer | null = null;
    const self: EventConsumer = {
      joined,
      async start(startOptions) {
        const { topics, fromBeginning = false } = startOptions;
        if (c) throw new Error(`consumer ${groupId} already started`);
        c = kafka.consumer({
          groupId,
          allowAutoTopicCreation: false,
          sessionTimeout: tuning.sessionTimeout ?? 30_000,
          heartbeatInterval: tuning.heartbeatInterval ?? 3_000,
          rebalanceTimeout: tuning.rebalanceTimeout ?? 60_000,
          maxWaitTimeInMs: tuning.maxWaitTimeInMs ?? 1_000,
          ...(tuning.retry ? { retry: { retries: 5, ...tuning.retry } } : {}),
        });
        c.on(c.events.GROUP_JOIN, () => resolveJoined());
        c.on(c.events.CRASH, (event) => {
          const { error, restart } = event.payload;
          options.log[restart ? 'warn' : 'error']({ groupId, err: errorMessage(error), restart }, restart ? 'kafka consumer restarting after an error' : 'kafka consumer stopped after an error it cannot retry');
        });
        await c.connect();
        await c.subscribe({ topics: [...topics], fromBeginning });
        const incoming = (topic: string, partition: number, message: KafkaMessage): IncomingMessage => ({
          topic,
          partition,
          offset: message.offset,
          key: message.key,
          value: message.value,
          headers: toIncomingHeaders(message.headers),
        });
        const { eachMessage, eachBatch } = startOptions;
        await c.run({
          autoCommit: true,
          partitionsConsumedConcurrently: tuning.partitionsConsumedConcurrently ?? 3,
          ...(eachBatch
            ? {
                eachBatchAutoResolve: false,
                eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) =>
                  eachBatch({
                    messages: batch.messages.map((m) => incoming(batch.topic, batch.partition, m)),
                    resolveOffset,
                    heartbeat,
                    isActive: () => isRunning() && !isStale(),
                  }),
              }
            : { eachMessage: async ({ topic, partition, message }) => eachMessage(incoming(topic, partition, message)) }),
        });
      },
      async stop() {
        open.delete(self);
        const current = c;
        c = null;
        if (current) await current.disconnect();
      },
    };
    return track(self, () => self.stop());
  }

  async function admin(): Promise<KafkaAdmin> {
    const a: Admin = kafka.admin();
    await a.connect();
    const self: KafkaAdmin = {
      async ensureTopics(topics) {
        const existing = new Set(await a.listTopics());
        const missing = topics.filter((t) => !existing.has(t.name));
        if (missing.length === 0) return;
        await a.createTopics({
          waitForLeaders: true,
          topics: missing.map((t) => ({
            topic: t.name,
            numPartitions: t.partitions ?? 1,
            replicationFactor: 1,
            ...(t.retentionMs ? { configEntries: [{ name: 'retention.ms', value: String(t.retentionMs) }] } : {}),
          })),
        });
      },
      async deleteTopics(names) {
        if (names.length) await a.deleteTopics({ topics: [...names], timeout: 10_000 });
      },
      listTopics: () => a.listTopics(),
      async disconnect() {
        open.delete(self);
        await a.disconnect();
      },
    };
    return track(self, () => self.disconnect());
  }

  async function ping(timeoutMs = 3_000): Promise<void> {
    // A separate client with no retries: readiness must answer quickly, not wait out reconnects.
    const probe = new Kafka({
      clientId: `${options.clientId}-ping`,
      brokers,
      logLevel: KafkaLogLevel.NOTHING,
      connectionTimeout: Math.min(timeoutMs, 3_000),
      requestTimeout: timeoutMs,
      retry: { retries: 0 },
    }).admin();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        (async () => {
          await probe.connect();
          await probe.describeCluster();
        })(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`kafka did not answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
      await probe.disconnect().catch(() => {});
    }
  }

  return {
    producer,
    consumer,
    admin,
    ping,
    async disconnect() {
      const closers = [...open.values()];
      open.clear();
      await Promise.allSettled(closers.map((close) => close()));
    },
  };
}
