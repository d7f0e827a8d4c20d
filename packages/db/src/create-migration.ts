import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATION_LOCK_CONTENT, MIGRATION_LOCK_FILE } from './migration-files';
import { generateMigrationSql } from './migration-sql.generator';
import { migrationWarnings, withWarningsHeader } from './migration-warnings';

/** schema.prisma as of the newest migration; the next migration is the diff from it. */
export const SCHEMA_SNAPSHOT_FILE = 'schema.snapshot.prisma';

const SNAPSHOT_HEADER =
  '// Written by `pnpm db:migration`: schema.prisma as of the newest migration in this folder.\n' +
  '// The next migration is generated as the difference from this file to schema.prisma. Do not edit.\n\n';

export interface CreateMigrationOptions {
  schemaPath: string;
  migrationsDir: string;
  /** Free text; becomes the snake_case part of the folder name. */
  name: string;
  adminUrl: string;
  /** The clock, for the folder's timestamp. */
  now?: Date;
}

export interface CreateMigrationResult {
  /** The new folder name, or null when schema.prisma matches the snapshot ("no changes"). */
  migration: string | null;
  sql: string;
  warnings: string[];
}

/** "Add resident phone" / "addResidentPhone" → "add_resident_phone". */
export function toMigrationSlug(name: string): string {
  const slug = name
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 200);
  if (!slug) throw new Error(`migration name '${name}' has no letters or digits`);
  return slug;
}

/** UTC yyyyMMddHHmmss, Prisma's folder prefix. */
export function migrationTimestamp(now: Date): string {
  return now.toISOString().replace(/\D/g, '').slice(0, 14);
}

/**
 * Writes the next migration of a Prisma migrations folder: the SQL from the snapshot to schema.prisma,
 * Prisma's migration_lock.toml, and the refreshed snapshot. Writes nothing when there is no change.
 */
export async function createMigration({ schemaPath, migrationsDir, name, adminUrl, now = new Date() }: CreateMigrationOptions): Promise<CreateMigrationResult> {
  const folderName = `${migrationTimestamp(now)}_${toMigrationSlug(name)}`;
  const snapshotPath = join(migrationsDir, SCHEMA_SNAPSHOT_FILE);
  const existing = existsSync(migrationsDir)
    ? readdirSync(migrationsDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()
    : [];
  const hasSnapshot = existsSync(snapshotPath);
  // Without its snapshot a folder of migrations would be diffed from empty, recreating every table.
  if (existing.length > 0 && !hasSnapshot) {
    throw new Error(`${migrationsDir} has migrations but no ${SCHEMA_SNAPSHOT_FILE}; restore it from version control (it must match the newest migration)`);
  }
  if (existing.length === 0 && hasSnapshot) {
    throw new Error(`${snapshotPath} exists but there are no migrations beside it; delete it to start from an empty database`);
  }
  const newest = existing[existing.length - 1];
  if (newest !== undefined && folderName <= newest) {
    throw new Error(`the new migration ${folderName} would not sort after the newest one, ${newest}; wait a second or check the clock`);
  }

  const sql = await generateMigrationSql({ fromSchema: hasSnapshot ? snapshotPath : null, toSchema: schemaPath, adminUrl });
  if (sql === '') return { migration: null, sql, warnings: [] };

  const warnings = migrationWarnings(sql);
  mkdirSync(join(migrationsDir, folderName), { recursive: true });
  writeFileSync(join(migrationsDir, folderName, 'migration.sql'), withWarningsHeader(sql, warnings));
  const lockPath = join(migrationsDir, MIGRATION_LOCK_FILE);
  if (!existsSync(lockPath) || readFileSync(lockPath, 'utf8') !== MIGRATION_LOCK_CONTENT) writeFileSync(lockPath, MIGRATION_LOCK_CONTENT);
  writeFileSync(snapshotPath, SNAPSHOT_HEADER + readFileSync(schemaPath, 'utf8'));
  return { migration: folderName, sql, warnings };
}
