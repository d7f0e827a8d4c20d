import { databaseUrlFor, dropDatabase, ensureDatabase } from '@linli/db';

let counter = 0;

function adminUrl(): string {
  const url = process.env.PG_ADMIN_URL;
  if (!url) throw new Error('PG_ADMIN_URL is not set: run tests through Jest, whose global setup starts the infrastructure');
  return url;
}

/**
 * A fresh database for one test file, named after the run so the global teardown can drop it.
 * Returns its URL and a drop function (call it in afterAll).
 */
export async function createTestDatabase(label: string): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const runId = process.env.LINLI_TEST_RUN_ID ?? 'adhoc';
  const safe = label.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 20);
  const name = `t_${runId}_${safe}_${process.pid}_${++counter}`;
  await ensureDatabase(adminUrl(), name);
  return { url: databaseUrlFor(adminUrl(), name), name, drop: () => dropDatabase(adminUrl(), name) };
}
