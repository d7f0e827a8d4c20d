import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseUrlFor, dropDatabase, ensureDatabase } from '../../src';

/** Set by the workspace's Jest global setup; the default is the dev Postgres. */
export const adminUrl = process.env.PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:55432/postgres';

export interface ScratchDatabase {
  name: string;
  url: string;
  drop: () => Promise<void>;
}

/** A new empty database; named t_<run>_… so the global teardown also removes it if a test dies. */
export async function scratchDatabase(label: string): Promise<ScratchDatabase> {
  const run = (process.env.LINLI_TEST_RUN_ID ?? 'adhoc').toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const name = `t_${run}_db_${label}_${randomBytes(3).toString('hex')}`.slice(0, 63);
  await ensureDatabase(adminUrl, name);
  return { name, url: databaseUrlFor(adminUrl, name), drop: () => dropDatabase(adminUrl, name) };
}

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `linli-db-${label}-`));
}

/** Writes `<dir>/<name>/migration.sql` for each entry, in the order given. */
export function writeMigrations(dir: string, migrations: Record<string, string>): void {
  for (const [name, sql] of Object.entries(migrations)) {
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, 'migration.sql'), sql);
  }
}

export const fixture = (file: string): string => join(__dirname, '..', 'fixtures', 'shop', file);
