import {
  ActivityVerified,
  AnnualInspectionRecorded,
  BidsOpened,
  BudgetFlagAccepted,
  CloseOutSubmitted,
  ContractAssigned,
  ContractSigned,
  ContractTerminated,
  EVALUATION_KIND_LABELS,
  EvaluationCompleted,
  FindingClosed,
  FindingRaised,
  FindingRectified,
  GRADE_LABELS,
  ObjectionAnswered,
  ObjectionLodged,
  OPERATIONS_ACTION_LABELS,
  OrganizationCreditChanged,
  OrganizationRegistered,
  PaymentPlanAdjusted,
  PaymentPlanCreated,
  PaymentsFrozen,
  PaymentsUnfrozen,
  PhoneRevealed,
  ProposalApproved,
  ProposalSubmitted,
  REVIEW_GATE_LABELS,
  REVIEW_OUTCOME_LABELS,
  ReviewDecisionRecorded,
  ServiceFundAllocated,
  StaffChangeDecided,
  StaffChangeRequested,
  TRANCHE_KIND_LABELS,
  TenderAwarded,
  TenderCancelled,
  TenderPublished,
  TenderUnsuccessful,
  TrancheApproved,
  TrancheRequested,
  type EventDefinition,
  type EventEnvelope,
  type EventOf,
} from '@linli/contracts';
import { isoMillis, type AuditDraft, type AuditState } from './audit-chain';

// Pure: which of the services' events are decisions people made, and what the audit trail records of each
// (the action's code, the reason, what it changed). One table, so "is X audited?" has one place to look.

/** What one decision records, beyond who and when (the envelope's actor and occurredAt). */
interface Decision {
  action: string;
  /** Default: the event's data.projectId. null: an action on no project. */
  projectId?: string | null;
  reason?: string;
  before?: AuditState | null;
  after?: AuditState | null;
}

type Rule = (data: unknown) => Decision | null;
const rule = <D extends EventDefinition>(def: D, map: (d: EventOf<D>['data']) => Decision | null): [string, Rule] => [def.type, map as Rule];

/** Decimals (scores, rates) travel as strings: the chain's canonical JSON takes integers only. */
const decimal = (n: number | null) => (n === null ? null : String(n));

const REVIEW_ACTION = { pre_review: 'proposal.review.pre', joint_review: 'proposal.review.joint', committee: 'proposal.review.committee' } as const;

/**
 * The decisions, by event type. An event whose actor is the system (the workflow, a timer, the treasury's
 * callback) is a consequence, not a decision, and is not recorded (see auditDraftOfEvent); types not listed are
 * records of work (activities reported, invoices, call-backs) or notifications, and are not decisions either.
 */
