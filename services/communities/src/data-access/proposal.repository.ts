import type { Actor, ItemKind, PlannedActivity, ProjectLevel, ProposalStatus, ReviewGate, ReviewOutcome } from '@linli/contracts';
import type { Prisma, Proposal, ProposalVersion } from './generated/prisma/client';
import type { CommunitiesTx } from './prisma';
import { actorFrom, actorOrNull, afterWhere, fen, iso, isoOrNull, type After, type Visibility } from './rows';

/** A price flag as stored with its line: the reference it was compared with when the version was saved. */
export interface StoredPriceFlag {
  referencePriceFen: number;
  referenceUnit: string;
  marginPercent: number;
  thresholdFen: number;
  overByPercent: number;
}

export interface StoredItemLine {
  lineKey: string;
  activityKey: string;
  itemKind: ItemKind;
  description: string;
  unit: string | null;
  unitPriceFen: number;
  quantity: number;
  amountFen: number;
  flag: StoredPriceFlag | null;
}

export interface StoredStaffLine {
  lineKey: string;
  person: string;
  role: string;
  hours: number;
  hourlyRateFen: number;
  activityKey: string | null;
  amountFen: number;
}

export interface ProposalRecord {
  id: string;
  level: ProjectLevel;
  subDistrictId: string;
  communityId: string | null;
  organizationId: string;
  offeringId: string | null;
  title: string;
  fiscalYear: number;
  status: ProposalStatus;
  currentGate: ReviewGate | null;
  currentVersion: number;
  reviewVersion: number | null;
  grandTotalFen: number;
  openFlagCount: number;
  createdAt: string;
  createdBy: Actor;
  updatedAt: string;
  updatedBy: Actor;
  submittedAt: string | null;
  submittedBy: Actor | null;
  approvedAt: string | null;
}

export interface VersionContent {
  title: string;
  fiscalYear: number;
  summary: string;
  offeringId: string | null;
  organizationId: string;
  activities: PlannedActivity[];
  itemLines: StoredItemLine[];
  staffLines: StoredStaffLine[];
  itemTotalFen: number;
  staffTotalFen: number;
  grandTotalFen: number;
}

export interface VersionRecord extends VersionContent {
  proposalId: string;
  version: number;
  frozenAt: string | null;
  frozenBy: Actor | null;
  createdAt: string;
  createdBy: Actor;
  updatedAt: string;
  updatedBy: Actor;
}

export interface AcceptanceRecord {
  lineKey: string;
  reason: string;
  acceptedAt: string;
  acceptedBy: Actor;
}

export interface DecisionRecord {
  id: string;
  proposalId: string;
  version: number;
  gate: ReviewGate;
  outcome: ReviewOutcome;
  reasons: string;
  minutesRef: string | null;
  decidedAt: string;
  decidedBy: Actor;
}

/** 回避声明 of one person on one proposal. */
export interface ConflictRecord {
  id: string;
  proposalId: string;
  userId: string;
  reason: string;
  declaredAt: string;
  declaredBy: Actor;
}

function proposalRecord(row: Proposal): ProposalRecord {
  return {
    id: row.id,
    level: row.level as ProjectLevel,
    subDistrictId: row.subDistrictId,
    communityId: row.communityId,
    organizationId: row.organizationId,
    offeringId: row.offeringId,
    title: row.title,
    fiscalYear: row.fiscalYear,
    status: row.status as ProposalStatus,
    currentGate: row.currentGate as ReviewGate | null,
    currentVersion: row.currentVersion,
    reviewVersion: row.reviewVersion,
    grandTotalFen: fen(row.grandTotalFen),
    openFlagCount: row.openFlagCount,
    createdAt: iso(row.createdAt),
    createdBy: actorFrom(row.createdBy),
    updatedAt: iso(row.updatedAt),
    updatedBy: actorFrom(row.updatedBy),
    submittedAt: isoOrNull(row.submittedAt),
    submittedBy: actorOrNull(row.submittedBy),
    approvedAt: isoOrNull(row.approvedAt),
  };
}

function versionRecord(row: ProposalVersion): VersionRecord {
  return {
    proposalId: row.proposalId,
    version: row.version,
    title: row.title,
    fiscalYear: row.fiscalYear,
    summary: row.summary,
    offeringId: row.offeringId,
    organizationId: row.organizationId,
    // Written by this service only, from validated input: the stored shape is ours.
    activities: row.activities as unknown as PlannedActivity[],
    itemLines: row.itemLines as unknown as StoredItemLine[],
    staffLines: row.staffLines as unknown as StoredStaffLine[],
    itemTotalFen: fen(row.itemTotalFen),
    staffTotalFen: fen(row.staffTotalFen),
    grandTotalFen: fen(row.grandTotalFen),
    frozenAt: isoOrNull(row.frozenAt),
    frozenBy: actorOrNull(row.frozenBy),
    createdAt: iso(row.createdAt),
    createdBy: actorFrom(row.createdBy),
    updatedAt: iso(row.updatedAt),
    updatedBy: actorFrom(row.updatedBy),
  };
}

