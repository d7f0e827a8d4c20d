import { createPrismaClient } from '@linli/db';
import { PrismaClient } from './generated/prisma/client';

export type PaymentsPrisma = PrismaClient;
export type PaymentsTx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export function createPaymentsPrisma(databaseUrl: string): PrismaClient {
  return createPrismaClient(PrismaClient, { databaseUrl });
}
