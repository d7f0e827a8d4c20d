import type { Client } from 'pg';

/** One object of a database's schema, keyed so that two databases can be compared entry by entry. */
export interface CatalogEntry {
  /** Human-readable identity, e.g. `column "users"."email"`. */
  key: string;
  /** The table it belongs to, so entries of a table missing altogether are not listed one by one. */
  table: string | null;
  /** Everything that must match, rendered the way Postgres prints it. */
  value: string;
}

export const MIGRATIONS_TABLE = '_prisma_migrations';

/**
 * What the schema of a Postgres schema (namespace) looks like, from the catalogs: tables, columns,
 * constraints, indexes, enums and extensions. Sequences are left out: Postgres derives them from
 * serial/identity columns, whose defaults already show here.
 */
export async function readCatalog(client: Client, schema = 'public'): Promise<CatalogEntry[]> {
  const entries: CatalogEntry[] = [];
  const tables = await client.query<{ table: string; columns: string[] }>(
    `SELECT c.relname::text AS table,
            coalesce(array_agg(a.attname::text ORDER BY a.attnum) FILTER (WHERE a.attnum > 0 AND NOT a.attisdropped), '{}') AS columns
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attribute a ON a.attrelid = c.oid
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND c.relname <> $2
      GROUP BY c.relname`,
    [schema, MIGRATIONS_TABLE],
  );
  for (const t of tables.rows) entries.push({ key: `table "${t.table}"`, table: null, value: `columns ${t.columns.join(', ')}` });

  const columns = await client.query<{ table: string; column: string; type: string; not_null: boolean; default: string | null; identity: string; generated: string }>(
    `SELECT c.relname::text AS table, a.attname::text AS column, format_type(a.atttypid, a.atttypmod) AS type,
            a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default,
            a.attidentity::text AS identity, a.attgenerated::text AS generated
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND c.relname <> $2 AND a.attnum > 0 AND NOT a.attisdropped`,
    [schema, MIGRATIONS_TABLE],
  );
  for (const c of columns.rows) {
    let value = `${c.type}${c.not_null ? ' NOT NULL' : ' NULL'}`;
    if (c.default !== null) value += ` ${c.generated === 's' ? 'GENERATED ALWAYS AS' : 'DEFAULT'} ${c.default}`;
    if (c.identity) value += ` GENERATED ${c.identity === 'a' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`;
    entries.push({ key: `column "${c.table}"."${c.column}"`, table: c.table, value });
  }

  const constraints = await client.query<{ table: string; name: string; definition: string }>(
    `SELECT c.relname::text AS table, con.conname::text AS name, pg_get_constraintdef(con.oid) AS definition
       FROM pg_constraint con
       JOIN pg_class c ON c.oid = con.conrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname <> $2`,
    [schema, MIGRATIONS_TABLE],
  );
  for (const c of constraints.rows) entries.push({ key: `constraint "${c.name}" on "${c.table}"`, table: c.table, value: c.definition });

  const indexes = await client.query<{ table: string; name: string; definition: string }>(
    `SELECT tablename::text AS table, indexname::text AS name, indexdef AS definition
       FROM pg_indexes WHERE schemaname = $1 AND tablename <> $2`,
    [schema, MIGRATIONS_TABLE],
  );
  for (const i of indexes.rows) entries.push({ key: `index "${i.name}" on "${i.table}"`, table: i.table, value: i.definition });

  const enums = await client.query<{ name: string; labels: string[] }>(
    `SELECT t.typname::text AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
       FROM pg_type t
       JOIN pg_namespace n ON n.oid = t.typnamespace
       JOIN pg_enum e ON e.enumtypid = t.oid
      WHERE n.nspname = $1
      GROUP BY t.typname`,
    [schema],
  );
  for (const e of enums.rows) entries.push({ key: `enum "${e.name}"`, table: null, value: `(${e.labels.map((l) => `'${l}'`).join(', ')})` });

  const extensions = await client.query<{ name: string; schema: string }>(
    `SELECT x.extname::text AS name, n.nspname::text AS schema FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace`,
  );
  for (const x of extensions.rows) entries.push({ key: `extension "${x.name}"`, table: null, value: `in schema ${x.schema}` });

  return entries;
}

/**
 * Readable differences between what the migrations built (`actual`) and what schema.prisma implies
 * (`expected`). Objects of a table that exists on one side only are summed up by the table's own line.
 */
export function compareCatalogs(actual: CatalogEntry[], expected: CatalogEntry[]): string[] {
  const a = new Map(actual.map((e) => [e.key, e]));
  const b = new Map(expected.map((e) => [e.key, e]));
  const tablesA = new Set(actual.filter((e) => e.key.startsWith('table ')).map((e) => e.key.slice('table "'.length, -1)));
  const tablesB = new Set(expected.filter((e) => e.key.startsWith('table ')).map((e) => e.key.slice('table "'.length, -1)));
  const differences: string[] = [];
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const inA = a.get(key);
    const inB = b.get(key);
    const table = (inA ?? inB)!.table;
    if (table !== null && (!tablesA.has(table) || !tablesB.has(table))) continue;
    // A table on both sides is compared through its columns (whose order does not matter: ADD COLUMN appends).
    if (inA && inB && key.startsWith('table ')) continue;
    if (inA && !inB) differences.push(`${key} is created by the migrations but not in schema.prisma (${inA.value})`);
    else if (!inA && inB) differences.push(`${key} is in schema.prisma but no migration creates it (${inB.value})`);
    else if (inA && inB && inA.value !== inB.value) differences.push(`${key} differs: the migrations give ${inA.value}; schema.prisma gives ${inB.value}`);
  }
  return differences;
}
