import { randomInt } from 'node:crypto';

/**
 * 电话回访抽样. How many of a sign-in sheet's participants are called back: `rate` of them, rounded up,
 * at least `min` — or everybody when the sheet has no more than `min` names.
 */
export function sampleSize(population: number, rate: number, min: number): number {
  if (population <= min) return population;
  return Math.min(population, Math.max(min, Math.ceil(population * rate)));
}

/** Picks `count` distinct items. Injectable, so tests can fix the draw. */
export type Sampler = <T>(items: readonly T[], count: number) => T[];

/** Partial Fisher–Yates over a copy, driven by `next(n)` ∈ [0, n). */
function fisherYates<T>(items: readonly T[], count: number, next: (n: number) => number): T[] {
  const pool = [...items];
  const take = Math.min(count, pool.length);
  for (let i = 0; i < take; i++) {
    const j = i + next(pool.length - i);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, take);
}

/** Production draw: cryptographic randomness, so an organization cannot predict who will be called. */
export const randomSampler: Sampler = (items, count) => fisherYates(items, count, (n) => randomInt(n));

/** Reproducible draw for tests (mulberry32). */
export function seededSampler(seed: number): Sampler {
  let state = seed >>> 0;
  const next = (n: number) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return Math.floor(unit * n);
  };
  return (items, count) => fisherYates(items, count, next);
}
