import { Pool, type ClientBase, type PoolClient } from 'pg';

/**
 * The only database access this package needs: parameterised SQL ($1, $2, ...) against PostgreSQL.
 * Services use Prisma, tests and tools use `pg`; both fit through the adapters below, so this package
 * never depends on a service's generated client.
 *
 * `native` is what the adapter wraps (a Prisma transaction client, a pg client), so a consumer handler
 * can do its own work with its usual tools in the same transaction: `tx.native.proposal.update(...)`.
 */
export interface SqlExecutor<Native = unknown> {
  /** Rows of a statement that returns rows. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Number of rows a statement changed. */
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
  readonly native: Native;
}

/** A database that can also open a transaction; `fn`'s executor runs inside it. */
export interface SqlDatabase<TxNative = unknown> extends SqlExecutor {
  /** Commits when `fn` resolves, rolls back when it throws (and rethrows). */
  transaction<R>(fn: (tx: SqlExecutor<TxNative>) => Promise<R>): Promise<R>;
}

// ---------------------------------------------------------------------------------------------------
// Prisma (7, with or without a driver adapter). Typed structurally: any generated client fits.

/** What a Prisma client and a Prisma interactive-transaction client both have. */
export interface PrismaTxLike {
  $queryRawUnsafe<T = unknown>(query: string, ...values: any[]): PromiseLike<T>;
  $executeRawUnsafe(query: string, ...values: any[]): PromiseLike<number>;
}

/** A full Prisma client: it can also open interactive transactions. */
export interface PrismaClientLike extends PrismaTxLike {
  $transaction(fn: (tx: any) => PromiseLike<any>, options?: { maxWait?: number; timeout?: number }): PromiseLike<any>;
}

/** The transaction client type a Prisma client hands to `$transaction(fn)` (its last, function overload). */
export type PrismaTxOf<C> = C extends { $transaction(fn: (tx: infer Tx) => any, ...rest: any[]): any } ? Tx : never;

export interface PrismaAdapterOptions {
  /**
   * Prisma's interactive transactions default to maxWait 2 s and timeout 5 s. The relay holds its
   * transaction while Kafka acknowledges a batch and consumer handlers may call other systems, so the
   * defaults here are wider. Lower them where a service needs tighter bounds.
   */
  transaction?: { maxWait?: number; timeout?: number };
}

const DEFAULT_PRISMA_TX = { maxWait: 10_000, timeout: 60_000 };

function prismaExecutor<T extends PrismaTxLike>(tx: T): SqlExecutor<T> {
  return {
    native: tx,
    async query<R>(sql: string, params: readonly unknown[] = []) {
      return (await tx.$queryRawUnsafe<R[]>(sql, ...params)) as R[];
    },
    async execute(sql: string, params: readonly unknown[] = []) {
      return Number(await tx.$executeRawUnsafe(sql, ...params));
    },
  };
}

/**
 * Wraps a Prisma client (→ a database that can open transactions) or a Prisma transaction client
 * (→ an executor inside that transaction, e.g. for appendToOutbox within the use case's `$transaction`).
 * Prisma 7 transaction clients keep `$transaction` (it opens a nested transaction, a savepoint), so
 * with one of those `transaction()` nests too.
 */
export function fromPrisma<C extends PrismaClientLike>(client: C, options?: PrismaAdapterOptions): SqlDatabase<PrismaTxOf<C>>;
export function fromPrisma<T extends PrismaTxLike>(tx: T): SqlExecutor<T>;
export function fromPrisma(client: PrismaTxLike | PrismaClientLike, options: PrismaAdapterOptions = {}): SqlExecutor | SqlDatabase {
  const executor = prismaExecutor(client);
  if (!('$transaction' in client) || typeof client.$transaction !== 'function') return executor;
  const full = client as PrismaClientLike;
  const txOptions = { ...DEFAULT_PRISMA_TX, ...options.transaction };
  return {
    ...executor,
    transaction: <R>(fn: (tx: SqlExecutor<unknown>) => Promise<R>): Promise<R> =>
      Promise.resolve(full.$transaction((tx: PrismaTxLike) => fn(prismaExecutor(tx)), txOptions)) as Promise<R>,
  };
}

// ---------------------------------------------------------------------------------------------------
// node-postgres

function pgExecutor<C extends Pool | ClientBase>(client: C): SqlExecutor<C> {
  return {
    native: client,
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query(sql, params as unknown[]);
      return result.rows as R[];
    },
    async execute(sql: string, params: readonly unknown[] = []) {
      const result = await client.query(sql, params as unknown[]);
      return result.rowCount ?? 0;
    },
  };
}

function isPool(x: Pool | ClientBase): x is Pool {
  return typeof (x as Pool).totalCount === 'number';
}

/**
 * Wraps a pg Pool (transactions check out their own client) or a single pg Client/PoolClient
 * (transactions run BEGIN/COMMIT on that one connection, so do not share it between concurrent callers;
 * pass a client that is already inside your transaction only to calls that take an executor).
 */
export function fromPg(pool: Pool): SqlDatabase<PoolClient>;
export function fromPg<C extends ClientBase>(client: C): SqlDatabase<C>;
export function fromPg(target: Pool | ClientBase): SqlDatabase<Pool | ClientBase> {
  const executor = pgExecutor(target);
  return {
    ...executor,
    async transaction<R>(fn: (tx: SqlExecutor<Pool | ClientBase>) => Promise<R>): Promise<R> {
      const client: ClientBase = isPool(target) ? await target.connect() : target;
      let broken: Error | undefined;
      // A checked-out client that loses its connection while the caller waits between two queries (a relay
      // waiting for Kafka, a bridge for its Update; the database restarting) emits 'error', and pg crashes
      // the process if nobody listens. Heard here, the next query fails, the transaction rolls back and
      // the client is not returned to the pool.
      const onError = (error: Error) => {
        broken = error;
      };
      if (isPool(target)) client.on('error', onError);
      try {
        await client.query('BEGIN');
        try {
          const result = await fn(pgExecutor(client));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch((rollbackError: Error) => {
            // The connection is unusable; a pooled one must not go back to the pool.
            broken = rollbackError;
          });
          throw error;
        }
      } finally {
        if (isPool(target)) {
          client.off('error', onError);
          (client as PoolClient).release(broken);
        }
      }
    },
  };
}

export interface PgDatabase extends SqlDatabase<PoolClient> {
  /** Ends the pool (after the last user has stopped). */
  close(): Promise<void>;
}

/**
 * A small pg pool of its own as a database: for the outbox relay, whose rounds are plain SQL. Through
 * pg a one-statement transaction costs ~0.14 ms of CPU here against ~0.57 ms through a Prisma interactive
 * transaction, and the relay runs a round after nearly every commit (docs/benchmarks.md, apiRatio).
 * `onIdleError` hears of a pooled connection that broke while idle (a database restart): the pool drops
 * it and the next round reconnects; without a listener pg would crash the process.
 */
export function openPgDatabase(databaseUrl: string, options: { max?: number; onIdleError?: (error: Error) => void } = {}): PgDatabase {
  const pool = new Pool({ connectionString: databaseUrl, max: options.max ?? 2 });
  pool.on('error', (error) => options.onIdleError?.(error));
  return { ...fromPg(pool), close: () => pool.end() };
}
