import { ValidationError } from '@linli/http';

/** Opaque cursors: the position after the last item of the previous page, base64url JSON. */
export function encodeCursor(position: object): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor<T>(cursor: string, check: (value: unknown) => value is T): T {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (check(value)) return value;
  } catch {
    // fall through to the validation error below
  }
  throw new ValidationError('游标无效 (invalid cursor)', [{ path: 'query.cursor', message: 'not a cursor returned by this list' }]);
}

export const isIsoOrNull = (v: unknown): v is string | null => v === null || (typeof v === 'string' && !Number.isNaN(Date.parse(v)));
export const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
