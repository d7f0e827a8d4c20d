/**
 * Real PostgreSQL through the infra module itself: a throwaway LINLI_HOME (mkdtemp gives it mode 0700,
 * so the "let the postgres user traverse" path is exercised when running as root) and a free port, so
 * it never meets the dev infrastructure. Only PostgreSQL: Kafka and Temporal starts are the global
 * setup's job and too slow for a unit of the suite.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { down, status, up } from '../src/lifecycle';
import { SERVICE_DATABASES } from '../src/service-databases';

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

async function query<T extends object>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('PostgreSQL component (real)', () => {
  const home = mkdtempSync(join(tmpdir(), 'linli-infra-pg-'));
  let env: NodeJS.ProcessEnv;
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);

  beforeAll(async () => {
    env = { ...process.env, LINLI_HOME: home, PG_PORT: String(await freePort()) };
  });

  afterAll(async () => {
    await down({ env, only: ['postgres'], quiet: true }).catch(() => undefined);
    rmSync(home, { recursive: true, force: true });
  });

  it('when started, stopped and started again, then it answers, has every service database and keeps its data', async () => {
    const endpoints = await up({ env, only: ['postgres'], log });
    expect(endpoints.postgres.port).toBe(Number(env.PG_PORT));
    expect(await query(endpoints.postgres.adminUrl, 'select 1 as one')).toEqual([{ one: 1 }]);

    const dbs = await query<{ datname: string }>(endpoints.postgres.adminUrl, 'select datname from pg_database');
    expect(dbs.map((d) => d.datname)).toEqual(expect.arrayContaining([...SERVICE_DATABASES]));

    const paymentsUrl = endpoints.postgres.adminUrl.replace(/\/postgres$/, '/linli_payments');
    await query(paymentsUrl, "create table survivor(note text); insert into survivor values ('kept across restarts')");

    const [pgStatus] = await status({ env, only: ['postgres'] });
    expect(pgStatus).toMatchObject({ component: 'postgres', state: 'healthy', dataDir: join(home, 'data', 'postgres') });
    expect(readFileSync(join(home, 'run', 'postgres.pid'), 'utf8').trim()).toBe(String(pgStatus!.pid));

    await down({ env, only: ['postgres'], quiet: true });
    expect((await status({ env, only: ['postgres'] }))[0]!.state).toBe('not running');
    expect(existsSync(join(home, 'run', 'postgres.pid'))).toBe(false);

    lines.length = 0;
    await up({ env, only: ['postgres'], log });
    // No second initdb and no database re-created: the cluster on disk was reused.
    expect(lines.some((l) => l.includes('initialising'))).toBe(false);
    expect(lines.some((l) => l.includes('created databases'))).toBe(false);
    expect(await query(paymentsUrl, 'select note from survivor')).toEqual([{ note: 'kept across restarts' }]);

    // Idempotent: a second `up` while running only reports it.
    lines.length = 0;
    await up({ env, only: ['postgres'], log });
    expect(lines).toEqual([expect.stringMatching(/^\[postgres\] already running \(pid \d+\) and healthy/)]);
  });
});
