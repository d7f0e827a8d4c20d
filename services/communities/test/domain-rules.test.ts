import type { ItemKind } from '@linli/contracts';
import { ConflictError } from '@linli/http';
import { contentProblems, priceContent, priceFlag, submissionProblems, type ContentInput, type ReferenceFor } from '../src/domain/budget.rules';
import { allocate, commit, pay, remainingOf } from '../src/domain/fund.rules';
import { tallyView } from '../src/domain/needs.use-cases';
import { diffVersions } from '../src/domain/proposal-diff';
import { reviewTransition, versionView } from '../src/domain/proposals.use-cases';
import { type ReviewState } from '../src/domain/review.rules';
import type { VersionRecord } from '../src/data-access/proposal.repository';

const ORG = '11111111-1111-4111-8111-111111111111';
const actor = { userId: 'u', role: 'community_secretary' };

function content(overrides: Partial<ContentInput> = {}): ContentInput {
  return {
    title: '老兵俱乐部',
    fiscalYear: 2026,
    summary: '',
    offeringId: null,
    organizationId: ORG,
    activities: [
      { activityKey: 'A1', title: '八一老兵走红毯', startsOn: '2026-07-25', endsOn: '2026-08-01', venue: '活动室', targetHeadcount: 60, targetGroup: 'veterans' },
      { activityKey: 'A2', title: '照片墙', startsOn: '2026-09-01', endsOn: '2026-09-30', venue: '社区', targetHeadcount: 162, targetGroup: 'veterans' },
    ],
    itemLines: [
      { lineKey: 'L1', activityKey: 'A1', itemKind: 'bus_hire', description: '大巴', unit: '天', unitPriceFen: 400_000, quantity: 1 },
      { lineKey: 'L2', activityKey: 'A1', itemKind: 'stationery', description: '一支笔两块钱', unitPriceFen: 200, quantity: 100 },
      { lineKey: 'L3', activityKey: 'A2', itemKind: 'display_board', description: '展板', unitPriceFen: 30_000, quantity: 10 },
    ],
    staffLines: [
      { lineKey: 'S1', person: '周晓燕', role: '项目主管', hours: 100, hourlyRateFen: 8_000, activityKey: null },
      { lineKey: 'S2', person: '韩磊', role: '社工', hours: 10, hourlyRateFen: 5_000, activityKey: 'A2' },
    ],
    ...overrides,
  };
}

const references = new Map<ItemKind, ReferenceFor>([
  ['bus_hire', { priceFen: 200_000, unit: '天' }],
  ['stationery', { priceFen: 200, unit: '支' }],
  ['display_board', { priceFen: 30_000, unit: '块' }],
]);

function stored(version: number, input: ContentInput): VersionRecord {
  const at = '2026-05-01T00:00:00.000Z';
  return { ...priceContent(input, references, 30), proposalId: ORG, version, frozenAt: null, frozenBy: null, createdAt: at, createdBy: actor, updatedAt: at, updatedBy: actor };
}

