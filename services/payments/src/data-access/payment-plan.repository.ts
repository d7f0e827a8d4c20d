import type { Actor, Grade, ProjectLevel, ReleaseCondition, TrancheKind, TrancheStatus } from '@linli/contracts';
import type { Prisma } from './generated/prisma/client';
import type { Disbursement, PaymentPlan, Tranche } from './generated/prisma/client';
import type { PaymentsTx } from './prisma';

/** Records as the domain sees them: numbers for fen, ISO strings for instants, actors as objects. */
export interface DisbursementRecord {
  id: string;
  trancheId: string;
  attempt: number;
  status: 'requested' | 'approved' | 'paid' | 'failed';
  amountFen: number;
  requestKey: string;
  requestedBy: Actor;
  requestedAt: string;
  approvedBy: Actor | null;
  approvedAt: string | null;
  transferKey: string | null;
  transferReference: string | null;
  paidAt: string | null;
  failedAt: string | null;
  failureReason: string | null;
}

export interface TrancheRecord {
  id: string;
  planId: string;
  contractId: string;
  projectId: string;
  organizationId: string;
  subDistrictId: string;
  communityId: string | null;
  kind: TrancheKind;
  position: number;
  percent: number;
  conditionCode: ReleaseCondition;
  conditionText: string;
  plannedAmountFen: number;
  payableFen: number | null;
  reductionFen: number | null;
  grade: Grade | null;
  paidAmountFen: number | null;
  status: TrancheStatus;
  attempts: number;
  version: number;
  paidAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** Oldest first. */
  disbursements: DisbursementRecord[];
}

