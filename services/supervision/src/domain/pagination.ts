import type { Page } from '@linli/http';
import { ValidationError } from '@linli/http';

/** Opaque cursor: the (created_at, id) of the last item of the previous page. */
export function encodeCursor(item: { createdAt: string; id: string }): string {
  return Buffer.from(JSON.stringify({ c: item.createdAt, i: item.id })).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): { createdAt: string; id: string } | undefined {
  if (cursor === undefined) return undefined;
  try {
    const { c, i } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { c: unknown; i: unknown };
    if (typeof c === 'string' && typeof i === 'string' && !Number.isNaN(Date.parse(c))) return { createdAt: c, id: i };
  } catch {
    // fall through to the validation error below
  }
  throw new ValidationError('游标无效 (invalid cursor)', [{ path: 'query.cursor', message: 'not a cursor returned by this list' }]);
}

/**
 * One page from `limit + 1` rows (the extra row only tells whether there is a next page), each mapped to
 * its view.
 */
export async function pageOf<R extends { createdAt: string; id: string }, V>(
  rows: R[],
  limit: number,
  toView: (rows: R[]) => Promise<V[]> | V[],
): Promise<Page<V>> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: await toView(items), nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

export const EMPTY_PAGE = { items: [], nextCursor: null };
