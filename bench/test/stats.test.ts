import { percentile, ratio, summarize } from '../src/stats';

describe('percentile (nearest rank)', () => {
  it('when asked for p50 of 1..10, then it is 5, and p90 is 9, p100 the maximum', () => {
    const xs = [10, 3, 7, 1, 9, 2, 8, 4, 6, 5];
    expect(percentile(xs, 50)).toBe(5);
    expect(percentile(xs, 90)).toBe(9);
    expect(percentile(xs, 100)).toBe(10);
    expect(percentile(xs, 0)).toBe(1);
  });

  it('when there are fewer than 100 samples, then p99 is the maximum', () => {
    expect(percentile([5, 1, 42, 3], 99)).toBe(42);
  });

  it('when there are 1000 samples, then p99 excludes the ten largest but one', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(percentile(xs, 99)).toBe(990);
  });

  it('when there are no samples, then it is NaN; when p is out of range, then it throws', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('does not reorder the caller\'s samples', () => {
    const xs = [3, 1, 2];
    percentile(xs, 50);
    expect(xs).toEqual([3, 1, 2]);
  });
});

describe('summarize and ratio', () => {
  it('when summarizing, then count, percentiles, max and mean are rounded to 0.1', () => {
    expect(summarize([1.04, 2, 3, 4.26])).toEqual({ count: 4, p50: 2, p90: 4.3, p99: 4.3, max: 4.3, mean: 2.6 });
  });

  it('when a side is missing or the baseline is zero, then there is no ratio', () => {
    expect(ratio(7, 10)).toBe(0.7);
    expect(ratio(2, 3)).toBe(0.667);
    expect(ratio(null, 10)).toBeNull();
    expect(ratio(5, 0)).toBeNull();
    expect(ratio(5, Number.NaN)).toBeNull();
  });
});
