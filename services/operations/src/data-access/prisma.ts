import { createPrismaClient } from '@linli/db';
import { PrismaClient } from './generated/prisma/client';

export type OperationsPrisma = PrismaClient;
export type OperationsTx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export function createOperationsPrisma(databaseUrl: string): PrismaClient {
  return createPrismaClient(PrismaClient, { databaseUrl });
}
