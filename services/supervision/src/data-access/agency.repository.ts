import type { Actor } from '@linli/contracts';
import type { Agency } from './generated/prisma/client';
import type { SupervisionTx } from './prisma';
import { actorColumn, actorOf, afterWhere, keysetOrder, type After } from './rows';

export interface AgencyRecord {
  id: string;
  name: string;
  contactName: string;
  contactPhone: string;
  createdAt: string;
  createdBy: Actor;
}

function toRecord(row: Agency): AgencyRecord {
  return {
    id: row.id,
    name: row.name,
    contactName: row.contactName,
    contactPhone: row.contactPhone,
    createdAt: row.createdAt.toISOString(),
    createdBy: actorOf(row.createdBy),
  };
}

export function agencyRepository(tx: SupervisionTx) {
  return {
    async findById(id: string): Promise<AgencyRecord | null> {
      const row = await tx.agency.findUnique({ where: { id } });
      return row ? toRecord(row) : null;
    },
    async findByName(name: string): Promise<AgencyRecord | null> {
      const row = await tx.agency.findUnique({ where: { name } });
      return row ? toRecord(row) : null;
    },
    async findMany(ids: readonly string[]): Promise<AgencyRecord[]> {
      return (await tx.agency.findMany({ where: { id: { in: [...ids] } } })).map(toRecord);
    },
    async create(input: { id: string; name: string; contactName: string; contactPhone: string; createdBy: Actor }): Promise<AgencyRecord> {
      return toRecord(await tx.agency.create({ data: { ...input, createdBy: actorColumn(input.createdBy) } }));
    },
    async list({ limit, after }: { limit: number; after?: After }): Promise<AgencyRecord[]> {
      return (await tx.agency.findMany({ where: afterWhere(after), orderBy: keysetOrder, take: limit })).map(toRecord);
    },
  };
}
export type AgencyRepository = ReturnType<typeof agencyRepository>;
