import { createPrismaClient } from '@linli/db';
import { PrismaClient } from './generated/prisma/client';

export type CommunitiesPrisma = PrismaClient;
export type CommunitiesTx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export function createCommunitiesPrisma(databaseUrl: string): PrismaClient {
  return createPrismaClient(PrismaClient, { databaseUrl });
}
