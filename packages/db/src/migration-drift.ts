import { randomBytes } from 'node:crypto';
import { readCatalog, compareCatalogs } from './catalog-snapshot';
import { databaseUrlFor, dropDatabase, ensureDatabase, withPgClient } from './database-admin';
import { migrate } from './migration-runner';
import { generateMigrationSql } from './migration-sql.generator';

export interface CheckMigrationDriftOptions {
  adminUrl: string;
  schemaPath: string;
  migrationsDir: string;
}

export interface MigrationDriftResult {
  drift: boolean;
  differences: string[];
}

/**
 * Do the committed migrations build exactly the database schema.prisma describes? Catches a schema edit
 * without `pnpm db:migration`, and a migration.sql edited by hand into something else. Builds both
 * databases for real (scratch databases, always dropped) and compares their catalogs.
 */
export async function checkMigrationDrift({ adminUrl, schemaPath, migrationsDir }: CheckMigrationDriftOptions): Promise<MigrationDriftResult> {
  const base = `drift_${process.pid}_${randomBytes(4).toString('hex')}`;
  const fromMigrations = `${base}_migrations`;
  const fromSchema = `${base}_schema`;
  try {
    await Promise.all([ensureDatabase(adminUrl, fromMigrations), ensureDatabase(adminUrl, fromSchema)]);
    const migrationsUrl = databaseUrlFor(adminUrl, fromMigrations);
    const schemaUrl = databaseUrlFor(adminUrl, fromSchema);
    // allSettled, not all: on a failure the other side must finish before its database is dropped.
    const built = await Promise.allSettled([
      migrate({ databaseUrl: migrationsUrl, migrationsDir }),
      (async () => {
        const sql = await generateMigrationSql({ fromSchema: null, toSchema: schemaPath, adminUrl });
        if (sql) await withPgClient(schemaUrl, (c) => c.query(sql));
      })(),
    ]);
    for (const outcome of built) if (outcome.status === 'rejected') throw outcome.reason;
    const [actual, expected] = await Promise.all([
      withPgClient(migrationsUrl, (c) => readCatalog(c)),
      withPgClient(schemaUrl, (c) => readCatalog(c)),
    ]);
    const differences = compareCatalogs(actual, expected);
    return { drift: differences.length > 0, differences };
  } finally {
    await Promise.allSettled([dropDatabase(adminUrl, fromMigrations), dropDatabase(adminUrl, fromSchema)]);
  }
}
