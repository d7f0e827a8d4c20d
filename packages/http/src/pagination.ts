import { z } from './zod-openapi';

/**
 * Every Linli list endpoint pages with an opaque cursor: offsets skip or repeat rows when data changes
 * between pages, a cursor does not. Query strings arrive as text, hence the coercion of `limit`.
 */
export const paginationQuery = z.object({
  cursor: z.string().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type PaginationQuery = z.infer<typeof paginationQuery>;

/** `{ items: T[], nextCursor: string | null }`; `nextCursor` is null on the last page. */
export function Page<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable(),
  });
}
export type Page<T> = { items: T[]; nextCursor: string | null };
