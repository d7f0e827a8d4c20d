import type { Actor } from '@linli/contracts';
import type { Prisma } from './generated/prisma/client';

/** Conversions between database rows and the plain records the domain works with. */

/** `@db.Date` columns come back as UTC midnight. */
export const isoDate = (value: Date): string => value.toISOString().slice(0, 10);
export const dateColumn = (value: string): Date => new Date(`${value}T00:00:00.000Z`);
export const isoDateTime = (value: Date): string => value.toISOString();
export const optionalDateTime = (value: Date | null): string | null => (value ? value.toISOString() : null);

/** Who-columns are `{ userId, role, scope }` JSON. */
export const actorColumn = (actor: Actor): Prisma.InputJsonObject => ({ userId: actor.userId, role: actor.role, ...(actor.scope ? { scope: actor.scope } : {}) });
export function actorOf(value: Prisma.JsonValue): Actor {
  const v = value as { userId: string; role: string; scope?: string };
  return { userId: v.userId, role: v.role, ...(v.scope ? { scope: v.scope } : {}) };
}
export const optionalActor = (value: Prisma.JsonValue | null): Actor | null => (value === null ? null : actorOf(value));

/** Money is bigint in the database (totals can pass 2^31 fen) and a safe integer in the domain. */
export const fen = (value: bigint): number => Number(value);

/** Keyset position: the last (created_at, id) of the previous page. */
export interface After {
  createdAt: string;
  id: string;
}
export function afterWhere(after: After | undefined) {
  if (!after) return {};
  const at = new Date(after.createdAt);
  return { OR: [{ createdAt: { gt: at } }, { createdAt: at, id: { gt: after.id } }] };
}
export const keysetOrder = [{ createdAt: 'asc' as const }, { id: 'asc' as const }];
