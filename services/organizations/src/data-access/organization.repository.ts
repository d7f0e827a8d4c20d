import type {
  Actor,
  AnnualInspectionResult,
  AnnualInspectionView,
  CreditChangeView,
  CreditStatus,
  OrganizationDetailView,
  OrganizationView,
  RegistrationType,
} from '@linli/contracts';
import type { AnnualInspection, CreditChange, Organization, Prisma } from './generated/prisma/client';
import type { OrganizationsTx } from './prisma';
import { actorFrom, iso, isoOrNull, type After } from './rows';

export type OrganizationRecord = OrganizationView;

function inspectionView(row: AnnualInspection): AnnualInspectionView {
  return {
    year: row.year,
    result: row.result as AnnualInspectionResult,
    remarks: row.remarks,
    recordedAt: iso(row.recordedAt),
    recordedBy: actorFrom(row.recordedBy),
  };
}

function creditChangeView(row: CreditChange): CreditChangeView {
  return {
    from: row.fromStatus as CreditStatus,
    to: row.toStatus as CreditStatus,
    reason: row.reason,
    changedAt: iso(row.changedAt),
    changedBy: actorFrom(row.changedBy),
  };
}

function toRecord(row: Organization & { inspections: AnnualInspection[] }): OrganizationRecord {
  const latest = row.inspections[0];
  return {
    id: row.id,
    name: row.name,
    creditCode: row.creditCode,
    registrationType: row.registrationType as RegistrationType,
    registeredWith: row.registeredWith,
    address: row.address,
    description: row.description,
    creditStatus: row.creditStatus as CreditStatus,
    creditReason: row.creditReason,
    creditChangedAt: isoOrNull(row.creditChangedAt),
    latestInspection: latest ? inspectionView(latest) : null,
    createdAt: iso(row.createdAt),
    createdBy: actorFrom(row.createdBy),
  };
}

const withLatestInspection = { inspections: { orderBy: { year: 'desc' }, take: 1 } } as const;

export interface OrganizationFilters {
  creditStatus?: CreditStatus;
  registrationType?: RegistrationType;
  q?: string;
}

export function organizationRepository(tx: OrganizationsTx) {
  return {
    async findById(id: string): Promise<OrganizationRecord | null> {
      const row = await tx.organization.findUnique({ where: { id }, include: withLatestInspection });
      return row ? toRecord(row) : null;
    },
    async findDetail(id: string): Promise<OrganizationDetailView | null> {
      const row = await tx.organization.findUnique({
        where: { id },
        include: { inspections: { orderBy: { year: 'desc' } }, creditChanges: { orderBy: { changedAt: 'desc' } } },
      });
      if (!row) return null;
      return { ...toRecord(row), annualInspections: row.inspections.map(inspectionView), creditHistory: row.creditChanges.map(creditChangeView) };
    },
    /** Locks the row for the rest of the transaction, so concurrent credit changes apply one after the other. */
    async lock(id: string): Promise<void> {
      await tx.$queryRaw`select id from organizations where id = ${id}::uuid for update`;
    },
    async findByName(name: string): Promise<OrganizationRecord | null> {
      const row = await tx.organization.findUnique({ where: { name }, include: withLatestInspection });
      return row ? toRecord(row) : null;
    },
    async findByCreditCode(creditCode: string): Promise<OrganizationRecord | null> {
      const row = await tx.organization.findUnique({ where: { creditCode }, include: withLatestInspection });
      return row ? toRecord(row) : null;
    },
    async create(input: {
      id: string;
      name: string;
      creditCode: string;
      registrationType: RegistrationType;
      registeredWith: string;
      address: string | null;
      description: string | null;
      createdAt: Date;
      createdBy: Actor;
    }): Promise<OrganizationRecord> {
      return toRecord(await tx.organization.create({ data: input, include: withLatestInspection }));
    },
    async changeCredit(input: { id: string; changeId: string; from: CreditStatus; to: CreditStatus; reason: string; at: Date; by: Actor }): Promise<OrganizationRecord> {
      await tx.creditChange.create({
        data: { id: input.changeId, organizationId: input.id, fromStatus: input.from, toStatus: input.to, reason: input.reason, changedAt: input.at, changedBy: input.by },
      });
      return toRecord(
        await tx.organization.update({
          where: { id: input.id },
          data: { creditStatus: input.to, creditReason: input.reason, creditChangedAt: input.at },
          include: withLatestInspection,
        }),
      );
    },
    async findInspection(organizationId: string, year: number): Promise<AnnualInspectionView | null> {
      const row = await tx.annualInspection.findUnique({ where: { organizationId_year: { organizationId, year } } });
      return row ? inspectionView(row) : null;
    },
    async addInspection(input: { id: string; organizationId: string; year: number; result: AnnualInspectionResult; remarks: string | null; at: Date; by: Actor }) {
      const row = await tx.annualInspection.create({
        data: { id: input.id, organizationId: input.organizationId, year: input.year, result: input.result, remarks: input.remarks, recordedAt: input.at, recordedBy: input.by },
      });
      return inspectionView(row);
    },
    /** Names by id, for views that show the organization beside a bid, an offering or a contract. */
    async namesByIds(ids: string[]): Promise<Map<string, { name: string; creditStatus: CreditStatus }>> {
      const rows = await tx.organization.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, name: true, creditStatus: true } });
      return new Map(rows.map((r) => [r.id, { name: r.name, creditStatus: r.creditStatus as CreditStatus }]));
    },
    /** Keyset pagination on (created_at, id): stable while rows are added. */
    async list({ filters, limit, after }: { filters: OrganizationFilters; limit: number; after?: After }): Promise<OrganizationRecord[]> {
      const where: Prisma.OrganizationWhereInput = {
        ...(filters.creditStatus ? { creditStatus: filters.creditStatus } : {}),
        ...(filters.registrationType ? { registrationType: filters.registrationType } : {}),
        ...(filters.q ? { name: { contains: filters.q, mode: 'insensitive' } } : {}),
        ...(after
          ? { OR: [{ createdAt: { gt: new Date(after.at) } }, { createdAt: new Date(after.at), id: { gt: after.id } }] }
          : {}),
      };
      const rows = await tx.organization.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: limit, include: withLatestInspection });
      return rows.map(toRecord);
    },
  };
}
export type OrganizationRepository = ReturnType<typeof organizationRepository>;
