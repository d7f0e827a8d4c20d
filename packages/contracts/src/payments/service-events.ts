import { z } from 'zod';
import { Fen, Grade } from '../common/domain';
import { defineEvent } from '../events/envelope';
import { TrancheKind, TranchePaid } from './events';
import { ReleaseCondition } from './http';

/**
 * The payments service's own events, beside the pre-defined TranchePaid in ./events.ts. The subject of
 * every one is the contract id, so everything about one contract's money stays in order on one partition.
 */

const contractRef = {
  contractId: z.uuid(),
  projectId: z.uuid(),
  organizationId: z.uuid(),
  subDistrictId: z.uuid(),
  communityId: z.uuid().nullable(),
};

const plannedTranche = z.object({
  trancheId: z.uuid(),
  kind: TrancheKind,
  percent: z.number().int(),
  amountFen: Fen,
  conditionCode: ReleaseCondition,
});

export const PaymentPlanCreated = defineEvent({
  type: 'payments.plan.created',
  version: 1,
  description: '拨付计划已制定',
  data: z.object({ planId: z.uuid(), ...contractRef, amountFen: Fen, source: z.enum(['contract_event', 'api']), tranches: z.array(plannedTranche) }),
});

export const PaymentPlanAdjusted = defineEvent({
  type: 'payments.plan.adjusted',
  version: 1,
  description: '拨付计划已调整（尚无款项申请时）',
  data: z.object({ planId: z.uuid(), ...contractRef, amountFen: Fen, reason: z.string(), tranches: z.array(plannedTranche) }),
});

const trancheRef = { trancheId: z.uuid(), ...contractRef, kind: TrancheKind, attempt: z.number().int().positive() };

export const TrancheRequested = defineEvent({
  type: 'payments.tranche.requested',
  version: 1,
  description: '已申请拨付，等待财务审批',
  data: z.object({ ...trancheRef, amountFen: Fen, plannedAmountFen: Fen, grade: Grade.nullable(), requestedAt: z.iso.datetime() }),
});

export const TrancheApproved = defineEvent({
  type: 'payments.tranche.approved',
  version: 1,
  description: '财务已审批，转账指令已发出',
  data: z.object({ ...trancheRef, amountFen: Fen, approvedAt: z.iso.datetime() }),
});

export const TrancheFailed = defineEvent({
  type: 'payments.tranche.failed',
  version: 1,
  description: '拨付失败（可重新申请）',
  data: z.object({ ...trancheRef, amountFen: Fen, reason: z.string(), failedAt: z.iso.datetime() }),
});

export const FinalReductionApplied = defineEvent({
  type: 'payments.tranche.reduction-applied',
  version: 1,
  description: '尾款按评估等级扣减，余额退回经费',
  data: z.object({
    trancheId: z.uuid(),
    ...contractRef,
    grade: Grade,
    percentPaid: z.number().int().min(0).max(100),
    plannedAmountFen: Fen,
    paidAmountFen: Fen,
    reductionFen: Fen,
    fundKind: z.enum(['community', 'sub_district']),
    fundId: z.uuid(),
  }),
});

const freezeRef = {
  contractId: z.uuid(),
  projectId: z.uuid(),
  freezeId: z.uuid(),
  kind: z.enum(['manual', 'finding']),
  findingId: z.uuid().nullable(),
};

export const PaymentsFrozen = defineEvent({
  type: 'payments.contract.frozen',
  version: 1,
  description: '合同拨付已冻结',
  data: z.object({ ...freezeRef, reason: z.string(), frozenAt: z.iso.datetime() }),
});

export const PaymentsUnfrozen = defineEvent({
  type: 'payments.contract.unfrozen',
  version: 1,
  description: '冻结已解除（stillFrozen：是否仍有其他冻结）',
  data: z.object({ ...freezeRef, reason: z.string(), stillFrozen: z.boolean(), unfrozenAt: z.iso.datetime() }),
});

export const ContractTerminated = defineEvent({
  type: 'payments.contract.terminated',
  version: 1,
  description: '合同提前终止结算：按已完成比例结算，未付部分退回经费',
  data: z.object({
    ...contractRef,
    deliveredPermille: z.number().int().min(0).max(1000),
    reason: z.string(),
    contractAmountFen: Fen,
    deliveredValueFen: Fen,
    paidBeforeFen: Fen,
    owedFen: Fen,
    releasedFen: Fen,
    cancelledTranches: z.array(TrancheKind),
    settlementTrancheId: z.uuid().nullable(),
    fundKind: z.enum(['community', 'sub_district']),
    fundId: z.uuid(),
    terminatedAt: z.iso.datetime(),
  }),
});

/** Every event the payments service publishes (the registry for its contract tests and listeners). */
export const PAYMENTS_EVENTS = [
  PaymentPlanCreated,
  PaymentPlanAdjusted,
  TrancheRequested,
  TrancheApproved,
  TranchePaid,
  TrancheFailed,
  FinalReductionApplied,
  PaymentsFrozen,
  PaymentsUnfrozen,
  ContractTerminated,
] as const;
