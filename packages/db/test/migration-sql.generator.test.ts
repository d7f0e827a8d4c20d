import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createMigration, generateMigrationSql, MIGRATION_LOCK_CONTENT, SCHEMA_SNAPSHOT_FILE, toMigrationSlug } from '../src';
import { adminUrl, fixture, tempDir } from './helpers/scratch';

const execFileAsync = promisify(execFile);

describe('generateMigrationSql', () => {
  it('when there is no previous schema, then the SQL creates every table, enum and index', async () => {
    const sql = await generateMigrationSql({ fromSchema: null, toSchema: fixture('schema.v1.prisma'), adminUrl });

    expect(sql).toContain(`CREATE TYPE "Role" AS ENUM ('RESIDENT', 'STAFF');`);
    expect(sql).toContain('CREATE TABLE "users" (');
    expect(sql).toContain('"created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP');
    expect(sql).toContain('CONSTRAINT "users_pkey" PRIMARY KEY ("id")');
    expect(sql).toContain('CREATE UNIQUE INDEX "users_email_key" ON "users"("email");');
  });

  it('when going from one schema to the next, then the SQL alters rather than recreates', async () => {
    const sql = await generateMigrationSql({ fromSchema: fixture('schema.v1.prisma'), toSchema: fixture('schema.v2.prisma'), adminUrl });

    expect(sql).toContain(`ALTER TYPE "Role" ADD VALUE 'ADMIN';`);
    expect(sql).toMatch(/ALTER TABLE "users" ADD COLUMN\s+"nickname" TEXT;/);
    expect(sql).toContain('CREATE TABLE "posts" (');
    expect(sql).toContain('ALTER TABLE "posts" ADD CONSTRAINT "posts_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE CASCADE');
    expect(sql).not.toContain('CREATE TABLE "users"');
  });

  it('when nothing changed, then the SQL is empty', async () => {
    await expect(generateMigrationSql({ fromSchema: fixture('schema.v2.prisma'), toSchema: fixture('schema.v2.prisma'), adminUrl })).resolves.toBe('');
  });

  it('when Postgres is not running, then it says how to start it', async () => {
    await expect(generateMigrationSql({ toSchema: fixture('schema.v1.prisma'), adminUrl: 'postgresql://postgres@127.0.0.1:1/postgres' })).rejects.toThrow(
      'start it with: pnpm infra up',
    );
  });
});