export interface PlanRecord {
  id: string;
  contractId: string;
  projectId: string;
  organizationId: string;
  subDistrictId: string;
  communityId: string | null;
  level: ProjectLevel;
  amountFen: number;
  source: 'contract_event' | 'api';
  createdBy: Actor;
  createdAt: string;
  updatedBy: Actor | null;
  updatedAt: string | null;
  /** In plan order. */
  tranches: TrancheRecord[];
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
const num = (n: bigint | null): number | null => (n === null ? null : Number(n));

export function toDisbursementRecord(row: Disbursement): DisbursementRecord {
  return {
    id: row.id,
    trancheId: row.trancheId,
    attempt: row.attempt,
    status: row.status as DisbursementRecord['status'],
    amountFen: Number(row.amountFen),
    requestKey: row.requestKey,
    requestedBy: row.requestedBy as Actor,
    requestedAt: row.requestedAt.toISOString(),
    approvedBy: (row.approvedBy as Actor | null) ?? null,
    approvedAt: iso(row.approvedAt),
    transferKey: row.transferKey,
    transferReference: row.transferReference,
    paidAt: iso(row.paidAt),
    failedAt: iso(row.failedAt),
    failureReason: row.failureReason,
  };
}

export function toTrancheRecord(row: Tranche & { disbursements?: Disbursement[] }): TrancheRecord {
  return {
    id: row.id,
    planId: row.planId,
    contractId: row.contractId,
    projectId: row.projectId,
    organizationId: row.organizationId,
    subDistrictId: row.subDistrictId,
    communityId: row.communityId,
    kind: row.kind as TrancheKind,
    position: row.position,
    percent: row.percent,
    conditionCode: row.conditionCode as ReleaseCondition,
    conditionText: row.conditionText,
    plannedAmountFen: Number(row.plannedAmountFen),
    payableFen: num(row.payableFen),
    reductionFen: num(row.reductionFen),
    grade: row.grade as Grade | null,
    paidAmountFen: num(row.paidAmountFen),
    status: row.status as TrancheStatus,
    attempts: row.attempts,
    version: row.version,
    paidAt: iso(row.paidAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    disbursements: (row.disbursements ?? []).slice().sort((a, b) => a.attempt - b.attempt).map(toDisbursementRecord),
  };
}

type PlanRow = PaymentPlan & { tranches: (Tranche & { disbursements: Disbursement[] })[] };

function toPlanRecord(row: PlanRow): PlanRecord {
  return {
    id: row.id,
    contractId: row.contractId,
    projectId: row.projectId,
    organizationId: row.organizationId,
    subDistrictId: row.subDistrictId,
    communityId: row.communityId,
    level: row.level as ProjectLevel,
    amountFen: Number(row.amountFen),
    source: row.source as PlanRecord['source'],
    createdBy: row.createdBy as Actor,
    createdAt: row.createdAt.toISOString(),
    updatedBy: (row.updatedBy as Actor | null) ?? null,
    updatedAt: iso(row.updatedAt),
    tranches: row.tranches.slice().sort((a, b) => a.position - b.position).map(toTrancheRecord),
  };
}

/** Tranche statuses after which nothing more is paid on the tranche. */
export const SETTLED_STATUSES: readonly TrancheStatus[] = ['paid', 'cancelled'];

const withTranches = { tranches: { include: { disbursements: true } } } as const;

export interface NewTranche {
  id: string;
  kind: TrancheKind;
  position: number;
  percent: number;
  conditionCode: ReleaseCondition;
  conditionText: string;
  plannedAmountFen: number;
}

export interface PlanListFilter {
  contractId?: string;
  projectId?: string;
  communityId?: string;
  subDistrictId?: string;
  organizationId?: string;
  status?: 'open' | 'completed';
  /** Only these contracts (a supervisor sees the contracts assigned to the agency). */
  contractIds?: string[];
}

export function paymentPlanRepository(tx: PaymentsTx) {
  return {
    async findByContractId(contractId: string): Promise<PlanRecord | null> {
      const row = await tx.paymentPlan.findUnique({ where: { contractId }, include: withTranches });
      return row ? toPlanRecord(row) : null;
    },
    async findById(id: string): Promise<PlanRecord | null> {
      const row = await tx.paymentPlan.findUnique({ where: { id }, include: withTranches });
      return row ? toPlanRecord(row) : null;
    },
    async create(input: Omit<PlanRecord, 'tranches' | 'createdAt' | 'updatedAt' | 'updatedBy'> & { tranches: NewTranche[] }): Promise<PlanRecord> {
      const { tranches, ...plan } = input;
      await tx.paymentPlan.create({
        data: { ...plan, amountFen: BigInt(plan.amountFen), createdBy: plan.createdBy as Prisma.InputJsonValue },
      });
      await tx.tranche.createMany({
        data: tranches.map((t) => ({
          ...t,
          plannedAmountFen: BigInt(t.plannedAmountFen),
          planId: plan.id,
          contractId: plan.contractId,
          projectId: plan.projectId,
          organizationId: plan.organizationId,
          subDistrictId: plan.subDistrictId,
          communityId: plan.communityId,
        })),
      });
      return (await this.findById(plan.id))!;
    },
    /**
     * Deletes the plan's tranches that nobody has requested money from (no disbursement references them,
     * and they are not ledger rows, so nothing is lost). Returns how many went; the use case compares.
     */
    async deleteUnrequestedTranches(planId: string): Promise<number> {
      const { count } = await tx.tranche.deleteMany({ where: { planId, status: 'pending', attempts: 0 } });
      return count;
    },
    async addTranches(plan: PlanRecord, tranches: NewTranche[], at: Date): Promise<void> {
      await tx.tranche.createMany({
        data: tranches.map((t) => ({
          ...t,
          plannedAmountFen: BigInt(t.plannedAmountFen),
          planId: plan.id,
          contractId: plan.contractId,
          projectId: plan.projectId,
          organizationId: plan.organizationId,
          subDistrictId: plan.subDistrictId,
          communityId: plan.communityId,
          createdAt: at,
          updatedAt: at,
        })),
      });
    },
    async markUpdated(planId: string, updatedBy: Actor, at: Date): Promise<void> {
      await tx.paymentPlan.update({ where: { id: planId }, data: { updatedBy: updatedBy as Prisma.InputJsonValue, updatedAt: at } });
    },
    /** Keyset pagination on (created_at, id): stable while rows are added. */
    async list(filter: PlanListFilter, { limit, after }: { limit: number; after?: { createdAt: string; id: string } }): Promise<PlanRecord[]> {
      const where: Prisma.PaymentPlanWhereInput = {
        AND: [
          filter.contractId ? { contractId: filter.contractId } : {},
          filter.contractIds ? { contractId: { in: filter.contractIds } } : {},
          filter.projectId ? { projectId: filter.projectId } : {},
          filter.communityId ? { communityId: filter.communityId } : {},
          filter.subDistrictId ? { subDistrictId: filter.subDistrictId } : {},
          filter.organizationId ? { organizationId: filter.organizationId } : {},
          // Completed: nothing left to pay — every tranche paid, or cancelled by an early termination.
          filter.status === 'completed' ? { tranches: { every: { status: { in: [...SETTLED_STATUSES] } } } } : {},
          filter.status === 'open' ? { tranches: { some: { status: { notIn: [...SETTLED_STATUSES] } } } } : {},
          after
            ? { OR: [{ createdAt: { gt: new Date(after.createdAt) } }, { createdAt: new Date(after.createdAt), id: { gt: after.id } }] }
            : {},
        ],
      };
      const rows = await tx.paymentPlan.findMany({ where, include: withTranches, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: limit });
      return rows.map(toPlanRecord);
    },
    /** Every plan in a sub-district (or all), for reconciliation. */
    async listForReconciliation(subDistrictId?: string): Promise<PlanRecord[]> {
      const rows = await tx.paymentPlan.findMany({ where: subDistrictId ? { subDistrictId } : {}, include: withTranches, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
      return rows.map(toPlanRecord);
    },
  };
}
export type PaymentPlanRepository = ReturnType<typeof paymentPlanRepository>;
