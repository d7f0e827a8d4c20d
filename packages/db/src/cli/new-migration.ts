/**
 * `pnpm db:migration <service> <name>`: turns the edits in services/<service>/prisma/schema.prisma into
 * the next migration folder. Commit the folder, the snapshot and the schema together.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createMigration } from '../create-migration';
import { defaultAdminUrl } from '../migration-sql.generator';

// LINLI_REPO_ROOT lets a test run the command on a throw-away copy of the layout.
const repoRoot = process.env.LINLI_REPO_ROOT ?? resolve(__dirname, '..', '..', '..', '..');

function servicesWithSchema(): string[] {
  const dir = join(repoRoot, 'services');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => existsSync(join(dir, name, 'prisma', 'schema.prisma')));
}

async function main(): Promise<number> {
  const [service, ...nameParts] = process.argv.slice(2);
  const name = nameParts.join(' ');
  if (!service || !name) {
    process.stderr.write(`usage: pnpm db:migration <service> <name>\n  services: ${servicesWithSchema().join(', ') || '(none)'}\n`);
    return 2;
  }
  const prismaDir = join(repoRoot, 'services', service, 'prisma');
  const schemaPath = join(prismaDir, 'schema.prisma');
  if (!existsSync(schemaPath)) {
    process.stderr.write(`no ${relative(repoRoot, schemaPath)}; services with a schema: ${servicesWithSchema().join(', ') || '(none)'}\n`);
    return 2;
  }
  const migrationsDir = join(prismaDir, 'migrations');
  const result = await createMigration({ schemaPath, migrationsDir, name, adminUrl: defaultAdminUrl() });
  if (!result.migration) {
    process.stdout.write(`no changes: ${relative(repoRoot, schemaPath)} matches the latest migration; nothing written\n`);
    return 0;
  }
  process.stdout.write(`${result.sql}\n`);
  process.stdout.write(`wrote ${relative(repoRoot, join(migrationsDir, result.migration, 'migration.sql'))}\n`);
  for (const warning of result.warnings) process.stdout.write(`warning: ${warning}\n`);
  process.stdout.write('review the SQL (edit it now if needed, before anyone applies it), then commit schema.prisma and prisma/migrations together\n');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`db:migration: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