describe('createMigration', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('create');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('when the schema evolves, then each change becomes the next Prisma migration folder, and no change writes nothing', async () => {
    const schemaPath = join(dir, 'schema.prisma');
    const migrationsDir = join(dir, 'migrations');
    copyFileSync(fixture('schema.v1.prisma'), schemaPath);

    const first = await createMigration({ schemaPath, migrationsDir, name: 'Init', adminUrl, now: new Date('2024-03-05T06:07:08Z') });

    expect(first.migration).toBe('20240305060708_init');
    expect(readFileSync(join(migrationsDir, '20240305060708_init', 'migration.sql'), 'utf8')).toBe(first.sql);
    expect(readFileSync(join(migrationsDir, 'migration_lock.toml'), 'utf8')).toBe(MIGRATION_LOCK_CONTENT);
    expect(readFileSync(join(migrationsDir, SCHEMA_SNAPSHOT_FILE), 'utf8')).toContain(readFileSync(schemaPath, 'utf8'));

    const unchanged = await createMigration({ schemaPath, migrationsDir, name: 'again', adminUrl, now: new Date('2024-03-06T00:00:00Z') });
    expect(unchanged.migration).toBeNull();
    expect(readdirSync(migrationsDir).sort()).toEqual(['20240305060708_init', 'migration_lock.toml', SCHEMA_SNAPSHOT_FILE]);

    copyFileSync(fixture('schema.v2.prisma'), schemaPath);
    const second = await createMigration({ schemaPath, migrationsDir, name: 'add posts', adminUrl, now: new Date('2024-03-07T00:00:00Z') });
    expect(second.migration).toBe('20240307000000_add_posts');
    expect(second.sql).toContain('CREATE TABLE "posts"');
    expect(second.sql).not.toContain('CREATE TABLE "users"');

    // Going back drops data: the file opens with Prisma's "Warnings:" block.
    copyFileSync(fixture('schema.v1.prisma'), schemaPath);
    const third = await createMigration({ schemaPath, migrationsDir, name: 'drop posts', adminUrl, now: new Date('2024-03-08T00:00:00Z') });
    const written = readFileSync(join(migrationsDir, third.migration!, 'migration.sql'), 'utf8');
    expect(written.startsWith('/*\n  Warnings:\n')).toBe(true);
    expect(written).toContain('You are about to drop the column `nickname` on the `users` table. All the data in the column will be lost.');
    expect(written).toContain('You are about to drop the `posts` table.');
    expect(written).toContain('The enum `Role` is recreated');
  });

  it('when migrations exist but the snapshot is gone, then it refuses rather than regenerate everything', async () => {
    const schemaPath = join(dir, 'schema.prisma');
    const migrationsDir = join(dir, 'migrations');
    copyFileSync(fixture('schema.v1.prisma'), schemaPath);
    await createMigration({ schemaPath, migrationsDir, name: 'init', adminUrl, now: new Date('2024-03-05T06:07:08Z') });
    rmSync(join(migrationsDir, SCHEMA_SNAPSHOT_FILE));

    await expect(createMigration({ schemaPath, migrationsDir, name: 'next', adminUrl })).rejects.toThrow(/has migrations but no schema.snapshot.prisma/);
  });

  it('when names are free text, then folder names are snake_case', () => {
    expect(toMigrationSlug('addResidentPhone')).toBe('add_resident_phone');
    expect(toMigrationSlug(' Add  resident-phone! ')).toBe('add_resident_phone');
    expect(() => toMigrationSlug('!!')).toThrow();
  });
});

describe('pnpm db:migration (cli/new-migration.ts)', () => {
  it('when run for a service, then it writes that service\'s migration and says "no changes" the second time', async () => {
    const root = tempDir('cli');
    try {
      mkdirSync(join(root, 'services', 'demo', 'prisma'), { recursive: true });
      copyFileSync(fixture('schema.v1.prisma'), join(root, 'services', 'demo', 'prisma', 'schema.prisma'));
      const cli = join(__dirname, '..', 'src', 'cli', 'new-migration.ts');
      const tsx = require.resolve('tsx/cli', { paths: [join(__dirname, '..', '..', '..')] });
      const env = { ...process.env, LINLI_REPO_ROOT: root, DATABASE_ADMIN_URL: adminUrl };

      const first = await execFileAsync(process.execPath, [tsx, cli, 'demo', 'init'], { env });
      const migrationsDir = join(root, 'services', 'demo', 'prisma', 'migrations');
      const folders = readdirSync(migrationsDir).filter((f) => /^\d{14}_init$/.test(f));
      expect(folders).toHaveLength(1);
      expect(first.stdout).toContain(`wrote services/demo/prisma/migrations/${folders[0]}/migration.sql`);
      expect(existsSync(join(migrationsDir, 'migration_lock.toml'))).toBe(true);

      const second = await execFileAsync(process.execPath, [tsx, cli, 'demo', 'again'], { env });
      expect(second.stdout).toContain('no changes');
      expect(readdirSync(migrationsDir).filter((f) => f.endsWith('_again'))).toEqual([]);

      const unknown = await execFileAsync(process.execPath, [tsx, cli, 'nosuch', 'x'], { env }).catch((e: { code: number; stderr: string }) => e);
      expect((unknown as { code: number }).code).toBe(2);
      expect((unknown as { stderr: string }).stderr).toContain('services with a schema: demo');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