function contentColumns(content: VersionContent) {
  return {
    title: content.title,
    fiscalYear: content.fiscalYear,
    summary: content.summary,
    offeringId: content.offeringId,
    organizationId: content.organizationId,
    activities: content.activities as unknown as Prisma.InputJsonValue,
    itemLines: content.itemLines as unknown as Prisma.InputJsonValue,
    staffLines: content.staffLines as unknown as Prisma.InputJsonValue,
    itemTotalFen: BigInt(content.itemTotalFen),
    staffTotalFen: BigInt(content.staffTotalFen),
    grandTotalFen: BigInt(content.grandTotalFen),
  };
}

export interface ProposalFilter {
  status?: ProposalStatus;
  gate?: ReviewGate;
  level?: ProjectLevel;
  fiscalYear?: number;
  subDistrictId?: string;
  communityId?: string;
  organizationId?: string;
  visible: Visibility;
}

export type ProposalChanges = Partial<
  Pick<
    ProposalRecord,
    'organizationId' | 'offeringId' | 'title' | 'fiscalYear' | 'status' | 'currentGate' | 'currentVersion' | 'reviewVersion' | 'grandTotalFen' | 'openFlagCount'
  >
> & { submittedAt?: Date; submittedBy?: Actor; approvedAt?: Date };

