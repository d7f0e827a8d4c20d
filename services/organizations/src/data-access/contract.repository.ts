import type { Actor, ProjectLevel } from '@linli/contracts';
import type { Prisma, PurchaseContract } from './generated/prisma/client';
import type { OrganizationsTx } from './prisma';
import { actorFrom, fen, iso, isoDate, type After } from './rows';

export interface ContractRecord {
  id: string;
  projectId: string;
  organizationId: string;
  subDistrictId: string;
  communityId: string | null;
  level: ProjectLevel;
  tenderId: string | null;
  bidId: string | null;
  amountFen: number;
  startsOn: string;
  endsOn: string;
  signedAt: string;
  signedBy: Actor;
}

function toRecord(row: PurchaseContract): ContractRecord {
  return {
    id: row.id,
    projectId: row.projectId,
    organizationId: row.organizationId,
    subDistrictId: row.subDistrictId,
    communityId: row.communityId,
    level: row.level as ProjectLevel,
    tenderId: row.tenderId,
    bidId: row.bidId,
    amountFen: fen(row.amountFen),
    startsOn: isoDate(row.startsOn),
    endsOn: isoDate(row.endsOn),
    signedAt: iso(row.signedAt),
    signedBy: actorFrom(row.signedBy),
  };
}

export function contractRepository(tx: OrganizationsTx) {
  return {
    async findById(id: string): Promise<ContractRecord | null> {
      const row = await tx.purchaseContract.findUnique({ where: { id } });
      return row ? toRecord(row) : null;
    },
    async findByProject(projectId: string): Promise<ContractRecord | null> {
      const row = await tx.purchaseContract.findUnique({ where: { projectId } });
      return row ? toRecord(row) : null;
    },
    async create(input: Omit<ContractRecord, 'signedAt' | 'signedBy' | 'startsOn' | 'endsOn'> & { startsOn: string; endsOn: string; at: Date; by: Actor }) {
      const { at, by, amountFen, startsOn, endsOn, ...rest } = input;
      const row = await tx.purchaseContract.create({
        data: { ...rest, amountFen: BigInt(amountFen), startsOn: new Date(`${startsOn}T00:00:00Z`), endsOn: new Date(`${endsOn}T00:00:00Z`), signedAt: at, signedBy: by },
      });
      return toRecord(row);
    },
    async summaryFor(organizationId: string): Promise<{ count: number; amountFen: number }> {
      const result = await tx.purchaseContract.aggregate({ where: { organizationId }, _count: { _all: true }, _sum: { amountFen: true } });
      return { count: result._count._all, amountFen: fen(result._sum.amountFen ?? 0n) };
    },
    async list({
      filters,
      limit,
      after,
    }: {
      filters: { organizationId?: string; projectId?: string; subDistrictId?: string; level?: ProjectLevel };
      limit: number;
      after?: After;
    }): Promise<ContractRecord[]> {
      const where: Prisma.PurchaseContractWhereInput = {
        ...(filters.organizationId ? { organizationId: filters.organizationId } : {}),
        ...(filters.projectId ? { projectId: filters.projectId } : {}),
        ...(filters.subDistrictId ? { subDistrictId: filters.subDistrictId } : {}),
        ...(filters.level ? { level: filters.level } : {}),
        ...(after ? { OR: [{ signedAt: { gt: new Date(after.at) } }, { signedAt: new Date(after.at), id: { gt: after.id } }] } : {}),
      };
      const rows = await tx.purchaseContract.findMany({ where, orderBy: [{ signedAt: 'asc' }, { id: 'asc' }], take: limit });
      return rows.map(toRecord);
    },
  };
}
export type ContractRepository = ReturnType<typeof contractRepository>;
