import type { Actor } from '@linli/contracts';

/** Who-did-it columns hold the actor as JSON; views expose it as { userId, role, scope }. */
export function actorFrom(json: unknown): Actor {
  const value = (json ?? {}) as { userId?: unknown; role?: unknown; scope?: unknown };
  return {
    userId: String(value.userId),
    role: String(value.role),
    ...(typeof value.scope === 'string' ? { scope: value.scope } : {}),
  };
}
export const actorOrNull = (json: unknown): Actor | null => (json === null || json === undefined ? null : actorFrom(json));

export const iso = (d: Date): string => d.toISOString();
export const isoOrNull = (d: Date | null): string | null => (d ? d.toISOString() : null);
/** DATE columns come back as midnight UTC. */
export const isoDate = (d: Date): string => d.toISOString().slice(0, 10);
export const dateOf = (isoDay: string): Date => new Date(`${isoDay}T00:00:00.000Z`);
/** Fen travels as a JS number (≤ 10^10, far below 2^53) and is stored as BIGINT. */
export const fen = (v: bigint): number => Number(v);

/** Keyset position after the last item of the previous page, on (createdAt-like column, id). */
export interface After {
  at: string;
  id: string;
}

export function afterWhere(column: string, after?: After): Record<string, unknown> {
  if (!after) return {};
  const at = new Date(after.at);
  return { OR: [{ [column]: { gt: at } }, { [column]: at, id: { gt: after.id } }] };
}

/** Visibility as a where-fragment: the caller's scope narrows every list. */
export interface Visibility {
  subDistrictId?: string;
  communityId?: string;
  organizationId?: string;
  /** A caller whose scope can see nothing of this kind (e.g. an agency). */
  nothing?: boolean;
}
