import { ValidationError } from '@linli/http';

/** Opaque cursor: the (timestamp, id) of the last item of the previous page, base64url JSON. */
export interface Position {
  at: string;
  id: string;
}

export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify({ c: position.at, i: position.id })).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Position | undefined {
  if (cursor === undefined) return undefined;
  try {
    const { c, i } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { c: unknown; i: unknown };
    if (typeof c === 'string' && typeof i === 'string' && !Number.isNaN(Date.parse(c))) return { at: c, id: i };
  } catch {
    // fall through to the validation error below
  }
  throw new ValidationError('游标无效 (invalid cursor)', [{ path: 'query.cursor', message: 'not a cursor returned by this list' }]);
}

/**
 * Fetches limit + 1 rows to know whether a next page exists; `positionOf` names the keyset columns the
 * repository ordered by. `view` maps the page's records to their public views (lookups done once per page).
 */
export async function page<R, V>(
  { limit, cursor }: { limit: number; cursor?: string },
  fetch: (args: { limit: number; after?: Position }) => Promise<R[]>,
  positionOf: (record: R) => Position,
  view: (records: R[]) => Promise<V[]> | V[],
): Promise<{ items: V[]; nextCursor: string | null }> {
  const rows = await fetch({ limit: limit + 1, after: decodeCursor(cursor) });
  const records = rows.slice(0, limit);
  const last = records[records.length - 1];
  return { items: await view(records), nextCursor: rows.length > limit && last ? encodeCursor(positionOf(last)) : null };
}
