import type { Actor, CreditStatus, OfferingView, ServiceCategory, TargetGroup } from '@linli/contracts';
import type { Offering, Organization, Prisma } from './generated/prisma/client';
import type { OrganizationsTx } from './prisma';
import { actorFrom, fen, iso, type After } from './rows';

export type OfferingRecord = OfferingView;

function toRecord(row: Offering & { organization: Pick<Organization, 'name' | 'creditStatus'> }): OfferingRecord {
  return {
    id: row.id,
    organizationId: row.organizationId,
    organizationName: row.organization.name,
    organizationCreditStatus: row.organization.creditStatus as CreditStatus,
    category: row.category as ServiceCategory,
    targetGroups: row.targetGroups as TargetGroup[],
    title: row.title,
    description: row.description,
    priceMinFen: fen(row.priceMinFen),
    priceMaxFen: fen(row.priceMaxFen),
    createdAt: iso(row.createdAt),
    createdBy: actorFrom(row.createdBy),
    updatedAt: iso(row.updatedAt),
    updatedBy: actorFrom(row.updatedBy),
  };
}

const include = { organization: { select: { name: true, creditStatus: true } } } as const;

export interface OfferingFields {
  category: ServiceCategory;
  targetGroups: TargetGroup[];
  title: string;
  description: string;
  priceMinFen: number;
  priceMaxFen: number;
}

export function offeringRepository(tx: OrganizationsTx) {
  return {
    async findById(id: string): Promise<OfferingRecord | null> {
      const row = await tx.offering.findUnique({ where: { id }, include });
      return row ? toRecord(row) : null;
    },
    async findByTitle(organizationId: string, title: string): Promise<OfferingRecord | null> {
      const row = await tx.offering.findUnique({ where: { organizationId_title: { organizationId, title } }, include });
      return row ? toRecord(row) : null;
    },
    async create(input: OfferingFields & { id: string; organizationId: string; at: Date; by: Actor }): Promise<OfferingRecord> {
      const { at, by, priceMinFen, priceMaxFen, ...rest } = input;
      const row = await tx.offering.create({
        data: { ...rest, priceMinFen: BigInt(priceMinFen), priceMaxFen: BigInt(priceMaxFen), createdAt: at, createdBy: by, updatedAt: at, updatedBy: by },
        include,
      });
      return toRecord(row);
    },
    async update(id: string, fields: OfferingFields, at: Date, by: Actor): Promise<OfferingRecord> {
      const { priceMinFen, priceMaxFen, ...rest } = fields;
      const row = await tx.offering.update({
        where: { id },
        data: { ...rest, priceMinFen: BigInt(priceMinFen), priceMaxFen: BigInt(priceMaxFen), updatedAt: at, updatedBy: by },
        include,
      });
      return toRecord(row);
    },
    async list({
      filters,
      limit,
      after,
    }: {
      filters: { category?: ServiceCategory; targetGroup?: TargetGroup; organizationId?: string };
      limit: number;
      after?: After;
    }): Promise<OfferingRecord[]> {
      const where: Prisma.OfferingWhereInput = {
        ...(filters.category ? { category: filters.category } : {}),
        ...(filters.targetGroup ? { targetGroups: { has: filters.targetGroup } } : {}),
        ...(filters.organizationId ? { organizationId: filters.organizationId } : {}),
        ...(after ? { OR: [{ createdAt: { gt: new Date(after.at) } }, { createdAt: new Date(after.at), id: { gt: after.id } }] } : {}),
      };
      const rows = await tx.offering.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: limit, include });
      return rows.map(toRecord);
    },
  };
}
export type OfferingRepository = ReturnType<typeof offeringRepository>;
