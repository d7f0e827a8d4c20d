import { decide, type Principal } from '@linli/auth';
import { TENDER_STATUS_LABELS, type TenderCriterion, type TenderStatus } from '@linli/contracts';
import { ConflictError } from '@linli/http';

/**
 * The tender's rules, pure (no I/O, "now" passed in), so each is unit-tested on its own:
 *
 *   draft ──publish──▶ published ──open (≥ openingAt)──▶ opened ──award──▶ awarded ──sign──▶ contracted
 *                         ▲              │ fewer bids than the minimum
 *                         └──retender── unsuccessful (流标)
 *   any state before contracted ──cancel──▶ cancelled
 *
 * Sealed bids: a round's bids stay sealed unless that round was opened; an unsuccessful round is never
 * opened, so its bids stay sealed for good (only their bidders ever read them).
 */

export interface Doing {
  zh: string;
  en: string;
}

export function assertStatus(tender: { status: TenderStatus }, allowed: readonly TenderStatus[], doing: Doing): void {
  if (allowed.includes(tender.status)) return;
  throw new ConflictError(
    `招标状态为「${TENDER_STATUS_LABELS[tender.status]}」，不能${doing.zh} (tender is ${tender.status}; ${doing.en} needs ${allowed.join(' or ')})`,
  );
}

/** Beijing time for messages people read; the ISO instant in the English part. */
export function beijing(iso: string): string {
  const d = new Date(Date.parse(iso) + 8 * 3600_000);
  return `${d.toISOString().slice(0, 16).replace('T', ' ')}（北京时间）`;
}

export function assertBidWindowOpen(tender: { status: TenderStatus; bidDeadline: string }, now: Date): void {
  assertStatus(tender, ['published'], { zh: '投标', en: 'bidding' });
  if (now.getTime() >= Date.parse(tender.bidDeadline)) {
    throw new ConflictError(`投标已于 ${beijing(tender.bidDeadline)} 截止 (the bid deadline ${tender.bidDeadline} has passed)`);
  }
}

export function assertMayOpen(tender: { status: TenderStatus; openingAt: string }, now: Date): void {
  assertStatus(tender, ['published'], { zh: '开标', en: 'opening' });
  if (now.getTime() < Date.parse(tender.openingAt)) {
    throw new ConflictError(`未到开标时间 ${beijing(tender.openingAt)} (bids cannot be opened before ${tender.openingAt})`);
  }
}

/** 流标 when fewer bids than the minimum arrived. */
export function openingOutcome(bids: number, minimumBids: number): 'opened' | 'unsuccessful' {
  return bids < minimumBids ? 'unsuccessful' : 'opened';
}

export function roundOpened(tender: { rounds: readonly { round: number; outcome: string }[] }, round: number): boolean {
  return tender.rounds.some((r) => r.round === round && r.outcome === 'opened');
}

export type Access = { allowed: true } | { allowed: false; reason: string };

export const SEALED_REASON = '投标文件在开标前密封，只有投标人本身可以查看 (bids are sealed until the opening: only the bidder may read its own bid)';

/**
 * May this principal read this bid? Its own organization's staff always may. Anyone else only once the
 * bid's round was opened, and then only as the policy table allows (the tender's sub-district staff and
 * platform roles); not other bidders, not community secretaries.
 */
export function bidAccess(principal: Principal, tender: { subDistrictId: string }, bid: { organizationId: string }, opened: boolean): Access {
  const own = principal.scope.kind === 'organization' && principal.scope.id === bid.organizationId;
  if (!opened && !own) return { allowed: false, reason: SEALED_REASON };
  const decision = decide(principal, 'bid.read', { subDistrictId: tender.subDistrictId, organizationId: bid.organizationId });
  return decision.allowed ? { allowed: true } : { allowed: false, reason: decision.reason };
}

// ── scoring ─────────────────────────────────────────────────────────────────────────────────────
export interface CriterionScore {
  criterionKey: string;
  score: number;
}

