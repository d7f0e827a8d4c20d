import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { waitFor } from './wait-for';

/**
 * Helpers for the personal-data scans: tests plant known mobile numbers, run the system, and look for
 * them wherever data comes to rest (workflow histories, Kafka topics, log output).
 */

/**
 * Every string and byte array inside a value (protobuf messages, Kafka messages, parsed JSON), joined as
 * one text. Bytes are read as UTF-8, so a payload or message stored in clear shows its digits.
 */
export function textOf(value: unknown): string {
  const parts: string[] = [];
  const seen = new Set<object>();
  const visit = (v: unknown): void => {
    if (v === null || v === undefined) return;
    if (typeof v === 'string') parts.push(v);
    else if (typeof v === 'number' || typeof v === 'bigint') parts.push(String(v));
    else if (v instanceof Uint8Array) parts.push(Buffer.from(v).toString('utf8'));
    else if (typeof v === 'object') {
      if (seen.has(v)) return;
      seen.add(v);
      if (Array.isArray(v)) v.forEach(visit);
      else if (v instanceof Map) for (const [k, x] of v) (visit(k), visit(x));
      else for (const key of Object.keys(v)) visit((v as Record<string, unknown>)[key]);
    }
  };
  visit(value);
  return parts.join('\n');
}

/** The mask scrubText leaves of a planted number: its first 3 and last 4 digits (`139****0001`). */
export const maskOf = (phone: string): string => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

/**
 * One planted number per free-text field, so that a finding names the field that leaked: 139, then the
 * test file's own 4-digit `series`, then the field's position (`plantNumbers('5550', ['a', 'b']).b` is
 * `13955500002`).
 */
export function plantNumbers<F extends string>(series: string, fields: readonly F[]): Record<F, string> {
  if (!/^\d{4}$/.test(series)) throw new Error(`a series is 4 digits, got ${series}`);
  return Object.fromEntries(fields.map((field, i) => [field, `139${series}${String(i + 1).padStart(4, '0')}`])) as Record<F, string>;
}

export interface PlantedFinding {
  phone: string;
  /** `full`: all 11 digits; `head+middle` / `middle+tail`: a mask that left the middle four digits. */
  form: 'full' | 'head+middle' | 'middle+tail';
  at: number;
  context: string;
}

const SEP = '[\\s-]?';

/**
 * Where the planted mainland mobile numbers show: in full (also written with spaces or hyphens, or after
 * +86), or partly masked but keeping the middle four digits beside either end — a proper mask keeps only
 * the first 3 and last 4 (`139****0001`). Digit runs are matched whole, so a number is never "found"
 * inside a longer run of digits (an id or a timestamp).
 */
export function findPlantedNumbers(text: string, phones: readonly string[]): PlantedFinding[] {
  const findings: PlantedFinding[] = [];
  for (const phone of phones) {
    if (!/^1\d{10}$/.test(phone)) throw new Error(`planted numbers must be 11-digit mobile numbers, got ${phone}`);
    const [head, middle, tail] = [phone.slice(0, 3), phone.slice(3, 7), phone.slice(7)];
    const forms: [PlantedFinding['form'], RegExp][] = [
      ['full', new RegExp(`(?<!\\d)${head}${SEP}${middle}${SEP}${tail}(?!\\d)`, 'g')],
      ['head+middle', new RegExp(`(?<!\\d)${head}${SEP}${middle}(?!\\d)`, 'g')],
      ['middle+tail', new RegExp(`(?<!\\d)${middle}${SEP}${tail}(?!\\d)`, 'g')],
    ];
    for (const [form, pattern] of forms) {
      for (const match of text.matchAll(pattern)) {
        const at = match.index ?? 0;
        // A full match is also a partial one: report it once, as full.
        if (form !== 'full' && findings.some((f) => f.phone === phone && f.form === 'full' && Math.abs(f.at - at) <= 4)) continue;
        findings.push({ phone, form, at, context: text.slice(Math.max(0, at - 40), at + 40) });
      }
    }
  }
  return findings;
}

/**
 * Every row of every table of a service's database, as PostgreSQL prints it (`row::text`), one per line:
 * what an HTTP test scans to prove a planted number was stored masked, whichever column it went to.
 */
export async function databaseText(db: { $queryRawUnsafe(query: string): Promise<unknown> }): Promise<string> {
  const tables = (await db.$queryRawUnsafe(`select tablename from pg_tables where schemaname = 'public' order by tablename`)) as { tablename: string }[];
  const dumps: string[] = [];
  for (const { tablename } of tables) {
    const rows = (await db.$queryRawUnsafe(`select coalesce(string_agg(t::text, E'\\n'), '') as dump from "${tablename}" t`)) as { dump: string }[];
    dumps.push(`-- ${tablename}\n${rows[0]?.dump ?? ''}`);
  }
  return dumps.join('\n');
}

export interface RawHistory {
  workflowId: string;
  runId: string;
  workflowType: string;
  history: Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>;
}

/**
 * Every run's history that a visibility query finds, as the server stores it: read by a client with no
 * data converter, so sealed payloads stay sealed (what the server's database, `temporal workflow show` and
 * the UI without the codec hold).
 */
export async function rawWorkflowHistories(opts: { address: string; namespace: string; query: string }): Promise<RawHistory[]> {
  // Loaded on use: most tests import @linli/testing and never need a Temporal client.
  const { Client, Connection } = await import('@temporalio/client');
  const connection = await Connection.connect({ address: opts.address });
  try {
    const client = new Client({ connection, namespace: opts.namespace });
    const runs: RawHistory[] = [];
    for await (const info of client.workflow.list({ query: opts.query })) {
      const history = await client.workflow.getHandle(info.workflowId, info.runId).fetchHistory();
      runs.push({ workflowId: info.workflowId, runId: info.runId, workflowType: info.type, history });
    }
    return runs;
  } finally {
    await connection.close();
  }
}

/**
 * Every message (key, value, headers) of every topic whose name starts with `topicPrefix`, from the
 * beginning, read until the count the brokers report for each partition has arrived.
 */
export async function kafkaMessagesOf(brokers: string[], topicPrefix: string): Promise<{ topic: string; messages: string[] }[]> {
  const { Kafka, logLevel } = await import('kafkajs');
  const kafka = new Kafka({ clientId: 'planted-number-scan', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(topicPrefix)).sort();
  let expected = 0;
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) expected += Number(p.high) - Number(p.low);
  }
  await admin.disconnect();

  const read = new Map<string, string[]>(topics.map((t) => [t, []]));
  let count = 0;
  const consumer = kafka.consumer({ groupId: `planted-number-scan-${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        read.get(topic)!.push(textOf([message.key, message.value, message.headers]));
        count++;
      },
    });
    await waitFor(`all ${expected} messages of the ${topics.length} topics ${topicPrefix}*`, () => count >= expected, { timeoutMs: 60_000, intervalMs: 200 });
  } finally {
    await consumer.disconnect();
  }
  return topics.map((topic) => ({ topic, messages: read.get(topic)! }));
}
