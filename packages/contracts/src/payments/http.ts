import { z } from 'zod';
import { Fen, Grade, ProjectLevel, WrittenBy } from '../common/domain';
import { TrancheKind } from './events';

/**
 * HTTP bodies, queries and views of the payments service (资金). Amounts are integer fen; every amount a
 * view shows is computed by the service (tranche amounts from the contract amount and the percentages,
 * balances from the ledger) — the client never sends a tranche amount or a total.
 */

export const TRANCHE_KIND_LABELS: Record<TrancheKind, string> = { start_up: '启动资金', mid_term: '中期款', final: '尾款' };

/** The machine code of the condition that releases a tranche (the text beside it is for people). */
export const ReleaseCondition = z
  .enum(['contract_signed', 'mid_term_check_passed', 'year_end_evaluated'])
  .describe('拨付条件：合同签订 / 中期检查通过 / 结项评估完成');
export type ReleaseCondition = z.infer<typeof ReleaseCondition>;
export const RELEASE_CONDITION_LABELS: Record<ReleaseCondition, string> = {
  contract_signed: '合同签订',
  mid_term_check_passed: '中期检查通过',
  year_end_evaluated: '结项评估完成',
};

export const TrancheStatus = z
  .enum(['pending', 'requested', 'approved', 'paid', 'failed', 'cancelled'])
  .describe('待申请 / 已申请 / 已审批（转账中）/ 已拨付 / 拨付失败（可重新申请）/ 已取消（合同提前终止，不再拨付）');
export type TrancheStatus = z.infer<typeof TrancheStatus>;
export const PAYMENT_TRANCHE_STATUS_LABELS: Record<TrancheStatus, string> = {
  pending: '待申请',
  requested: '已申请',
  approved: '已审批',
  paid: '已拨付',
  failed: '拨付失败',
  cancelled: '已取消',
};

/** A signed amount in fen (ledger entries and balances may be negative). */
export const SignedFen = z.number().int().min(-10_000_000_000).max(10_000_000_000).describe('金额（分，整数，带符号）');

// ——— 拨付计划 plans ———

export const TrancheSpec = z
  .object({
    kind: TrancheKind,
    percent: z.number().int().min(1).max(100).describe('占合同金额的百分比（整数）；各阶段合计必须正好 100'),
    conditionCode: ReleaseCondition,
    conditionText: z.string().trim().min(1).max(200).describe('拨付条件说明，如「合同签订后拨付」'),
  })
  .strict();
export type TrancheSpec = z.infer<typeof TrancheSpec>;

export const CreatePaymentPlanBody = z
  .object({
    contractId: z.uuid(),
    projectId: z.uuid(),
    organizationId: z.uuid(),
    subDistrictId: z.uuid(),
    communityId: z.uuid().nullable().describe('社区级项目的社区；街道级项目为 null（使用街道经费）'),
    level: ProjectLevel,
    amountFen: Fen.describe('合同金额（分）'),
    tranches: z.array(TrancheSpec).min(1).max(3).optional().describe('不填：按默认 30% 启动资金 / 40% 中期款 / 30% 尾款'),
  })
  .strict();
export type CreatePaymentPlanBody = z.infer<typeof CreatePaymentPlanBody>;

export const AdjustPaymentPlanBody = z
  .object({
    tranches: z.array(TrancheSpec).min(1).max(3),
    reason: z.string().trim().min(2).max(500).describe('调整原因'),
  })
  .strict();
export type AdjustPaymentPlanBody = z.infer<typeof AdjustPaymentPlanBody>;

export const DisbursementView = z.object({
  id: z.uuid(),
  attempt: z.number().int().positive(),
  status: z.enum(['requested', 'approved', 'paid', 'failed']),
  amountFen: Fen,
  requestedBy: WrittenBy,
  requestedAt: z.iso.datetime(),
  approvedBy: WrittenBy.nullable(),
  approvedAt: z.iso.datetime().nullable(),
  transferReference: z.string().nullable().describe('国库转账回单号'),
  paidAt: z.iso.datetime().nullable(),
  failedAt: z.iso.datetime().nullable(),
  failureReason: z.string().nullable(),
});
export type DisbursementView = z.infer<typeof DisbursementView>;

