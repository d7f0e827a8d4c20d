import type { Actor, ObjectionView, TenderCriterion, TenderDocument, TenderStatus } from '@linli/contracts';
import type { Bid, Objection, Prisma, ScoreSheet, Tender, TenderRound } from './generated/prisma/client';
import type { OrganizationsTx } from './prisma';
import { actorFrom, fen, iso, isoOrNull, type After } from './rows';

/**
 * Tender rows as the domain sees them. The repository returns bids with their full content; who may
 * see that content is decided in the domain (bid visibility rules), never here.
 */
export interface TenderRoundRecord {
  round: number;
  enquiryDeadline: string;
  bidDeadline: string;
  openingAt: string;
  publishedAt: string;
  publishedBy: Actor;
  outcome: 'pending' | 'unsuccessful' | 'opened' | 'cancelled';
  bidCount: number | null;
  closedAt: string | null;
}

export interface TenderRecord {
  id: string;
  subDistrictId: string;
  communityId: string | null;
  projectId: string;
  title: string;
  description: string;
  budgetCeilingFen: number;
  minimumBids: number;
  documents: TenderDocument[];
  criteria: TenderCriterion[];
  status: TenderStatus;
  round: number;
  enquiryDeadline: string;
  bidDeadline: string;
  openingAt: string;
  awardedBidId: string | null;
  awardScore: number | null;
  awardedAt: string | null;
  awardedBy: Actor | null;
  standstillEndsAt: string | null;
  cancelReason: string | null;
  rounds: TenderRoundRecord[];
  openObjections: number;
  createdAt: string;
  createdBy: Actor;
  updatedAt: string;
  updatedBy: Actor;
}

export interface BidRecord {
  id: string;
  tenderId: string;
  round: number;
  organizationId: string;
  priceFen: number;
  technicalProposal: string;
  staffPlan: { staffId: string; staffName: string; projectRole: string }[];
  submittedAt: string;
  submittedBy: Actor;
}

export interface ScoreSheetRecord {
  bidId: string;
  scorerUserId: string;
  scorer: Actor;
  scores: { criterionKey: string; score: number }[];
  total: number;
  comment: string | null;
  scoredAt: string;
}

export type ObjectionRecord = ObjectionView;

function roundView(row: TenderRound): TenderRoundRecord {
  return {
    round: row.round,
    enquiryDeadline: iso(row.enquiryDeadline),
    bidDeadline: iso(row.bidDeadline),
    openingAt: iso(row.openingAt),
    publishedAt: iso(row.publishedAt),
    publishedBy: actorFrom(row.publishedBy),
    outcome: row.outcome as TenderRoundRecord['outcome'],
    bidCount: row.bidCount,
    closedAt: isoOrNull(row.closedAt),
  };
}

type TenderRow = Tender & { rounds: TenderRound[]; _count: { objections: number } };

function tenderView(row: TenderRow): TenderRecord {
  return {
    id: row.id,
    subDistrictId: row.subDistrictId,
    communityId: row.communityId,
    projectId: row.projectId,
    title: row.title,
    description: row.description,
    budgetCeilingFen: fen(row.budgetCeilingFen),
    minimumBids: row.minimumBids,
    documents: row.documents as TenderDocument[],
    criteria: row.criteria as TenderCriterion[],
    status: row.status as TenderStatus,
    round: row.round,
    enquiryDeadline: iso(row.enquiryDeadline),
    bidDeadline: iso(row.bidDeadline),
    openingAt: iso(row.openingAt),
    awardedBidId: row.awardedBidId,
    awardScore: row.awardScore,
    awardedAt: isoOrNull(row.awardedAt),
    awardedBy: row.awardedBy ? actorFrom(row.awardedBy) : null,
    standstillEndsAt: isoOrNull(row.standstillEndsAt),
    cancelReason: row.cancelReason,
    rounds: row.rounds.map(roundView),
    openObjections: row._count.objections,
    createdAt: iso(row.createdAt),
    createdBy: actorFrom(row.createdBy),
    updatedAt: iso(row.updatedAt),
    updatedBy: actorFrom(row.updatedBy),
  };
}

function bidView(row: Bid): BidRecord {
  return {
    id: row.id,
    tenderId: row.tenderId,
    round: row.round,
    organizationId: row.organizationId,
    priceFen: fen(row.priceFen),
    technicalProposal: row.technicalProposal,
    staffPlan: row.staffPlan as BidRecord['staffPlan'],
    submittedAt: iso(row.submittedAt),
    submittedBy: actorFrom(row.submittedBy),
  };
}

function sheetView(row: ScoreSheet): ScoreSheetRecord {
  return {
    bidId: row.bidId,
    scorerUserId: row.scorerUserId,
    scorer: actorFrom(row.scorer),
    scores: row.scores as ScoreSheetRecord['scores'],
    total: row.total,
    comment: row.comment,
    scoredAt: iso(row.scoredAt),
  };
}

