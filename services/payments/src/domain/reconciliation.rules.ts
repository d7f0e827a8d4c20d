import type { ReconciliationMismatch, TrancheStatus } from '@linli/contracts';

/**
 * 对账: compares what the ledger says with what the tranches say, for one contract. Pure, so every
 * check is unit-tested; the use case feeds it rows read straight from the database.
 *
 * Expected ledger of a contract:
 *   plan_committed      contract +amount, fund −amount            (once, when the plan is made)
 *   tranche_paid        contract −paid                            (once per paid tranche, never for others)
 *   reduction_released  contract −reduction, fund +reduction      (final tranche paid below plan)
 *   termination_released contract −released, fund +released       (once, when terminated early: the
 *                                                                  part that will never be paid)
 * so the contract account's balance is always the amount not yet paid or released.
 */

export interface ReconcileTranche {
  id: string;
  kind: string;
  status: TrancheStatus;
  plannedAmountFen: number;
  paidAmountFen: number | null;
  reductionFen: number | null;
  /** Disbursements of this tranche marked paid (the unique index allows at most one). */
  paidDisbursements: number;
}

export interface ReconcileEntry {
  accountType: 'contract' | 'fund';
  entryType: string;
  trancheId: string | null;
  amountFen: number;
}

export interface ReconcileInput {
  contractId: string;
  amountFen: number;
  tranches: readonly ReconcileTranche[];
  entries: readonly ReconcileEntry[];
  /** What an early termination released back to the fund; null (or absent) when not terminated. */
  terminationReleasedFen?: number | null;
}

export function reconcileContract({ contractId, amountFen, tranches, entries, terminationReleasedFen = null }: ReconcileInput): ReconciliationMismatch[] {
  const out: ReconciliationMismatch[] = [];
  const add = (trancheId: string | null, code: string, message: string, expected: number | string | null, actual: number | string | null) =>
    out.push({ contractId, trancheId, code, message, expected, actual });
  const pick = (account: 'contract' | 'fund', type: string, trancheId: string | null = null) =>
    entries.filter((e) => e.accountType === account && e.entryType === type && (trancheId === null || e.trancheId === trancheId));
  const sum = (list: readonly { amountFen: number }[]) => list.reduce((total, e) => total + e.amountFen, 0);

  const planned = tranches.reduce((total, t) => total + t.plannedAmountFen, 0);
  if (planned !== amountFen) add(null, 'plan_split_mismatch', '各阶段计划金额之和不等于合同金额 (tranche amounts do not sum to the contract amount)', amountFen, planned);

  const committed = pick('contract', 'plan_committed');
  if (committed.length !== 1 || sum(committed) !== amountFen) {
    add(null, 'commitment_mismatch', '合同账户的计划承诺记账与合同金额不符 (contract commitment entry missing or wrong)', amountFen, committed.length ? sum(committed) : null);
  }
  const fundCommitted = pick('fund', 'plan_committed');
  if (fundCommitted.length !== 1 || sum(fundCommitted) !== -amountFen) {
    add(null, 'fund_commitment_mismatch', '经费账户的计划承诺记账与合同金额不符 (fund commitment entry missing or wrong)', -amountFen, fundCommitted.length ? sum(fundCommitted) : null);
  }

  let settled = 0;
  for (const t of tranches) {
    const paidEntries = pick('contract', 'tranche_paid', t.id);
    const released = pick('contract', 'reduction_released', t.id);
    const fundReleased = pick('fund', 'reduction_released', t.id);
    if (t.status === 'paid') {
      const paid = t.paidAmountFen ?? 0;
      const reduction = t.reductionFen ?? 0;
      settled += paid + reduction;
      if (paidEntries.length === 0) add(t.id, 'paid_without_ledger_entry', `${t.kind} 标记为已拨付，但台账无拨付记录 (tranche marked paid but no ledger entry)`, -paid, null);
      else if (paidEntries.length > 1 || sum(paidEntries) !== -paid) add(t.id, 'paid_amount_mismatch', `${t.kind} 台账拨付金额与款项不符 (ledger payment differs from the tranche)`, -paid, sum(paidEntries));
      if (t.paidDisbursements !== 1) add(t.id, 'paid_without_disbursement', `${t.kind} 标记为已拨付，但无对应拨付记录 (no paid disbursement)`, 1, t.paidDisbursements);
      if (sum(released) !== -reduction || sum(fundReleased) !== reduction) {
        add(t.id, 'reduction_mismatch', `${t.kind} 扣减退回记账与扣减金额不符 (reduction entries differ from the recorded reduction)`, reduction, -sum(released));
      }
    } else {
      if (t.status === 'cancelled' && terminationReleasedFen === null) {
        add(t.id, 'cancelled_without_termination', `${t.kind} 已取消，但合同没有提前终止记录 (tranche cancelled on a contract that was not terminated)`, null, 'cancelled');
      }
      if (paidEntries.length > 0) add(t.id, 'ledger_entry_without_payment', `${t.kind} 未拨付，但台账有拨付记录 (ledger payment for an unpaid tranche)`, 0, sum(paidEntries));
      if (t.paidDisbursements > 0) add(t.id, 'disbursement_paid_but_tranche_not', `${t.kind} 拨付记录为已付，但款项状态为 ${t.status} (a paid disbursement on an unpaid tranche)`, 0, t.paidDisbursements);
      if (released.length > 0 || fundReleased.length > 0) add(t.id, 'reduction_without_payment', `${t.kind} 未拨付，但有扣减退回记账 (reduction entry for an unpaid tranche)`, 0, -sum(released));
    }
  }

  const released = terminationReleasedFen ?? 0;
  const termination = pick('contract', 'termination_released');
  const fundTermination = pick('fund', 'termination_released');
  if (sum(termination) !== -released || sum(fundTermination) !== released) {
    add(null, 'termination_release_mismatch', '提前终止退回经费的记账与结算记录不符 (termination release entries differ from the settlement)', released, 0 - sum(termination));
  }

  const balance = sum(entries.filter((e) => e.accountType === 'contract'));
  const expectedBalance = amountFen - settled - released;
  if (balance !== expectedBalance) {
    add(null, 'balance_mismatch', '合同账户余额（台账推导）与未拨付金额不符 (ledger balance differs from the unpaid amount)', expectedBalance, balance);
  }
  return out;
}