export function proposalRepository(tx: CommunitiesTx) {
  return {
    async create(input: {
      id: string;
      level: ProjectLevel;
      subDistrictId: string;
      communityId: string | null;
      content: VersionContent;
      openFlagCount: number;
      at: Date;
      by: Actor;
    }): Promise<void> {
      const { content, at, by } = input;
      await tx.proposal.create({
        data: {
          id: input.id,
          level: input.level,
          subDistrictId: input.subDistrictId,
          communityId: input.communityId,
          organizationId: content.organizationId,
          offeringId: content.offeringId,
          title: content.title,
          fiscalYear: content.fiscalYear,
          status: 'draft',
          currentVersion: 1,
          grandTotalFen: BigInt(content.grandTotalFen),
          openFlagCount: input.openFlagCount,
          createdAt: at,
          createdBy: by,
          updatedAt: at,
          updatedBy: by,
        },
      });
      await tx.proposalVersion.create({
        data: { proposalId: input.id, version: 1, ...contentColumns(content), createdAt: at, createdBy: by, updatedAt: at, updatedBy: by },
      });
    },
    async findById(id: string): Promise<ProposalRecord | null> {
      const row = await tx.proposal.findUnique({ where: { id } });
      return row ? proposalRecord(row) : null;
    },
    /** Locks the proposal row for the rest of the transaction: edits, submissions and decisions serialize on it. */
    async lock(id: string): Promise<ProposalRecord | null> {
      await tx.$queryRaw`SELECT id FROM proposals WHERE id = ${id}::uuid FOR UPDATE`;
      return this.findById(id);
    },
    async update(id: string, changes: ProposalChanges, at: Date, by: Actor): Promise<void> {
      const { grandTotalFen, submittedBy, ...rest } = changes;
      await tx.proposal.update({
        where: { id },
        data: {
          ...rest,
          ...(grandTotalFen !== undefined ? { grandTotalFen: BigInt(grandTotalFen) } : {}),
          ...(submittedBy !== undefined ? { submittedBy } : {}),
          updatedAt: at,
          updatedBy: by,
        },
      });
    },
    async version(proposalId: string, version: number): Promise<VersionRecord | null> {
      const row = await tx.proposalVersion.findUnique({ where: { proposalId_version: { proposalId, version } } });
      return row ? versionRecord(row) : null;
    },
    async versions(proposalId: string): Promise<VersionRecord[]> {
      const rows = await tx.proposalVersion.findMany({ where: { proposalId }, orderBy: { version: 'asc' } });
      return rows.map(versionRecord);
    },
    /** Only a version not yet frozen can change; returns false if it was frozen meanwhile. */
    async saveWorkingVersion(proposalId: string, version: number, content: VersionContent, at: Date, by: Actor): Promise<boolean> {
      const { count } = await tx.proposalVersion.updateMany({
        where: { proposalId, version, frozenAt: null },
        data: { ...contentColumns(content), updatedAt: at, updatedBy: by },
      });
      return count === 1;
    },
    async freezeVersion(proposalId: string, version: number, content: VersionContent, at: Date, by: Actor): Promise<boolean> {
      const { count } = await tx.proposalVersion.updateMany({
        where: { proposalId, version, frozenAt: null },
        data: { ...contentColumns(content), frozenAt: at, frozenBy: by, updatedAt: at, updatedBy: by },
      });
      return count === 1;
    },
    async createVersion(proposalId: string, version: number, content: VersionContent, at: Date, by: Actor): Promise<void> {
      await tx.proposalVersion.create({ data: { proposalId, version, ...contentColumns(content), createdAt: at, createdBy: by, updatedAt: at, updatedBy: by } });
    },
    async acceptances(proposalId: string, version: number): Promise<AcceptanceRecord[]> {
      const rows = await tx.flagAcceptance.findMany({ where: { proposalId, version }, orderBy: { acceptedAt: 'asc' } });
      return rows.map((r) => ({ lineKey: r.lineKey, reason: r.reason, acceptedAt: iso(r.acceptedAt), acceptedBy: actorFrom(r.acceptedBy) }));
    },
    async addAcceptance(input: { proposalId: string; version: number; lineKey: string; reason: string; at: Date; by: Actor }): Promise<void> {
      await tx.flagAcceptance.create({
        data: { proposalId: input.proposalId, version: input.version, lineKey: input.lineKey, reason: input.reason, acceptedAt: input.at, acceptedBy: input.by },
      });
    },
    async decisions(proposalId: string): Promise<DecisionRecord[]> {
      const rows = await tx.reviewDecision.findMany({ where: { proposalId }, orderBy: [{ decidedAt: 'asc' }, { id: 'asc' }] });
      return rows.map((r) => ({
        id: r.id,
        proposalId: r.proposalId,
        version: r.version,
        gate: r.gate as ReviewGate,
        outcome: r.outcome as ReviewOutcome,
        reasons: r.reasons,
        minutesRef: r.minutesRef,
        decidedAt: iso(r.decidedAt),
        decidedBy: actorFrom(r.decidedBy),
      }));
    },
    async addDecision(input: Omit<DecisionRecord, 'decidedAt' | 'decidedBy'> & { at: Date; by: Actor }): Promise<void> {
      await tx.reviewDecision.create({
        data: {
          id: input.id,
          proposalId: input.proposalId,
          version: input.version,
          gate: input.gate,
          outcome: input.outcome,
          reasons: input.reasons,
          minutesRef: input.minutesRef,
          decidedAt: input.at,
          decidedBy: input.by,
        },
      });
    },
    async conflicts(proposalId: string, userId?: string): Promise<ConflictRecord[]> {
      const rows = await tx.conflictDeclaration.findMany({ where: { proposalId, ...(userId ? { userId } : {}) }, orderBy: [{ declaredAt: 'asc' }, { id: 'asc' }] });
      return rows.map((r) => ({ id: r.id, proposalId: r.proposalId, userId: r.userId, reason: r.reason, declaredAt: iso(r.declaredAt), declaredBy: actorFrom(r.declaredBy) }));
    },
    async addConflict(input: { id: string; proposalId: string; userId: string; reason: string; at: Date; by: Actor }): Promise<void> {
      await tx.conflictDeclaration.create({
        data: { id: input.id, proposalId: input.proposalId, userId: input.userId, reason: input.reason, declaredAt: input.at, declaredBy: input.by },
      });
    },
    async list(filter: ProposalFilter, page: { limit: number; after?: After }): Promise<ProposalRecord[]> {
      if (filter.visible.nothing) return [];
      const where: Prisma.ProposalWhereInput = {
        AND: [
          filter.status ? { status: filter.status } : {},
          filter.gate ? { currentGate: filter.gate } : {},
          filter.level ? { level: filter.level } : {},
          filter.fiscalYear ? { fiscalYear: filter.fiscalYear } : {},
          filter.subDistrictId ? { subDistrictId: filter.subDistrictId } : {},
          filter.communityId ? { communityId: filter.communityId } : {},
          filter.organizationId ? { organizationId: filter.organizationId } : {},
          filter.visible.subDistrictId ? { subDistrictId: filter.visible.subDistrictId } : {},
          filter.visible.communityId ? { communityId: filter.visible.communityId } : {},
          filter.visible.organizationId ? { organizationId: filter.visible.organizationId } : {},
          afterWhere('createdAt', page.after),
        ],
      };
      const rows = await tx.proposal.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: page.limit });
      return rows.map(proposalRecord);
    },
  };
}
export type ProposalRepository = ReturnType<typeof proposalRepository>;
