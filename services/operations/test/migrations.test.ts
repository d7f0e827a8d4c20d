import path from 'node:path';
import { checkMigrationDrift } from '@linli/db';
import { MIGRATIONS_DIR } from '../src/start';

describe('operations migrations', () => {
  it('when the migrations are applied, then the database matches schema.prisma exactly (no drift)', async () => {
    const result = await checkMigrationDrift({
      adminUrl: process.env.PG_ADMIN_URL!,
      schemaPath: path.join(__dirname, '..', 'prisma', 'schema.prisma'),
      migrationsDir: MIGRATIONS_DIR,
    });
    expect(result.differences).toEqual([]);
    expect(result.drift).toBe(false);
  });
});
