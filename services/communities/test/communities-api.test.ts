import { randomUUID } from 'node:crypto';
import {
  FISCAL_YEAR,
  finance,
  orgStaff,
  registerCommunity,
  registerSubDistrict,
  residentRep,
  reviewer,
  secretary,
  startCommunities,
  supervisor,
  type Harness,
} from './harness';

/**
 * Communities, their yearly funds, resident meetings and wishes with the tally, reference prices, and the
 * fair with stalls and shortlists — over real HTTP with real tokens.
 */
describe('communities, funds, wishes, prices and fairs over HTTP', () => {
  let h: Harness;
  let tiyuguanlu: string;
  let xianghe: string;
  let north: string;
  let south: string;
  let xhy: string;

  beforeAll(async () => {
    h = await startCommunities('communities');
    tiyuguanlu = await registerSubDistrict(h, '体育馆路街道');
    xianghe = await registerSubDistrict(h, '香河园街道');
    north = await registerCommunity(h, tiyuguanlu, '体育馆路北社区', '北部（拆迁滞留地）');
    south = await registerCommunity(h, tiyuguanlu, '法华南里社区', '南部（成熟小区）');
    xhy = await registerCommunity(h, xianghe, '西坝河东里社区');
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('when the API document is requested, then every route is described with its Chinese summary', async () => {
    const doc = await fetch(`${h.service.url}/openapi.json`);
    expect(doc.status).toBe(200);
    const body = (await doc.json()) as { paths: Record<string, Record<string, { summary: string }>> };
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/proposals/{id}/decisions', '/proposals/{id}/diff', '/wishes/tally', '/fairs/{id}/shortlist', '/communities/{id}/funds/{fiscalYear}']),
    );
    expect(body.paths['/proposals/{id}/decisions']!.post!.summary).toContain('记录评审决定');
  });

  describe('communities', () => {
    it('when a community is registered, then it belongs to its sub-district, names are unique there, and only admins may do it', async () => {
      const got = await h.api('GET', `/communities/${north}`);
      expect(got.body).toMatchObject({ name: '体育馆路北社区', area: '北部（拆迁滞留地）', subDistrictId: tiyuguanlu, subDistrictName: '体育馆路街道', createdBy: { userId: 'test-admin' } });
      const again = await h.api('POST', `/sub-districts/${tiyuguanlu}/communities`, { name: '体育馆路北社区' });
      expect(again.status).toBe(409);
      expect((await h.api('POST', `/sub-districts/${xianghe}/communities`, { name: '体育馆路北社区' })).status).toBe(201);
      expect((await h.api('POST', `/sub-districts/${tiyuguanlu}/communities`, { name: '越权社区' }, reviewer(tiyuguanlu))).status).toBe(403);
      expect((await h.api('POST', `/sub-districts/${randomUUID()}/communities`, { name: '无主社区' })).status).toBe(404);
      const bad = await h.api('POST', `/sub-districts/${tiyuguanlu}/communities`, { name: 'x', extra: 1 });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: any) => e.path).sort()).toEqual(['body', 'body.name'].sort());
      const listed = await h.api('GET', `/communities?subDistrictId=${tiyuguanlu}&limit=100`);
      expect(listed.body.items.map((c: any) => c.name)).toEqual(['体育馆路北社区', '法华南里社区']);
      expect(listed.body.items.some((c: any) => c.name === '越权社区')).toBe(false);
    });

    it('when people list or read communities, then each sees their own scope only', async () => {
      expect((await h.api('GET', '/communities?limit=100', undefined, secretary(north))).body.items.map((c: any) => c.id)).toEqual([north]);
      expect((await h.api('GET', '/communities?limit=100', undefined, reviewer(tiyuguanlu))).body.items.map((c: any) => c.id)).toEqual([north, south]);
      expect((await h.api('GET', `/communities/${south}`, undefined, secretary(north))).status).toBe(403);
      expect((await h.api('GET', '/communities', undefined, supervisor)).status).toBe(403);
      expect((await h.api('GET', `/communities/${randomUUID()}`)).status).toBe(404);
    });
  });

  describe('funds', () => {
    it('when finance sets a community’s allocation, then the figures, the movement and who did it are kept; the same amount again changes nothing', async () => {
      const set = await h.api('PUT', `/communities/${north}/funds/${FISCAL_YEAR}`, { allocatedFen: 40_000_000, note: '东组发〔2026〕1号' }, finance(tiyuguanlu));
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({ communityId: north, communityName: '体育馆路北社区', fiscalYear: FISCAL_YEAR, allocatedFen: 40_000_000, committedFen: 0, spentFen: 0, remainingFen: 40_000_000, updatedBy: { userId: 'finance-wang' } });
      const same = await h.api('PUT', `/communities/${north}/funds/${FISCAL_YEAR}`, { allocatedFen: 40_000_000 }, finance(tiyuguanlu));
      expect(same.body.id).toBe(set.body.id);
      const raised = await h.api('PUT', `/communities/${north}/funds/${FISCAL_YEAR}`, { allocatedFen: 45_000_000 }, finance(tiyuguanlu));
      expect(raised.body.allocatedFen).toBe(45_000_000);
      const detail = await h.api('GET', `/funds/${set.body.id}`, undefined, secretary(north));
      expect(detail.body.movements.map((m: any) => [m.kindLabel, m.amountFen, m.by.userId])).toEqual([
        ['下达', 5_000_000, 'finance-wang'],
        ['下达', 40_000_000, 'finance-wang'],
      ]);
      expect(detail.body.movements[1].note).toBe('东组发〔2026〕1号');
    });

    it('when the wrong people allocate or the amount is not fen, then 403/400 and the fund is unchanged', async () => {
      expect((await h.api('PUT', `/communities/${south}/funds/${FISCAL_YEAR}`, { allocatedFen: 1 }, secretary(south))).status).toBe(403);
      expect((await h.api('PUT', `/communities/${south}/funds/${FISCAL_YEAR}`, { allocatedFen: 1 }, finance(xianghe))).status).toBe(403);
      const bad = await h.api('PUT', `/communities/${south}/funds/1999`, { allocatedFen: 12.5 }, finance(tiyuguanlu));
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: any) => e.path).sort()).toEqual(['body.allocatedFen', 'params.fiscalYear']);
      expect((await h.api('GET', `/funds?communityId=${south}`)).body.items).toEqual([]);
      expect((await h.api('PUT', `/communities/${randomUUID()}/funds/${FISCAL_YEAR}`, { allocatedFen: 1 })).status).toBe(404);
    });

    it('when funds are listed, then each caller sees their scope and filters apply', async () => {
      await h.api('PUT', `/communities/${south}/funds/${FISCAL_YEAR}`, { allocatedFen: 20_000_000 }, finance(tiyuguanlu));
      await h.api('PUT', `/communities/${xhy}/funds/${FISCAL_YEAR}`, { allocatedFen: 30_000_000 });
      expect((await h.api('GET', '/funds?limit=100', undefined, finance(tiyuguanlu))).body.items.map((f: any) => f.communityName).sort()).toEqual(['体育馆路北社区', '法华南里社区'].sort());
      expect((await h.api('GET', '/funds?limit=100', undefined, secretary(south))).body.items.map((f: any) => f.allocatedFen)).toEqual([20_000_000]);
      expect((await h.api('GET', `/funds?fiscalYear=${FISCAL_YEAR}&subDistrictId=${xianghe}`)).body.items.map((f: any) => f.communityName)).toEqual(['西坝河东里社区']);
      expect((await h.api('GET', '/funds?fiscalYear=2025')).body.items).toEqual([]);
    });
  });

  describe('resident meetings and wishes', () => {
    it('when a secretary records a meeting with its wishes, then they are kept with labels and who recorded them', async () => {
      const res = await h.api(
        'POST',
        `/communities/${north}/meetings`,
        {
          heldOn: '2026-03-12',
          attendance: 35,
          minutes: '北部拆迁滞留地居民反映：老人多、孩子放学无人看管。',
          wishes: [
            { category: 'elderly_care', targetGroup: 'elderly', description: '养老驿站送餐', votes: 30 },
            { category: 'children', targetGroup: 'children', description: '四点半课堂', votes: 22 },
          ],
        },
        secretary(north),
      );
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ communityName: '体育馆路北社区', heldOn: '2026-03-12', attendance: 35, createdBy: { userId: 'secretary-1' } });
      expect(res.body.wishes.map((w: any) => [w.categoryLabel, w.targetGroupLabel, w.votes])).toEqual([
        ['养老', '老年人', 30],
        ['亲子与儿童', '儿童', 22],
      ]);
      const added = await h.api('POST', `/meetings/${res.body.id}/wishes`, { category: 'elderly_care', targetGroup: 'elderly', description: '助浴服务', votes: 18 }, residentRep(north));
      expect(added.status).toBe(201);
      expect((await h.api('GET', `/meetings/${res.body.id}`, undefined, secretary(north))).body.wishes).toHaveLength(3);
    });

    it('when votes exceed attendance, the wrong people record, or the meeting is unknown, then 400/403/404 and nothing is written', async () => {
      const before = await h.service.prisma.wish.count();
      const meetingsBefore = await h.service.prisma.residentMeeting.count();
      const tooMany = await h.api(
        'POST',
        `/communities/${south}/meetings`,
        { heldOn: '2026-03-15', attendance: 10, minutes: '纪要', wishes: [{ category: 'other', targetGroup: 'residents', description: 'x', votes: 11 }] },
        secretary(south),
      );
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.errors.map((e: any) => e.path)).toEqual(['body.wishes[0].votes']);
      expect((await h.api('POST', `/communities/${south}/meetings`, { heldOn: '2026-03-15', attendance: 10, minutes: '纪要' }, residentRep(south))).status).toBe(403);
      expect((await h.api('POST', `/communities/${south}/meetings`, { heldOn: '2026-03-15', attendance: 10, minutes: '纪要' }, secretary(north))).status).toBe(403);
      expect((await h.api('POST', `/meetings/${randomUUID()}/wishes`, { category: 'other', targetGroup: 'residents', description: 'x', votes: 1 }, residentRep(south))).status).toBe(404);
      expect(await h.service.prisma.wish.count()).toBe(before);
      expect(await h.service.prisma.residentMeeting.count()).toBe(meetingsBefore);
    });

    it('when wishes are tallied, then counts and vote sums come per community, category and target group with Chinese labels, within the caller’s scope', async () => {
      await h.api(
        'POST',
        `/communities/${south}/meetings`,
        {
          heldOn: '2026-03-20',
          attendance: 40,
          minutes: '南部成熟小区：楼门文化、居民议事。',
          wishes: [
            { category: 'building_culture', targetGroup: 'residents', description: '楼门文化墙', votes: 25 },
            { category: 'elderly_care', targetGroup: 'elderly', description: '老年人智能手机课堂', votes: 12 },
          ],
        },
        secretary(south),
      );
      const tally = await h.api('GET', `/wishes/tally?subDistrictId=${tiyuguanlu}`, undefined, reviewer(tiyuguanlu));
      expect(tally.status).toBe(200);
      expect(tally.body.byCategory).toEqual([
        { category: 'elderly_care', categoryLabel: '养老', wishes: 3, votes: 60 },
        { category: 'building_culture', categoryLabel: '楼门文化', wishes: 1, votes: 25 },
        { category: 'children', categoryLabel: '亲子与儿童', wishes: 1, votes: 22 },
      ]);
      expect(tally.body.byCommunity).toEqual([
        { communityId: north, communityName: '体育馆路北社区', area: '北部（拆迁滞留地）', wishes: 3, votes: 70 },
        { communityId: south, communityName: '法华南里社区', area: '南部（成熟小区）', wishes: 2, votes: 37 },
      ]);
      expect(tally.body.rows[0]).toMatchObject({ communityName: '体育馆路北社区', categoryLabel: '养老', targetGroupLabel: '老年人', wishes: 2, votes: 48 });
      expect(tally.body.total).toEqual({ wishes: 5, votes: 107 });
      const own = await h.api('GET', '/wishes/tally', undefined, secretary(south));
      expect(own.body.total).toEqual({ wishes: 2, votes: 37 });
      const children = await h.api('GET', `/wishes/tally?targetGroup=children&subDistrictId=${tiyuguanlu}`);
      expect(children.body.total).toEqual({ wishes: 1, votes: 22 });
      const period = await h.api('GET', `/wishes/tally?subDistrictId=${tiyuguanlu}&from=2026-03-15&to=2026-03-31`);
      expect(period.body.total).toEqual({ wishes: 2, votes: 37 });
      const listed = await h.api('GET', `/wishes?category=elderly_care&limit=100`, undefined, secretary(north));
      expect(listed.body.items.map((w: any) => w.description)).toEqual(['养老驿站送餐', '助浴服务']);
      expect((await h.api('GET', '/wishes/tally?category=gardening')).status).toBe(400);
    });
  });

  describe('reference prices', () => {
    it('when a reviewer sets reference prices and the margin, then everyone can read them; others may not set them', async () => {
      const set = await h.api('PUT', `/sub-districts/${tiyuguanlu}/reference-prices/bus_hire`, { unit: '天', priceFen: 200_000, note: '45座大巴' }, reviewer(tiyuguanlu));
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({ itemKind: 'bus_hire', itemKindLabel: '租车', unit: '天', priceFen: 200_000, updatedBy: { userId: 'reviewer-sun' } });
      expect((await h.api('PUT', `/sub-districts/${tiyuguanlu}/reference-prices/bus_hire`, { unit: '天', priceFen: 1 }, secretary(north))).status).toBe(403);
      expect((await h.api('PUT', `/sub-districts/${tiyuguanlu}/reference-prices/bus_hire`, { unit: '天', priceFen: 1 }, reviewer(xianghe))).status).toBe(403);
      expect((await h.api('PUT', `/sub-districts/${tiyuguanlu}/reference-prices/yacht`, { unit: '天', priceFen: 1 }, reviewer(tiyuguanlu))).status).toBe(400);
      const margin = await h.api('PUT', `/sub-districts/${tiyuguanlu}/price-margin`, { marginPercent: 50 }, reviewer(tiyuguanlu));
      expect(margin.status).toBe(200);
      expect(margin.body).toMatchObject({ marginPercent: 50, marginUpdatedBy: { userId: 'reviewer-sun' } });
      const read = await h.api('GET', `/sub-districts/${tiyuguanlu}/reference-prices`, undefined, orgStaff(randomUUID()));
      expect(read.body.items.map((p: any) => [p.itemKindLabel, p.priceFen])).toEqual([['租车', 200_000]]);
      expect(read.body.marginPercent).toBe(50);
      expect((await h.api('GET', `/sub-districts/${xianghe}/reference-prices`)).body).toMatchObject({ marginPercent: 30, marginUpdatedAt: null, items: [] });
      const kinds = await h.api('GET', '/budget-item-kinds');
      expect(kinds.body.items).toEqual(expect.arrayContaining([{ itemKind: 'stationery', label: '文具' }, { itemKind: 'banner', label: '横幅' }]));
    });

    it('when the margin is wider, then a bus hire 45% above the reference is not flagged; 55% above still is', async () => {
      const org = await h.seedOrganization('北京慈爱嘉养老服务有限公司', { title: '养老驿站助餐送餐', category: 'elderly_care', targetGroups: ['elderly'] });
      const body = (price: number) => ({
        level: 'community',
        communityId: north,
        offeringId: org.offeringId,
        title: `助老出行 ${price}`,
        fiscalYear: FISCAL_YEAR,
        activities: [{ activityKey: 'A1', title: '老人出游', startsOn: '2026-05-01', endsOn: '2026-05-01', venue: '北京植物园', targetHeadcount: 40, targetGroup: 'elderly' }],
        itemLines: [{ lineKey: 'L1', activityKey: 'A1', itemKind: 'bus_hire', description: '大巴', unitPriceFen: price, quantity: 1 }],
      });
      expect((await h.api('POST', '/proposals', body(290_000), secretary(north))).body.openFlags).toEqual([]);
      const flagged = await h.api('POST', '/proposals', body(310_000), secretary(north));
      expect(flagged.body.openFlags).toEqual(['L1']);
      expect(flagged.body.itemLines[0].flag).toMatchObject({ marginPercent: 50, thresholdFen: 300_000, overByPercent: 55 });
    });
  });

  describe('fairs', () => {
    let fairId: string;
    let aiJia: { organizationId: string; offeringId: string };
    let youbei: { organizationId: string; offeringId: string };
    let suda: { organizationId: string; offeringId: string };

    beforeAll(async () => {
      aiJia = await h.seedOrganization('北京慈爱嘉养老服务有限公司（推介会）', { title: '养老驿站助浴服务', category: 'elderly_care', targetGroups: ['elderly', 'disabled'] });
      youbei = await h.seedOrganization('悠贝亲子阅读', { title: '亲子绘本故事会（每天上午10:00）', category: 'children', targetGroups: ['children', 'families'] });
      suda = await h.seedOrganization('北京速达社区服务中心', { title: '社区便民服务日', category: 'other', targetGroups: ['residents'] });
    });

    it('when a reviewer announces a fair and puts offerings on show, then the stalls show the organization and its credit status', async () => {
      const fair = await h.api(
        'POST',
        '/fairs',
        { subDistrictId: tiyuguanlu, title: '体育馆路街道2026年社会组织服务项目推介会', venue: '体育馆路街道市民活动中心', heldOn: '2026-02-26' },
        reviewer(tiyuguanlu),
      );
      expect(fair.status).toBe(201);
      fairId = fair.body.id;
      expect((await h.api('POST', '/fairs', { subDistrictId: tiyuguanlu, title: '越权推介会', venue: 'x', heldOn: '2026-02-26' }, secretary(north))).status).toBe(403);
      expect((await h.api('POST', '/fairs', { subDistrictId: tiyuguanlu, title: '越权推介会', venue: 'x', heldOn: '2026-02-26' }, reviewer(xianghe))).status).toBe(403);
      for (const [offering, booth] of [
        [aiJia.offeringId, 'A01'],
        [youbei.offeringId, 'A02'],
        [suda.offeringId, 'A03'],
      ] as const) {
        expect((await h.api('POST', `/fairs/${fairId}/stalls`, { offeringId: offering, booth }, reviewer(tiyuguanlu))).status).toBe(201);
      }
      expect((await h.api('POST', `/fairs/${fairId}/stalls`, { offeringId: youbei.offeringId }, reviewer(tiyuguanlu))).status).toBe(409);
      expect((await h.api('POST', `/fairs/${fairId}/stalls`, { offeringId: randomUUID() }, reviewer(tiyuguanlu))).status).toBe(404);
      expect((await h.api('POST', `/fairs/${randomUUID()}/stalls`, { offeringId: youbei.offeringId }, reviewer(tiyuguanlu))).status).toBe(404);
      const shown = await h.api('GET', `/fairs/${fairId}`, undefined, orgStaff(youbei.organizationId));
      expect(shown.body).toMatchObject({ subDistrictName: '体育馆路街道', stallCount: 3 });
      expect(shown.body.stalls.map((s: any) => [s.booth, s.offering.organizationName, s.offering.organizationCreditStatus, s.offering.selectable])).toEqual([
        ['A01', '北京慈爱嘉养老服务有限公司（推介会）', 'good', true],
        ['A02', '悠贝亲子阅读', 'good', true],
        ['A03', '北京速达社区服务中心', 'good', true],
      ]);
      expect((await h.api('GET', `/fairs?subDistrictId=${tiyuguanlu}`)).body.items.map((f: any) => f.title)).toEqual(['体育馆路街道2026年社会组织服务项目推介会']);
    });

    it('when secretaries shortlist stalls, then their notes are kept; a blacklisted organization, another sub-district or a second time is refused', async () => {
      const first = await h.api('POST', `/fairs/${fairId}/shortlist`, { communityId: north, offeringId: aiJia.offeringId, note: '北部老人多，送餐助浴需求大' }, secretary(north));
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ communityName: '体育馆路北社区', note: '北部老人多，送餐助浴需求大', offering: { title: '养老驿站助浴服务' }, createdBy: { userId: 'secretary-1' } });
      expect((await h.api('POST', `/fairs/${fairId}/shortlist`, { communityId: north, offeringId: aiJia.offeringId, note: '再登记' }, secretary(north))).status).toBe(409);
      expect((await h.api('POST', `/fairs/${fairId}/shortlist`, { communityId: south, offeringId: youbei.offeringId, note: '亲子阅读' }, secretary(south))).status).toBe(201);
      expect((await h.api('POST', `/fairs/${fairId}/shortlist`, { communityId: south, offeringId: youbei.offeringId, note: '代登记' }, secretary(north))).status).toBe(403);
      expect((await h.api('POST', `/fairs/${fairId}/shortlist`, { communityId: xhy, offeringId: youbei.offeringId, note: '外街道' }, secretary(xhy))).status).toBe(403);
      expect((await h.api('POST', `/fairs/${fairId}/shortlist`, { communityId: north, offeringId: randomUUID(), note: '不在本次推介会' }, secretary(north))).status).toBe(404);

      await h.blacklist(suda.organizationId);
      const before = await h.service.prisma.shortlistEntry.count();
      const black = await h.api('POST', `/fairs/${fairId}/shortlist`, { communityId: north, offeringId: suda.offeringId, note: '便民服务' }, secretary(north));
      expect(black.status).toBe(409);
      expect(black.body.detail).toContain('黑名单');
      expect(await h.service.prisma.shortlistEntry.count()).toBe(before);
      const stall = (await h.api('GET', `/fairs/${fairId}`)).body.stalls.find((s: any) => s.offering.id === suda.offeringId);
      expect(stall.offering).toMatchObject({ organizationCreditStatus: 'blacklisted', selectable: false });

      expect((await h.api('GET', `/fairs/${fairId}/shortlist`, undefined, secretary(north))).body.items.map((e: any) => e.communityName)).toEqual(['体育馆路北社区']);
      expect((await h.api('GET', `/fairs/${fairId}/shortlist`, undefined, reviewer(tiyuguanlu))).body.items).toHaveLength(2);
      expect((await h.api('GET', `/fairs/${fairId}`)).body.stalls.map((s: any) => s.shortlistedBy)).toEqual([1, 1, 0]);
    });
  });
});