describe('budget rules', () => {
  it('when a line costs 4,000 where 2,000 is usual, then it is flagged with the reference, the threshold and how far above', () => {
    expect(priceFlag(400_000, { priceFen: 200_000, unit: '天' }, 30)).toEqual({
      referencePriceFen: 200_000,
      referenceUnit: '天',
      marginPercent: 30,
      thresholdFen: 260_000,
      overByPercent: 100,
    });
  });

  it('when a price is exactly at the margin, then it passes; one fen above, then it is flagged', () => {
    expect(priceFlag(260_000, { priceFen: 200_000, unit: '天' }, 30)).toBeNull();
    expect(priceFlag(260_001, { priceFen: 200_000, unit: '天' }, 30)).not.toBeNull();
    expect(priceFlag(260_001, { priceFen: 200_000, unit: '天' }, 50)).toBeNull();
  });

  it('when an item kind has no reference price, then its line is never flagged', () => {
    expect(priceFlag(99_999_999, undefined, 30)).toBeNull();
  });

  it('when a budget is priced, then each line is unit × quantity and totals are sums per activity, staff and overall', () => {
    const priced = priceContent(content(), references, 30);
    expect(priced.itemLines.map((l) => [l.lineKey, l.amountFen, l.flag !== null])).toEqual([
      ['L1', 400_000, true],
      ['L2', 20_000, false],
      ['L3', 300_000, false],
    ]);
    expect(priced.staffLines.map((l) => l.amountFen)).toEqual([800_000, 50_000]);
    expect(priced.itemTotalFen).toBe(720_000);
    expect(priced.staffTotalFen).toBe(850_000);
    expect(priced.grandTotalFen).toBe(1_570_000);
    const view = versionView(stored(1, content()), []);
    expect(view.totals.perActivity).toEqual([
      { activityKey: 'A1', title: '八一老兵走红毯', itemTotalFen: 420_000, staffTotalFen: 0, totalFen: 420_000 },
      { activityKey: 'A2', title: '照片墙', itemTotalFen: 300_000, staffTotalFen: 50_000, totalFen: 350_000 },
    ]);
    expect(view.totals.unassignedStaffFen).toBe(800_000);
    expect(view.openFlags).toEqual(['L1']);
  });

  it('when a flag has been accepted, then it is no longer open and the view shows who accepted it and why', () => {
    const view = versionView(stored(1, content()), [{ lineKey: 'L1', reason: '含司机误餐', acceptedAt: '2026-05-02T00:00:00.000Z', acceptedBy: { userId: 'r', role: 'subdistrict_reviewer' } }]);
    expect(view.openFlags).toEqual([]);
    expect(view.itemLines[0]!.flag!.accepted).toMatchObject({ reason: '含司机误餐', acceptedBy: { userId: 'r' } });
  });

  it('when keys repeat, a line names no planned activity, a period runs backwards or leaves the fiscal year, then every problem is named by path', () => {
    const problems = contentProblems(
      content({
        activities: [
          { activityKey: 'A1', title: 'x', startsOn: '2026-08-01', endsOn: '2026-07-01', venue: 'v', targetHeadcount: 1, targetGroup: 'elderly' },
          { activityKey: 'A1', title: 'y', startsOn: '2025-12-01', endsOn: '2026-01-01', venue: 'v', targetHeadcount: 1, targetGroup: 'elderly' },
        ],
        itemLines: [
          { lineKey: 'L1', activityKey: 'A9', itemKind: 'banner', description: 'x', unitPriceFen: 1, quantity: 1 },
          { lineKey: 'L1', activityKey: 'A1', itemKind: 'banner', description: 'y', unitPriceFen: 1, quantity: 1 },
        ],
        staffLines: [{ lineKey: 'L1', person: 'p', role: 'r', hours: 1, hourlyRateFen: 1, activityKey: 'A7' }],
      }),
    );
    expect(problems.map((p) => p.path).sort()).toEqual(
      [
        'activities[0].endsOn',
        'activities[1].activityKey',
        'activities[1].startsOn',
        'itemLines[0].activityKey',
        'itemLines[1].lineKey',
        'staffLines[0].activityKey',
        'staffLines[0].lineKey',
      ].sort(),
    );
  });

  it('when a proposal has no activity or no budget, then it is not ready to submit', () => {
    expect(submissionProblems(priceContent(content({ activities: [], itemLines: [], staffLines: [] }), references, 30))).toHaveLength(3);
    expect(submissionProblems(priceContent(content(), references, 30))).toEqual([]);
  });
});

