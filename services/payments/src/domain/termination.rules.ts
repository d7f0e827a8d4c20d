import { TRANCHE_KIND_LABELS, type TrancheKind, type TrancheStatus } from '@linli/contracts';

/**
 * 提前终止结算 (不到期满就辞掉): a contract ended before term is settled for what was delivered. Pure, so
 * every figure is unit-tested; the use case feeds it the plan read in its transaction.
 *
 *   delivered value = floor(contract amount × delivered per-mille / 1000)
 *   owed            = max(0, delivered value − paid before)      — nothing is clawed back
 *   released        = contract amount − paid before − owed        — never paid; goes back to the fund
 *
 * The owed amount is paid as the final tranche (尾款), through the usual request → finance approval →
 * treasury; every other tranche that was not paid is cancelled, and so is the final one when nothing is
 * owed.
 */

export interface TerminationTranche {
  id: string;
  kind: TrancheKind;
  status: TrancheStatus;
  paidAmountFen: number | null;
}

export interface TerminationSettlement {
  deliveredValueFen: number;
  paidBeforeFen: number;
  owedFen: number;
  releasedFen: number;
  /** Tranches to cancel, in plan order. */
  cancel: TerminationTranche[];
  /** The final tranche that carries the owed amount, or null when nothing is owed. */
  settlement: TerminationTranche | null;
}

/** owed = max(0, floor(amount × permille / 1000) − paid). Integer fen throughout. */
export function owedOnTermination(input: { contractAmountFen: number; deliveredPermille: number; paidBeforeFen: number }): { deliveredValueFen: number; owedFen: number } {
  const deliveredValueFen = Math.floor((input.contractAmountFen * input.deliveredPermille) / 1000);
  return { deliveredValueFen, owedFen: Math.max(0, deliveredValueFen - input.paidBeforeFen) };
}

/**
 * Why the contract may not be terminated now, or null. A tranche in flight (requested or approved) must
 * end first — paid, or failed — so "paid before" is exact; a paid final tranche means the contract is
 * already settled in full.
 */
export function terminationRefusal(tranches: readonly TerminationTranche[]): string | null {
  const inFlight = tranches.find((t) => t.status === 'requested' || t.status === 'approved');
  if (inFlight) {
    return `${TRANCHE_KIND_LABELS[inFlight.kind]}正在审批或转账中，须待其拨付或失败后再结算 (a tranche is in flight; settle after it is paid or failed)`;
  }
  if (tranches.some((t) => t.kind === 'final' && t.status === 'paid')) return '尾款已拨付，合同已结清，不能提前终止 (the final tranche is paid; nothing to settle)';
  return null;
}

/** The settlement of a terminated contract (call terminationRefusal first). */
export function settleTermination(input: { contractAmountFen: number; deliveredPermille: number; tranches: readonly TerminationTranche[] }): TerminationSettlement {
  const paidBeforeFen = input.tranches.filter((t) => t.status === 'paid').reduce((sum, t) => sum + (t.paidAmountFen ?? 0), 0);
  const { deliveredValueFen, owedFen } = owedOnTermination({ contractAmountFen: input.contractAmountFen, deliveredPermille: input.deliveredPermille, paidBeforeFen });
  const final = input.tranches.find((t) => t.kind === 'final' && t.status !== 'paid' && t.status !== 'cancelled') ?? null;
  const settlement = owedFen > 0 ? final : null;
  const cancel = input.tranches.filter((t) => (t.status === 'pending' || t.status === 'failed') && t !== settlement);
  return { deliveredValueFen, paidBeforeFen, owedFen, releasedFen: input.contractAmountFen - paidBeforeFen - owedFen, cancel, settlement };
}
