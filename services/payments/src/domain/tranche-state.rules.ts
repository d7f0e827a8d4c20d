import { GRADE_LABELS, TRANCHE_KIND_LABELS, type Grade, type ReleaseCondition, type TrancheKind, type TrancheStatus } from '@linli/contracts';

/**
 * WHAT may be paid (the lifecycle workflow decides WHEN to ask). Pure functions; each refusal is the
 * reason in words, Chinese first, English in brackets — the use cases turn it into a 409.
 *
 * State machine of a tranche:
 *   pending ──request──▶ requested ──approve (finance)──▶ approved ──treasury──▶ paid
 *      │                     ▲                                         └────────▶ failed ──request──┘
 *      └──terminate──▶ cancelled ◀──terminate── failed
 * Ordering rule: a tranche may be requested only once the tranche before it in the plan is paid
 * (启动资金 → 中期款 → 尾款); each tranche also needs its release condition:
 *   contract_signed        — the plan exists (it is created from the signed contract);
 *   mid_term_check_passed  — the latest mid-term check (中期检查) passed;
 *   year_end_evaluated     — a year-end evaluation (结项评估) is recorded.
 * The final tranche always needs the year-end grade, which decides how much of it is paid — except
 * after an early termination (提前终止, termination.rules.ts): then the unpaid tranches are cancelled
 * and the final one is the settlement, requested without the grade or the ordering rule.
 * A frozen contract (拨付已冻结) can neither request nor approve.
 */

const TRANSITIONS: Record<TrancheStatus, readonly TrancheStatus[]> = {
  pending: ['requested', 'cancelled'],
  requested: ['approved'],
  approved: ['paid', 'failed'],
  failed: ['requested', 'cancelled'],
  paid: [],
  cancelled: [],
};

export function canTransition(from: TrancheStatus, to: TrancheStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(from: TrancheStatus, to: TrancheStatus): void {
  if (!canTransition(from, to)) throw new Error(`illegal tranche transition ${from} → ${to}`);
}

export interface TrancheFacts {
  kind: TrancheKind;
  status: TrancheStatus;
  conditionCode: ReleaseCondition;
}

/** What the service knows about the contract beyond the plan: freezes and the supervisor's checks. */
export interface ContractFacts {
  frozenReasons: readonly string[];
  /** null: no mid-term check recorded yet; else whether the latest one passed. */
  midTermPassed: boolean | null;
  yearEndGrade: Grade | null;
  /** The contract was terminated early: the final tranche is the settlement (termination.rules.ts). */
  terminated: boolean;
}

export function frozenMessage(reasons: readonly string[]): string {
  return `拨付已冻结：${reasons.join('；')} (payments are frozen)`;
}

const label = (kind: TrancheKind) => TRANCHE_KIND_LABELS[kind];
const cancelledMessage = (kind: TrancheKind) => `${label(kind)}已取消（合同已提前终止），不再拨付 (cancelled: the contract was terminated early)`;

/** Why the release condition is not met, or null when it is. */
export function conditionRefusal(condition: ReleaseCondition, facts: ContractFacts): string | null {
  switch (condition) {
    case 'contract_signed':
      return null;
    case 'mid_term_check_passed':
      if (facts.midTermPassed === null) return '尚无中期检查结果，不能申请 (no mid-term check recorded)';
      return facts.midTermPassed ? null : '中期检查未通过，不能申请 (the mid-term check did not pass)';
    case 'year_end_evaluated':
      return facts.yearEndGrade ? null : '尚无结项评估等级，不能申请 (no year-end evaluation recorded)';
  }
}

/** Why `tranche` may not be requested now, or null. `previous` is the tranche before it in the plan. */
export function requestRefusal(tranche: TrancheFacts, previous: TrancheFacts | undefined, facts: ContractFacts): string | null {
  if (facts.frozenReasons.length > 0) return frozenMessage(facts.frozenReasons);
  if (tranche.status === 'cancelled') return cancelledMessage(tranche.kind);
  if (tranche.status === 'paid') return `${label(tranche.kind)}已拨付，不可重复拨付 (already paid)`;
  if (tranche.status === 'requested' || tranche.status === 'approved') {
    return `${label(tranche.kind)}已申请，正在审批或转账中 (already requested; a new request needs the first to fail)`;
  }
  if (facts.terminated) {
    // The settlement of a terminated contract: what was delivered is owed now, whatever the grade or order.
    return tranche.kind === 'final' ? null : '合同已提前终止，只能申请结算尾款 (the contract was terminated early; only the settlement is paid)';
  }
  if (previous && previous.status !== 'paid') {
    return `须先拨付${label(previous.kind)}，才能申请${label(tranche.kind)} (the ${previous.kind} tranche must be paid first)`;
  }
  const condition = conditionRefusal(tranche.conditionCode, facts);
  if (condition) return condition;
  if (tranche.kind === 'final' && !facts.yearEndGrade) {
    return '申请尾款须先有结项评估等级 (the final tranche needs a year-end grade)';
  }
  return null;
}

/**
 * True when `tranche` is refused only because the check that releases it (中期检查 / 结项评估) has not
 * reached this service yet. Supervision's result travels to payments and to the lifecycle on separate
 * consumers, so the lifecycle may ask first: the refusal carries the code RELEASE_CONDITION_PENDING and
 * the lifecycle's activity retries it with backoff instead of parking the project for an admin.
 */
export function awaitingReleaseFact(tranche: TrancheFacts, previous: TrancheFacts | undefined, facts: ContractFacts): boolean {
  if (facts.frozenReasons.length > 0 || facts.terminated || tranche.status !== 'pending') return false;
  if (previous && previous.status !== 'paid') return false; // out of order is a real refusal
  if (tranche.conditionCode === 'mid_term_check_passed') return facts.midTermPassed === null;
  return (tranche.conditionCode === 'year_end_evaluated' || tranche.kind === 'final') && !facts.yearEndGrade;
}

/** Why the current attempt may not be approved, or null. `approved` (in flight) is resumed, not refused. */
export function approveRefusal(
  tranche: TrancheFacts,
  facts: ContractFacts,
  requestedByUserId: string | null,
  approverUserId: string,
): string | null {
  if (facts.frozenReasons.length > 0) return frozenMessage(facts.frozenReasons);
  if (tranche.status === 'cancelled') return cancelledMessage(tranche.kind);
  if (tranche.status === 'paid') return `${label(tranche.kind)}已拨付，不可重复拨付 (already paid)`;
  if (tranche.status === 'pending' || tranche.status === 'failed') return `${label(tranche.kind)}尚未申请，不能审批 (not requested)`;
  // Four eyes: whoever asked for the money does not also release it.
  if (tranche.status === 'requested' && requestedByUserId === approverUserId) {
    return '审批人不能是申请人 (the requester may not approve their own request)';
  }
  return null;
}

export function gradeLabel(grade: Grade): string {
  return GRADE_LABELS[grade];
}