describe('review gates', () => {
  const under = (over: Partial<ReviewState> = {}): ReviewState => ({ status: 'submitted', currentGate: 'pre_review', reviewVersion: 1, openFlags: [], ...over });

  it('when each gate approves in turn, then the proposal moves 预审 → 联审 → 工委会 → approved', () => {
    expect(reviewTransition(under(), { gate: 'pre_review', outcome: 'approve', version: 1 })).toEqual({ kind: 'advance', status: 'submitted', nextGate: 'joint_review' });
    expect(reviewTransition(under({ currentGate: 'joint_review' }), { gate: 'joint_review', outcome: 'approve', version: 1 })).toEqual({
      kind: 'advance',
      status: 'submitted',
      nextGate: 'committee',
    });
    expect(reviewTransition(under({ currentGate: 'committee' }), { gate: 'committee', outcome: 'approve', version: 1 })).toEqual({ kind: 'approve', status: 'approved' });
  });

  it('when any gate returns or rejects, then the proposal is returned or rejected', () => {
    expect(reviewTransition(under({ currentGate: 'joint_review' }), { gate: 'joint_review', outcome: 'return', version: 1 }).status).toBe('returned');
    expect(reviewTransition(under({ currentGate: 'committee' }), { gate: 'committee', outcome: 'reject', version: 1 }).status).toBe('rejected');
  });

  it('when the gate is wrong, the version stale, or nothing is under review, then 409 with the reason', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ConflictError);
        return (e as ConflictError).code;
      }
      return 'no error';
    };
    expect(code(() => reviewTransition(under(), { gate: 'committee', outcome: 'approve', version: 1 }))).toBe('WRONG_GATE');
    expect(code(() => reviewTransition(under({ reviewVersion: 2 }), { gate: 'pre_review', outcome: 'approve', version: 1 }))).toBe('STALE_VERSION');
    expect(code(() => reviewTransition(under({ status: 'returned', currentGate: null, reviewVersion: null }), { gate: 'pre_review', outcome: 'approve', version: 1 }))).toBe(
      'NOT_UNDER_REVIEW',
    );
    expect(code(() => reviewTransition(under({ openFlags: ['L1'] }), { gate: 'pre_review', outcome: 'approve', version: 1 }))).toBe('OPEN_BUDGET_FLAGS');
  });

  it('when a flag is open, then pre-review can still return the proposal, and later gates are not blocked by it', () => {
    expect(reviewTransition(under({ openFlags: ['L1'] }), { gate: 'pre_review', outcome: 'return', version: 1 }).kind).toBe('return');
    expect(reviewTransition(under({ currentGate: 'joint_review', openFlags: ['L1'] }), { gate: 'joint_review', outcome: 'approve', version: 1 }).kind).toBe('advance');
  });
});

describe('fund arithmetic', () => {
  const fund = { allocatedFen: 30_000_000, committedFen: 10_000_000, spentFen: 5_000_000 };

  it('when money is committed and then paid, then remaining = allocated − committed − spent throughout', () => {
    expect(remainingOf(fund)).toBe(15_000_000);
    const committed = commit(fund, 15_000_000, 2026);
    expect(committed).toEqual({ allocatedFen: 30_000_000, committedFen: 25_000_000, spentFen: 5_000_000 });
    expect(remainingOf(committed)).toBe(0);
    const paid = pay(committed, { amountFen: 15_000_000, paidFen: 0 }, 6_000_000);
    expect(paid.figures).toEqual({ allocatedFen: 30_000_000, committedFen: 19_000_000, spentFen: 11_000_000 });
    expect(paid.releasedFen).toBe(6_000_000);
    expect(remainingOf(paid.figures)).toBe(0);
  });

  it('when a commitment exceeds what remains, then 409 carries the figures', () => {
    try {
      commit(fund, 15_000_001, 2026);
      throw new Error('expected a conflict');
    } catch (e) {
      expect(e).toBeInstanceOf(ConflictError);
      expect((e as ConflictError).details).toEqual({ fiscalYear: 2026, amountFen: 15_000_001, allocatedFen: 30_000_000, committedFen: 10_000_000, spentFen: 5_000_000, remainingFen: 15_000_000 });
    }
    expect(() => commit(null, 1, 2026)).toThrow(ConflictError);
  });

  it('when a payment exceeds what the project still holds, then only the held part leaves committed and all of it is spent', () => {
    const paid = pay(fund, { amountFen: 1_000_000, paidFen: 800_000 }, 500_000);
    expect(paid.releasedFen).toBe(200_000);
    expect(paid.figures).toEqual({ allocatedFen: 30_000_000, committedFen: 9_800_000, spentFen: 5_500_000 });
    expect(paid.paidFen).toBe(1_300_000);
  });

  it('when the allocation is set below committed + spent, then it is refused; at or above, it is taken', () => {
    expect(() => allocate(fund, 14_999_999)).toThrow(ConflictError);
    expect(allocate(fund, 15_000_000).allocatedFen).toBe(15_000_000);
  });
});