const DECISIONS = new Map<string, Rule>([
  // 社区 communities
  rule(ProposalSubmitted, (d) => ({
    action: d.version > 1 ? 'proposal.resubmit' : 'proposal.submit',
    before: d.version > 1 ? { version: d.version - 1, status: 'returned' } : { status: 'draft' },
    after: { version: d.version, status: 'submitted', title: d.title, level: d.level, budgetTotalFen: d.budgetTotalFen },
  })),
  rule(ReviewDecisionRecorded, (d) => ({
    action: REVIEW_ACTION[d.gate],
    reason: d.reasons,
    before: { gate: d.gate, gateLabel: REVIEW_GATE_LABELS[d.gate], version: d.version },
    after: { outcome: d.outcome, outcomeLabel: REVIEW_OUTCOME_LABELS[d.outcome], version: d.version },
  })),
  rule(ProposalApproved, (d) => ({
    action: 'proposal.approve',
    before: { status: 'committee' },
    after: { status: 'approved', version: d.version, fiscalYear: d.fiscalYear, budgetTotalFen: d.budgetTotalFen, plannedActivities: d.plannedActivities.length },
  })),
  rule(BudgetFlagAccepted, (d) => ({
    action: 'budget.flag.accept',
    reason: d.reason,
    before: { lineKey: d.lineKey, version: d.version, unitPriceFen: d.unitPriceFen, referencePriceFen: d.referencePriceFen, accepted: false },
    after: { accepted: true },
  })),
  rule(ServiceFundAllocated, (d) => ({
    action: 'fund.allocate',
    projectId: null,
    before: { allocatedFen: d.previousAllocatedFen },
    after: { fundId: d.fundId, subDistrictId: d.subDistrictId, communityId: d.communityId, fiscalYear: d.fiscalYear, allocatedFen: d.allocatedFen },
  })),
  // 社会组织 organizations
  rule(OrganizationRegistered, (d) => ({ action: 'organization.register', projectId: null, after: { organizationId: d.organizationId, name: d.name, creditStatus: d.creditStatus } })),
  rule(OrganizationCreditChanged, (d) => ({ action: 'organization.credit.update', projectId: null, reason: d.reason, after: { organizationId: d.organizationId, creditStatus: d.creditStatus } })),
  rule(AnnualInspectionRecorded, (d) => ({ action: 'organization.inspection.record', projectId: null, after: { organizationId: d.organizationId, year: d.year, result: d.result } })),
  rule(StaffChangeRequested, (d) => ({ action: 'staff.change.request', reason: d.reason, before: { staffId: d.outStaffId }, after: { staffId: d.inStaffId, status: 'requested' } })),
  rule(StaffChangeDecided, (d) => ({
    action: 'staff.change.approve',
    reason: d.reason,
    before: { status: 'requested' },
    after: { status: d.outcome, replacements: d.replacements, turnoverRate: decimal(d.turnoverRate) },
  })),
  rule(TenderPublished, (d) => ({
    action: d.round > 1 ? 'tender.retender' : 'tender.publish',
    after: { tenderId: d.tenderId, round: d.round, budgetCeilingFen: d.budgetCeilingFen, minimumBids: d.minimumBids, bidDeadline: d.bidDeadline, openingAt: d.openingAt },
  })),
  rule(BidsOpened, (d) => ({ action: 'tender.open', before: { sealed: true }, after: { tenderId: d.tenderId, round: d.round, bids: d.bids, sealed: false } })),
  rule(TenderUnsuccessful, (d) => ({ action: 'tender.unsuccessful', after: { tenderId: d.tenderId, round: d.round, bids: d.bids, minimumBids: d.minimumBids } })),
  rule(TenderAwarded, (d) => ({
    action: 'tender.award',
    after: { tenderId: d.tenderId, round: d.round, bidId: d.bidId, organizationId: d.organizationId, amountFen: d.amountFen, score: decimal(d.score), standstillEndsAt: d.standstillEndsAt },
  })),
  rule(TenderCancelled, (d) => ({ action: 'tender.cancel', reason: d.reason, after: { tenderId: d.tenderId, status: 'cancelled' } })),
  rule(ObjectionLodged, (d) => ({ action: 'objection.lodge', after: { objectionId: d.objectionId, tenderId: d.tenderId, organizationId: d.organizationId } })),
  rule(ObjectionAnswered, (d) => ({ action: 'objection.answer', after: { objectionId: d.objectionId, tenderId: d.tenderId, organizationId: d.organizationId } })),
  rule(ContractSigned, (d) => ({
    action: 'contract.sign',
    after: { contractId: d.contractId, organizationId: d.organizationId, amountFen: d.amountFen, startsOn: d.startsOn, endsOn: d.endsOn, tenderId: d.tenderId },
  })),
  // 资金 payments
  rule(PaymentPlanCreated, (d) => ({
    action: 'payment.plan.create',
    after: { planId: d.planId, contractId: d.contractId, amountFen: d.amountFen, tranches: d.tranches.map((t) => ({ kind: t.kind, percent: t.percent, amountFen: t.amountFen })) },
  })),
  rule(PaymentPlanAdjusted, (d) => ({
    action: 'payment.plan.adjust',
    reason: d.reason,
    after: { planId: d.planId, contractId: d.contractId, amountFen: d.amountFen, tranches: d.tranches.map((t) => ({ kind: t.kind, percent: t.percent, amountFen: t.amountFen })) },
  })),
  rule(TrancheRequested, (d) => ({
    action: 'payment.request',
    after: { trancheId: d.trancheId, kind: d.kind, kindLabel: TRANCHE_KIND_LABELS[d.kind], attempt: d.attempt, amountFen: d.amountFen, plannedAmountFen: d.plannedAmountFen, grade: d.grade, status: 'requested' },
  })),
  rule(TrancheApproved, (d) => ({
    action: 'payment.approve',
    before: { trancheId: d.trancheId, status: 'requested' },
    after: { trancheId: d.trancheId, kind: d.kind, kindLabel: TRANCHE_KIND_LABELS[d.kind], attempt: d.attempt, amountFen: d.amountFen, status: 'approved' },
  })),
  rule(PaymentsFrozen, (d) => ({ action: 'payment.freeze', reason: d.reason, before: { frozen: false }, after: { frozen: true, freezeId: d.freezeId, kind: d.kind, findingId: d.findingId } })),
  rule(PaymentsUnfrozen, (d) => ({ action: 'payment.unfreeze', reason: d.reason, before: { frozen: true, freezeId: d.freezeId }, after: { frozen: d.stillFrozen } })),
  rule(ContractTerminated, (d) => ({
    action: 'contract.terminate.settle',
    reason: d.reason,
    before: { contractAmountFen: d.contractAmountFen, paidBeforeFen: d.paidBeforeFen },
    after: { deliveredPermille: d.deliveredPermille, deliveredValueFen: d.deliveredValueFen, owedFen: d.owedFen, releasedFen: d.releasedFen, cancelledTranches: d.cancelledTranches },
  })),
  // 第三方监督 supervision
  rule(ContractAssigned, (d) => ({ action: 'supervision.assign', before: { agencyId: d.previousAgencyId }, after: { agencyId: d.agencyId, contractId: d.contractId } })),
  // Verified by hand only: automatic verification (the last call-back came back clean) is the system's.
  rule(ActivityVerified, (d) =>
    d.mode === 'manual' ? { action: 'activity.verify', after: { activityId: d.activityId, activityKey: d.activityKey, status: d.status, discrepancyRate: decimal(d.discrepancyRate) } } : null,
  ),
  rule(FindingRaised, (d) => ({ action: 'finding.raise', reason: d.summary, after: { findingId: d.findingId, severity: d.severity, rectifyBy: d.rectifyBy, status: 'open' } })),
  rule(FindingRectified, (d) => ({ action: 'finding.rectify', before: { findingId: d.findingId, status: 'open' }, after: { status: 'rectified' } })),
  rule(FindingClosed, (d) => ({ action: 'finding.close', before: { findingId: d.findingId }, after: { status: 'closed', severity: d.severity } })),
  rule(EvaluationCompleted, (d) => ({
    action: d.kind === 'mid_term' ? 'evaluation.mid-term' : 'evaluation.year-end',
    after: { evaluationId: d.evaluationId, kind: d.kind, kindLabel: EVALUATION_KIND_LABELS[d.kind], score: decimal(d.score), grade: d.grade, gradeLabel: GRADE_LABELS[d.grade], passed: d.passed },
  })),
  rule(CloseOutSubmitted, (d) => ({ action: 'closeout.submit', after: { closeOutId: d.closeOutId, contractId: d.contractId, submittedAt: d.submittedAt } })),
  rule(PhoneRevealed, (d) => ({ action: 'participant.phone.reveal', after: { participantId: d.participantId, callTaskId: d.callTaskId, activityId: d.activityId, revealId: d.revealId } })),
]);

