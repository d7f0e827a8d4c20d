import { EventEnvelope } from '@linli/contracts';
import { describeIssues } from './describe-issues';
import type { SqlExecutor } from './sql-executor';

/** The tables every service declares in its Prisma schema (kept here so tests and tools share them). */
export const OUTBOX_TABLES_SQL = `
CREATE TABLE "outbox_events" (
  "seq" BIGSERIAL PRIMARY KEY,
  "id" UUID NOT NULL UNIQUE,
  "topic" TEXT NOT NULL,
  "key" TEXT NOT NULL,
  "type" TEXT NOT NULL,
  "payload" JSONB NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "published_at" TIMESTAMPTZ(3),
  "attempts" INTEGER NOT NULL DEFAULT 0,
  "last_error" TEXT
);
CREATE INDEX "outbox_events_published_at_seq_idx" ON "outbox_events"("published_at", "seq");
CREATE TABLE "processed_events" (
  "consumer" TEXT NOT NULL,
  "event_id" UUID NOT NULL,
  "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY ("consumer", "event_id")
);
`;

export interface OutboxEntry {
  /** The real topic name (prefix already applied), e.g. topicName('communities'). */
  topic: string;
  envelope: EventEnvelope;
}

/**
 * Records events to publish. Call it with the executor of the transaction that changes the state the
 * events describe: both commit together or neither does, so there is never a state change without its
 * event nor an event for a change that rolled back. The relay publishes the rows afterwards.
 */
export async function appendToOutbox(tx: SqlExecutor, topic: string, envelope: EventEnvelope): Promise<void> {
  await appendManyToOutbox(tx, [{ topic, envelope }]);
}

/** One INSERT for several events; they are relayed in the order given. */
export async function appendManyToOutbox(tx: SqlExecutor, entries: readonly OutboxEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const values: string[] = [];
  const params: unknown[] = [];
  for (const { topic, envelope } of entries) {
    if (!topic) throw new Error(`appendToOutbox: empty topic for event ${envelope.id}`);
    // Cheap, and the last point where a wrong envelope is still a clear bug in the caller rather than a
    // dead letter in every consumer.
    const checked = EventEnvelope.safeParse(envelope);
    if (!checked.success) throw new Error(`appendToOutbox: invalid envelope: ${describeIssues(checked.error)}`);
    const n = params.length;
    values.push(`($${n + 1}::uuid, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}::jsonb)`);
    // JSON text, not an object: pg and Prisma's raw queries serialise objects differently; text cast to
    // jsonb behaves the same through both.
    params.push(envelope.id, topic, envelope.subject, envelope.type, JSON.stringify(envelope));
  }
  await tx.execute(`INSERT INTO "outbox_events" ("id", "topic", "key", "type", "payload") VALUES ${values.join(', ')}`, params);
}