export const PaymentTrancheView = z.object({
  id: z.uuid(),
  planId: z.uuid(),
  contractId: z.uuid(),
  projectId: z.uuid(),
  organizationId: z.uuid(),
  subDistrictId: z.uuid(),
  communityId: z.uuid().nullable(),
  kind: TrancheKind,
  kindLabel: z.string(),
  position: z.number().int().positive(),
  percent: z.number().int(),
  conditionCode: ReleaseCondition,
  conditionText: z.string(),
  plannedAmountFen: Fen.describe('计划金额 = 合同金额 × 百分比（尾差计入最后一笔）'),
  payableFen: Fen.nullable().describe('申请时确定的应付金额（尾款按评估等级折算；合同提前终止时为结算金额）'),
  reductionFen: Fen.nullable().describe('尾款扣减金额（退回经费）'),
  grade: Grade.nullable().describe('尾款所依据的结项评估等级'),
  paidAmountFen: Fen.nullable(),
  status: TrancheStatus,
  statusLabel: z.string(),
  attempts: z.number().int().min(0),
  paidAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  currentDisbursement: DisbursementView.nullable(),
});
export type PaymentTrancheView = z.infer<typeof PaymentTrancheView>;

export const PaymentTrancheDetailView = PaymentTrancheView.extend({ disbursements: z.array(DisbursementView) });
export type PaymentTrancheDetailView = z.infer<typeof PaymentTrancheDetailView>;

export const FreezeView = z.object({
  id: z.uuid(),
  kind: z.enum(['manual', 'finding']).describe('manual：监督方人工冻结；finding：严重问题自动冻结'),
  findingId: z.uuid().nullable(),
  reason: z.string(),
  frozenBy: WrittenBy,
  frozenAt: z.iso.datetime(),
  liftedAt: z.iso.datetime().nullable(),
  liftedBy: WrittenBy.nullable(),
  liftReason: z.string().nullable(),
});
export type FreezeView = z.infer<typeof FreezeView>;

export const FreezeStatusView = z.object({
  contractId: z.uuid(),
  frozen: z.boolean(),
  activeFreezes: z.array(FreezeView),
  history: z.array(FreezeView).describe('已解除的冻结'),
});
export type FreezeStatusView = z.infer<typeof FreezeStatusView>;

export const LedgerSummary = z.object({
  committedFen: Fen.describe('计划承诺'),
  paidFen: Fen.describe('已拨付'),
  releasedFen: Fen.describe('退回经费（尾款扣减与提前终止）'),
  outstandingFen: SignedFen.describe('合同账户余额 = 承诺 − 已拨付 − 退回（由台账推导）'),
});
export type LedgerSummary = z.infer<typeof LedgerSummary>;

// ——— 提前终止结算 early termination ———

export const TerminateContractBody = z
  .object({
    deliveredPermille: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .describe('已完成服务的千分比（0–1000），如已核验活动数 / 计划活动数；按合同金额 × 千分比结算'),
    reason: z.string().trim().min(2).max(2000).describe('提前终止原因（工委会决定）'),
  })
  .strict();
export type TerminateContractBody = z.infer<typeof TerminateContractBody>;

export const ContractTerminationView = z.object({
  contractId: z.uuid(),
  projectId: z.uuid(),
  deliveredPermille: z.number().int().min(0).max(1000),
  reason: z.string(),
  contractAmountFen: Fen,
  deliveredValueFen: Fen.describe('已完成部分的价值 = 合同金额 × 千分比 / 1000（向下取整）'),
  paidBeforeFen: Fen.describe('终止前已拨付'),
  owedFen: Fen.describe('结算应付 = max(0, 已完成部分价值 − 已拨付)，作为尾款申请、财务审批后拨付'),
  releasedFen: Fen.describe('永不拨付、退回经费的部分 = 合同金额 − 已拨付 − 结算应付'),
  cancelledTranches: z.array(TrancheKind).describe('因提前终止而取消的款项'),
  settlementTrancheId: z.uuid().nullable().describe('承载结算金额的尾款；结算应付为 0 时为 null（尾款也已取消）'),
  terminatedBy: WrittenBy,
  terminatedAt: z.iso.datetime(),
});
export type ContractTerminationView = z.infer<typeof ContractTerminationView>;

export const PaymentPlanView = z.object({
  id: z.uuid(),
  contractId: z.uuid(),
  projectId: z.uuid(),
  organizationId: z.uuid(),
  subDistrictId: z.uuid(),
  communityId: z.uuid().nullable(),
  level: ProjectLevel,
  amountFen: Fen,
  source: z.enum(['contract_event', 'api']),
  status: z.enum(['open', 'completed']).describe('completed：各阶段均已拨付或已取消'),
  frozen: z.boolean(),
  frozenReasons: z.array(z.string()),
  yearEndGrade: Grade.nullable(),
  termination: ContractTerminationView.nullable().describe('提前终止结算（未终止为 null）'),
  tranches: z.array(PaymentTrancheView),
  ledger: LedgerSummary,
  createdBy: WrittenBy,
  createdAt: z.iso.datetime(),
  updatedBy: WrittenBy.nullable(),
  updatedAt: z.iso.datetime().nullable(),
});
export type PaymentPlanView = z.infer<typeof PaymentPlanView>;