/** The event types the audit trail records (when a person, not the system, acted). */
export const AUDITED_EVENT_TYPES: readonly string[] = [...DECISIONS.keys()];

/**
 * The draft entry for a service event, or null when the event is not a person's decision. The entry's id is
 * the caller's (fresh per entry); the source — service and event id — is what makes a redelivery a no-op.
 */
export function auditDraftOfEvent(event: EventEnvelope, id: string): AuditDraft | null {
  const map = DECISIONS.get(event.type);
  const actor = event.actor;
  if (!map || !actor || actor.role === 'system') return null;
  const data = (event.data ?? {}) as Record<string, unknown>;
  const decision = map(data);
  if (!decision) return null;
  const projectId = decision.projectId !== undefined ? decision.projectId : typeof data.projectId === 'string' ? data.projectId : null;
  return {
    id,
    at: isoMillis(event.occurredAt),
    projectId,
    actor: { userId: actor.userId, role: actor.role, scope: actor.scope ?? '' },
    action: decision.action,
    reason: decision.reason ?? '',
    outcome: 'ok',
    error: null,
    batchId: null,
    before: decision.before ?? null,
    after: decision.after ?? null,
    source: { service: event.type.split('.')[0] ?? event.source, eventId: event.id, type: event.type },
  };
}

/** Chinese labels of the action codes (the operations' own actions keep their codes: remind, retry, …). */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  ...OPERATIONS_ACTION_LABELS,
  retry: '重试停住的步骤',
  skip: '跳过停住的步骤',
  terminate: '提前终止项目',
  'proposal.submit': '提交项目申请',
  'proposal.resubmit': '重新提交项目申请（打回修改后）',
  'proposal.review.pre': '预审会决定',
  'proposal.review.joint': '联审会决定',
  'proposal.review.committee': '工委会决定',
  'proposal.approve': '立项',
  'budget.flag.accept': '接受超参考价预算行',
  'fund.allocate': '下达年度经费',
  'organization.register': '登记社会组织',
  'organization.credit.update': '更新社会组织信用状况',
  'organization.inspection.record': '登记社会组织年检结论',
  'staff.change.request': '申请项目人员变更',
  'staff.change.approve': '审批项目人员变更',
  'tender.publish': '发布招标公告',
  'tender.retender': '重新招标（流标后）',
  'tender.open': '开标',
  'tender.unsuccessful': '宣布流标',
  'tender.award': '定标',
  'tender.cancel': '撤销招标',
  'objection.lodge': '提出异议',
  'objection.answer': '答复异议',
  'contract.sign': '签订合同',
  'payment.plan.create': '制定拨付计划',
  'payment.plan.adjust': '调整拨付计划',
  'payment.request': '申请拨付',
  'payment.approve': '审批拨付',
  'payment.freeze': '冻结拨付',
  'payment.unfreeze': '解除冻结',
  'contract.terminate.settle': '提前终止结算',
  'supervision.assign': '委托第三方监督',
  'activity.verify': '人工核验活动',
  'finding.raise': '提出问题',
  'finding.rectify': '提交整改',
  'finding.close': '问题整改关闭',
  'evaluation.mid-term': '中期检查',
  'evaluation.year-end': '结项评估',
  'closeout.submit': '提交结项材料',
  'participant.phone.reveal': '查看回访对象完整电话',
};

export const auditActionLabel = (action: string): string => AUDIT_ACTION_LABELS[action] ?? action;
