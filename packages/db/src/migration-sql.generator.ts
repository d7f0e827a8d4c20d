import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { redactUrl } from './database-admin';

const execFileAsync = promisify(execFile);

/** Where `pnpm db:migration` and the drift check look for a server to let Prisma's diff connect to. */
export function defaultAdminUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_ADMIN_URL ?? `postgresql://postgres@127.0.0.1:${env.PG_PORT ?? '55432'}/postgres`;
}

/** Fails with the one instruction that fixes it, rather than Prisma's deeper and vaguer error. */
export async function assertPostgresReachable(adminUrl: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
  } catch (err) {
    throw new Error(`cannot reach PostgreSQL at ${redactUrl(adminUrl)} (${(err as Error).message}); start it with: pnpm infra up`, { cause: err });
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Prisma 6 refuses a datasource without `url` even though, with a driver adapter, it never uses it;
 * our schemas are Prisma 7 style (no url), so the copies handed to Prisma 6 get a placeholder.
 */
export function withPlaceholderUrl(schema: string): string {
  const block = /(datasource\s+\w+\s*\{)([^}]*)\}/;
  const match = block.exec(schema);
  if (!match) throw new Error('the schema has no datasource block');
  if (/^\s*url\s*=/m.test(match[2]!)) return schema;
  return schema.replace(block, (_all, open: string, body: string) => `${open}\n  url = "postgresql://unused"${body}}`);
}

/** True when a script holds nothing but comments and blank lines (Prisma prints "-- This is an empty migration."). */
export function isEmptyMigration(sql: string): boolean {
  return sql.split('\n').every((line) => line.trim() === '' || line.trim().startsWith('--'));
}

export interface GenerateMigrationSqlOptions {
  /** Path of the schema the database is at now; null or absent means an empty database. */
  fromSchema?: string | null;
  /** Path of the schema to reach. */
  toSchema: string;
  /** A reachable Postgres; Prisma's diff connects to it but changes nothing. */
  adminUrl: string;
}

const ADAPTER_URL_VARIABLE = 'LINLI_PRISMA6_DIFF_ADAPTER_URL';

/**
 * The SQL that takes a database from `fromSchema` to `toSchema`, exactly as Prisma would write it, or ''
 * when there is nothing to change. It runs Prisma 6.19's `migrate diff` in WebAssembly (driver-adapter
 * mode) because every Prisma migrate command that runs natively needs an engine binary that cannot be
 * downloaded here; Prisma 7 has no WebAssembly route for migrate.
 */
export async function generateMigrationSql({ fromSchema = null, toSchema, adminUrl }: GenerateMigrationSqlOptions): Promise<string> {
  await assertPostgresReachable(adminUrl);
  const work = await mkdtemp(join(tmpdir(), 'linli-migration-sql-'));
  try {
    const toCopy = join(work, 'to.prisma');
    await writeFile(toCopy, withPlaceholderUrl(await readFile(toSchema, 'utf8')));
    const fromArgs = ['--from-empty'];
    if (fromSchema) {
      const fromCopy = join(work, 'from.prisma');
      await writeFile(fromCopy, withPlaceholderUrl(await readFile(fromSchema, 'utf8')));
      fromArgs.splice(0, 1, '--from-schema-datamodel', fromCopy);
    }
    const configPath = join(work, 'prisma.config.ts');
    await writeFile(configPath, prisma6Config(toCopy));
    const output = join(work, 'migration.sql');
    const cli = join(dirname(require.resolve('prisma6/package.json')), 'build', 'index.js');
    try {
      await execFileAsync(
        process.execPath,
        [cli, 'migrate', 'diff', '--config', configPath, ...fromArgs, '--to-schema-datamodel', toCopy, '--script', '--output', output],
        {
          cwd: work,
          timeout: 120_000,
          env: {
            ...process.env,
            [ADAPTER_URL_VARIABLE]: adminUrl,
            // Prisma only checks that this names a file; in driver-adapter mode it never loads it.
            PRISMA_QUERY_ENGINE_LIBRARY: process.execPath,
            CHECKPOINT_DISABLE: '1',
            PRISMA_HIDE_UPDATE_MESSAGE: '1',
          },
        },
      );
    } catch (err) {
      const e = err as { stderr?: string; stdout?: string; message: string };
      const detail = [e.stdout, e.stderr]
        .join('\n')
        .split('\n')
        .filter((line) => line.trim() !== '' && !line.startsWith('Loaded Prisma config'))
        .join('\n');
      throw new Error(`prisma migrate diff failed for ${toSchema}:\n${detail || e.message}`, { cause: err });
    }
    const sql = await readFile(output, 'utf8');
    return isEmptyMigration(sql) ? '' : sql;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * A throw-away prisma.config for Prisma 6. It lives in a temp folder, so its imports are absolute paths
 * into this package; the connection string comes from the environment so no credential is written to disk.
 * The short pool idle timeout lets the CLI exit as soon as it is done instead of ~10 s later.
 */
function prisma6Config(schemaPath: string): string {
  return `import { defineConfig } from ${JSON.stringify(require.resolve('prisma6/config'))};
import { PrismaPg } from ${JSON.stringify(require.resolve('@prisma/adapter-pg'))};

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: ${JSON.stringify(schemaPath)},
  async adapter() {
    return new PrismaPg({ connectionString: process.env.${ADAPTER_URL_VARIABLE}, idleTimeoutMillis: 50 }) as never;
  },
} as never);
`;
}
