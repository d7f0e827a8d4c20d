import { errorMessage, type EventLogger } from './event-logger';
import type { EventProducer, OutgoingMessage } from './kafka.client';
import { openPgDatabase, type PgDatabase, type SqlDatabase, type SqlExecutor } from './sql-executor';

export type OutboxRelayOptions = RelaySettings &
  (
    | { db: SqlDatabase; databaseUrl?: never }
    | {
        /**
         * The relay opens a pg pool of its own (two connections) and ends it on stop(): its rounds are plain
         * SQL, cheaper through pg than through the service's Prisma client (see openPgDatabase).
         */
        databaseUrl: string;
        db?: never;
      }
  );

interface RelaySettings {
  producer: EventProducer;
  log: EventLogger;
  /**
   * Rows per round (one transaction, one send per topic unless `maxSendBytes` splits it). Default 500:
   * a round costs about the same whatever its size (Kafka's acknowledgement dominates), and at 100 the
   * relay fell behind at 1,000 events/s (docs/benchmarks.md, events).
   */
  batchSize?: number;
  /**
   * Largest send, in bytes of keys and values: a topic's rows of one round go out in several sends,
   * one after another in order, when they are larger. Kafka refuses a batch above its
   * `message.max.bytes` (1 MiB by default), and a refused batch would hold back every row behind it.
   */
  maxSendBytes?: number;
  /** Idle poll interval; wake() cuts it short. */
  pollIntervalMs?: number;
  /**
   * After a wake() (or an idle poll), how long to wait for more commits before the round (default
   * 10 ms), as Kafka producers linger: under load, rows of many commits then go in one round and one
   * send, instead of a round — five statements and a send — per commit (docs/benchmarks.md, apiRatio).
   */
  lingerMs?: number;
  /** Ceiling of the exponential back-off after a failed send. */
  maxBackoffMs?: number;
}

export interface OutboxRelay {
  /** Starts the background loop (idempotent). */
  start(): void;
  /** Stops the loop after the round in progress has finished (sent and marked, or recorded as failed). */
  stop(): Promise<void>;
  /**
   * One round: publish up to batchSize unpublished rows in order, mark them published, and return how
   * many were published. A failed send is recorded on its rows (attempts, last_error) and is not thrown;
   * database errors are thrown. Returns 0 when another relay is draining this outbox right now.
   */
  drainOnce(): Promise<number>;
  /** Ask for a round now (call after committing a transaction that wrote to the outbox). */
  wake(): void;
}

interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  type: string;
  payload: string;
}

interface RoundResult {
  fetched: number;
  published: number;
  failed: number;
  /** Another relay holds the outbox. */
  busy: boolean;
}

/*
 * Two relays of one service (two replicas) must neither send the same rows at the same time nor send
 * one aggregate's events out of order. `FOR UPDATE SKIP LOCKED` alone gives the first but not the
 * second: relay B could send row 150 while relay A still holds row 50 of the same subject. So a round
 * first takes a transaction-scoped advisory lock; the relay that does not get it skips the round and
 * acts as a hot standby. SKIP LOCKED stays so a round never waits on locked rows.
 */
const RELAY_LOCK_SQL = `SELECT pg_try_advisory_xact_lock(hashtext('linli.outbox_events.relay')) AS "locked"`;

function selectBatchSql(batchSize: number): string {
  return `SELECT "id"::text AS "id", "topic", "key", "type", "payload"::text AS "payload"
    FROM "outbox_events" WHERE "published_at" IS NULL ORDER BY "seq" LIMIT ${batchSize} FOR UPDATE SKIP LOCKED`;
}

function placeholders(count: number, offset = 0): string {
  return Array.from({ length: count }, (_, i) => `$${i + 1 + offset}::uuid`).join(', ');
}

