import type { TrancheSpec } from '@linli/contracts';
import {
  DEFAULT_FINAL_PERCENT_BY_GRADE,
  defaultTrancheSpecs,
  finalTranchePayable,
  parseDefaultPercents,
  parseGradePercents,
  splitAmount,
  trancheSpecProblems,
} from '../src/domain/payment-plan.rules';

const spec = (kind: TrancheSpec['kind'], percent: number): TrancheSpec => ({ kind, percent, conditionCode: 'contract_signed', conditionText: '条件' });

describe('splitting a contract amount into tranches', () => {
  it('when the amount divides evenly, then each tranche is exactly its percentage', () => {
    expect(splitAmount(1_000_000, [30, 40, 30])).toEqual([300_000, 400_000, 300_000]);
  });

  it.each([
    [1, [30, 40, 30], [0, 0, 1]],
    [2, [30, 40, 30], [0, 0, 2]],
    [101, [30, 40, 30], [30, 40, 31]],
    [99_999, [30, 40, 30], [29_999, 39_999, 30_001]],
    [1_000_001, [30, 40, 30], [300_000, 400_000, 300_001]],
    [1_234_567, [33, 33, 34], [407_407, 407_407, 419_753]],
    [7, [1, 1, 98], [0, 0, 7]],
    [10_000_000_000, [30, 40, 30], [3_000_000_000, 4_000_000_000, 3_000_000_000]],
    [9_999_999_999, [30, 40, 30], [2_999_999_999, 3_999_999_999, 3_000_000_001]],
  ])('when the amount is the awkward %p fen, then the rounding remainder lands on the last tranche and the sum is exact', (amount, percents, expected) => {
    const shares = splitAmount(amount, percents);
    expect(shares).toEqual(expected);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(amount);
    // Every tranche but the last is the floor of its share; the last only ever gains.
    shares.slice(0, -1).forEach((s, i) => expect(s).toBe(Math.floor((amount * percents[i]!) / 100)));
  });

  it('when every amount from 0 to 3000 fen is split 30/40/30 and 33/33/34, then the sum always equals the amount', () => {
    for (let amount = 0; amount <= 3000; amount++) {
      for (const percents of [[30, 40, 30], [33, 33, 34], [100]]) {
        const shares = splitAmount(amount, percents);
        expect(shares.reduce((a, b) => a + b, 0)).toBe(amount);
        expect(shares.every((s) => Number.isInteger(s) && s >= 0)).toBe(true);
      }
    }
  });

  it('when the amount is not a non-negative integer, then it refuses', () => {
    expect(() => splitAmount(10.5, [100])).toThrow(RangeError);
    expect(() => splitAmount(-1, [100])).toThrow(RangeError);
  });
});

describe('validating tranche specs', () => {
  it('when the default 30/40/30 is used, then it is valid and ordered 启动资金 → 中期款 → 尾款 with the default conditions', () => {
    const specs = defaultTrancheSpecs();
    expect(trancheSpecProblems(specs)).toEqual([]);
    expect(specs.map((s) => [s.kind, s.percent, s.conditionCode])).toEqual([
      ['start_up', 30, 'contract_signed'],
      ['mid_term', 40, 'mid_term_check_passed'],
      ['final', 30, 'year_end_evaluated'],
    ]);
  });

  it('when the percentages sum to 99 or 101, then it names the sum', () => {
    expect(trancheSpecProblems([spec('start_up', 30), spec('mid_term', 40), spec('final', 29)])).toEqual([
      expect.objectContaining({ path: 'tranches', message: expect.stringContaining('现为 99') }),
    ]);
    expect(trancheSpecProblems([spec('start_up', 31), spec('mid_term', 40), spec('final', 30)])[0]!.message).toContain('101');
  });

  it('when a kind repeats, the order is wrong, the last is not final or a percent is 0, then each problem is reported with its path', () => {
    expect(trancheSpecProblems([spec('start_up', 50), spec('start_up', 50)]).map((p) => p.message).join()).toMatch(/只能出现一次.*最后一个阶段须为尾款/s);
    expect(trancheSpecProblems([spec('final', 50), spec('start_up', 50)]).map((p) => p.message).join()).toContain('顺序');
    expect(trancheSpecProblems([spec('start_up', 0), spec('final', 100)], 'body.tranches')).toEqual([
      { path: 'body.tranches[0].percent', message: expect.stringContaining('1–100') },
    ]);
  });

  it('when a plan is two tranches 50/50 or a single final 100, then it is valid', () => {
    expect(trancheSpecProblems([spec('start_up', 50), spec('final', 50)])).toEqual([]);
    expect(trancheSpecProblems([spec('final', 100)])).toEqual([]);
  });
});

describe('the final tranche by grade', () => {
  it.each([
    ['excellent', 300_000, 300_000, 0],
    ['good', 300_000, 270_000, 30_000],
    ['fair', 300_000, 210_000, 90_000],
    ['poor', 300_000, 0, 300_000],
    ['good', 300_001, 270_000, 30_001],
    ['fair', 333, 233, 100],
  ] as const)('when the grade is %s and the plan is %p fen, then %p is paid and %p goes back to the fund', (grade, planned, payable, reduction) => {
    const result = finalTranchePayable(planned, grade, DEFAULT_FINAL_PERCENT_BY_GRADE);
    expect(result).toEqual({ percent: DEFAULT_FINAL_PERCENT_BY_GRADE[grade], payableFen: payable, reductionFen: reduction });
    expect(result.payableFen + result.reductionFen).toBe(planned);
  });

  it('when the mapping is configured, then it is used', () => {
    expect(finalTranchePayable(1000, 'good', { excellent: 100, good: 80, fair: 50, poor: 10 }).payableFen).toBe(800);
  });
});

describe('parsing the policy configuration', () => {
  it('when grades are given in English or Chinese, then both parse; a missing grade or a bad percent is named', () => {
    expect(parseGradePercents('excellent=100,good=90,fair=70,poor=0')).toEqual({ ok: { excellent: 100, good: 90, fair: 70, poor: 0 } });
    expect(parseGradePercents('优=100, 良=85, 中=60, 差=0')).toEqual({ ok: { excellent: 100, good: 85, fair: 60, poor: 0 } });
    expect(parseGradePercents('excellent=100,good=90')).toEqual({ error: 'missing grades: fair, poor' });
    expect(parseGradePercents('excellent=101,good=90,fair=70,poor=0')).toEqual({ error: expect.stringContaining('excellent') });
    expect(parseGradePercents('great=100')).toEqual({ error: expect.stringContaining('great') });
  });

  it('when default percents are given, then they must sum to 100', () => {
    expect(parseDefaultPercents('start_up=50,final=50')).toEqual({ ok: [expect.objectContaining({ kind: 'start_up', percent: 50 }), expect.objectContaining({ kind: 'final', percent: 50 })] });
    expect(parseDefaultPercents('start_up=30,mid_term=40,final=20')).toEqual({ error: expect.stringContaining('90') });
  });
});
