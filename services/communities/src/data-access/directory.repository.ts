import type { CreditStatus, ServiceCategory, TargetGroup } from '@linli/contracts';
import type { DirectoryOffering, DirectoryOrganization } from './generated/prisma/client';
import type { CommunitiesTx } from './prisma';
import { afterWhere, fen, iso, type After } from './rows';

export interface DirectoryOrganizationRecord {
  id: string;
  name: string | null;
  creditStatus: CreditStatus;
  updatedAt: string;
  createdAt: string;
}

export interface DirectoryOfferingRecord {
  id: string;
  organizationId: string;
  title: string;
  category: ServiceCategory;
  targetGroups: TargetGroup[];
  priceMinFen: number;
  priceMaxFen: number;
  publishedAt: string;
}

function organizationRecord(row: DirectoryOrganization): DirectoryOrganizationRecord {
  return { id: row.id, name: row.name, creditStatus: row.creditStatus as CreditStatus, updatedAt: iso(row.updatedAt), createdAt: iso(row.createdAt) };
}
function offeringRecord(row: DirectoryOffering): DirectoryOfferingRecord {
  return {
    id: row.id,
    organizationId: row.organizationId,
    title: row.title,
    category: row.category as ServiceCategory,
    targetGroups: row.targetGroups as TargetGroup[],
    priceMinFen: fen(row.priceMinFen),
    priceMaxFen: fen(row.priceMaxFen),
    publishedAt: iso(row.publishedAt),
  };
}

/** The local copy of the organizations service's registry and offerings (written only by the consumer). */
export function directoryRepository(tx: CommunitiesTx) {
  return {
    async organization(id: string): Promise<DirectoryOrganizationRecord | null> {
      const row = await tx.directoryOrganization.findUnique({ where: { id } });
      return row ? organizationRecord(row) : null;
    },
    async organizations(ids: readonly string[]): Promise<Map<string, DirectoryOrganizationRecord>> {
      const rows = await tx.directoryOrganization.findMany({ where: { id: { in: [...new Set(ids)] } } });
      return new Map(rows.map((r) => [r.id, organizationRecord(r)]));
    },
    async offering(id: string): Promise<DirectoryOfferingRecord | null> {
      const row = await tx.directoryOffering.findUnique({ where: { id } });
      return row ? offeringRecord(row) : null;
    },
    async offerings(ids: readonly string[]): Promise<Map<string, DirectoryOfferingRecord>> {
      const rows = await tx.directoryOffering.findMany({ where: { id: { in: [...new Set(ids)] } } });
      return new Map(rows.map((r) => [r.id, offeringRecord(r)]));
    },
    /** Registration: name and code; the credit status it was registered with unless a later change already arrived. */
    async upsertRegistered(input: { id: string; name: string; creditCode: string; creditStatus: CreditStatus; at: Date }): Promise<void> {
      await tx.directoryOrganization.upsert({
        where: { id: input.id },
        create: { id: input.id, name: input.name, creditCode: input.creditCode, creditStatus: input.creditStatus, updatedAt: input.at, createdAt: input.at },
        update: { name: input.name, creditCode: input.creditCode },
      });
    },
    async setCreditStatus(input: { id: string; creditStatus: CreditStatus; reason: string; at: Date }): Promise<void> {
      await tx.directoryOrganization.upsert({
        where: { id: input.id },
        create: { id: input.id, name: null, creditStatus: input.creditStatus, creditReason: input.reason, updatedAt: input.at, createdAt: input.at },
        update: { creditStatus: input.creditStatus, creditReason: input.reason, updatedAt: input.at },
      });
    },
    async upsertOffering(input: DirectoryOfferingRecord): Promise<void> {
      const data = {
        organizationId: input.organizationId,
        title: input.title,
        category: input.category,
        targetGroups: input.targetGroups,
        priceMinFen: BigInt(input.priceMinFen),
        priceMaxFen: BigInt(input.priceMaxFen),
        publishedAt: new Date(input.publishedAt),
      };
      await tx.directoryOffering.upsert({ where: { id: input.id }, create: { id: input.id, ...data }, update: data });
    },
    async listOrganizations(filter: { creditStatus?: CreditStatus }, page: { limit: number; after?: After }): Promise<DirectoryOrganizationRecord[]> {
      const rows = await tx.directoryOrganization.findMany({
        where: { AND: [filter.creditStatus ? { creditStatus: filter.creditStatus } : {}, afterWhere('createdAt', page.after)] },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: page.limit,
      });
      return rows.map(organizationRecord);
    },
    async listOfferings(filter: { organizationId?: string; category?: ServiceCategory }, page: { limit: number; after?: After }): Promise<DirectoryOfferingRecord[]> {
      const rows = await tx.directoryOffering.findMany({
        where: {
          AND: [
            filter.organizationId ? { organizationId: filter.organizationId } : {},
            filter.category ? { category: filter.category } : {},
            afterWhere('publishedAt', page.after),
          ],
        },
        orderBy: [{ publishedAt: 'asc' }, { id: 'asc' }],
        take: page.limit,
      });
      return rows.map(offeringRecord);
    },
  };
}
export type DirectoryRepository = ReturnType<typeof directoryRepository>;