/** Splits rows, in order, into runs of at most `maxBytes` (a row larger than that goes alone). */
export function splitBySize<T>(rows: readonly T[], sizeOf: (row: T) => number, maxBytes: number): T[][] {
  const runs: T[][] = [];
  let run: T[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = sizeOf(row);
    if (run.length > 0 && bytes + size > maxBytes) {
      runs.push(run);
      run = [];
      bytes = 0;
    }
    run.push(row);
    bytes += size;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/** Bytes a row adds to a send: its value, key and headers (UTF-8), plus Kafka's record overhead. */
const rowBytes = (row: OutboxRow): number => Buffer.byteLength(row.payload) + Buffer.byteLength(row.key) + row.id.length + row.type.length + 64;

function toMessage(row: OutboxRow): OutgoingMessage {
  let version = '';
  try {
    version = String((JSON.parse(row.payload) as { version?: unknown }).version ?? '');
  } catch {
    // A payload that is not JSON cannot be in the outbox (the column is jsonb); keep the header empty.
  }
  return { key: row.key, value: row.payload, headers: { 'event-id': row.id, 'event-type': row.type, 'event-version': version } };
}

/**
 * Publishes what use cases wrote to the outbox table (see appendToOutbox).
 *
 * Delivery is at-least-once: a crash after Kafka acknowledged a batch and before the rows are marked
 * leaves them unpublished, and the next round sends them again. That is harmless because consumers
 * deduplicate by event id (processed_events, see runConsumer). Nothing is lost: rows only leave the
 * "unpublished" set in the same transaction that saw their send acknowledged.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { producer, log } = options;
  let owned: PgDatabase | null = null;
  const database = (): SqlDatabase =>
    options.db ??
    (owned ??= openPgDatabase(options.databaseUrl, {
      onIdleError: (error) => log.warn({ err: errorMessage(error) }, 'outbox relay: a pooled connection broke while idle; the next round reconnects'),
    }));
  const batchSize = options.batchSize ?? 500;
  const maxSendBytes = options.maxSendBytes ?? 512 * 1024;
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  const lingerMs = options.lingerMs ?? 10;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${batchSize}`);

  async function round(): Promise<RoundResult> {
    return database().transaction(async (tx: SqlExecutor) => {
      const [lock] = await tx.query<{ locked: boolean }>(RELAY_LOCK_SQL);
      if (!lock?.locked) return { fetched: 0, published: 0, failed: 0, busy: true };
      const rows = await tx.query<OutboxRow>(selectBatchSql(batchSize));
      if (rows.length === 0) return { fetched: 0, published: 0, failed: 0, busy: false };

      // One send per topic, rows in seq order within it. Map keeps first-seen order of topics.
      const byTopic = new Map<string, OutboxRow[]>();
      for (const row of rows) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);

      const sent: string[] = [];
      let failed = 0;
      for (const [topic, topicRows] of byTopic) {
        for (const part of splitBySize(topicRows, rowBytes, maxSendBytes)) {
          try {
            await producer.send(topic, part.map(toMessage));
            sent.push(...part.map((r) => r.id));
          } catch (error) {
            // The topic's later rows wait too: sending them now would put them ahead of these.
            failed += part.length;
            const reason = errorMessage(error);
            log.warn({ topic, events: part.length, err: reason }, 'outbox relay: send failed; rows kept for the next round');
            const ids = part.map((r) => r.id);
            await tx.execute(
              `UPDATE "outbox_events" SET "attempts" = "attempts" + 1, "last_error" = $1 WHERE "id" IN (${placeholders(ids.length, 1)})`,
              [reason, ...ids],
            );
            break;
          }
        }
      }
      if (sent.length > 0) {
        await tx.execute(`UPDATE "outbox_events" SET "published_at" = CURRENT_TIMESTAMP WHERE "id" IN (${placeholders(sent.length)})`, sent);
        log.debug({ events: sent.length }, 'outbox relay: published');
      }
      return { fetched: rows.length, published: sent.length, failed, busy: false };
    });
  }

  let running: Promise<void> | null = null;
  let stopping = false;
  // A wake() that arrives during a round must not be lost: the row it announces may have committed
  // after that round's SELECT.
  let wakeRequested = false;
  let interruptSleep: (() => void) | null = null;
  let sleepIsWakeable = false;

  function sleep(ms: number, wakeable: boolean): Promise<void> {
    if (wakeable && wakeRequested) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      sleepIsWakeable = wakeable;
      interruptSleep = done;
      function done() {
        clearTimeout(timer);
        interruptSleep = null;
        resolve();
      }
    });
  }

  async function loop(): Promise<void> {
    let failures = 0;
    while (!stopping) {
      wakeRequested = false;
      let result: RoundResult;
      try {
        result = await round();
      } catch (error) {
        log.error({ err: errorMessage(error) }, 'outbox relay: round failed (database)');
        result = { fetched: 0, published: 0, failed: 1, busy: false };
      }
      if (stopping) break;
      if (result.failed > 0) {
        // Back off so a Kafka outage is not hammered; wake() does not cut this short for the same reason.
        failures += 1;
        await sleep(Math.min(maxBackoffMs, pollIntervalMs * 2 ** failures), false);
        continue;
      }
      failures = 0;
      if (result.fetched === batchSize) continue;
      await sleep(pollIntervalMs, true);
      if (lingerMs > 0 && !stopping) await sleep(lingerMs, false);
    }
  }

  return {
    start() {
      if (running) return;
      stopping = false;
      running = loop().finally(() => {
        running = null;
      });
    },
    async stop() {
      stopping = true;
      interruptSleep?.();
      await running;
      const pool = owned;
      owned = null;
      await pool?.close();
    },
    async drainOnce() {
      return (await round()).published;
    },
    wake() {
      wakeRequested = true;
      if (sleepIsWakeable) interruptSleep?.();
    },
  };
}
