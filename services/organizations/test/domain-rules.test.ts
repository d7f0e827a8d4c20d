import { randomUUID } from 'node:crypto';
import type { Principal } from '@linli/auth';
import type { TenderCriterion } from '@linli/contracts';
import { ConflictError } from '@linli/http';
import { turnover } from '../src/domain/team.rules';
import {
  SEALED_REASON,
  assertBidWindowOpen,
  assertMayOpen,
  awardMissing,
  bidAccess,
  bidScore,
  openingOutcome,
  rankBids,
  sheetProblems,
  sheetTotal,
  standstillEnd,
} from '../src/domain/tender.rules';
import { summarizeTrackRecord } from '../src/domain/track-record.use-cases';

const CRITERIA: TenderCriterion[] = [
  { key: 'plan', name: '服务方案', weight: 50 },
  { key: 'team', name: '团队配置', weight: 30 },
  { key: 'price', name: '报价', weight: 20 },
];

describe('tender rules', () => {
  it('when a sheet is scored, then its total is Σ weight × score / 100', () => {
    expect(sheetTotal(CRITERIA, [{ criterionKey: 'plan', score: 90 }, { criterionKey: 'team', score: 80 }, { criterionKey: 'price', score: 70 }])).toBe(83);
  });

  it('when a sheet misses, repeats or invents criteria, then each problem names its field', () => {
    const problems = sheetProblems(CRITERIA, [
      { criterionKey: 'plan', score: 90 },
      { criterionKey: 'plan', score: 80 },
      { criterionKey: 'looks', score: 70 },
    ]);
    expect(problems.map((p) => p.path)).toEqual(['body.scores[1].criterionKey', 'body.scores[2].criterionKey', 'body.scores']);
    expect(problems[2]!.message).toContain('团队配置(team)');
  });

  it("when several scorers scored a bid, then its score is the average of their weighted totals", () => {
    expect(bidScore('b', [{ bidId: 'b', total: 80 }, { bidId: 'b', total: 91 }, { bidId: 'x', total: 10 }])).toBe(85.5);
    expect(bidScore('none', [])).toBeNull();
  });

  const bid = (id: string, priceFen: number, submittedAt = '2026-03-01T01:00:00.000Z', eligible = true) => ({ id, organizationName: id, priceFen, submittedAt, eligible });

  it('when bids are ranked, then the higher score wins; on a tie the lower price wins, then the earlier submission', () => {
    const bids = [bid('a', 100_000), bid('b', 90_000), bid('c', 90_000, '2026-03-01T00:30:00.000Z'), bid('d', 50_000)];
    const sheets = [
      { bidId: 'a', total: 88 },
      { bidId: 'b', total: 88 },
      { bidId: 'c', total: 88 },
      { bidId: 'd', total: 70 },
    ];
    const ranks = Object.fromEntries(rankBids(bids, sheets).map((r) => [r.bidId, r.rank]));
    expect(ranks).toEqual({ c: 1, b: 2, a: 3, d: 4 });
  });

  it('when a bid is ineligible (blacklisted bidder) or unscored, then it gets no rank', () => {
    const ranked = rankBids([bid('top', 1, undefined, false), bid('ok', 2), bid('unscored', 3)], [
      { bidId: 'top', total: 99 },
      { bidId: 'ok', total: 60 },
    ]);
    expect(ranked).toEqual([
      { bidId: 'top', score: 99, rank: null },
      { bidId: 'ok', score: 60, rank: 1 },
      { bidId: 'unscored', score: null, rank: null },
    ]);
  });

  it('when a scorer has not scored every eligible bid, then the award lists what is missing', () => {
    const bids = [bid('a', 1), bid('b', 2), bid('x', 3, undefined, false)];
    expect(awardMissing(bids, [])).toEqual(['尚无评委评分 (no scores yet)']);
    const missing = awardMissing(bids, [
      { bidId: 'a', scorerUserId: 'u1' },
      { bidId: 'b', scorerUserId: 'u1' },
      { bidId: 'a', scorerUserId: 'u2' },
    ]);
    expect(missing).toEqual([expect.stringContaining('评委 u2 尚未给「b」的投标评分')]);
    expect(awardMissing([bid('x', 1, undefined, false)], [])).toEqual([expect.stringContaining('没有有效投标')]);
  });

  it('when fewer bids than the minimum arrived, then the opening is unsuccessful (流标)', () => {
    expect(openingOutcome(2, 3)).toBe('unsuccessful');
    expect(openingOutcome(3, 3)).toBe('opened');
  });

  it('when the bid deadline has passed, then bidding is refused with the deadline; before the opening time, opening is refused', () => {
    const tender = { status: 'published' as const, bidDeadline: '2026-03-10T02:00:00.000Z', openingAt: '2026-03-10T03:00:00.000Z' };
    expect(() => assertBidWindowOpen(tender, new Date('2026-03-10T01:59:59.999Z'))).not.toThrow();
    expect(() => assertBidWindowOpen(tender, new Date('2026-03-10T02:00:00.000Z'))).toThrow(/投标已于 2026-03-10 10:00（北京时间） 截止/);
    expect(() => assertMayOpen(tender, new Date('2026-03-10T02:59:59.000Z'))).toThrow(ConflictError);
    expect(() => assertMayOpen(tender, new Date('2026-03-10T03:00:00.000Z'))).not.toThrow();
    expect(() => assertBidWindowOpen({ ...tender, status: 'draft' }, new Date('2026-03-01T00:00:00Z'))).toThrow(/招标状态为「草稿」，不能投标/);
  });

  it('when the standstill is set in hours, then it ends that long after the award (0 allowed)', () => {
    const at = new Date('2026-03-10T00:00:00.000Z');
    expect(standstillEnd(at, 72).toISOString()).toBe('2026-03-13T00:00:00.000Z');
    expect(standstillEnd(at, 0).getTime()).toBe(at.getTime());
  });

  describe('sealed bids: before the opening only the bidder reads a bid, whatever the role', () => {
    const sd = randomUUID();
    const bidder = randomUUID();
    const tender = { subDistrictId: sd };
    const theBid = { organizationId: bidder };
    const everyone: [string, Principal][] = [
      ['resident_rep', { userId: 'r', role: 'resident_rep', scope: { kind: 'community', id: 'c' } }],
      ['community_secretary', { userId: 's', role: 'community_secretary', scope: { kind: 'community', id: 'c' } }],
      ['subdistrict_reviewer of the tender’s sub-district', { userId: 'v', role: 'subdistrict_reviewer', scope: { kind: 'sub-district', id: sd } }],
      ['committee_member of the tender’s sub-district', { userId: 'm', role: 'committee_member', scope: { kind: 'sub-district', id: sd } }],
      ['finance', { userId: 'f', role: 'finance', scope: { kind: 'sub-district', id: sd } }],
      ['another bidder (org_staff)', { userId: 'o', role: 'org_staff', scope: { kind: 'organization', id: randomUUID() } }],
      ['supervisor', { userId: 'p', role: 'supervisor', scope: { kind: 'agency', id: 'a' } }],
      ['operator', { userId: 'op', role: 'operator', scope: { kind: 'platform', id: 'linli' } }],
      ['admin', { userId: 'ad', role: 'admin', scope: { kind: 'platform', id: 'linli' } }],
      ['system', { userId: 'sys', role: 'system', scope: { kind: 'platform', id: 'linli' } }],
    ];
    it.each(everyone)('when %s asks before the opening, then it is refused as sealed', (_label, principal) => {
      expect(bidAccess(principal, tender, theBid, false)).toEqual({ allowed: false, reason: SEALED_REASON });
    });
    it('when the bidder’s own staff asks before the opening, then it may read its bid', () => {
      expect(bidAccess({ userId: 'b', role: 'org_staff', scope: { kind: 'organization', id: bidder } }, tender, theBid, false)).toEqual({ allowed: true });
    });
    it('when the round was opened, then the tender’s sub-district staff and platform may read it, other bidders and other sub-districts not', () => {
      const allowed = everyone.filter(([, p]) => bidAccess(p, tender, theBid, true).allowed).map(([label]) => label);
      expect(allowed).toEqual(['subdistrict_reviewer of the tender’s sub-district', 'committee_member of the tender’s sub-district', 'operator', 'admin', 'system']);
      const elsewhere: Principal = { userId: 'x', role: 'subdistrict_reviewer', scope: { kind: 'sub-district', id: randomUUID() } };
      expect(bidAccess(elsewhere, tender, theBid, true).allowed).toBe(false);
    });
  });
});