/** Every criterion scored exactly once, nothing else. */
export function sheetProblems(criteria: readonly TenderCriterion[], scores: readonly CriterionScore[]): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const keys = new Set(criteria.map((c) => c.key));
  const seen = new Set<string>();
  scores.forEach((s, i) => {
    if (!keys.has(s.criterionKey)) problems.push({ path: `body.scores[${i}].criterionKey`, message: `评分细则中没有「${s.criterionKey}」 (unknown criterion)` });
    else if (seen.has(s.criterionKey)) problems.push({ path: `body.scores[${i}].criterionKey`, message: `「${s.criterionKey}」重复评分 (scored twice)` });
    seen.add(s.criterionKey);
  });
  const missing = criteria.filter((c) => !seen.has(c.key));
  if (missing.length) {
    problems.push({ path: 'body.scores', message: `缺少评分项：${missing.map((c) => `${c.name}(${c.key})`).join('、')} (missing criteria)` });
  }
  return problems;
}

/** One scorer's weighted total: Σ weight × score / 100 (weights sum to 100, so 0–100). */
export function sheetTotal(criteria: readonly TenderCriterion[], scores: readonly CriterionScore[]): number {
  const byKey = new Map(scores.map((s) => [s.criterionKey, s.score]));
  const total = criteria.reduce((sum, c) => sum + c.weight * (byKey.get(c.key) ?? 0), 0) / 100;
  return Math.round(total * 10_000) / 10_000;
}

export interface RankableBid {
  id: string;
  organizationName: string;
  priceFen: number;
  submittedAt: string;
  eligible: boolean;
}

export interface RankedBid {
  bidId: string;
  score: number | null;
  rank: number | null;
}

/** A bid's score: the average of its scorers' weighted totals (null before anyone scored it). */
export function bidScore(bidId: string, sheets: readonly { bidId: string; total: number }[]): number | null {
  const totals = sheets.filter((s) => s.bidId === bidId).map((s) => s.total);
  if (!totals.length) return null;
  return Math.round((totals.reduce((a, b) => a + b, 0) / totals.length) * 10_000) / 10_000;
}

/**
 * Ranks the eligible, scored bids: higher score first; on equal scores the lower price wins (the
 * purchaser pays less for the same quality); then the earlier submission; then the id, so the order
 * is total and repeatable.
 */
export function rankBids(bids: readonly RankableBid[], sheets: readonly { bidId: string; total: number }[]): RankedBid[] {
  const scored = bids.map((b) => ({ bid: b, score: bidScore(b.id, sheets) }));
  const rankable = scored
    .filter((s) => s.bid.eligible && s.score !== null)
    .sort(
      (a, b) =>
        b.score! - a.score! ||
        a.bid.priceFen - b.bid.priceFen ||
        Date.parse(a.bid.submittedAt) - Date.parse(b.bid.submittedAt) ||
        (a.bid.id < b.bid.id ? -1 : a.bid.id > b.bid.id ? 1 : 0),
    );
  const ranks = new Map(rankable.map((s, i) => [s.bid.id, i + 1]));
  return scored.map((s) => ({ bidId: s.bid.id, score: s.score, rank: ranks.get(s.bid.id) ?? null }));
}

/**
 * What is still missing before an award: eligible bids, and every scorer having scored every eligible
 * bid (so that averages compare like with like).
 */
export function awardMissing(bids: readonly RankableBid[], sheets: readonly { bidId: string; scorerUserId: string }[]): string[] {
  const eligible = bids.filter((b) => b.eligible);
  if (!eligible.length) return ['没有有效投标（投标组织均被列入黑名单） (no eligible bids)'];
  const eligibleIds = new Set(eligible.map((b) => b.id));
  const relevant = sheets.filter((s) => eligibleIds.has(s.bidId));
  const scorers = [...new Set(relevant.map((s) => s.scorerUserId))].sort();
  if (!scorers.length) return ['尚无评委评分 (no scores yet)'];
  const missing: string[] = [];
  for (const scorer of scorers) {
    for (const bid of eligible) {
      if (!relevant.some((s) => s.scorerUserId === scorer && s.bidId === bid.id)) {
        missing.push(`评委 ${scorer} 尚未给「${bid.organizationName}」的投标评分 (scorer ${scorer} has not scored bid ${bid.id})`);
      }
    }
  }
  return missing;
}

export function standstillEnd(awardedAt: Date, hours: number): Date {
  return new Date(awardedAt.getTime() + Math.round(hours * 3600_000));
}
