import { fromPg, fromPrisma, openPgDatabase, type PrismaClientLike, type PrismaTxLike } from '../src';
import { createScratchDatabase, type ScratchDatabase } from './support/infra';

/**
 * A stand-in with Prisma's raw-query signatures that records calls. (The adapter was also run against a
 * real generated Prisma 7 client with @prisma/adapter-pg; see the README.)
 */
function fakePrisma() {
  const calls: { method: string; args: unknown[] }[] = [];
  const tx: PrismaTxLike = {
    $queryRawUnsafe: async <T>(...args: unknown[]) => {
      calls.push({ method: 'tx.query', args });
      return [{ one: 1 }] as T;
    },
    $executeRawUnsafe: async (...args: unknown[]) => {
      calls.push({ method: 'tx.execute', args });
      return 3;
    },
  };
  const client: PrismaClientLike & { calls: typeof calls } = {
    calls,
    $queryRawUnsafe: async <T>(...args: unknown[]) => {
      calls.push({ method: 'query', args });
      return [] as T;
    },
    $executeRawUnsafe: async () => 0,
    $transaction: async (fn: (t: PrismaTxLike) => PromiseLike<unknown>, options?: object) => {
      calls.push({ method: '$transaction', args: [options] });
      return fn(tx);
    },
  };
  return client;
}

test('when a Prisma client is adapted, then parameters are spread, transactions get wider timeouts and the tx client is exposed as native', async () => {
  const prisma = fakePrisma();
  const db = fromPrisma(prisma);
  const result = await db.transaction(async (tx) => {
    expect(await tx.query('SELECT $1::int AS one', [1])).toEqual([{ one: 1 }]);
    expect(await tx.execute('UPDATE t SET a = $1 WHERE b = $2', ['x', 'y'])).toBe(3);
    return 'done';
  });
  expect(result).toBe('done');
  expect(prisma.calls).toEqual([
    { method: '$transaction', args: [{ maxWait: 10_000, timeout: 60_000 }] },
    { method: 'tx.query', args: ['SELECT $1::int AS one', 1] },
    { method: 'tx.execute', args: ['UPDATE t SET a = $1 WHERE b = $2', 'x', 'y'] },
  ]);
});

describe('fromPg', () => {
  let scratch: ScratchDatabase;
  beforeAll(async () => {
    scratch = await createScratchDatabase('CREATE TABLE "notes" ("text" TEXT NOT NULL);');
  });
  afterAll(async () => scratch?.drop());

  test('when a pg transaction body throws, then its writes roll back and the pool stays usable', async () => {
    const db = fromPg(scratch.pool);
    await expect(
      db.transaction(async (tx) => {
        await tx.execute('INSERT INTO "notes" VALUES ($1)', ['lost']);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await db.transaction(async (tx) => {
      expect(await tx.execute('INSERT INTO "notes" VALUES ($1), ($2)', ['kept-1', 'kept-2'])).toBe(2);
    });
    expect(await db.query<{ text: string }>('SELECT "text" FROM "notes" ORDER BY 1')).toEqual([{ text: 'kept-1' }, { text: 'kept-2' }]);
  });

  test('when the connection of a transaction dies while it waits between two queries, then the transaction fails, nothing crashes, and the pool hands out a good connection', async () => {
    const db = openPgDatabase(scratch.url, { max: 1 });
    try {
      await expect(
        db.transaction(async (tx) => {
          const [{ pid }] = (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')) as [{ pid: number }];
          // As a database restart does, while the relay waits for Kafka or a bridge for its Update.
          await scratch.pool.query('SELECT pg_terminate_backend($1)', [pid]);
          await new Promise((r) => setTimeout(r, 200));
          await tx.execute('INSERT INTO "notes" VALUES ($1)', ['after the drop']);
        }),
      ).rejects.toThrow();
      // Without a listener on the checked-out client, its 'error' event would have ended this process.
      expect(await db.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      expect(await db.query<{ n: string }>(`SELECT count(*) AS n FROM "notes" WHERE "text" = 'after the drop'`)).toEqual([{ n: '0' }]);
    } finally {
      await db.close();
    }
  });
});
