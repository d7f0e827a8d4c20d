import { PrismaPg } from '@prisma/adapter-pg';

export type PrismaLogLevel = 'query' | 'info' | 'warn' | 'error';

export interface CreatePrismaClientOptions {
  databaseUrl: string;
  /** Prisma's own log levels, passed through unchanged. */
  log?: PrismaLogLevel[];
}

/**
 * Builds a service's generated PrismaClient on the pg driver adapter. The adapter is what lets Prisma 7
 * run without a native query engine (none can be downloaded here), so every service goes through this.
 */
export function createPrismaClient<T>(
  PrismaClientClass: new (opts: any) => T,
  { databaseUrl, log }: CreatePrismaClientOptions,
): T {
  const adapter = new PrismaPg({ connectionString: databaseUrl });
  return new PrismaClientClass(log ? { adapter, log } : { adapter });
}
