/**
 * Test helpers for this package: a scratch database with the outbox tables, unique topics on the real
 * Kafka, a logger that remembers what it was told, and polling.
 */
import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { createKafka, OUTBOX_TABLES_SQL, type EventLogger, type KafkaClient } from '../../src';

export const PG_ADMIN_URL = process.env.PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:55432/postgres';
export const KAFKA_BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

export function randomName(): string {
  return randomBytes(4).toString('hex');
}

export interface ScratchDatabase {
  name: string;
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

/** A new database holding the outbox tables (exactly the services' SQL) plus `extraSql`. */
export async function createScratchDatabase(extraSql = ''): Promise<ScratchDatabase> {
  const name = `scratch_events_${randomName()}`;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const pool = new Pool({ connectionString: url.toString(), max: 8 });
  await pool.query(OUTBOX_TABLES_SQL + extraSql);
  return {
    name,
    url: url.toString(),
    pool,
    async drop() {
      // pool.end() resolves before the sockets are closed; DROP ... WITH (FORCE) may then terminate a
      // closing connection, which pg reports as an error event. Expected here, so not an error.
      pool.on('error', () => {});
      await pool.end();
      const c = new Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: Record<string, unknown>;
  msg?: string;
}

/** Remembers every entry; prints them too when TEST_LOG=1. */
export function recordingLogger(): EventLogger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at =
    (level: LogEntry['level']) =>
    (obj: object, msg?: string): void => {
      entries.push({ level, obj: obj as Record<string, unknown>, msg });
      if (process.env.TEST_LOG === '1') process.stderr.write(`${level} ${msg ?? ''} ${JSON.stringify(obj)}\n`);
    };
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export interface TestTopics {
  events: string;
  deadLetter: string;
  drop(): Promise<void>;
}

/** `test.<random>.events` (one partition, so "later" means later for every message) and `.dlq`. */
export async function createTestTopics(kafka: KafkaClient): Promise<TestTopics> {
  const base = `test.${randomName()}`;
  const names = { events: `${base}.events`, deadLetter: `${base}.dlq` };
  const admin = await kafka.admin();
  try {
    await admin.ensureTopics([{ name: names.events, partitions: 1 }, { name: names.deadLetter, partitions: 1 }]);
  } finally {
    await admin.disconnect();
  }
  return {
    ...names,
    async drop() {
      const a = await kafka.admin();
      try {
        await a.deleteTopics([names.events, names.deadLetter]);
      } finally {
        await a.disconnect();
      }
    },
  };
}

export function testKafka(log: EventLogger, clientId = `events-test-${randomName()}`): KafkaClient {
  return createKafka({ brokers: KAFKA_BROKERS, clientId, log });
}

/** Consumer settings that keep group joins and redelivery quick in tests. */
export const FAST_CONSUMER = { sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 100, retry: { initialRetryTime: 100, retries: 5 } };

export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
