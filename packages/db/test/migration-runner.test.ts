import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { migrate, MigrationError, PRISMA_MIGRATE_ADVISORY_LOCK_KEY } from '../src';
import { scratchDatabase, tempDir, writeMigrations, type ScratchDatabase } from './helpers/scratch';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

async function query<R extends Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<R>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

const history = (url: string) =>
  query<{ id: string; migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null; applied_steps_count: number; logs: string | null }>(
    url,
    'SELECT * FROM _prisma_migrations ORDER BY migration_name',
  );

const tableExists = async (url: string, table: string) =>
  (await query<{ t: string | null }>(url, 'SELECT to_regclass($1)::text AS t', [table]))[0]!.t !== null;

describe('migrate', () => {
  let db: ScratchDatabase;
  let dir: string;

  beforeEach(async () => {
    db = await scratchDatabase('runner');
    dir = tempDir('runner');
  });
  afterEach(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when migrations are pending, then it applies them in name order and records them as Prisma does', async () => {
    // Written out of order on purpose: the second depends on the first, so only name order works.
    writeMigrations(dir, {
      '20240102000000_add_email': 'ALTER TABLE "people" ADD COLUMN "email" TEXT;\n',
      '20240101000000_init': '-- CreateTable\nCREATE TABLE "people" ("id" SERIAL PRIMARY KEY, "name" TEXT NOT NULL);\n',
    });
    writeFileSync(join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');

    const result = await migrate({ databaseUrl: db.url, migrationsDir: dir });

    expect(result.applied).toEqual(['20240101000000_init', '20240102000000_add_email']);
    const rows = await history(db.url);
    expect(rows.map((r) => r.migration_name)).toEqual(result.applied);
    for (const row of rows) {
      expect(row.checksum).toBe(sha256(join(dir, row.migration_name, 'migration.sql')));
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    const columns = await query<{ column_name: string }>(db.url, "SELECT column_name FROM information_schema.columns WHERE table_name = 'people' ORDER BY ordinal_position");
    expect(columns.map((c) => c.column_name)).toEqual(['id', 'name', 'email']);
  });

  it("when the history table is created, then it has Prisma's exact columns", async () => {
    writeMigrations(dir, { '20240101000000_init': 'SELECT 1;\n' });
    await migrate({ databaseUrl: db.url, migrationsDir: dir });
    const columns = await query<{ column_name: string; data_type: string; character_maximum_length: number | null; is_nullable: string; column_default: string | null }>(
      db.url,
      "SELECT column_name, data_type, character_maximum_length, is_nullable, column_default FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position",
    );
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'character varying', character_maximum_length: 36, is_nullable: 'NO', column_default: null },
      { column_name: 'checksum', data_type: 'character varying', character_maximum_length: 64, is_nullable: 'NO', column_default: null },
      { column_name: 'finished_at', data_type: 'timestamp with time zone', character_maximum_length: null, is_nullable: 'YES', column_default: null },
      { column_name: 'migration_name', data_type: 'character varying', character_maximum_length: 255, is_nullable: 'NO', column_default: null },
      { column_name: 'logs', data_type: 'text', character_maximum_length: null, is_nullable: 'YES', column_default: null },
      { column_name: 'rolled_back_at', data_type: 'timestamp with time zone', character_maximum_length: null, is_nullable: 'YES', column_default: null },
      { column_name: 'started_at', data_type: 'timestamp with time zone', character_maximum_length: null, is_nullable: 'NO', column_default: 'now()' },
      { column_name: 'applied_steps_count', data_type: 'integer', character_maximum_length: null, is_nullable: 'NO', column_default: '0' },
    ]);
    const pk = await query<{ def: string }>(db.url, "SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = '_prisma_migrations'::regclass AND contype = 'p'");
    expect(pk.map((r) => r.def)).toEqual(['PRIMARY KEY (id)']);
  });

  it('when run a second time, then it applies nothing and records nothing more', async () => {
    writeMigrations(dir, { '20240101000000_init': 'CREATE TABLE "a" ("id" INT PRIMARY KEY);\n' });
    await migrate({ databaseUrl: db.url, migrationsDir: dir });

    const second = await migrate({ databaseUrl: db.url, migrationsDir: dir });

    expect(second.applied).toEqual([]);
    expect(await history(db.url)).toHaveLength(1);
  });

  it('when an applied migration file was changed, then it fails naming that migration', async () => {
    writeMigrations(dir, { '20240101000000_init': 'CREATE TABLE "a" ("id" INT PRIMARY KEY);\n' });
    await migrate({ databaseUrl: db.url, migrationsDir: dir });
    writeMigrations(dir, {
      '20240101000000_init': 'CREATE TABLE "a" ("id" BIGINT PRIMARY KEY);\n',
      '20240102000000_next': 'CREATE TABLE "b" ("id" INT PRIMARY KEY);\n',
    });

    const run = migrate({ databaseUrl: db.url, migrationsDir: dir });

    await expect(run).rejects.toThrow('migration 20240101000000_init was changed after it was applied; add a new migration instead');
    await expect(run).rejects.toBeInstanceOf(MigrationError);
    expect(await tableExists(db.url, 'b')).toBe(false);
  });

  it('when git only turned the line endings of an applied file into CRLF, then it still counts as unchanged (as in Prisma)', async () => {
    writeMigrations(dir, { '20240101000000_init': 'CREATE TABLE "a" (\n  "id" INT PRIMARY KEY\n);\n' });
    await migrate({ databaseUrl: db.url, migrationsDir: dir });
    writeMigrations(dir, { '20240101000000_init': 'CREATE TABLE "a" (\r\n  "id" INT PRIMARY KEY\r\n);\r\n' });

    await expect(migrate({ databaseUrl: db.url, migrationsDir: dir })).resolves.toEqual({ applied: [] });
  });

  it('when a migration fails, then it is rolled back, not recorded, and the error names the file, line and Postgres error', async () => {
    writeMigrations(dir, {
      '20240101000000_init': 'CREATE TABLE "a" ("id" INT PRIMARY KEY);\n',
      '20240102000000_broken': 'CREATE TABLE "b" ("id" INT PRIMARY KEY);\n\nINSERT INTO "missing" VALUES (1);\n',
      '20240103000000_after': 'CREATE TABLE "c" ("id" INT PRIMARY KEY);\n',
    });

    const error: unknown = await migrate({ databaseUrl: db.url, migrationsDir: dir }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MigrationError);
    const message = (error as Error).message;
    expect(message).toContain(`migration 20240102000000_broken failed at ${join(dir, '20240102000000_broken', 'migration.sql')}:3`);
    expect(message).toContain('relation "missing" does not exist');
    expect((error as MigrationError).migration).toBe('20240102000000_broken');
    expect(await tableExists(db.url, 'a')).toBe(true);
    expect(await tableExists(db.url, 'b')).toBe(false);
    expect(await tableExists(db.url, 'c')).toBe(false);
    expect((await history(db.url)).map((r) => r.migration_name)).toEqual(['20240101000000_init']);
  });

  it("when a migration carries Prisma's own BEGIN;/COMMIT; and fails after it, then none of it stays", async () => {
    writeMigrations(dir, {
      '20240101000000_init': `CREATE TYPE "Role" AS ENUM ('A', 'B');\nCREATE TABLE "u" ("id" INT PRIMARY KEY, "role" "Role" NOT NULL DEFAULT 'A');\n`,
      // Prisma's generated SQL for removing an enum value, followed by a failing statement.
      '20240102000000_shrink_role': [
        '-- AlterEnum',
        'BEGIN;',
        `CREATE TYPE "Role_new" AS ENUM ('A');`,
        'ALTER TABLE "u" ALTER COLUMN "role" DROP DEFAULT;',
        'ALTER TABLE "u" ALTER COLUMN "role" TYPE "Role_new" USING ("role"::text::"Role_new");',
        'ALTER TYPE "Role" RENAME TO "Role_old";',
        'ALTER TYPE "Role_new" RENAME TO "Role";',
        'DROP TYPE "Role_old";',
        `ALTER TABLE "u" ALTER COLUMN "role" SET DEFAULT 'A';`,
        'COMMIT;',
        '',
        'INSERT INTO "nope" VALUES (1);',
        '',
      ].join('\n'),
    });

    await expect(migrate({ databaseUrl: db.url, migrationsDir: dir })).rejects.toThrow(/20240102000000_shrink_role.*:12: relation "nope" does not exist/);

    const labels = await query<{ label: string }>(db.url, `SELECT enumlabel::text AS label FROM pg_enum WHERE enumtypid = '"Role"'::regtype ORDER BY enumsortorder`);
    expect(labels.map((l) => l.label)).toEqual(['A', 'B']);
    expect(await tableExists(db.url, 'Role_new')).toBe(false);
    expect((await history(db.url)).map((r) => r.migration_name)).toEqual(['20240101000000_init']);

    // Fixed, the same Prisma-style migration applies and is recorded.
    const fixed = readFileSync(join(dir, '20240102000000_shrink_role', 'migration.sql'), 'utf8').replace('INSERT INTO "nope" VALUES (1);', '');
    writeFileSync(join(dir, '20240102000000_shrink_role', 'migration.sql'), fixed);
    await expect(migrate({ databaseUrl: db.url, migrationsDir: dir })).resolves.toEqual({ applied: ['20240102000000_shrink_role'] });
    const after = await query<{ label: string }>(db.url, `SELECT enumlabel::text AS label FROM pg_enum WHERE enumtypid = '"Role"'::regtype ORDER BY enumsortorder`);
    expect(after.map((l) => l.label)).toEqual(['A']);
  });

  it('when two processes migrate the same fresh database at once, then each migration is applied exactly once', async () => {
    writeMigrations(dir, {
      // The sleep keeps the first runner inside its work long enough for the second to collide with it.
      '20240101000000_init': 'SELECT pg_sleep(0.3);\nCREATE TABLE "a" ("id" INT PRIMARY KEY);\n',
      '20240102000000_b': 'CREATE TABLE "b" ("id" INT PRIMARY KEY);\n',
      '20240103000000_c': 'CREATE TABLE "c" ("id" INT PRIMARY KEY);\n',
    });

    const results = await Promise.all([migrate({ databaseUrl: db.url, migrationsDir: dir }), migrate({ databaseUrl: db.url, migrationsDir: dir })]);

    const appliedByBoth = results.flatMap((r) => r.applied).sort();
    expect(appliedByBoth).toEqual(['20240101000000_init', '20240102000000_b', '20240103000000_c']);
    expect((await history(db.url)).map((r) => r.migration_name)).toEqual(appliedByBoth);
  });

  it("when another session holds Prisma's migrate lock past the timeout, then it gives up with a clear error", async () => {
    writeMigrations(dir, { '20240101000000_init': 'CREATE TABLE "a" ("id" INT PRIMARY KEY);\n' });
    const holder = new Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_ADVISORY_LOCK_KEY]);
      await expect(migrate({ databaseUrl: db.url, migrationsDir: dir, lockTimeoutMs: 300 })).rejects.toThrow(/timed out after 300 ms waiting for the migration lock/);
      expect(await tableExists(db.url, 'a')).toBe(false);
    } finally {
      await holder.end();
    }
  });

  it('when an applied migration is missing on disk, then it fails naming it', async () => {
    writeMigrations(dir, {
      '20240101000000_init': 'CREATE TABLE "a" ("id" INT PRIMARY KEY);\n',
      '20240102000000_gone': 'CREATE TABLE "b" ("id" INT PRIMARY KEY);\n',
    });
    await migrate({ databaseUrl: db.url, migrationsDir: dir });
    rmSync(join(dir, '20240102000000_gone'), { recursive: true });

    await expect(migrate({ databaseUrl: db.url, migrationsDir: dir })).rejects.toThrow(
      /migration 20240102000000_gone is recorded as applied in _prisma_migrations but its folder is missing/,
    );
  });

  it('when Prisma left a started but unfinished migration, then it refuses to go on and explains', async () => {
    writeMigrations(dir, { '20240101000000_init': 'CREATE TABLE "a" ("id" INT PRIMARY KEY);\n' });
    await migrate({ databaseUrl: db.url, migrationsDir: dir });
    writeMigrations(dir, { '20240102000000_half': 'CREATE TABLE "b" ("id" INT PRIMARY KEY);\n' });
    await query(db.url, "INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at) VALUES ('00000000-0000-0000-0000-000000000001', $1, '20240102000000_half', now())", [
      sha256(join(dir, '20240102000000_half', 'migration.sql')),
    ]);

    await expect(migrate({ databaseUrl: db.url, migrationsDir: dir })).rejects.toThrow(/migration 20240102000000_half was started but never finished.*prisma migrate resolve/);
    expect(await tableExists(db.url, 'b')).toBe(false);
  });

  it('when a migration was marked rolled back, then it is applied again (as Prisma does)', async () => {
    writeMigrations(dir, { '20240101000000_init': 'CREATE TABLE "a" ("id" INT PRIMARY KEY);\n' });
    await query(db.url, `CREATE TABLE _prisma_migrations (id VARCHAR(36) PRIMARY KEY NOT NULL, checksum VARCHAR(64) NOT NULL, finished_at TIMESTAMPTZ,
      migration_name VARCHAR(255) NOT NULL, logs TEXT, rolled_back_at TIMESTAMPTZ, started_at TIMESTAMPTZ NOT NULL DEFAULT now(), applied_steps_count INTEGER NOT NULL DEFAULT 0)`);
    await query(db.url, "INSERT INTO _prisma_migrations (id, checksum, migration_name, rolled_back_at, logs) VALUES ('00000000-0000-0000-0000-000000000002', 'x', '20240101000000_init', now(), 'failed')");

    await expect(migrate({ databaseUrl: db.url, migrationsDir: dir })).resolves.toEqual({ applied: ['20240101000000_init'] });
    expect(await tableExists(db.url, 'a')).toBe(true);
  });

  it('when the migrations folder does not exist, then it fails instead of silently applying nothing', async () => {
    await expect(migrate({ databaseUrl: db.url, migrationsDir: join(dir, 'nope') })).rejects.toThrow(/migrations folder not found/);
  });
});