describe('version diff', () => {
  it('when a revision changes a price, removes a line, adds an activity and a line, then the diff names each with before/after and the deltas', () => {
    const v1 = versionView(stored(1, content()), []);
    const base = content();
    const v2 = versionView(
      stored(
        2,
        content({
          title: '老兵俱乐部（修订）',
          activities: [...base.activities, { activityKey: 'A3', title: '老兵讲党课', startsOn: '2026-10-10', endsOn: '2026-10-10', venue: '活动室', targetHeadcount: 40, targetGroup: 'youth' }],
          itemLines: [
            { ...base.itemLines[0]!, unitPriceFen: 200_000 },
            base.itemLines[2]!,
            { lineKey: 'L4', activityKey: 'A3', itemKind: 'banner', description: '横幅', unitPriceFen: 15_000, quantity: 1 },
          ],
        }),
      ),
      [],
    );
    const diff = diffVersions(ORG, v1, v2);
    expect(diff.header).toEqual([{ field: 'title', before: '老兵俱乐部', after: '老兵俱乐部（修订）' }]);
    expect(diff.activities.added.map((a) => a.activityKey)).toEqual(['A3']);
    expect(diff.itemLines.added.map((l) => l.lineKey)).toEqual(['L4']);
    expect(diff.itemLines.removed.map((l) => l.lineKey)).toEqual(['L2']);
    expect(diff.itemLines.changed).toHaveLength(1);
    expect(diff.itemLines.changed[0]).toMatchObject({ key: 'L1', fields: ['unitPriceFen', 'amountFen', 'flag'], deltaFen: -200_000 });
    expect(diff.itemLines.changed[0]!.before.unitPriceFen).toBe(400_000);
    expect(diff.itemLines.changed[0]!.after.unitPriceFen).toBe(200_000);
    expect(diff.activities.changed).toEqual([]);
    expect(diff.staffLines).toEqual({ added: [], removed: [], changed: [] });
    expect(diff.totals.deltaFen).toEqual({ item: -200_000 - 20_000 + 15_000, staff: 0, grand: -205_000 });
  });
});

describe('wish tally', () => {
  it('when rows are rolled up, then per community, category and target group the counts and votes add up, with Chinese labels, most votes first', () => {
    const a = '22222222-2222-4222-8222-222222222222';
    const b = '33333333-3333-4333-8333-333333333333';
    const view = tallyView(
      [
        { communityId: a, category: 'veterans', targetGroup: 'veterans', wishes: 2, votes: 30 },
        { communityId: a, category: 'elderly_care', targetGroup: 'elderly', wishes: 1, votes: 12 },
        { communityId: b, category: 'elderly_care', targetGroup: 'elderly', wishes: 3, votes: 25 },
      ],
      new Map([
        [a, { name: '延静里社区', area: null }],
        [b, { name: '体育馆路北社区', area: '北部' }],
      ]),
    );
    expect(view.rows[0]).toMatchObject({ communityName: '延静里社区', categoryLabel: '老兵', targetGroupLabel: '退役军人', wishes: 2, votes: 30 });
    expect(view.byCategory).toEqual([
      { category: 'elderly_care', categoryLabel: '养老', wishes: 4, votes: 37 },
      { category: 'veterans', categoryLabel: '老兵', wishes: 2, votes: 30 },
    ]);
    expect(view.byCommunity.map((c) => [c.communityName, c.votes])).toEqual([
      ['延静里社区', 42],
      ['体育馆路北社区', 25],
    ]);
    expect(view.byTargetGroup[0]).toEqual({ targetGroup: 'elderly', targetGroupLabel: '老年人', wishes: 4, votes: 37 });
    expect(view.total).toEqual({ wishes: 6, votes: 67 });
  });
});
