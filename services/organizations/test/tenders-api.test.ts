import { randomUUID } from 'node:crypto';
import { decide, ownResource, type Principal } from '@linli/auth';
import {
  OTHER_SD,
  SD,
  addStaff,
  admin,
  bid,
  committee,
  finance,
  operator,
  orgStaff,
  publishedTender,
  registerOrg,
  residentRep,
  reviewer,
  scoreAll,
  secretary,
  startOrganizations,
  supervisor,
  system,
  type Harness,
} from './harness';

const MINUTE = 60_000;

describe('招投标 (tenders) over HTTP: sealed bids, opening, scoring, standstill, objections, contract', () => {
  let h: Harness;
  const orgs: Record<'a' | 'b' | 'c' | 'late' | 'black', string> = {} as never;
  const staff: Record<string, string> = {};

  beforeAll(async () => {
    h = await startOrganizations('tenders');
    orgs.a = await registerOrg(h, '北京慈爱嘉养老服务中心');
    orgs.b = await registerOrg(h, '东城区乐龄社会工作服务中心');
    orgs.c = await registerOrg(h, '银天使智慧社区公益促进中心');
    orgs.late = await registerOrg(h, '迟到社会工作事务所');
    orgs.black = await registerOrg(h, '失信养老服务中心');
    for (const [key, id] of Object.entries(orgs)) staff[key] = await addStaff(h, id, `${key}-项目主管`, 'project_lead');
    await h.api('POST', `/organizations/${orgs.black}/credit-status`, { creditStatus: 'blacklisted', reason: '虚报活动人数，列入黑名单' }, reviewer());
  });
  afterAll(async () => {
    await h?.stop();
  });

  describe('creating and publishing', () => {
    it('when a reviewer of the sub-district creates a tender, then it is a draft; publishing opens round 1', async () => {
      const created = await h.api(
        'POST',
        '/tenders',
        {
          subDistrictId: SD,
          projectId: randomUUID(),
          title: '单元格居民议事厅建设',
          description: '街道购买：十个社区的居民议事厅。',
          budgetCeilingFen: 30_000_000,
          enquiryDeadline: h.clock.in(MINUTE),
          bidDeadline: h.clock.in(2 * MINUTE),
          openingAt: h.clock.in(3 * MINUTE),
          criteria: [{ key: 'plan', name: '服务方案', weight: 100 }],
        },
        reviewer(),
      );
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ status: 'draft', round: 1, minimumBids: 3, rounds: [], createdBy: { userId: reviewer().userId, role: 'subdistrict_reviewer' } });
      const published = await h.api('POST', `/tenders/${created.body.id}/publication`, undefined, reviewer());
      expect(published.status).toBe(200);
      expect(published.body.status).toBe('published');
      expect(published.body.rounds).toEqual([expect.objectContaining({ round: 1, outcome: 'pending', bidCount: null })]);
      const again = await h.api('POST', `/tenders/${created.body.id}/publication`, undefined, reviewer());
      expect(again.status).toBe(409);
      expect(again.body.detail).toContain('招标状态为「已发布」');
    });

    it('when a draft is edited, then the change applies; a reviewer elsewhere gets 403; once published it is 409', async () => {
      const created = await h.api(
        'POST',
        '/tenders',
        {
          subDistrictId: SD,
          projectId: randomUUID(),
          title: '创享计划',
          description: '草稿',
          budgetCeilingFen: 10_000_000,
          enquiryDeadline: h.clock.in(MINUTE),
          bidDeadline: h.clock.in(2 * MINUTE),
          openingAt: h.clock.in(3 * MINUTE),
          criteria: [{ key: 'plan', name: '服务方案', weight: 100 }],
        },
        reviewer(),
      );
      const edited = await h.api('PATCH', `/tenders/${created.body.id}`, { budgetCeilingFen: 12_000_000, minimumBids: 2 }, reviewer());
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({ budgetCeilingFen: 12_000_000, minimumBids: 2, description: '草稿' });
      const outOfOrder = await h.api('PATCH', `/tenders/${created.body.id}`, { openingAt: h.clock.in(30_000) }, reviewer());
      expect(outOfOrder.status).toBe(400);
      expect(outOfOrder.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.openingAt']);
      expect((await h.api('PATCH', `/tenders/${created.body.id}`, { title: '越权修改' }, reviewer(OTHER_SD))).status).toBe(403);
      await h.api('POST', `/tenders/${created.body.id}/publication`, undefined, reviewer());
      const late = await h.api('PATCH', `/tenders/${created.body.id}`, { title: '发布后修改' }, reviewer());
      expect(late.status).toBe(409);
      expect((await h.api('GET', `/tenders/${created.body.id}`)).body.title).toBe('创享计划');
      expect((await h.api('GET', `/tenders/${randomUUID()}`)).status).toBe(404);
    });

    it('when the weights do not sum to 100 and the periods are out of order, then 400 names both fields and nothing is written', async () => {
      const before = await h.api('GET', `/tenders?subDistrictId=${SD}&limit=100`);
      const bad = await h.api(
        'POST',
        '/tenders',
        {
          subDistrictId: SD,
          projectId: randomUUID(),
          title: '有误的招标',
          description: '……',
          budgetCeilingFen: 100,
          enquiryDeadline: h.clock.in(MINUTE),
          bidDeadline: h.clock.in(3 * MINUTE),
          openingAt: h.clock.in(2 * MINUTE),
          criteria: [{ key: 'plan', name: '服务方案', weight: 60 }],
        },
        reviewer(),
      );
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.criteria', 'body.openingAt']);
      const after = await h.api('GET', `/tenders?subDistrictId=${SD}&limit=100`);
      expect(after.body.items).toHaveLength(before.body.items.length);
    });

    it('when a reviewer of another sub-district or a community secretary creates one, then 403; without a token, 401', async () => {
      const body = {
        subDistrictId: SD,
        projectId: randomUUID(),
        title: '越权招标',
        description: '……',
        budgetCeilingFen: 100,
        enquiryDeadline: h.clock.in(MINUTE),
        bidDeadline: h.clock.in(2 * MINUTE),
        openingAt: h.clock.in(3 * MINUTE),
        criteria: [{ key: 'plan', name: '服务方案', weight: 100 }],
      };
      const elsewhere = await h.api('POST', '/tenders', body, reviewer(OTHER_SD));
      expect(elsewhere.status).toBe(403);
      expect(elsewhere.body.detail).toContain('不在您的管辖范围内');
      expect((await h.api('POST', '/tenders', body, secretary)).status).toBe(403);
      expect((await h.api('POST', '/tenders', body, null)).status).toBe(401);
    });
  });

  describe('a tender from bids to contract', () => {
    let tender: Awaited<ReturnType<typeof publishedTender>>;
    const bidIds: Record<string, string> = {};

    beforeAll(async () => {
      tender = await publishedTender(h, { minimumBids: 3 });
    });

    it('when three organizations bid before the deadline, then each gets 201 and the event carries no bid content', async () => {
      for (const [key, price] of [['a', 48_000_000], ['b', 45_000_000], ['c', 49_000_000]] as const) {
        const res = await bid(h, tender.id, orgs[key], staff[key]!, price);
        expect(res.status).toBe(201);
        expect(res.body).toMatchObject({ round: 1, priceFen: price, organizationId: orgs[key], submittedBy: { role: 'org_staff' } });
        bidIds[key] = res.body.id;
      }
      const events = (await h.outbox()).filter((e) => e.type === 'organizations.bid.submitted' && e.payload.data.tenderId === tender.id);
      expect(events).toHaveLength(3);
      for (const e of events) expect(Object.keys(e.payload.data).sort()).toEqual(['bidId', 'organizationId', 'submittedAt', 'tenderId']);
      expect(JSON.stringify(events)).not.toContain('技术方案');
    });

    it('when an organization bids twice, bids over the ceiling, names staff not on its roster, or bids for another organization, then it is refused', async () => {
      const twice = await bid(h, tender.id, orgs.a, staff.a!, 1);
      expect(twice.status).toBe(409);
      expect(twice.body.detail).toContain('已在第 1 轮投标');
      const over = await bid(h, tender.id, orgs.late, staff.b!, 60_000_000);
      expect(over.status).toBe(400);
      expect(over.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.priceFen', 'body.staffPlan[0].staffId']);
      const forOther = await h.api(
        'POST',
        `/tenders/${tender.id}/bids`,
        { organizationId: orgs.late, priceFen: 1, technicalProposal: 'x', staffPlan: [{ staffId: staff.late, projectRole: '社工' }] },
        orgStaff(orgs.a),
      );
      expect(forOther.status).toBe(403);
    });

    it('when a blacklisted organization bids, then 409 says so and nothing is written', async () => {
      const before = (await h.outbox()).length;
      const refused = await bid(h, tender.id, orgs.black, staff.black!, 1_000);
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toContain('已列入黑名单，不得投标');
      expect((await h.outbox()).length).toBe(before);
      const own = await h.api('GET', `/tenders/${tender.id}/bids`, undefined, orgStaff(orgs.black));
      expect(own.body.items).toEqual([]);
    });

    const sealedForEveryone: [string, () => Principal][] = [
      ['the tender’s reviewer', () => reviewer()],
      ['a committee member', () => committee(1)],
      ['finance', () => finance],
      ['an admin', () => admin],
      ['an operator', () => operator],
      ['the workflow engine (system)', () => system],
      ['a community secretary', () => secretary],
      ['a resident representative', () => residentRep],
      ['a supervisor', () => supervisor],
      ['another bidder', () => orgStaff(orgs.b)],
    ];
    it.each(sealedForEveryone)('when %s reads a bid before the opening, then 403: sealed', async (_label, who) => {
      const res = await h.api('GET', `/tenders/${tender.id}/bids/${bidIds.a}`, undefined, who());
      expect(res.status).toBe(403);
      // Roles the table never lets read bids are refused for that; the others because the bid is sealed.
      const mayReadBids = decide(who(), 'bid.read', ownResource(who())).allowed;
      expect(res.body.detail).toContain(mayReadBids ? '投标文件在开标前密封' : '无权「查看投标文件」');
      expect(JSON.stringify(res.body)).not.toContain('48000000');
    });

    it('when the bidder reads its own bid before the opening, then it gets the content', async () => {
      const own = await h.api('GET', `/tenders/${tender.id}/bids/${bidIds.a}`, undefined, orgStaff(orgs.a));
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ priceFen: 48_000_000, organizationName: '北京慈爱嘉养老服务中心', staffPlan: [{ staffId: staff.a, projectRole: '项目主管' }] });
    });

    it('when bids are listed before the opening, then managers see only the count, bidders only their own, others nothing', async () => {
      const asReviewer = await h.api('GET', `/tenders/${tender.id}/bids`, undefined, reviewer());
      expect(asReviewer.body).toEqual({ sealed: true, bidCount: 3, items: [], nextCursor: null });
      const asAdmin = await h.api('GET', `/tenders/${tender.id}/bids`, undefined, admin);
      expect(asAdmin.body).toMatchObject({ sealed: true, bidCount: 3, items: [] });
      const asBidder = await h.api('GET', `/tenders/${tender.id}/bids`, undefined, orgStaff(orgs.b));
      expect(asBidder.body).toMatchObject({ sealed: true, bidCount: null });
      expect(asBidder.body.items.map((b: { id: string }) => b.id)).toEqual([bidIds.b]);
      const asSecretary = await h.api('GET', `/tenders/${tender.id}/bids`, undefined, secretary);
      expect(asSecretary.body).toEqual({ sealed: true, bidCount: null, items: [], nextCursor: null });
      const tenderView = await h.api('GET', `/tenders/${tender.id}`, undefined, orgStaff(orgs.c));
      expect(tenderView.body.rounds[0].bidCount).toBeNull();
    });

    it('when the opening is attempted before its time, or by a secretary, then it is refused', async () => {
      const early = await h.api('POST', `/tenders/${tender.id}/opening`, undefined, reviewer());
      expect(early.status).toBe(409);
      expect(early.body.detail).toContain('未到开标时间');
      expect((await h.api('POST', `/tenders/${tender.id}/opening`, undefined, secretary)).status).toBe(403);
    });

    it('when the bid deadline has passed, then a late bid gets 409 naming the deadline and nothing is written', async () => {
      h.clock.advance(2 * MINUTE + 1);
      const late = await bid(h, tender.id, orgs.late, staff.late!, 40_000_000);
      expect(late.status).toBe(409);
      expect(late.body.detail).toContain('投标已于');
      expect(late.body.detail).toContain(tender.bidDeadline);
      const count = await h.api('GET', `/tenders/${tender.id}/bids`, undefined, reviewer());
      expect(count.body.bidCount).toBe(3);
    });

    it('when the manager opens the bids at the opening time, then they are unsealed for the tender’s staff but not for other bidders', async () => {
      h.clock.advance(MINUTE);
      const opened = await h.api('POST', `/tenders/${tender.id}/opening`, undefined, reviewer());
      expect(opened.status).toBe(200);
      expect(opened.body).toMatchObject({ status: 'opened', rounds: [expect.objectContaining({ outcome: 'opened', bidCount: 3 })] });
      expect((await h.api('GET', `/tenders/${tender.id}/bids/${bidIds.a}`, undefined, reviewer())).status).toBe(200);
      expect((await h.api('GET', `/tenders/${tender.id}/bids/${bidIds.a}`, undefined, committee(2))).status).toBe(200);
      const other = await h.api('GET', `/tenders/${tender.id}/bids/${bidIds.a}`, undefined, orgStaff(orgs.b));
      expect(other.status).toBe(403);
      expect((await h.api('GET', `/tenders/${tender.id}/bids/${bidIds.a}`, undefined, reviewer(OTHER_SD))).status).toBe(403);
      const all = await h.api('GET', `/tenders/${tender.id}/bids`, undefined, reviewer());
      expect(all.body).toMatchObject({ sealed: false, bidCount: 3 });
      expect(all.body.items).toHaveLength(3);
      const events = (await h.outbox()).filter((e) => e.type === 'organizations.tender.bids-opened');
      expect(events.map((e) => e.payload.data)).toEqual([expect.objectContaining({ tenderId: tender.id, bids: 3, round: 1 })]);
    });

    it('when a sheet misses a criterion or a scorer is of another sub-district, then it is refused', async () => {
      const partial = await h.api('PUT', `/tenders/${tender.id}/bids/${bidIds.a}/scores`, { scores: [{ criterionKey: 'plan', score: 90 }] }, committee(1));
      expect(partial.status).toBe(400);
      expect(partial.body.errors).toEqual([expect.objectContaining({ path: 'body.scores' })]);
      expect((await scoreAll(h, tender.id, bidIds.a!, reviewer(OTHER_SD), 90, 90, 90)).status).toBe(403);
      expect((await scoreAll(h, tender.id, bidIds.a!, orgStaff(orgs.a), 100, 100, 100)).status).toBe(403);
    });

    it('when not every scorer has scored every bid, then the award is refused listing what is missing', async () => {
      expect((await scoreAll(h, tender.id, bidIds.a!, committee(1), 90, 80, 70)).status).toBe(200);
      const early = await h.api('POST', `/tenders/${tender.id}/award`, { standstillHours: 1 }, committee(1));
      expect(early.status).toBe(409);
      expect(early.body.detail).toContain('评分未完成');
      expect(early.body.details.missing).toHaveLength(2);
    });

    it('when two bids tie on the weighted average, then the lower price wins the award and the standstill starts', async () => {
      // committee-1: a 83, b 83, c 60;  committee-2: a 87, b 87, c 70  → a = b = 85 (b is cheaper), c = 65.
      const sheets: [string, Principal, number, number, number][] = [
        [bidIds.b!, committee(1), 90, 80, 70],
        [bidIds.c!, committee(1), 60, 60, 60],
        [bidIds.a!, committee(2), 90, 90, 75],
        [bidIds.b!, committee(2), 90, 90, 75],
        [bidIds.c!, committee(2), 70, 70, 70],
      ];
      for (const [bidId, who, plan, team, price] of sheets) {
        const res = await scoreAll(h, tender.id, bidId, who, plan, team, price);
        expect(res.status).toBe(200);
      }
      const results = await h.api('GET', `/tenders/${tender.id}/results`, undefined, reviewer());
      expect(results.status).toBe(200);
      expect(results.body.missing).toEqual([]);
      expect(results.body.ranking.map((r: { organizationId: string; score: number; rank: number }) => [r.organizationId, r.score, r.rank])).toEqual([
        [orgs.b, 85, 1],
        [orgs.a, 85, 2],
        [orgs.c, 65, 3],
      ]);
      expect((await h.api('GET', `/tenders/${tender.id}/results`, undefined, orgStaff(orgs.a))).status).toBe(403);

      const awarded = await h.api('POST', `/tenders/${tender.id}/award`, { standstillHours: 1 }, committee(1));
      expect(awarded.status).toBe(200);
      expect(awarded.body).toMatchObject({
        status: 'awarded',
        award: { bidId: bidIds.b, organizationId: orgs.b, amountFen: 45_000_000, score: 85, awardedBy: { userId: 'committee-1' } },
        standstillEndsAt: new Date(h.clock.now().getTime() + 3_600_000).toISOString(),
      });
      expect((await scoreAll(h, tender.id, bidIds.c!, committee(1), 100, 100, 100)).status).toBe(409);
    });

    it('when the contract is signed during the standstill, then 409 and no contract exists', async () => {
      const early = await h.api('POST', '/contracts', { level: 'sub_district', tenderId: tender.id, startsOn: '2026-04-01', endsOn: '2027-03-31' }, reviewer());
      expect(early.status).toBe(409);
      expect(early.body.detail).toContain('公示期至');
      const contracts = await h.api('GET', `/contracts?projectId=${tender.projectId}`);
      expect(contracts.body.items).toEqual([]);
    });

    let objectionId: string;
    it('when a bidder objects during the standstill, then it is recorded; a non-bidder’s objection gets 409', async () => {
      const lodged = await h.api('POST', `/tenders/${tender.id}/objections`, { organizationId: orgs.a, grounds: '同分时应比较服务方案得分' }, orgStaff(orgs.a));
      expect(lodged.status).toBe(201);
      expect(lodged.body).toMatchObject({ status: 'open', organizationId: orgs.a, lodgedBy: { role: 'org_staff' } });
      objectionId = lodged.body.id;
      const stranger = await h.api('POST', `/tenders/${tender.id}/objections`, { organizationId: orgs.late, grounds: '我也有意见' }, orgStaff(orgs.late));
      expect(stranger.status).toBe(409);
      expect(stranger.body.detail).toContain('只有本轮投标人');
      const asOther = await h.api('GET', `/tenders/${tender.id}/objections`, undefined, orgStaff(orgs.c));
      expect(asOther.body.items).toEqual([]);
      const asReviewer = await h.api('GET', `/tenders/${tender.id}/objections`, undefined, reviewer());
      expect(asReviewer.body.items).toHaveLength(1);
    });

    it('when the standstill is over but an objection is open, then signing gets 409; a late objection gets 409 too', async () => {
      h.clock.advance(60 * MINUTE);
      const blocked = await h.api('POST', '/contracts', { level: 'sub_district', tenderId: tender.id, startsOn: '2026-04-01', endsOn: '2027-03-31' }, reviewer());
      expect(blocked.status).toBe(409);
      expect(blocked.body.detail).toContain('尚有 1 条异议未答复');
      const late = await h.api('POST', `/tenders/${tender.id}/objections`, { organizationId: orgs.c, grounds: '迟到的异议' }, orgStaff(orgs.c));
      expect(late.status).toBe(409);
      expect(late.body.detail).toContain('公示期已于');
    });

    it('when the objection is answered by the tender’s reviewer, then the contract is signed for the winning price and the tender is contracted', async () => {
      expect((await h.api('POST', `/objections/${objectionId}/answer`, { answer: '评分细则已公示，同分按报价' }, reviewer(OTHER_SD))).status).toBe(403);
      const answered = await h.api('POST', `/objections/${objectionId}/answer`, { answer: '评分细则已公示，同分按报价' }, reviewer());
      expect(answered.status).toBe(200);
      expect(answered.body).toMatchObject({ status: 'answered', answeredBy: { userId: reviewer().userId } });
      expect((await h.api('POST', `/objections/${objectionId}/answer`, { answer: '再答一次' }, reviewer())).status).toBe(409);

      const signed = await h.api('POST', '/contracts', { level: 'sub_district', tenderId: tender.id, startsOn: '2026-04-01', endsOn: '2027-03-31' }, reviewer());
      expect(signed.status).toBe(201);
      expect(signed.body).toMatchObject({
        level: 'sub_district',
        projectId: tender.projectId,
        organizationId: orgs.b,
        organizationName: '东城区乐龄社会工作服务中心',
        amountFen: 45_000_000,
        tenderId: tender.id,
        bidId: bidIds.b,
        subDistrictId: SD,
        startsOn: '2026-04-01',
        endsOn: '2027-03-31',
        signedBy: { userId: reviewer().userId, role: 'subdistrict_reviewer' },
      });
      const after = await h.api('GET', `/tenders/${tender.id}`);
      expect(after.body).toMatchObject({ status: 'contracted', contractId: signed.body.id, openObjections: 0 });
      const again = await h.api('POST', '/contracts', { level: 'sub_district', tenderId: tender.id, startsOn: '2026-04-01', endsOn: '2027-03-31' }, reviewer());
      expect(again.status).toBe(409);
      const event = (await h.outbox()).find((e) => e.type === 'organizations.contract.signed' && e.payload.data.contractId === signed.body.id);
      expect(event?.payload.data).toEqual({
        contractId: signed.body.id,
        projectId: tender.projectId,
        organizationId: orgs.b,
        subDistrictId: SD,
        communityId: null,
        level: 'sub_district',
        amountFen: 45_000_000,
        startsOn: '2026-04-01',
        endsOn: '2027-03-31',
        tenderId: tender.id,
      });
    });
  });

  describe('流标 and re-tender', () => {
    it('when fewer bids than the minimum arrived, then the tender is unsuccessful and the bid stays sealed; a re-tender opens round 2', async () => {
      const tender = await publishedTender(h, { minimumBids: 2 });
      const only = await bid(h, tender.id, orgs.c, staff.c!, 10_000_000);
      expect(only.status).toBe(201);
      h.clock.advance(3 * MINUTE);
      const opened = await h.api('POST', `/tenders/${tender.id}/opening`, undefined, reviewer());
      expect(opened.status).toBe(200);
      expect(opened.body).toMatchObject({ status: 'unsuccessful', rounds: [expect.objectContaining({ outcome: 'unsuccessful', bidCount: 1 })] });
      expect((await h.api('GET', `/tenders/${tender.id}/bids/${only.body.id}`, undefined, reviewer())).status).toBe(403);
      expect((await h.api('GET', `/tenders/${tender.id}/bids/${only.body.id}`, undefined, orgStaff(orgs.c))).status).toBe(200);
      const unsuccessful = (await h.outbox()).find((e) => e.type === 'organizations.tender.unsuccessful' && e.payload.data.tenderId === tender.id);
      expect(unsuccessful?.payload.data).toMatchObject({ bids: 1, minimumBids: 2, round: 1 });

      const pastPeriods = await h.api(
        'POST',
        `/tenders/${tender.id}/retender`,
        { enquiryDeadline: h.clock.in(-MINUTE), bidDeadline: h.clock.in(MINUTE), openingAt: h.clock.in(2 * MINUTE) },
        reviewer(),
      );
      expect(pastPeriods.status).toBe(400);
      expect(pastPeriods.body.errors).toEqual([expect.objectContaining({ path: 'body.enquiryDeadline' })]);

      const again = await h.api(
        'POST',
        `/tenders/${tender.id}/retender`,
        { enquiryDeadline: h.clock.in(MINUTE), bidDeadline: h.clock.in(2 * MINUTE), openingAt: h.clock.in(3 * MINUTE) },
        reviewer(),
      );
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ status: 'published', round: 2, projectId: tender.projectId });
      expect(again.body.rounds.map((r: { round: number; outcome: string }) => [r.round, r.outcome])).toEqual([
        [1, 'unsuccessful'],
        [2, 'pending'],
      ]);
      const rebid = await bid(h, tender.id, orgs.c, staff.c!, 9_000_000);
      expect(rebid.status).toBe(201);
      expect(rebid.body.round).toBe(2);
      const mine = await h.api('GET', `/tenders/${tender.id}/bids`, undefined, orgStaff(orgs.c));
      expect(mine.body.items.map((b: { id: string }) => b.id)).toEqual([rebid.body.id]);
      const history = await h.api('GET', `/tenders/${tender.id}/bids?round=1`, undefined, orgStaff(orgs.c));
      expect(history.body).toMatchObject({ sealed: true, items: [expect.objectContaining({ id: only.body.id })] });

      const cancelled = await h.api('POST', `/tenders/${tender.id}/cancellation`, { reason: '项目改为社区级购买' }, reviewer());
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: '项目改为社区级购买' });
      expect((await bid(h, tender.id, orgs.a, staff.a!, 1)).status).toBe(409);
    });
  });

  it('when tenders are listed by status and sub-district, then the filters apply', async () => {
    const contracted = await h.api('GET', `/tenders?status=contracted&subDistrictId=${SD}`, undefined, secretary);
    expect(contracted.status).toBe(200);
    expect(contracted.body.items.map((t: { status: string }) => t.status)).toEqual(['contracted']);
    const elsewhere = await h.api('GET', `/tenders?subDistrictId=${OTHER_SD}`);
    expect(elsewhere.body.items).toEqual([]);
    expect((await h.api('GET', '/tenders', undefined, residentRep)).status).toBe(403);
  });
});
