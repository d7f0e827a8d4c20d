import { Client } from 'pg';

const DATABASE_NAME = /^[a-z_][a-z0-9_]*$/;
/** Postgres truncates identifiers beyond 63 bytes; refusing is safer than silently using another name. */
const MAX_IDENTIFIER_LENGTH = 63;
// SQLSTATEs a concurrent CREATE DATABASE of the same name can raise: duplicate_database, unique_violation.
const ALREADY_EXISTS_CODES = new Set(['42P04', '23505']);

/** Only plain lower-case names: they are interpolated into DDL, which cannot take bind parameters. */
export function assertDatabaseName(name: string): void {
  if (!DATABASE_NAME.test(name) || name.length > MAX_IDENTIFIER_LENGTH) {
    throw new Error(`invalid database name '${name}': use lower-case letters, digits and _ (at most ${MAX_IDENTIFIER_LENGTH}), not starting with a digit`);
  }
}

/** The same server and credentials as `url`, pointed at database `name`. */
export function databaseUrlFor(url: string, name: string): string {
  assertDatabaseName(name);
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** The URL with its password masked, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable database url>';
  }
}

export async function withPgClient<R>(url: string, fn: (client: Client) => Promise<R>): Promise<R> {
  const client = new Client({ connectionString: url });
  // An idle connection dropped by the server emits 'error'; without a listener that would crash the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates the database if it does not exist yet. Safe to call from several processes at once. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<{ created: boolean; url: string }> {
  assertDatabaseName(name);
  const url = databaseUrlFor(adminUrl, name);
  return withPgClient(adminUrl, async (admin) => {
    const existing = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (existing.rowCount) return { created: false, url };
    try {
      await admin.query(`create database "${name}"`);
      return { created: true, url };
    } catch (err) {
      if (ALREADY_EXISTS_CODES.has((err as { code?: string }).code ?? '')) return { created: false, url };
      throw err;
    }
  });
}

/** Drops the database if it exists, disconnecting whoever is still on it (WITH (FORCE), Postgres 13+). */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  assertDatabaseName(name);
  await withPgClient(adminUrl, async (admin) => {
    await admin.query(`drop database if exists "${name}" with (force)`);
  });
}
