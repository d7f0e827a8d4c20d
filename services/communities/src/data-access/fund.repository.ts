import type { Actor, FundMovementKind } from '@linli/contracts';
import type { Prisma, ServiceFund } from './generated/prisma/client';
import type { CommunitiesTx } from './prisma';
import { actorFrom, afterWhere, fen, iso, type After, type Visibility } from './rows';

export interface FundRecord {
  id: string;
  subDistrictId: string;
  communityId: string | null;
  fiscalYear: number;
  allocatedFen: number;
  committedFen: number;
  spentFen: number;
  createdAt: string;
  createdBy: Actor;
  updatedAt: string;
  updatedBy: Actor;
}

export interface FundMovementRecord {
  id: string;
  kind: FundMovementKind;
  amountFen: number;
  projectId: string | null;
  trancheId: string | null;
  note: string | null;
  at: string;
  by: Actor;
}

export interface CommitmentRecord {
  proposalId: string;
  fundId: string;
  amountFen: number;
  paidFen: number;
}

function toRecord(row: ServiceFund): FundRecord {
  return {
    id: row.id,
    subDistrictId: row.subDistrictId,
    communityId: row.communityId,
    fiscalYear: row.fiscalYear,
    allocatedFen: fen(row.allocatedFen),
    committedFen: fen(row.committedFen),
    spentFen: fen(row.spentFen),
    createdAt: iso(row.createdAt),
    createdBy: actorFrom(row.createdBy),
    updatedAt: iso(row.updatedAt),
    updatedBy: actorFrom(row.updatedBy),
  };
}

/** The fund line a community (or, with communityId null, the sub-district itself) holds. */
export const holderIdOf = (subDistrictId: string, communityId: string | null): string => communityId ?? subDistrictId;

export function fundRepository(tx: CommunitiesTx) {
  return {
    async findById(id: string): Promise<FundRecord | null> {
      const row = await tx.serviceFund.findUnique({ where: { id } });
      return row ? toRecord(row) : null;
    },
    async findFor(subDistrictId: string, communityId: string | null, fiscalYear: number): Promise<FundRecord | null> {
      const row = await tx.serviceFund.findUnique({ where: { holderId_fiscalYear: { holderId: holderIdOf(subDistrictId, communityId), fiscalYear } } });
      return row ? toRecord(row) : null;
    },
    /** Locks the fund line for the rest of the transaction (allocations, commitments and payments serialize on it). */
    async lockFor(subDistrictId: string, communityId: string | null, fiscalYear: number): Promise<FundRecord | null> {
      const holderId = holderIdOf(subDistrictId, communityId);
      await tx.$queryRaw`SELECT id FROM service_funds WHERE holder_id = ${holderId}::uuid AND fiscal_year = ${fiscalYear} FOR UPDATE`;
      return this.findFor(subDistrictId, communityId, fiscalYear);
    },
    async lockById(id: string): Promise<FundRecord | null> {
      await tx.$queryRaw`SELECT id FROM service_funds WHERE id = ${id}::uuid FOR UPDATE`;
      return this.findById(id);
    },
    async create(input: { id: string; subDistrictId: string; communityId: string | null; fiscalYear: number; allocatedFen: number; at: Date; by: Actor }): Promise<FundRecord> {
      const row = await tx.serviceFund.create({
        data: {
          id: input.id,
          subDistrictId: input.subDistrictId,
          communityId: input.communityId,
          holderId: holderIdOf(input.subDistrictId, input.communityId),
          fiscalYear: input.fiscalYear,
          allocatedFen: BigInt(input.allocatedFen),
          createdAt: input.at,
          createdBy: input.by,
          updatedAt: input.at,
          updatedBy: input.by,
        },
      });
      return toRecord(row);
    },
    async setFigures(id: string, figures: { allocatedFen: number; committedFen: number; spentFen: number }, at: Date, by: Actor): Promise<FundRecord> {
      const row = await tx.serviceFund.update({
        where: { id },
        data: {
          allocatedFen: BigInt(figures.allocatedFen),
          committedFen: BigInt(figures.committedFen),
          spentFen: BigInt(figures.spentFen),
          updatedAt: at,
          updatedBy: by,
        },
      });
      return toRecord(row);
    },
    async addMovement(input: { id: string; fundId: string; kind: FundMovementKind; amountFen: number; projectId?: string | null; trancheId?: string | null; note?: string | null; at: Date; by: Actor }): Promise<void> {
      await tx.fundMovement.create({
        data: {
          id: input.id,
          fundId: input.fundId,
          kind: input.kind,
          amountFen: BigInt(input.amountFen),
          projectId: input.projectId ?? null,
          trancheId: input.trancheId ?? null,
          note: input.note ?? null,
          at: input.at,
          by: input.by,
        },
      });
    },
    async movements(fundId: string, limit = 200): Promise<FundMovementRecord[]> {
      const rows = await tx.fundMovement.findMany({ where: { fundId }, orderBy: [{ at: 'desc' }, { id: 'asc' }], take: limit });
      return rows.map((r) => ({
        id: r.id,
        kind: r.kind as FundMovementKind,
        amountFen: fen(r.amountFen),
        projectId: r.projectId,
        trancheId: r.trancheId,
        note: r.note,
        at: iso(r.at),
        by: actorFrom(r.by),
      }));
    },
    async trancheCounted(trancheId: string): Promise<boolean> {
      return (await tx.fundMovement.count({ where: { trancheId } })) > 0;
    },
    async findCommitment(proposalId: string): Promise<CommitmentRecord | null> {
      const row = await tx.fundCommitment.findUnique({ where: { proposalId } });
      return row ? { proposalId: row.proposalId, fundId: row.fundId, amountFen: fen(row.amountFen), paidFen: fen(row.paidFen) } : null;
    },
    async createCommitment(input: { proposalId: string; fundId: string; amountFen: number; at: Date }): Promise<void> {
      await tx.fundCommitment.create({ data: { proposalId: input.proposalId, fundId: input.fundId, amountFen: BigInt(input.amountFen), createdAt: input.at } });
    },
    async setCommitmentPaid(proposalId: string, paidFen: number): Promise<void> {
      await tx.fundCommitment.update({ where: { proposalId }, data: { paidFen: BigInt(paidFen) } });
    },
    async list(
      filter: { subDistrictId?: string; communityId?: string; fiscalYear?: number; holder?: 'community' | 'sub_district'; visible: Visibility },
      page: { limit: number; after?: After },
    ): Promise<FundRecord[]> {
      if (filter.visible.nothing || filter.visible.organizationId) return [];
      const where: Prisma.ServiceFundWhereInput = {
        AND: [
          filter.subDistrictId ? { subDistrictId: filter.subDistrictId } : {},
          filter.communityId ? { communityId: filter.communityId } : {},
          filter.fiscalYear ? { fiscalYear: filter.fiscalYear } : {},
          filter.holder === 'community' ? { communityId: { not: null } } : filter.holder === 'sub_district' ? { communityId: null } : {},
          filter.visible.subDistrictId ? { subDistrictId: filter.visible.subDistrictId } : {},
          filter.visible.communityId ? { communityId: filter.visible.communityId } : {},
          afterWhere('createdAt', page.after),
        ],
      };
      const rows = await tx.serviceFund.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: page.limit });
      return rows.map(toRecord);
    },
  };
}
export type FundRepository = ReturnType<typeof fundRepository>;
