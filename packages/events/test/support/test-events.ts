import { defineEvent } from '@linli/contracts';
import { z } from 'zod';

/** Events used only by this package's tests (the real ones live in @linli/contracts). */
export const ThingRegistered = defineEvent({
  type: 'test.thing.registered',
  version: 1,
  description: 'a test aggregate was created',
  data: z.object({ thingId: z.string().min(1), amountFen: z.number().int().nonnegative() }),
});

/** A type the test consumers do not know: it must be ignored, not dead-lettered. */
export const SomethingElse = defineEvent({
  type: 'test.other.happened',
  version: 1,
  description: 'a type outside the consumer registry',
  data: z.object({}),
});

/** The consumer's effect table: one row per applied event, so double application shows up. */
export const APPLIED_TABLE_SQL = `
CREATE TABLE "things" ("id" TEXT PRIMARY KEY, "amount_fen" INTEGER NOT NULL);
CREATE TABLE "applied" ("seq" SERIAL PRIMARY KEY, "event_id" UUID NOT NULL, "thing_id" TEXT NOT NULL);
`;
