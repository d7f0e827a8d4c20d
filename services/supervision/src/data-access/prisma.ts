import { createPrismaClient } from '@linli/db';
import { PrismaClient } from './generated/prisma/client';

export type SupervisionPrisma = PrismaClient;
export type SupervisionTx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export function createSupervisionPrisma(databaseUrl: string): PrismaClient {
  return createPrismaClient(PrismaClient, { databaseUrl });
}