describe('team and track-record rules', () => {
  it('when one of three initial members was replaced, then turnover is 1/3', () => {
    const stats = turnover([
      { staffId: 'a', endedAt: '2026-05-01T00:00:00Z', viaChangeId: null },
      { staffId: 'b', endedAt: null, viaChangeId: null },
      { staffId: 'c', endedAt: null, viaChangeId: null },
      { staffId: 'd', endedAt: null, viaChangeId: 'change-1' },
    ]);
    expect(stats).toEqual({ initialTeamSize: 3, replacements: 1, turnoverRate: 0.3333 });
    expect(turnover([])).toEqual({ initialTeamSize: 0, replacements: 0, turnoverRate: null });
  });

  it('when evaluations and findings are summarized, then only year-end evaluations count as completed and in the average', () => {
    const e = (contractId: string, kind: 'mid_term' | 'year_end', score: number) => ({
      evaluationId: randomUUID(),
      contractId,
      projectId: randomUUID(),
      organizationId: 'o',
      kind,
      score,
      grade: 'good' as const,
      passed: true,
      evaluatedAt: '2026-12-20T00:00:00.000Z',
    });
    const summary = summarizeTrackRecord([e('c1', 'mid_term', 40), e('c1', 'year_end', 92), e('c2', 'year_end', 81)], [
      { severity: 'minor', closed: true },
      { severity: 'severe', closed: false },
      { severity: 'minor', closed: false },
    ]);
    expect(summary).toEqual({ completed: 2, averageScore: 86.5, findingsBySeverity: { minor: 2, major: 0, severe: 1 }, openFindings: 2 });
  });
});
