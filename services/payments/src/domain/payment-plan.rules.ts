import type { FieldError } from '@linli/http';
import { GRADE_LABELS, type Grade, type ReleaseCondition, type TrancheKind, type TrancheSpec } from '@linli/contracts';

/**
 * The money rules of a payment plan, as pure functions (unit-tested without a database):
 * how a contract amount is split into tranches, and how much of the final tranche a grade releases.
 */

/** Canonical order of the kinds; a plan lists its tranches in this order. */
export const TRANCHE_ORDER: readonly TrancheKind[] = ['start_up', 'mid_term', 'final'];

/** Default conditions that release each kind (text for people, code for the service). */
export const DEFAULT_CONDITIONS: Record<TrancheKind, { conditionCode: ReleaseCondition; conditionText: string }> = {
  start_up: { conditionCode: 'contract_signed', conditionText: '合同签订后拨付启动资金' },
  mid_term: { conditionCode: 'mid_term_check_passed', conditionText: '中期检查通过后拨付中期款' },
  final: { conditionCode: 'year_end_evaluated', conditionText: '结项评估完成后按评估等级拨付尾款' },
};

/** The default split: 30 % 启动资金, 40 % 中期款, 30 % 尾款 (overridable by config and per plan). */
export const DEFAULT_PERCENTS: Record<TrancheKind, number> = { start_up: 30, mid_term: 40, final: 30 };

/** The default share of the final tranche each year-end grade releases: 优 100 %, 良 90 %, 中 70 %, 差 0 %. */
export const DEFAULT_FINAL_PERCENT_BY_GRADE: Record<Grade, number> = { excellent: 100, good: 90, fair: 70, poor: 0 };

export function defaultTrancheSpecs(percents: Partial<Record<TrancheKind, number>> = DEFAULT_PERCENTS): TrancheSpec[] {
  return TRANCHE_ORDER.filter((kind) => (percents[kind] ?? 0) > 0).map((kind) => ({
    kind,
    percent: percents[kind]!,
    ...DEFAULT_CONDITIONS[kind],
  }));
}

/**
 * Every problem with a list of tranche specs (empty when valid): integer percentages of 1..100 that sum
 * to exactly 100, each kind at most once, in the order 启动资金 → 中期款 → 尾款, and a final tranche
 * (the year-end evaluation decides it, so a plan without one could never apply the grade).
 */
export function trancheSpecProblems(specs: readonly TrancheSpec[], path = 'tranches'): FieldError[] {
  const problems: FieldError[] = [];
  if (specs.length === 0) return [{ path, message: '至少需要一个拨付阶段 (at least one tranche)' }];
  specs.forEach((spec, i) => {
    if (!Number.isInteger(spec.percent) || spec.percent < 1 || spec.percent > 100) {
      problems.push({ path: `${path}[${i}].percent`, message: '百分比须为 1–100 的整数 (an integer 1-100)' });
    }
  });
  const kinds = specs.map((s) => s.kind);
  if (new Set(kinds).size !== kinds.length) problems.push({ path, message: '每个拨付阶段只能出现一次 (each kind at most once)' });
  const positions = kinds.map((k) => TRANCHE_ORDER.indexOf(k));
  if (positions.some((p, i) => i > 0 && p <= positions[i - 1]!)) {
    problems.push({ path, message: '顺序须为 启动资金 → 中期款 → 尾款 (order start_up, mid_term, final)' });
  }
  if (kinds[kinds.length - 1] !== 'final') problems.push({ path, message: '最后一个阶段须为尾款 (the last tranche must be final)' });
  const sum = specs.reduce((total, s) => total + s.percent, 0);
  if (sum !== 100) problems.push({ path, message: `各阶段百分比合计须正好为 100，现为 ${sum} (percentages must sum to exactly 100, got ${sum})` });
  return problems;
}

/**
 * Splits a contract amount by integer percentages. Each tranche gets floor(amount × percent / 100);
 * the rounding remainder goes to the LAST tranche, so the amounts always sum to the contract amount.
 */
export function splitAmount(amountFen: number, percents: readonly number[]): number[] {
  if (!Number.isSafeInteger(amountFen) || amountFen < 0) throw new RangeError(`amountFen must be a non-negative integer, got ${amountFen}`);
  if (percents.length === 0) return [];
  const shares = percents.map((p) => Math.floor((amountFen * p) / 100));
  const allocated = shares.slice(0, -1).reduce((a, b) => a + b, 0);
  shares[shares.length - 1] = amountFen - allocated;
  return shares;
}

/**
 * What the final tranche pays for a grade: floor(planned × percent / 100) — rounding never pays more than
 * the grade allows — and the reduction (planned − payable), which goes back to the fund.
 */
export function finalTranchePayable(plannedFen: number, grade: Grade, percentByGrade: Record<Grade, number> = DEFAULT_FINAL_PERCENT_BY_GRADE) {
  const percent = percentByGrade[grade];
  const payableFen = Math.floor((plannedFen * percent) / 100);
  return { percent, payableFen, reductionFen: plannedFen - payableFen };
}

/** Parses "excellent=100,good=90,fair=70,poor=0" (Chinese labels 优/良/中/差 accepted too); every grade required. */
export function parseGradePercents(raw: string): { ok: Record<Grade, number> } | { error: string } {
  const byLabel = Object.fromEntries(Object.entries(GRADE_LABELS).map(([g, label]) => [label, g])) as Record<string, Grade>;
  const result: Partial<Record<Grade, number>> = {};
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, value] = part.split(/[=:]/).map((s) => s.trim());
    const grade = (name && (name in GRADE_LABELS ? (name as Grade) : byLabel[name])) || undefined;
    const percent = Number(value);
    if (!grade) return { error: `unknown grade "${name}" (use excellent/good/fair/poor or 优/良/中/差)` };
    if (!Number.isInteger(percent) || percent < 0 || percent > 100) return { error: `percent for ${grade} must be an integer 0-100, got "${value}"` };
    result[grade] = percent;
  }
  const missing = (Object.keys(GRADE_LABELS) as Grade[]).filter((g) => result[g] === undefined);
  if (missing.length) return { error: `missing grades: ${missing.join(', ')}` };
  return { ok: result as Record<Grade, number> };
}

/** Parses "start_up=30,mid_term=40,final=30" into tranche specs with the default conditions; must sum to 100. */
export function parseDefaultPercents(raw: string): { ok: TrancheSpec[] } | { error: string } {
  const percents: Partial<Record<TrancheKind, number>> = {};
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, value] = part.split(/[=:]/).map((s) => s.trim());
    if (!TRANCHE_ORDER.includes(name as TrancheKind)) return { error: `unknown tranche kind "${name}" (use start_up/mid_term/final)` };
    const percent = Number(value);
    if (!Number.isInteger(percent) || percent < 0 || percent > 100) return { error: `percent for ${name} must be an integer 0-100, got "${value}"` };
    percents[name as TrancheKind] = percent;
  }
  const specs = defaultTrancheSpecs(percents);
  const problems = trancheSpecProblems(specs);
  return problems.length ? { error: problems.map((p) => p.message).join('; ') } : { ok: specs };
}
