import type { ItemKind, ItemLineInput, PlannedActivity, ProposalTotalsView, StaffLineInput } from '@linli/contracts';
import type { FieldError } from '@linli/http';
import type { StoredItemLine, StoredPriceFlag, StoredStaffLine, VersionContent } from '../data-access/proposal.repository';

// Pure rules of a proposal's budget: amounts, totals, the price check and the content's consistency.
// Money is integer fen throughout; every total is a sum of lines, never taken from the client.

/** The largest amount a Fen field may hold (packages/contracts Fen). */
export const MAX_FEN = 10_000_000_000;

export const DEFAULT_MARGIN_PERCENT = 30;

export interface ReferenceFor {
  priceFen: number;
  unit: string;
}

/**
 * 超参考价标记: a unit price above reference × (100 + margin)% is flagged. Compared in integers
 * (price × 100 > reference × (100 + margin)), so no rounding decides a borderline case. A kind without a
 * reference price (or `other`) is never flagged.
 */
export function priceFlag(unitPriceFen: number, reference: ReferenceFor | undefined, marginPercent: number): StoredPriceFlag | null {
  if (!reference || reference.priceFen <= 0) return null;
  if (unitPriceFen * 100 <= reference.priceFen * (100 + marginPercent)) return null;
  return {
    referencePriceFen: reference.priceFen,
    referenceUnit: reference.unit,
    marginPercent,
    thresholdFen: Math.floor((reference.priceFen * (100 + marginPercent)) / 100),
    overByPercent: Math.round(((unitPriceFen - reference.priceFen) * 100) / reference.priceFen),
  };
}

export interface ContentInput {
  title: string;
  fiscalYear: number;
  summary: string;
  offeringId: string | null;
  organizationId: string;
  activities: PlannedActivity[];
  itemLines: ItemLineInput[];
  staffLines: StaffLineInput[];
}

/** Lines with their computed amounts and flags, and the version's totals. */
export function priceContent(input: ContentInput, references: ReadonlyMap<ItemKind, ReferenceFor>, marginPercent: number): VersionContent {
  const itemLines: StoredItemLine[] = input.itemLines.map((line) => ({
    lineKey: line.lineKey,
    activityKey: line.activityKey,
    itemKind: line.itemKind,
    description: line.description,
    unit: line.unit ?? null,
    unitPriceFen: line.unitPriceFen,
    quantity: line.quantity,
    amountFen: line.unitPriceFen * line.quantity,
    flag: priceFlag(line.unitPriceFen, references.get(line.itemKind), marginPercent),
  }));
  const staffLines: StoredStaffLine[] = input.staffLines.map((line) => ({
    lineKey: line.lineKey,
    person: line.person,
    role: line.role,
    hours: line.hours,
    hourlyRateFen: line.hourlyRateFen,
    activityKey: line.activityKey ?? null,
    amountFen: line.hours * line.hourlyRateFen,
  }));
  const totals = totalsOf(input.activities, itemLines, staffLines);
  return {
    title: input.title,
    fiscalYear: input.fiscalYear,
    summary: input.summary,
    offeringId: input.offeringId,
    organizationId: input.organizationId,
    activities: input.activities,
    itemLines,
    staffLines,
    itemTotalFen: totals.itemTotalFen,
    staffTotalFen: totals.staffTotalFen,
    grandTotalFen: totals.grandTotalFen,
  };
}

