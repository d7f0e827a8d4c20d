export { createPrismaClient, type CreatePrismaClientOptions, type PrismaLogLevel } from './prisma-client.factory';
export { assertDatabaseName, databaseUrlFor, dropDatabase, ensureDatabase, redactUrl } from './database-admin';
export {
  MIGRATION_LOCK_CONTENT,
  MIGRATION_LOCK_FILE,
  migrationChecksum,
  readMigrations,
  scriptMatchesChecksum,
  type MigrationFile,
} from './migration-files';
export { migrate, MigrationError, PRISMA_MIGRATE_ADVISORY_LOCK_KEY, type MigrateOptions, type MigrateResult } from './migration-runner';
export {
  assertPostgresReachable,
  defaultAdminUrl,
  generateMigrationSql,
  isEmptyMigration,
  type GenerateMigrationSqlOptions,
} from './migration-sql.generator';
export { createMigration, SCHEMA_SNAPSHOT_FILE, toMigrationSlug, type CreateMigrationOptions, type CreateMigrationResult } from './create-migration';
export { migrationWarnings } from './migration-warnings';
export { checkMigrationDrift, type CheckMigrationDriftOptions, type MigrationDriftResult } from './migration-drift';
export { compareCatalogs, readCatalog, type CatalogEntry } from './catalog-snapshot';