function objectionView(row: Objection): ObjectionRecord {
  return {
    id: row.id,
    tenderId: row.tenderId,
    organizationId: row.organizationId,
    grounds: row.grounds,
    status: row.status as ObjectionRecord['status'],
    lodgedAt: iso(row.lodgedAt),
    lodgedBy: actorFrom(row.lodgedBy),
    answer: row.answer,
    answeredAt: isoOrNull(row.answeredAt),
    answeredBy: row.answeredBy ? actorFrom(row.answeredBy) : null,
  };
}

const tenderInclude = {
  rounds: { orderBy: { round: 'asc' } },
  _count: { select: { objections: { where: { status: 'open' } } } },
} as const;

export interface NewTender {
  id: string;
  subDistrictId: string;
  communityId: string | null;
  projectId: string;
  title: string;
  description: string;
  budgetCeilingFen: number;
  minimumBids: number;
  documents: TenderDocument[];
  criteria: TenderCriterion[];
  enquiryDeadline: Date;
  bidDeadline: Date;
  openingAt: Date;
}

export type TenderChanges = Partial<Omit<NewTender, 'id' | 'subDistrictId' | 'communityId' | 'projectId'>> & {
  status?: TenderStatus;
  round?: number;
  awardedBidId?: string | null;
  awardScore?: number | null;
  awardedAt?: Date | null;
  awardedBy?: Actor;
  standstillEndsAt?: Date | null;
  cancelReason?: string | null;
};