/** Back from stored lines to the input shape (to re-price a version, or to start the next one from it). */
export function contentInputOf(content: VersionContent): ContentInput {
  return {
    title: content.title,
    fiscalYear: content.fiscalYear,
    summary: content.summary,
    offeringId: content.offeringId,
    organizationId: content.organizationId,
    activities: content.activities,
    itemLines: content.itemLines.map(({ amountFen: _a, flag: _f, unit, ...line }) => ({ ...line, ...(unit ? { unit } : {}) })),
    staffLines: content.staffLines.map(({ amountFen: _a, ...line }) => line),
  };
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

export function totalsOf(activities: readonly PlannedActivity[], itemLines: readonly StoredItemLine[], staffLines: readonly StoredStaffLine[]): ProposalTotalsView {
  const perActivity = activities.map((activity) => {
    const itemTotalFen = sum(itemLines.filter((l) => l.activityKey === activity.activityKey).map((l) => l.amountFen));
    const staffTotalFen = sum(staffLines.filter((l) => l.activityKey === activity.activityKey).map((l) => l.amountFen));
    return { activityKey: activity.activityKey, title: activity.title, itemTotalFen, staffTotalFen, totalFen: itemTotalFen + staffTotalFen };
  });
  const itemTotalFen = sum(itemLines.map((l) => l.amountFen));
  const staffTotalFen = sum(staffLines.map((l) => l.amountFen));
  const unassignedStaffFen = sum(staffLines.filter((l) => l.activityKey === null).map((l) => l.amountFen));
  return { perActivity, unassignedStaffFen, itemTotalFen, staffTotalFen, grandTotalFen: itemTotalFen + staffTotalFen };
}

/** Flagged lines that no reviewer has accepted (for this version). */
export function openFlags(itemLines: readonly StoredItemLine[], acceptedLineKeys: ReadonlySet<string>): string[] {
  return itemLines.filter((l) => l.flag && !acceptedLineKeys.has(l.lineKey)).map((l) => l.lineKey);
}

/**
 * Consistency of a proposal's content, every problem with its path (relative to the request body):
 * keys unique, each line's activity planned, periods the right way round and inside the fiscal year,
 * amounts within what a Fen can hold.
 */
export function contentProblems(input: ContentInput): FieldError[] {
  const problems: FieldError[] = [];
  const activityKeys = new Set<string>();
  input.activities.forEach((a, i) => {
    if (activityKeys.has(a.activityKey)) problems.push({ path: `activities[${i}].activityKey`, message: `活动编号「${a.activityKey}」重复 (duplicate activityKey)` });
    activityKeys.add(a.activityKey);
    if (a.endsOn < a.startsOn) problems.push({ path: `activities[${i}].endsOn`, message: '结束日期早于开始日期 (endsOn is before startsOn)' });
    const year = String(input.fiscalYear);
    if (!a.startsOn.startsWith(year)) problems.push({ path: `activities[${i}].startsOn`, message: `活动须在 ${year} 财年内 (outside fiscal year ${year})` });
    if (!a.endsOn.startsWith(year)) problems.push({ path: `activities[${i}].endsOn`, message: `活动须在 ${year} 财年内 (outside fiscal year ${year})` });
  });
  const lineKeys = new Set<string>();
  const checkKey = (key: string, path: string) => {
    if (lineKeys.has(key)) problems.push({ path, message: `预算行编号「${key}」重复 (duplicate lineKey)` });
    lineKeys.add(key);
  };
  input.itemLines.forEach((line, i) => {
    checkKey(line.lineKey, `itemLines[${i}].lineKey`);
    if (!activityKeys.has(line.activityKey)) {
      problems.push({ path: `itemLines[${i}].activityKey`, message: `没有编号为「${line.activityKey}」的计划活动 (no such planned activity)` });
    }
    if (line.unitPriceFen * line.quantity > MAX_FEN) problems.push({ path: `itemLines[${i}].quantity`, message: '金额超出上限 (amount too large)' });
  });
  input.staffLines.forEach((line, i) => {
    checkKey(line.lineKey, `staffLines[${i}].lineKey`);
    if (line.activityKey && !activityKeys.has(line.activityKey)) {
      problems.push({ path: `staffLines[${i}].activityKey`, message: `没有编号为「${line.activityKey}」的计划活动 (no such planned activity)` });
    }
    if (line.hours * line.hourlyRateFen > MAX_FEN) problems.push({ path: `staffLines[${i}].hours`, message: '金额超出上限 (amount too large)' });
  });
  const total = sum(input.itemLines.map((l) => l.unitPriceFen * l.quantity)) + sum(input.staffLines.map((l) => l.hours * l.hourlyRateFen));
  if (total > MAX_FEN) problems.push({ path: 'itemLines', message: '预算总额超出上限 (grand total too large)' });
  return problems;
}

/** What a proposal must have before it can be submitted (in words, for the 409). */
export function submissionProblems(content: VersionContent): string[] {
  const problems: string[] = [];
  if (content.activities.length === 0) problems.push('缺少活动计划 (no planned activity)');
  if (content.itemLines.length + content.staffLines.length === 0) problems.push('缺少预算明细 (no budget line)');
  if (content.grandTotalFen <= 0) problems.push('预算总额为零 (the budget total is zero)');
  return problems;
}
