import {
  PAYMENT_TRANCHE_STATUS_LABELS,
  TRANCHE_KIND_LABELS,
  type Actor,
  type ContractTerminationView,
  type DisbursementView,
  type FreezeView,
  type Grade,
  type LedgerEntryType,
  type PaymentPlanView,
  type PaymentTrancheDetailView,
  type PaymentTrancheView,
} from '@linli/contracts';
import type { z } from 'zod';
import type { WrittenBy } from '@linli/contracts';
import type { FreezeRecord } from '../data-access/freeze.repository';
import { SETTLED_STATUSES, type DisbursementRecord, type PlanRecord, type TrancheRecord } from '../data-access/payment-plan.repository';
import type { TerminationRecord } from '../data-access/termination.repository';

/** Public views assembled from records (the routes' schemas strip anything else). */

const who = (actor: Actor): z.infer<typeof WrittenBy> => ({ userId: actor.userId, role: actor.role, ...(actor.scope ? { scope: actor.scope } : {}) });

export function disbursementView(d: DisbursementRecord): DisbursementView {
  return {
    id: d.id,
    attempt: d.attempt,
    status: d.status,
    amountFen: d.amountFen,
    requestedBy: who(d.requestedBy),
    requestedAt: d.requestedAt,
    approvedBy: d.approvedBy ? who(d.approvedBy) : null,
    approvedAt: d.approvedAt,
    transferReference: d.transferReference,
    paidAt: d.paidAt,
    failedAt: d.failedAt,
    failureReason: d.failureReason,
  };
}

export function trancheView(t: TrancheRecord): PaymentTrancheView {
  const current = t.disbursements[t.disbursements.length - 1];
  return {
    id: t.id,
    planId: t.planId,
    contractId: t.contractId,
    projectId: t.projectId,
    organizationId: t.organizationId,
    subDistrictId: t.subDistrictId,
    communityId: t.communityId,
    kind: t.kind,
    kindLabel: TRANCHE_KIND_LABELS[t.kind],
    position: t.position,
    percent: t.percent,
    conditionCode: t.conditionCode,
    conditionText: t.conditionText,
    plannedAmountFen: t.plannedAmountFen,
    payableFen: t.payableFen,
    reductionFen: t.reductionFen,
    grade: t.grade,
    paidAmountFen: t.paidAmountFen,
    status: t.status,
    statusLabel: PAYMENT_TRANCHE_STATUS_LABELS[t.status],
    attempts: t.attempts,
    paidAt: t.paidAt,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    currentDisbursement: current ? disbursementView(current) : null,
  };
}

export function trancheDetailView(t: TrancheRecord): PaymentTrancheDetailView {
  return { ...trancheView(t), disbursements: t.disbursements.map(disbursementView) };
}

export function freezeView(f: FreezeRecord): FreezeView {
  return {
    id: f.id,
    kind: f.kind,
    findingId: f.findingId,
    reason: f.reason,
    frozenBy: who(f.frozenBy),
    frozenAt: f.frozenAt,
    liftedAt: f.liftedAt,
    liftedBy: f.liftedBy ? who(f.liftedBy) : null,
    liftReason: f.liftReason,
  };
}

export function terminationView(t: TerminationRecord): ContractTerminationView {
  return {
    contractId: t.contractId,
    projectId: t.projectId,
    deliveredPermille: t.deliveredPermille,
    reason: t.reason,
    contractAmountFen: t.contractAmountFen,
    deliveredValueFen: t.deliveredValueFen,
    paidBeforeFen: t.paidBeforeFen,
    owedFen: t.owedFen,
    releasedFen: t.releasedFen,
    cancelledTranches: t.cancelledTranches,
    settlementTrancheId: t.settlementTrancheId,
    terminatedBy: who(t.terminatedBy),
    terminatedAt: t.terminatedAt,
  };
}

export function planView(
  plan: PlanRecord,
  extra: {
    activeFreezes: readonly FreezeRecord[];
    yearEndGrade: Grade | null;
    ledgerSums: Partial<Record<LedgerEntryType, number>>;
    termination: TerminationRecord | null;
  },
): PaymentPlanView {
  const committed = extra.ledgerSums.plan_committed ?? 0;
  const paid = -(extra.ledgerSums.tranche_paid ?? 0);
  const released = -(extra.ledgerSums.reduction_released ?? 0) - (extra.ledgerSums.termination_released ?? 0);
  return {
    id: plan.id,
    contractId: plan.contractId,
    projectId: plan.projectId,
    organizationId: plan.organizationId,
    subDistrictId: plan.subDistrictId,
    communityId: plan.communityId,
    level: plan.level,
    amountFen: plan.amountFen,
    source: plan.source,
    status: plan.tranches.every((t) => SETTLED_STATUSES.includes(t.status)) ? 'completed' : 'open',
    frozen: extra.activeFreezes.length > 0,
    frozenReasons: extra.activeFreezes.map((f) => f.reason),
    yearEndGrade: extra.yearEndGrade,
    termination: extra.termination ? terminationView(extra.termination) : null,
    tranches: plan.tranches.map(trancheView),
    ledger: { committedFen: committed, paidFen: paid, releasedFen: released, outstandingFen: committed - paid - released },
    createdBy: who(plan.createdBy),
    createdAt: plan.createdAt,
    updatedBy: plan.updatedBy ? who(plan.updatedBy) : null,
    updatedAt: plan.updatedAt,
  };
}