// ——— 冻结 freeze ———

export const FreezePaymentsBody = z.object({ reason: z.string().trim().min(2).max(500).describe('冻结原因') }).strict();
export type FreezePaymentsBody = z.infer<typeof FreezePaymentsBody>;
export const UnfreezePaymentsBody = z.object({ reason: z.string().trim().min(2).max(500).describe('解冻原因') }).strict();
export type UnfreezePaymentsBody = z.infer<typeof UnfreezePaymentsBody>;

// ——— 台账 ledger ———

export const LedgerEntryType = z
  .enum(['plan_committed', 'tranche_paid', 'reduction_released', 'termination_released'])
  .describe('计划承诺 / 款项拨付 / 尾款扣减退回经费 / 提前终止未付部分退回经费');
export type LedgerEntryType = z.infer<typeof LedgerEntryType>;

export const LedgerEntryView = z.object({
  id: z.uuid(),
  accountType: z.enum(['contract', 'fund']),
  accountId: z.uuid(),
  contractId: z.uuid(),
  projectId: z.uuid(),
  fundKind: z.enum(['community', 'sub_district']),
  fundId: z.uuid(),
  entryType: LedgerEntryType,
  amountFen: SignedFen,
  balanceAfterFen: SignedFen.describe('本条记账后的账户余额（由台账累加推导，不存储）'),
  reference: z.string(),
  trancheId: z.uuid().nullable(),
  description: z.string(),
  createdBy: WrittenBy,
  createdAt: z.iso.datetime(),
});
export type LedgerEntryView = z.infer<typeof LedgerEntryView>;

export const LedgerPageView = z.object({
  items: z.array(LedgerEntryView),
  nextCursor: z.string().nullable(),
  balanceFen: SignedFen.describe('账户当前余额（全部记账之和）'),
});
export type LedgerPageView = z.infer<typeof LedgerPageView>;

// ——— 对账 reconciliation ———

export const ReconciliationMismatch = z.object({
  contractId: z.uuid(),
  trancheId: z.uuid().nullable(),
  code: z.string().describe('如 paid_without_ledger_entry、commitment_mismatch'),
  message: z.string(),
  expected: z.union([z.number(), z.string(), z.null()]),
  actual: z.union([z.number(), z.string(), z.null()]),
});
export type ReconciliationMismatch = z.infer<typeof ReconciliationMismatch>;

export const ReconciliationReport = z.object({
  checkedAt: z.iso.datetime(),
  contractsChecked: z.number().int().min(0),
  ok: z.boolean(),
  mismatches: z.array(ReconciliationMismatch),
});
export type ReconciliationReport = z.infer<typeof ReconciliationReport>;

// ——— params and list filters (pagination is added by the routes) ———

export const PaymentContractParams = z.object({ contractId: z.uuid() });
export const PaymentContractTrancheParams = z.object({ contractId: z.uuid(), kind: TrancheKind });
export const PaymentTrancheParams = z.object({ id: z.uuid() });
export const PaymentFundParams = z.object({ fundId: z.uuid() });

export const PaymentPlanFilters = z.object({
  contractId: z.uuid().optional(),
  projectId: z.uuid().optional(),
  communityId: z.uuid().optional(),
  subDistrictId: z.uuid().optional(),
  organizationId: z.uuid().optional(),
  status: z.enum(['open', 'completed']).optional(),
});
export type PaymentPlanFilters = z.infer<typeof PaymentPlanFilters>;

export const TrancheFilters = z.object({
  contractId: z.uuid().optional(),
  projectId: z.uuid().optional(),
  communityId: z.uuid().optional(),
  subDistrictId: z.uuid().optional(),
  organizationId: z.uuid().optional(),
  status: TrancheStatus.optional(),
  kind: TrancheKind.optional(),
});
export type TrancheFilters = z.infer<typeof TrancheFilters>;

export const ReconciliationQuery = z.object({
  subDistrictId: z.uuid().optional().describe('财务人员默认为本街道'),
});

// ——— simulated treasury (development and demo only) ———

export const TreasurySimulationBody = z
  .object({
    reject: z.string().trim().min(1).max(200).nullable().describe('非空：此后新的转账指令一律被国库退回，原因即此文字；null：恢复正常'),
    loseResponses: z.number().int().min(0).max(100).optional().describe('丢弃接下来若干个国库成功回执（模拟网络中断）'),
  })
  .strict();
export type TreasurySimulationBody = z.infer<typeof TreasurySimulationBody>;
export const TreasurySimulationView = z.object({ reject: z.string().nullable(), loseResponses: z.number().int() });
export type TreasurySimulationView = z.infer<typeof TreasurySimulationView>;
