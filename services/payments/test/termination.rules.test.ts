import { owedOnTermination, settleTermination, terminationRefusal, type TerminationTranche } from '../src/domain/termination.rules';

const plan = (statuses: [TerminationTranche['status'], TerminationTranche['status'], TerminationTranche['status']], paid: [number | null, number | null, number | null] = [null, null, null]): TerminationTranche[] => [
  { id: 's', kind: 'start_up', status: statuses[0], paidAmountFen: paid[0] },
  { id: 'm', kind: 'mid_term', status: statuses[1], paidAmountFen: paid[1] },
  { id: 'f', kind: 'final', status: statuses[2], paidAmountFen: paid[2] },
];

describe('what an early-terminated contract owes (pure)', () => {
  it('when part was delivered and less was paid, then owed = floor(amount × permille / 1000) − paid', () => {
    expect(owedOnTermination({ contractAmountFen: 1_000_001, deliveredPermille: 500, paidBeforeFen: 300_000 })).toEqual({ deliveredValueFen: 500_000, owedFen: 200_000 });
    // floor, never rounding up: 333 ‰ of 1001 fen is 333.333 → 333.
    expect(owedOnTermination({ contractAmountFen: 1001, deliveredPermille: 333, paidBeforeFen: 0 })).toEqual({ deliveredValueFen: 333, owedFen: 333 });
    expect(owedOnTermination({ contractAmountFen: 10_000_000_000, deliveredPermille: 1000, paidBeforeFen: 0 }).owedFen).toBe(10_000_000_000);
  });

  it('when more was paid than was delivered, then nothing is owed and nothing is clawed back', () => {
    expect(owedOnTermination({ contractAmountFen: 1_000_000, deliveredPermille: 100, paidBeforeFen: 300_000 })).toEqual({ deliveredValueFen: 100_000, owedFen: 0 });
    expect(owedOnTermination({ contractAmountFen: 1_000_000, deliveredPermille: 0, paidBeforeFen: 0 }).owedFen).toBe(0);
  });

  it('when something is owed, then the unpaid tranches but the final are cancelled, the final carries the owed amount, and the rest is released', () => {
    const s = settleTermination({ contractAmountFen: 1_000_001, deliveredPermille: 750, tranches: plan(['paid', 'pending', 'pending'], [300_000, null, null]) });
    expect(s).toMatchObject({ deliveredValueFen: 750_000, paidBeforeFen: 300_000, owedFen: 450_000, releasedFen: 250_001 });
    expect(s.cancel.map((t) => t.kind)).toEqual(['mid_term']);
    expect(s.settlement?.kind).toBe('final');
    // Every fen is accounted for: paid before + owed + released = the contract amount.
    expect(s.paidBeforeFen + s.owedFen + s.releasedFen).toBe(1_000_001);
  });

  it('when nothing is owed, then the final tranche is cancelled too and everything unpaid goes back', () => {
    const s = settleTermination({ contractAmountFen: 1000, deliveredPermille: 200, tranches: plan(['paid', 'failed', 'pending'], [300, null, null]) });
    expect(s).toMatchObject({ owedFen: 0, paidBeforeFen: 300, releasedFen: 700, settlement: null });
    expect(s.cancel.map((t) => t.kind)).toEqual(['mid_term', 'final']);
  });

  it('when the final tranche failed before the termination, then it still carries the settlement (a new attempt)', () => {
    const s = settleTermination({ contractAmountFen: 1000, deliveredPermille: 1000, tranches: plan(['paid', 'paid', 'failed'], [300, 400, null]) });
    expect(s).toMatchObject({ owedFen: 300, releasedFen: 0 });
    expect(s.settlement?.id).toBe('f');
    expect(s.cancel).toEqual([]);
  });

  it('when a tranche is in flight or the final is paid, then termination is refused with the reason', () => {
    expect(terminationRefusal(plan(['paid', 'requested', 'pending']))).toContain('中期款正在审批或转账中');
    expect(terminationRefusal(plan(['approved', 'pending', 'pending']))).toContain('启动资金正在审批或转账中');
    expect(terminationRefusal(plan(['paid', 'paid', 'paid']))).toContain('尾款已拨付');
    expect(terminationRefusal(plan(['paid', 'failed', 'pending']))).toBeNull();
  });
});
