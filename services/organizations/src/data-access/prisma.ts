import { createPrismaClient } from '@linli/db';
import { PrismaClient } from './generated/prisma/client';

export type OrganizationsPrisma = PrismaClient;
export type OrganizationsTx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export function createOrganizationsPrisma(databaseUrl: string): PrismaClient {
  return createPrismaClient(PrismaClient, { databaseUrl });
}
