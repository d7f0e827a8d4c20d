import type { CallOutcome, CallbackSummary, CheckFlag } from '@linli/contracts';
import { beijingDate, isWithin } from './dates';

/**
 * The supervisor's checks, as pure functions: every flag says what is wrong in Chinese, with the figures
 * it was computed from. `blocking` flags keep an activity from being verified automatically (the
 * supervisor may still verify it by hand, with a note); `warning` flags are shown and nothing more.
 */
export interface CheckRules {
  /** Held headcount or sign-ins below this share of the planned target are flagged. Default 0.8. */
  headcountMinRatio: number;
  /** A call-back discrepancy rate above this is flagged. Default 0.2. */
  discrepancyMaxRate: number;
}

const percent = (ratio: number) => `${Math.round(ratio * 1000) / 10}%`;

/** ¥1,234.50 from integer fen. */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}¥${whole}.${String(abs % 100).padStart(2, '0')}`;
}

/** 人数核对: held headcount and sign-in count against the plan, and against each other. */
export function headcountFlags(
  input: { headcount: number; signInCount: number | null; targetHeadcount: number },
  rules: CheckRules,
): CheckFlag[] {
  const { headcount, signInCount, targetHeadcount } = input;
  const minimum = Math.ceil(targetHeadcount * rules.headcountMinRatio);
  const flags: CheckFlag[] = [];
  if (headcount < minimum) {
    flags.push({
      code: 'headcount_below_plan',
      level: 'blocking',
      message: `上报参与人数 ${headcount} 人，低于计划 ${targetHeadcount} 人的 ${percent(rules.headcountMinRatio)}（至少 ${minimum} 人）`,
      figures: { headcount, targetHeadcount, minimum, ratio: rules.headcountMinRatio },
    });
  }
  if (signInCount !== null && signInCount < minimum) {
    flags.push({
      code: 'sign_in_below_plan',
      level: 'blocking',
      message: `签到 ${signInCount} 人，低于计划 ${targetHeadcount} 人的 ${percent(rules.headcountMinRatio)}（至少 ${minimum} 人）`,
      figures: { signInCount, targetHeadcount, minimum, ratio: rules.headcountMinRatio },
    });
  }
  if (signInCount !== null && signInCount < headcount) {
    flags.push({
      code: 'sign_in_below_reported',
      level: 'warning',
      message: `签到 ${signInCount} 人，少于上报的参与人数 ${headcount} 人`,
      figures: { signInCount, headcount },
    });
  }
  return flags;
}

/**
 * 回访汇总. Discrepancy rate = (参加未领礼品 + 未参加) / 接通, where 接通 (reached) counts every outcome
 * except 无法联系 (unreachable); null while nobody has been reached. Contract-level rates pool the
 * counts of all its activities (not an average of per-activity rates).
 */
export function summarizeCallbacks(outcomes: readonly (CallOutcome | null)[]): CallbackSummary {
  const counts = { attended_received_gift: 0, attended_no_gift: 0, did_not_attend: 0, unreachable: 0 };
  let done = 0;
  for (const outcome of outcomes) {
    if (outcome === null) continue;
    counts[outcome]++;
    done++;
  }
  const reached = counts.attended_received_gift + counts.attended_no_gift + counts.did_not_attend;
  return {
    sampled: outcomes.length,
    done,
    pending: outcomes.length - done,
    outcomes: counts,
    reached,
    discrepancyRate: discrepancyRate(counts),
  };
}

export function discrepancyRate(counts: CallbackSummary['outcomes']): number | null {
  const reached = counts.attended_received_gift + counts.attended_no_gift + counts.did_not_attend;
  if (reached === 0) return null;
  return Math.round(((counts.attended_no_gift + counts.did_not_attend) / reached) * 10_000) / 10_000;
}

/** Adds summaries (pooled counts), e.g. all activities of a contract. */
export function poolCallbacks(summaries: readonly CallbackSummary[]): CallbackSummary {
  const outcomes = { attended_received_gift: 0, attended_no_gift: 0, did_not_attend: 0, unreachable: 0 };
  let sampled = 0;
  let done = 0;
  for (const s of summaries) {
    sampled += s.sampled;
    done += s.done;
    for (const key of Object.keys(outcomes) as (keyof typeof outcomes)[]) outcomes[key] += s.outcomes[key];
  }
  const reached = outcomes.attended_received_gift + outcomes.attended_no_gift + outcomes.did_not_attend;
  return { sampled, done, pending: sampled - done, outcomes, reached, discrepancyRate: discrepancyRate(outcomes) };
}

export function callbackFlags(summary: CallbackSummary, rules: CheckRules): CheckFlag[] {
  const rate = summary.discrepancyRate;
  if (rate === null || rate <= rules.discrepancyMaxRate) return [];
  return [
    {
      code: 'callback_discrepancy',
      level: 'blocking',
      message: `回访不符率 ${percent(rate)}（参加未领礼品 ${summary.outcomes.attended_no_gift} 人、未参加 ${summary.outcomes.did_not_attend} 人 / 接通 ${summary.reached} 人），超过 ${percent(rules.discrepancyMaxRate)}`,
      figures: {
        discrepancyRate: rate,
        attendedNoGift: summary.outcomes.attended_no_gift,
        didNotAttend: summary.outcomes.did_not_attend,
        reached: summary.reached,
        maxRate: rules.discrepancyMaxRate,
      },
    },
  ];
}

export interface LineSpending {
  lineId: string;
  activityKey: string | null;
  description: string;
  amountFen: number;
  invoicedFen: number;
  overspentFen: number;
}

/** 预算执行: invoice totals per budget line (never a client-supplied total). */
export function lineSpending(
  lines: readonly { lineId: string; activityKey: string | null; description: string; amountFen: number }[],
  invoices: readonly { lineId: string; amountFen: number }[],
): LineSpending[] {
  const invoiced = new Map<string, number>();
  for (const invoice of invoices) invoiced.set(invoice.lineId, (invoiced.get(invoice.lineId) ?? 0) + invoice.amountFen);
  return lines.map((line) => {
    const invoicedFen = invoiced.get(line.lineId) ?? 0;
    return { ...line, invoicedFen, overspentFen: Math.max(0, invoicedFen - line.amountFen) };
  });
}

export function overspendFlags(spending: readonly LineSpending[]): CheckFlag[] {
  return spending
    .filter((line) => line.overspentFen > 0)
    .map((line) => ({
      code: 'budget_line_overspent',
      level: 'blocking' as const,
      message: `预算行「${line.description}」预算 ${yuan(line.amountFen)}，发票合计 ${yuan(line.invoicedFen)}，超支 ${yuan(line.overspentFen)}`,
      figures: { lineId: line.lineId, budgetFen: line.amountFen, invoicedFen: line.invoicedFen, overspentFen: line.overspentFen },
    }));
}

/** An invoice dated outside the contract period cannot be charged to it without explanation. */
export function invoicePeriodFlags(
  invoice: { number: string; issuedOn: string },
  period: { startsOn: string; endsOn: string },
): CheckFlag[] {
  if (isWithin(invoice.issuedOn, period.startsOn, period.endsOn)) return [];
  return [
    {
      code: 'invoice_outside_period',
      level: 'blocking',
      message: `发票 ${invoice.number} 开票日期 ${invoice.issuedOn} 不在合同期 ${period.startsOn} 至 ${period.endsOn} 内`,
      figures: { number: invoice.number, issuedOn: invoice.issuedOn, startsOn: period.startsOn, endsOn: period.endsOn },
    },
  ];
}

export function heldOutsidePeriodFlags(heldOn: string, period: { startsOn: string; endsOn: string }): CheckFlag[] {
  if (isWithin(heldOn, period.startsOn, period.endsOn)) return [];
  return [
    {
      code: 'activity_outside_period',
      level: 'warning',
      message: `活动日期 ${heldOn} 不在合同期 ${period.startsOn} 至 ${period.endsOn} 内`,
      figures: { heldOn, startsOn: period.startsOn, endsOn: period.endsOn },
    },
  ];
}

/** Every activity keeps photos (照片); without one it cannot be verified automatically. */
export function photoFlags(photos: readonly { fileName: string; capturedAt: string }[], heldOn: string): CheckFlag[] {
  if (photos.length === 0) {
    return [{ code: 'missing_photos', level: 'blocking', message: '尚未上传活动照片', figures: { photos: 0 } }];
  }
  return photos
    .filter((photo) => beijingDate(new Date(photo.capturedAt)) !== heldOn)
    .map((photo) => ({
      code: 'photo_date_mismatch',
      level: 'warning' as const,
      message: `照片「${photo.fileName}」拍摄于 ${beijingDate(new Date(photo.capturedAt))}，与活动日期 ${heldOn} 不符`,
      figures: { fileName: photo.fileName, capturedOn: beijingDate(new Date(photo.capturedAt)), heldOn },
    }));
}

/** A planned activity whose period has ended without a report. */
export function overdueActivityFlags(
  planned: readonly { activityKey: string; title: string; endsOn: string }[],
  reportedKeys: ReadonlySet<string>,
  today: string,
): CheckFlag[] {
  return planned
    .filter((p) => p.endsOn < today && !reportedKeys.has(p.activityKey))
    .map((p) => ({
      code: 'activity_not_reported',
      level: 'warning' as const,
      message: `计划活动「${p.title}」已于 ${p.endsOn} 结束，尚未上报`,
      figures: { activityKey: p.activityKey, endsOn: p.endsOn },
    }));
}

export const hasBlocking = (flags: readonly CheckFlag[]) => flags.some((flag) => flag.level === 'blocking');
