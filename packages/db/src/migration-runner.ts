import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { redactUrl, withPgClient } from './database-admin';
import { readMigrations, scriptMatchesChecksum, type MigrationFile } from './migration-files';

/** The key `prisma migrate deploy` locks, so this runner and Prisma's never migrate one database at once. */
export const PRISMA_MIGRATE_ADVISORY_LOCK_KEY = 72707369;

/** Prisma's DDL for its history table, column for column, so Prisma can take over the same table. */
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrateOptions {
  databaseUrl: string;
  migrationsDir: string;
  log?: (message: string) => void;
  /** How long to wait for another process that is migrating the same database. Default 60 s. */
  lockTimeoutMs?: number;
}

export interface MigrateResult {
  /** Folder names applied by this call, in order. */
  applied: string[];
}

/** Anything that stops a migration run; `migration` names the folder at fault when there is one. */
export class MigrationError extends Error {
  constructor(
    message: string,
    readonly migration?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

interface HistoryRow {
  migration_name: string;
  checksum: string;
  started_at: Date;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies the pending migrations of a Prisma migrations folder, the way `prisma migrate deploy` would
 * (same history table, same lock), because Prisma's own migrate commands need a native engine that
 * cannot be downloaded here. Unlike Prisma, each migration runs in one transaction with its history row:
 * it is either fully applied and recorded, or not at all.
 */
export async function migrate({ databaseUrl, migrationsDir, log = () => undefined, lockTimeoutMs = 60_000 }: MigrateOptions): Promise<MigrateResult> {
  // Read the files first: a broken folder should fail before we touch the database.
  const migrations = readMigrations(migrationsDir);
  return withPgClient(databaseUrl, async (client) => {
    await acquireLock(client, lockTimeoutMs, log);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const history = (
        await client.query<HistoryRow>(
          'SELECT migration_name, checksum, started_at, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at, migration_name',
        )
      ).rows;
      const pending = pendingMigrations(migrations, history, migrationsDir);
      const applied: string[] = [];
      for (const migration of pending) {
        await applyOne(client, migration);
        applied.push(migration.name);
        log(`applied migration ${migration.name}`);
      }
      if (applied.length === 0) log(`database ${redactUrl(databaseUrl)} is up to date (${migrations.length} migrations)`);
      return { applied };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_ADVISORY_LOCK_KEY]).catch(() => undefined);
    }
  });
}

async function acquireLock(client: Client, lockTimeoutMs: number, log: (message: string) => void): Promise<void> {
  const tried = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [PRISMA_MIGRATE_ADVISORY_LOCK_KEY]);
  if (tried.rows[0]?.locked) return;
  log('another process is migrating this database; waiting for it to finish');
  // lock_timeout bounds the wait so a stuck migrator fails our start-up loudly instead of hanging it.
  await client.query(`SET lock_timeout = ${Math.max(1, Math.floor(lockTimeoutMs))}`);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_ADVISORY_LOCK_KEY]);
  } catch (err) {
    throw new MigrationError(
      `timed out after ${lockTimeoutMs} ms waiting for the migration lock (pg_advisory_lock(${PRISMA_MIGRATE_ADVISORY_LOCK_KEY})) held by another process`,
      undefined,
      { cause: err },
    );
  } finally {
    await client.query('RESET lock_timeout');
  }
}

/** Checks the recorded history against the folder, then returns what is left to apply. */
function pendingMigrations(migrations: MigrationFile[], history: HistoryRow[], migrationsDir: string): MigrationFile[] {
  const unfinished = history.filter((row) => row.finished_at === null && row.rolled_back_at === null);
  if (unfinished.length > 0) {
    const names = unfinished.map((row) => row.migration_name).join(', ');
    throw new MigrationError(
      `migration ${names} was started but never finished (a run of \`prisma migrate deploy\` failed or crashed part-way; ` +
        'this runner never leaves such rows). Check what it changed in the database, then either complete or undo it by hand and ' +
        `mark it with \`prisma migrate resolve --applied ${unfinished[0]!.migration_name}\` or \`--rolled-back\` ` +
        '(or set finished_at / rolled_back_at on its _prisma_migrations row)',
      unfinished[0]!.migration_name,
    );
  }
  // Rows marked rolled back do not count as applied: Prisma applies such a migration again, and so do we.
  const appliedRows = history.filter((row) => row.finished_at !== null && row.rolled_back_at === null);
  const byName = new Map(migrations.map((m) => [m.name, m]));
  for (const row of appliedRows) {
    const file = byName.get(row.migration_name);
    if (!file) {
      throw new MigrationError(
        `migration ${row.migration_name} is recorded as applied in _prisma_migrations but its folder is missing from ${migrationsDir}; ` +
          'restore it (migrations are never deleted once applied)',
        row.migration_name,
      );
    }
    if (!scriptMatchesChecksum(file.sql, row.checksum)) {
      throw new MigrationError(
        `migration ${row.migration_name} was changed after it was applied; add a new migration instead (${file.path})`,
        row.migration_name,
      );
    }
  }
  const appliedNames = new Set(appliedRows.map((row) => row.migration_name));
  return migrations.filter((m) => !appliedNames.has(m.name));
}

/**
 * Prisma wraps some generated steps (recreating an enum) in their own BEGIN;/COMMIT;. Inside our
 * transaction those would commit half a migration early, so such whole lines are commented out; the
 * line count stays the same so error line numbers still point into the file.
 */
function withoutOwnTransaction(sql: string): string {
  return sql.replace(/^[ \t]*(BEGIN|COMMIT)[ \t]*;[ \t\r]*$/gim, (line) => `-- ${line.trim()} (the runner wraps each migration in one transaction)`);
}

async function applyOne(client: Client, migration: MigrationFile): Promise<void> {
  const script = withoutOwnTransaction(migration.sql);
  const startedAt = new Date();
  await client.query('BEGIN');
  try {
    await client.query(script);
    await client.query(
      `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
       VALUES ($1, $2, now(), $3, NULL, NULL, $4, 1)`,
      [randomUUID(), migration.checksum, migration.name, startedAt],
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new MigrationError(
      `migration ${migration.name} failed at ${migration.path}${lineSuffix(script, err)}: ${describePgError(err)}. ` +
        'It was rolled back and not recorded; fix the file (it was never applied) and start again',
      migration.name,
      { cause: err },
    );
  }
}

function lineSuffix(script: string, err: unknown): string {
  const position = Number((err as { position?: string }).position);
  if (!Number.isInteger(position) || position < 1) return '';
  return `:${script.slice(0, position - 1).split('\n').length}`;
}

function describePgError(err: unknown): string {
  const e = err as { message?: string; code?: string; detail?: string; hint?: string };
  const parts = [e.message ?? String(err)];
  if (e.code) parts[0] = `${parts[0]} (SQLSTATE ${e.code})`;
  if (e.detail) parts.push(`detail: ${e.detail}`);
  if (e.hint) parts.push(`hint: ${e.hint}`);
  return parts.join('; ');
}
