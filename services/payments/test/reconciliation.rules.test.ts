import { reconcileContract, type ReconcileEntry, type ReconcileTranche } from '../src/domain/reconciliation.rules';

const C = '00000000-0000-4000-8000-000000000001';
const T1 = '00000000-0000-4000-8000-0000000000a1';
const T2 = '00000000-0000-4000-8000-0000000000a2';
const T3 = '00000000-0000-4000-8000-0000000000a3';

const tranches = (over: Partial<Record<string, Partial<ReconcileTranche>>> = {}): ReconcileTranche[] => [
  { id: T1, kind: 'start_up', status: 'paid', plannedAmountFen: 300, paidAmountFen: 300, reductionFen: null, paidDisbursements: 1, ...over[T1] },
  { id: T2, kind: 'mid_term', status: 'pending', plannedAmountFen: 400, paidAmountFen: null, reductionFen: null, paidDisbursements: 0, ...over[T2] },
  { id: T3, kind: 'final', status: 'pending', plannedAmountFen: 301, paidAmountFen: null, reductionFen: null, paidDisbursements: 0, ...over[T3] },
];
const committed: ReconcileEntry[] = [
  { accountType: 'contract', entryType: 'plan_committed', trancheId: null, amountFen: 1001 },
  { accountType: 'fund', entryType: 'plan_committed', trancheId: null, amountFen: -1001 },
];
const paid = (trancheId: string, amountFen: number): ReconcileEntry => ({ accountType: 'contract', entryType: 'tranche_paid', trancheId, amountFen: -amountFen });

describe('reconciling one contract (pure)', () => {
  it('when the ledger matches the tranches, then there is no mismatch', () => {
    expect(reconcileContract({ contractId: C, amountFen: 1001, tranches: tranches(), entries: [...committed, paid(T1, 300)] })).toEqual([]);
  });

  it('when a tranche is marked paid with no ledger entry, then it reports paid_without_ledger_entry and the balance', () => {
    const codes = reconcileContract({ contractId: C, amountFen: 1001, tranches: tranches(), entries: committed }).map((m) => [m.code, m.trancheId]);
    expect(codes).toEqual([
      ['paid_without_ledger_entry', T1],
      ['balance_mismatch', null],
    ]);
  });

  it('when the ledger pays a tranche that is not paid, or pays the wrong amount, then each is reported', () => {
    const result = reconcileContract({
      contractId: C,
      amountFen: 1001,
      tranches: tranches(),
      entries: [...committed, paid(T1, 299), paid(T2, 400)],
    });
    expect(result.map((m) => m.code)).toEqual(['paid_amount_mismatch', 'ledger_entry_without_payment', 'balance_mismatch']);
    expect(result[0]).toMatchObject({ trancheId: T1, expected: -300, actual: -299 });
  });

  it('when the commitment is missing or the tranche amounts do not add up, then both are reported', () => {
    const result = reconcileContract({ contractId: C, amountFen: 1000, tranches: tranches(), entries: [paid(T1, 300)] });
    expect(result.map((m) => m.code)).toEqual(['plan_split_mismatch', 'commitment_mismatch', 'fund_commitment_mismatch', 'balance_mismatch']);
  });

  it('when the final tranche was reduced, then the reduction entries are expected on both accounts', () => {
    const all = tranches({ [T2]: { status: 'paid', paidAmountFen: 400, paidDisbursements: 1 }, [T3]: { status: 'paid', paidAmountFen: 210, reductionFen: 91, paidDisbursements: 1 } });
    const released: ReconcileEntry[] = [
      { accountType: 'contract', entryType: 'reduction_released', trancheId: T3, amountFen: -91 },
      { accountType: 'fund', entryType: 'reduction_released', trancheId: T3, amountFen: 91 },
    ];
    const entries = [...committed, paid(T1, 300), paid(T2, 400), paid(T3, 210)];
    expect(reconcileContract({ contractId: C, amountFen: 1001, tranches: all, entries: [...entries, ...released] })).toEqual([]);
    expect(reconcileContract({ contractId: C, amountFen: 1001, tranches: all, entries }).map((m) => m.code)).toEqual(['reduction_mismatch', 'balance_mismatch']);
  });

  it('when the contract was terminated early, then the released part is expected on both accounts and the balance is what is still owed', () => {
    // 1001 fen, start-up 300 paid, 60.0 % delivered → owed floor(600.6) − 300 = 300, released 1001 − 300 − 300 = 401.
    const terminated = tranches({ [T2]: { status: 'cancelled' } });
    const released: ReconcileEntry[] = [
      { accountType: 'contract', entryType: 'termination_released', trancheId: null, amountFen: -401 },
      { accountType: 'fund', entryType: 'termination_released', trancheId: null, amountFen: 401 },
    ];
    const entries = [...committed, paid(T1, 300), ...released];
    expect(reconcileContract({ contractId: C, amountFen: 1001, tranches: terminated, entries, terminationReleasedFen: 401 })).toEqual([]);
    const settled = tranches({ [T2]: { status: 'cancelled' }, [T3]: { status: 'paid', paidAmountFen: 300, paidDisbursements: 1 } });
    expect(reconcileContract({ contractId: C, amountFen: 1001, tranches: settled, entries: [...entries, paid(T3, 300)], terminationReleasedFen: 401 })).toEqual([]);

    const missing = reconcileContract({ contractId: C, amountFen: 1001, tranches: terminated, entries: [...committed, paid(T1, 300)], terminationReleasedFen: 401 });
    expect(missing.map((m) => m.code)).toEqual(['termination_release_mismatch', 'balance_mismatch']);
    expect(missing[0]).toMatchObject({ expected: 401, actual: 0 });
  });

  it('when a tranche is cancelled on a contract that was never terminated, then it is reported', () => {
    const result = reconcileContract({ contractId: C, amountFen: 1001, tranches: tranches({ [T2]: { status: 'cancelled' } }), entries: [...committed, paid(T1, 300)] });
    expect(result.map((m) => [m.code, m.trancheId])).toEqual([['cancelled_without_termination', T2]]);
  });

  it('when a tranche is paid without a paid disbursement, then it is reported', () => {
    const result = reconcileContract({ contractId: C, amountFen: 1001, tranches: tranches({ [T1]: { paidDisbursements: 0 } }), entries: [...committed, paid(T1, 300)] });
    expect(result.map((m) => m.code)).toEqual(['paid_without_disbursement']);
  });
});
