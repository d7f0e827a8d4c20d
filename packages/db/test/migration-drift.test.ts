import { cpSync, copyFileSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { checkMigrationDrift, createMigration } from '../src';
import { adminUrl, fixture, tempDir } from './helpers/scratch';

async function leftoverScratchDatabases(): Promise<string[]> {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const rows = await c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`drift\\_${process.pid}\\_%`]);
    return rows.rows.map((r) => r.datname);
  } finally {
    await c.end();
  }
}

describe('checkMigrationDrift', () => {
  let dir: string;
  let migrationsDir: string;

  // Migrations made the supported way: v1 then v2 through the generator, as `pnpm db:migration` would.
  beforeAll(async () => {
    dir = tempDir('drift');
    migrationsDir = join(dir, 'migrations');
    const schemaPath = join(dir, 'schema.prisma');
    copyFileSync(fixture('schema.v1.prisma'), schemaPath);
    await createMigration({ schemaPath, migrationsDir, name: 'init', adminUrl, now: new Date('2024-01-01T00:00:00Z') });
    copyFileSync(fixture('schema.v2.prisma'), schemaPath);
    await createMigration({ schemaPath, migrationsDir, name: 'add posts', adminUrl, now: new Date('2024-01-02T00:00:00Z') });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when the migrations were generated from the schema, then there is no drift and no scratch database is left', async () => {
    const started = Date.now();
    const result = await checkMigrationDrift({ adminUrl, schemaPath: fixture('schema.v2.prisma'), migrationsDir });

    expect(result).toEqual({ drift: false, differences: [] });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await leftoverScratchDatabases()).toEqual([]);
  });

  it('when the schema gained a column without a migration, then the drift names the table and column', async () => {
    const result = await checkMigrationDrift({ adminUrl, schemaPath: fixture('schema.v3.prisma'), migrationsDir });

    expect(result.drift).toBe(true);
    expect(result.differences).toEqual(['column "users"."phone" is in schema.prisma but no migration creates it (text NULL)']);
  });

  it('when a migration was hand-edited to another column type, then the drift shows both types', async () => {
    const edited = join(dir, 'edited');
    cpSync(migrationsDir, edited, { recursive: true });
    const addPosts = readdirSync(edited).find((f) => f.endsWith('_add_posts'))!;
    const file = join(edited, addPosts, 'migration.sql');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"title" VARCHAR(200) NOT NULL', '"title" TEXT NOT NULL'));

    const result = await checkMigrationDrift({ adminUrl, schemaPath: fixture('schema.v2.prisma'), migrationsDir: edited });

    expect(result.drift).toBe(true);
    expect(result.differences).toEqual([
      'column "posts"."title" differs: the migrations give text NOT NULL; schema.prisma gives character varying(200) NOT NULL',
    ]);
  });

  it('when a migration is missing altogether, then the missing table is reported once, not column by column', async () => {
    const partial = join(dir, 'partial');
    cpSync(migrationsDir, partial, { recursive: true });
    rmSync(join(partial, readdirSync(partial).find((f) => f.endsWith('_add_posts'))!), { recursive: true });

    const result = await checkMigrationDrift({ adminUrl, schemaPath: fixture('schema.v2.prisma'), migrationsDir: partial });

    expect(result.differences).toEqual([
      `column "users"."nickname" is in schema.prisma but no migration creates it (text NULL)`,
      `enum "Role" differs: the migrations give ('RESIDENT', 'STAFF'); schema.prisma gives ('RESIDENT', 'STAFF', 'ADMIN')`,
      'table "posts" is in schema.prisma but no migration creates it (columns seq, author_id, title)',
    ]);
  });

  it('when a migration fails to apply, then the error surfaces and the scratch databases are still dropped', async () => {
    const broken = join(dir, 'broken');
    cpSync(migrationsDir, broken, { recursive: true });
    const addPosts = readdirSync(broken).find((f) => f.endsWith('_add_posts'))!;
    writeFileSync(join(broken, addPosts, 'migration.sql'), 'ALTER TABLE "nope" ADD COLUMN "x" INT;\n');

    await expect(checkMigrationDrift({ adminUrl, schemaPath: fixture('schema.v2.prisma'), migrationsDir: broken })).rejects.toThrow(/relation "nope" does not exist/);
    expect(await leftoverScratchDatabases()).toEqual([]);
  });
});