export function tenderRepository(tx: OrganizationsTx) {
  const findById = async (id: string): Promise<TenderRecord | null> => {
    const row = await tx.tender.findUnique({ where: { id }, include: tenderInclude });
    return row ? tenderView(row) : null;
  };
  return {
    findById,
    /**
     * Reads the tender and locks its row until the transaction ends: every state change of a tender
     * (bid, opening, award, objection, signing) goes through here, so they apply one at a time.
     */
    async findForUpdate(id: string): Promise<TenderRecord | null> {
      const locked = await tx.$queryRaw<{ id: string }[]>`select id::text from tenders where id = ${id}::uuid for update`;
      if (!locked.length) return null;
      return findById(id);
    },
    /** Tenders for the project that are still alive (not cancelled). */
    async liveForProject(projectId: string): Promise<TenderRecord[]> {
      const rows = await tx.tender.findMany({ where: { projectId, status: { not: 'cancelled' } }, include: tenderInclude });
      return rows.map(tenderView);
    },
    async create(input: NewTender, at: Date, by: Actor): Promise<TenderRecord> {
      const { budgetCeilingFen, documents, criteria, ...rest } = input;
      const row = await tx.tender.create({
        data: {
          ...rest,
          budgetCeilingFen: BigInt(budgetCeilingFen),
          documents: documents as unknown as Prisma.InputJsonValue,
          criteria: criteria as unknown as Prisma.InputJsonValue,
          createdAt: at,
          createdBy: by,
          updatedAt: at,
          updatedBy: by,
        },
        include: tenderInclude,
      });
      return tenderView(row);
    },
    async update(id: string, changes: TenderChanges, at: Date, by: Actor): Promise<TenderRecord> {
      const { budgetCeilingFen, documents, criteria, awardedBy, ...rest } = changes;
      const row = await tx.tender.update({
        where: { id },
        data: {
          ...rest,
          ...(budgetCeilingFen !== undefined ? { budgetCeilingFen: BigInt(budgetCeilingFen) } : {}),
          ...(documents !== undefined ? { documents: documents as unknown as Prisma.InputJsonValue } : {}),
          ...(criteria !== undefined ? { criteria: criteria as unknown as Prisma.InputJsonValue } : {}),
          ...(awardedBy ? { awardedBy } : {}),
          updatedAt: at,
          updatedBy: by,
        },
        include: tenderInclude,
      });
      return tenderView(row);
    },
    async openRound(input: { tenderId: string; round: number; enquiryDeadline: Date; bidDeadline: Date; openingAt: Date; at: Date; by: Actor }): Promise<void> {
      await tx.tenderRound.create({
        data: {
          tenderId: input.tenderId,
          round: input.round,
          enquiryDeadline: input.enquiryDeadline,
          bidDeadline: input.bidDeadline,
          openingAt: input.openingAt,
          publishedAt: input.at,
          publishedBy: input.by,
        },
      });
    },
    async closeRound(tenderId: string, round: number, outcome: 'unsuccessful' | 'opened' | 'cancelled', bidCount: number | null, at: Date): Promise<void> {
      await tx.tenderRound.update({ where: { tenderId_round: { tenderId, round } }, data: { outcome, bidCount, closedAt: at } });
    },
    async list({
      filters,
      limit,
      after,
    }: {
      filters: { status?: TenderStatus; subDistrictId?: string; projectId?: string };
      limit: number;
      after?: After;
    }): Promise<TenderRecord[]> {
      const where: Prisma.TenderWhereInput = {
        ...(filters.status ? { status: filters.status } : {}),
        ...(filters.subDistrictId ? { subDistrictId: filters.subDistrictId } : {}),
        ...(filters.projectId ? { projectId: filters.projectId } : {}),
        ...(after ? { OR: [{ createdAt: { gt: new Date(after.at) } }, { createdAt: new Date(after.at), id: { gt: after.id } }] } : {}),
      };
      const rows = await tx.tender.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: limit, include: tenderInclude });
      return rows.map(tenderView);
    },

    // ── bids ──
    async findBid(id: string): Promise<BidRecord | null> {
      const row = await tx.bid.findUnique({ where: { id } });
      return row ? bidView(row) : null;
    },
    async findBidOf(tenderId: string, round: number, organizationId: string): Promise<BidRecord | null> {
      const row = await tx.bid.findUnique({ where: { tenderId_round_organizationId: { tenderId, round, organizationId } } });
      return row ? bidView(row) : null;
    },
    async createBid(input: Omit<BidRecord, 'submittedAt' | 'submittedBy'> & { at: Date; by: Actor }): Promise<BidRecord> {
      const { at, by, priceFen, staffPlan, ...rest } = input;
      const row = await tx.bid.create({
        data: { ...rest, priceFen: BigInt(priceFen), staffPlan: staffPlan as unknown as Prisma.InputJsonValue, submittedAt: at, submittedBy: by },
      });
      return bidView(row);
    },
    async countBids(tenderId: string, round: number): Promise<number> {
      return tx.bid.count({ where: { tenderId, round } });
    },
    async bidsOfRound(tenderId: string, round: number): Promise<BidRecord[]> {
      const rows = await tx.bid.findMany({ where: { tenderId, round }, orderBy: [{ submittedAt: 'asc' }, { id: 'asc' }] });
      return rows.map(bidView);
    },
    /** One page of a round's bids, optionally only one organization's (what a sealed list may show). */
    async listBids({
      tenderId,
      round,
      organizationId,
      limit,
      after,
    }: {
      tenderId: string;
      round: number;
      organizationId?: string;
      limit: number;
      after?: After;
    }): Promise<BidRecord[]> {
      const rows = await tx.bid.findMany({
        where: {
          tenderId,
          round,
          ...(organizationId ? { organizationId } : {}),
          ...(after ? { OR: [{ submittedAt: { gt: new Date(after.at) } }, { submittedAt: new Date(after.at), id: { gt: after.id } }] } : {}),
        },
        orderBy: [{ submittedAt: 'asc' }, { id: 'asc' }],
        take: limit,
      });
      return rows.map(bidView);
    },

    // ── score sheets ──
    async upsertSheet(input: Omit<ScoreSheetRecord, 'scoredAt'> & { at: Date }): Promise<ScoreSheetRecord> {
      const data = {
        scorer: input.scorer,
        scores: input.scores as unknown as Prisma.InputJsonValue,
        total: input.total,
        comment: input.comment,
        scoredAt: input.at,
      };
      const row = await tx.scoreSheet.upsert({
        where: { bidId_scorerUserId: { bidId: input.bidId, scorerUserId: input.scorerUserId } },
        create: { bidId: input.bidId, scorerUserId: input.scorerUserId, ...data },
        update: data,
      });
      return sheetView(row);
    },
    async sheetsFor(bidIds: string[]): Promise<ScoreSheetRecord[]> {
      const rows = await tx.scoreSheet.findMany({ where: { bidId: { in: bidIds } }, orderBy: [{ scoredAt: 'asc' }, { scorerUserId: 'asc' }] });
      return rows.map(sheetView);
    },

    // ── objections ──
    async findObjection(id: string): Promise<ObjectionRecord | null> {
      const row = await tx.objection.findUnique({ where: { id } });
      return row ? objectionView(row) : null;
    },
    async createObjection(input: { id: string; tenderId: string; organizationId: string; grounds: string; at: Date; by: Actor }): Promise<ObjectionRecord> {
      const row = await tx.objection.create({
        data: { id: input.id, tenderId: input.tenderId, organizationId: input.organizationId, grounds: input.grounds, lodgedAt: input.at, lodgedBy: input.by },
      });
      return objectionView(row);
    },
    async answerObjection(id: string, answer: string, at: Date, by: Actor): Promise<ObjectionRecord> {
      const row = await tx.objection.update({ where: { id }, data: { status: 'answered', answer, answeredAt: at, answeredBy: by } });
      return objectionView(row);
    },
    async objectionsOf(tenderId: string, organizationId?: string): Promise<ObjectionRecord[]> {
      const rows = await tx.objection.findMany({
        where: { tenderId, ...(organizationId ? { organizationId } : {}) },
        orderBy: [{ lodgedAt: 'asc' }, { id: 'asc' }],
      });
      return rows.map(objectionView);
    },
  };
}
export type TenderRepository = ReturnType<typeof tenderRepository>;
