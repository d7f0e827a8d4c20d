import { randomUUID } from 'node:crypto';
import { EventEnvelope, ORGANIZATIONS_EVENTS } from '@linli/contracts';
import { createEventRegistry } from '@linli/events';
import {
  COMMUNITY,
  OTHER_SD,
  SD,
  addStaff,
  freshCreditCode,
  orgStaff,
  registerOrg,
  reviewer,
  secretary,
  startOrganizations,
  type Harness,
} from './harness';

describe('社会组织 (registry, offerings, staff, direct contracts) over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startOrganizations('registry');
  });
  afterAll(async () => {
    await h?.stop();
  });

  describe('registry', () => {
    it('when a valid organization is registered, then 201 decodes who registered it and the event is in the outbox', async () => {
      const res = await h.api('POST', '/organizations', {
        name: '悠贝亲子阅读（体育馆路）',
        creditCode: freshCreditCode('5', '2').toLowerCase(),
        registrationType: 'private_non_enterprise',
        description: '每天上午10点给两三岁的小朋友讲故事',
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ registeredWith: '民政 · 民办非企业单位', creditStatus: 'good', latestInspection: null, createdBy: { userId: 'test-admin', role: 'admin' } });
      expect(res.body.creditCode).toBe(res.body.creditCode.toUpperCase());
      const event = (await h.outbox()).find((e) => e.type === 'organizations.organization.registered' && e.payload.subject === res.body.id);
      expect(event?.payload.data).toEqual({ organizationId: res.body.id, name: '悠贝亲子阅读（体育馆路）', creditCode: res.body.creditCode, creditStatus: 'good' });
    });

    it('when the check character is wrong, then 400 says which character, what it should be, and nothing is written', async () => {
      const good = freshCreditCode();
      const wrong = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
      const before = await h.api('GET', '/organizations?limit=100');
      const res = await h.api('POST', '/organizations', { name: '校验码错误的组织', creditCode: wrong, registrationType: 'private_non_enterprise' });
      expect(res.status).toBe(400);
      expect(res.contentType).toContain('application/problem+json');
      const message = `第18位校验码应为 ${good[17]}，实际为 ${wrong[17]} (check character at position 18 should be ${good[17]}, got ${wrong[17]})`;
      expect(res.body.errors).toEqual([{ path: 'body.creditCode', message }]);
      expect(res.body.detail).toContain(message);
      const after = await h.api('GET', '/organizations?limit=100');
      expect(after.body.items).toHaveLength(before.body.items.length);
    });

    it('when the body is wrong in several fields, then 400 names each; a type that contradicts the code names the type', async () => {
      const bad = await h.api('POST', '/organizations', { name: '', creditCode: 7, registrationType: 'club' });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.creditCode', 'body.name', 'body.registrationType']);
      const mismatch = await h.api('POST', '/organizations', { name: '类型不符的组织', creditCode: freshCreditCode('5', '2'), registrationType: 'foundation' });
      expect(mismatch.status).toBe(400);
      expect(mismatch.body.errors).toEqual([{ path: 'body.registrationType', message: expect.stringContaining('应为 53，实际为 52') }]);
    });

    it('when the name or the code is registered twice, then 409 with the reason', async () => {
      const code = freshCreditCode();
      await registerOrg(h, '东城区邻里守望协会', { creditCode: code });
      const sameName = await h.api('POST', '/organizations', { name: '东城区邻里守望协会', creditCode: freshCreditCode(), registrationType: 'private_non_enterprise' });
      expect(sameName.status).toBe(409);
      expect(sameName.body.detail).toContain('已登记');
      const sameCode = await h.api('POST', '/organizations', { name: '另一个名字', creditCode: code, registrationType: 'private_non_enterprise' });
      expect(sameCode.status).toBe(409);
      expect(sameCode.body.detail).toContain('东城区邻里守望协会');
    });

    it('when there is no token, then 401; when a community secretary or an org’s staff registers, then 403', async () => {
      const body = { name: '越权登记', creditCode: freshCreditCode(), registrationType: 'private_non_enterprise' };
      expect((await h.api('POST', '/organizations', body, null)).status).toBe(401);
      const bySecretary = await h.api('POST', '/organizations', body, secretary);
      expect(bySecretary.status).toBe(403);
      expect(bySecretary.body.detail).toContain('社区书记无权「登记社会组织」');
      expect((await h.api('POST', '/organizations', body, orgStaff(randomUUID()))).status).toBe(403);
      expect((await h.api('GET', '/organizations?q=越权登记')).body.items).toEqual([]);
    });

    it('when the credit status changes, then it needs a reason, is kept in the history, and the same status again is 409', async () => {
      const id = await registerOrg(h, '信用观察社工站');
      const noReason = await h.api('POST', `/organizations/${id}/credit-status`, { creditStatus: 'watch' }, reviewer());
      expect(noReason.status).toBe(400);
      expect(noReason.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.reason']);
      const watched = await h.api('POST', `/organizations/${id}/credit-status`, { creditStatus: 'watch', reason: '年检基本合格' }, reviewer());
      expect(watched.status).toBe(200);
      expect(watched.body).toMatchObject({ creditStatus: 'watch', creditReason: '年检基本合格' });
      expect((await h.api('POST', `/organizations/${id}/credit-status`, { creditStatus: 'watch', reason: '再来一次' }, reviewer())).status).toBe(409);
      expect((await h.api('POST', `/organizations/${id}/credit-status`, { creditStatus: 'good', reason: '自己改' }, orgStaff(id))).status).toBe(403);
      expect((await h.api('POST', `/organizations/${randomUUID()}/credit-status`, { creditStatus: 'good', reason: '不存在' }, reviewer())).status).toBe(404);
      const detail = await h.api('GET', `/organizations/${id}`, undefined, secretary);
      expect(detail.body.creditHistory).toEqual([
        expect.objectContaining({ from: 'good', to: 'watch', reason: '年检基本合格', changedBy: expect.objectContaining({ role: 'subdistrict_reviewer' }) }),
      ]);
      const events = (await h.outbox()).filter((e) => e.type === 'organizations.organization.credit-changed' && e.payload.subject === id);
      expect(events.map((e) => e.payload.data)).toEqual([{ organizationId: id, creditStatus: 'watch', reason: '年检基本合格' }]);
    });

    it('when an annual inspection is recorded, then it shows as the latest; the same year again is 409; a future year is 400', async () => {
      const id = await registerOrg(h, '年检社工事务所');
      const year = h.clock.now().getUTCFullYear() - 1;
      const recorded = await h.api('POST', `/organizations/${id}/annual-inspections`, { year, result: 'basically_passed' }, reviewer());
      expect(recorded.status).toBe(201);
      expect((await h.api('GET', `/organizations/${id}`)).body.latestInspection).toMatchObject({ year, result: 'basically_passed' });
      expect((await h.api('POST', `/organizations/${id}/annual-inspections`, { year, result: 'passed' }, reviewer())).status).toBe(409);
      const future = await h.api('POST', `/organizations/${id}/annual-inspections`, { year: year + 5, result: 'passed' }, reviewer());
      expect(future.status).toBe(400);
      expect(future.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.year']);
    });

    it('when organizations are listed by credit status, type and name, then the filters apply and pages have no gaps', async () => {
      const black = await registerOrg(h, '黑名单测试中心');
      await h.api('POST', `/organizations/${black}/credit-status`, { creditStatus: 'blacklisted', reason: '虚报参与人数' }, reviewer());
      await registerOrg(h, '体育馆路社区基金会', { registrationType: 'foundation', creditCode: freshCreditCode('5', '3') });
      const blacklisted = await h.api('GET', '/organizations?creditStatus=blacklisted');
      expect(blacklisted.body.items.map((o: { name: string }) => o.name)).toEqual(['黑名单测试中心']);
      const foundations = await h.api('GET', '/organizations?registrationType=foundation');
      expect(foundations.body.items.map((o: { name: string }) => o.name)).toEqual(['体育馆路社区基金会']);
      const search = await h.api('GET', `/organizations?q=${encodeURIComponent('社工')}`);
      expect(search.body.items.map((o: { name: string }) => o.name).sort()).toEqual(['信用观察社工站', '年检社工事务所']);
      const all = await h.api('GET', '/organizations?limit=100');
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const pageRes: { body: { items: { id: string }[]; nextCursor: string | null } } = await h.api('GET', `/organizations?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...pageRes.body.items.map((o) => o.id));
        cursor = pageRes.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all.body.items.map((o: { id: string }) => o.id));
      expect((await h.api('GET', '/organizations?cursor=nonsense')).status).toBe(400);
    });
  });

  describe('offerings (服务清单)', () => {
    let org: string;
    beforeAll(async () => {
      org = await registerOrg(h, '北京慈爱嘉养老服务有限公司', { registrationType: 'enterprise', creditCode: freshCreditCode('9', '1') });
    });

    it('when the organization’s staff publishes an offering, then 201 and offering.published; another organization’s staff gets 403', async () => {
      const body = {
        category: 'elderly_care',
        targetGroups: ['elderly'],
        title: '养老驿站助餐送餐',
        description: '为高龄、失能老人送餐上门',
        priceMinFen: 8_000_000,
        priceMaxFen: 15_000_000,
      };
      const created = await h.api('POST', `/organizations/${org}/offerings`, body, orgStaff(org));
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ organizationName: '北京慈爱嘉养老服务有限公司', organizationCreditStatus: 'good', createdBy: { role: 'org_staff' } });
      expect((await h.api('POST', `/organizations/${org}/offerings`, { ...body, title: '别人的服务' }, orgStaff(randomUUID()))).status).toBe(403);
      expect((await h.api('POST', `/organizations/${org}/offerings`, body, orgStaff(org))).status).toBe(409);
      const events = (await h.outbox()).filter((e) => e.type === 'organizations.offering.published' && e.payload.data.offeringId === created.body.id);
      expect(events.map((e) => e.payload.data)).toEqual([
        { offeringId: created.body.id, organizationId: org, title: '养老驿站助餐送餐', category: 'elderly_care', targetGroups: ['elderly'], priceMinFen: 8_000_000, priceMaxFen: 15_000_000 },
      ]);
    });

    it('when the price range is inverted, then 400 names priceMaxFen; an update that inverts it is 400 too', async () => {
      const bad = await h.api(
        'POST',
        `/organizations/${org}/offerings`,
        { category: 'elderly_care', targetGroups: ['elderly'], title: '助浴', description: '上门助浴', priceMinFen: 500, priceMaxFen: 100 },
        orgStaff(org),
      );
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.priceMaxFen']);
      const ok = await h.api(
        'POST',
        `/organizations/${org}/offerings`,
        { category: 'elderly_care', targetGroups: ['elderly', 'disabled'], title: '助浴', description: '上门助浴', priceMinFen: 100, priceMaxFen: 500 },
        orgStaff(org),
      );
      const inverted = await h.api('PATCH', `/offerings/${ok.body.id}`, { priceMinFen: 1_000 }, orgStaff(org));
      expect(inverted.status).toBe(400);
    });

    it('when an offering is updated, then it is republished; someone else’s staff cannot update it', async () => {
      const created = await h.api(
        'POST',
        `/organizations/${org}/offerings`,
        { category: 'elderly_care', targetGroups: ['elderly'], title: '康复训练', description: '驿站康复训练', priceMinFen: 100_000, priceMaxFen: 200_000 },
        orgStaff(org),
      );
      expect((await h.api('PATCH', `/offerings/${created.body.id}`, { priceMaxFen: 1 }, orgStaff(randomUUID()))).status).toBe(403);
      const updated = await h.api('PATCH', `/offerings/${created.body.id}`, { priceMaxFen: 300_000, description: '驿站康复训练，每周两次' }, orgStaff(org));
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ priceMinFen: 100_000, priceMaxFen: 300_000, description: '驿站康复训练，每周两次' });
      const events = (await h.outbox()).filter((e) => e.type === 'organizations.offering.published' && e.payload.data.offeringId === created.body.id);
      expect(events.map((e) => e.payload.data.priceMaxFen)).toEqual([200_000, 300_000]);
    });

    it('when offerings are listed by category, target group and organization, then the filters apply', async () => {
      const reading = await registerOrg(h, '悠贝亲子阅读');
      await h.api(
        'POST',
        `/organizations/${reading}/offerings`,
        { category: 'children', targetGroups: ['children', 'families'], title: '亲子绘本故事会', description: '每天10:00', priceMinFen: 1, priceMaxFen: 2 },
        orgStaff(reading),
      );
      const children = await h.api('GET', '/offerings?category=children', undefined, secretary);
      expect(children.body.items.map((o: { title: string }) => o.title)).toEqual(['亲子绘本故事会']);
      const disabled = await h.api('GET', '/offerings?targetGroup=disabled');
      expect(disabled.body.items.map((o: { title: string }) => o.title)).toEqual(['助浴']);
      const byOrg = await h.api('GET', `/offerings?organizationId=${org}`);
      expect(byOrg.body.items.map((o: { title: string }) => o.title).sort()).toEqual(['助浴', '康复训练', '养老驿站助餐送餐'].sort());
      expect((await h.api('GET', '/offerings?category=gardening')).status).toBe(400);
    });

    it('when a blacklisted organization publishes an offering, then 409 and nothing is written', async () => {
      const black = await registerOrg(h, '被拉黑的服务社');
      await h.api('POST', `/organizations/${black}/credit-status`, { creditStatus: 'blacklisted', reason: '发票造假' }, reviewer());
      const refused = await h.api(
        'POST',
        `/organizations/${black}/offerings`,
        { category: 'other', targetGroups: ['residents'], title: '摆摊', description: '……', priceMinFen: 1, priceMaxFen: 2 },
        orgStaff(black),
      );
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toContain('黑名单');
      expect((await h.api('GET', `/offerings?organizationId=${black}`)).body.items).toEqual([]);
    });
  });

  describe('community-level contracts and project staff', () => {
    let org: string;
    const people: Record<string, string> = {};
    const project = randomUUID();

    beforeAll(async () => {
      org = await registerOrg(h, '银天使智慧社区公益促进中心');
      for (const name of ['李主管', '王社工', '赵社工', '钱社工', '孙志愿者']) people[name] = await addStaff(h, org, name);
    });

    it('when staff are assigned to a project without a contract, then 409', async () => {
      const res = await h.api('POST', `/organizations/${org}/projects/${project}/assignments`, { staffId: people['李主管'], projectRole: '项目主管' }, orgStaff(org));
      expect(res.status).toBe(409);
      expect(res.body.detail).toContain('未签订');
    });

    it('when a reviewer signs a community-level contract, then 201 with the amount given and contract.signed; a second one for the project is 409', async () => {
      const body = { level: 'community', projectId: project, organizationId: org, subDistrictId: SD, communityId: COMMUNITY, amountFen: 6_800_000, startsOn: '2026-03-01', endsOn: '2026-12-31' };
      expect((await h.api('POST', '/contracts', body, reviewer(OTHER_SD))).status).toBe(403);
      expect((await h.api('POST', '/contracts', body, secretary)).status).toBe(403);
      const signed = await h.api('POST', '/contracts', body, reviewer());
      expect(signed.status).toBe(201);
      expect(signed.body).toMatchObject({ level: 'community', amountFen: 6_800_000, communityId: COMMUNITY, tenderId: null, organizationName: '银天使智慧社区公益促进中心' });
      expect((await h.api('POST', '/contracts', body, reviewer())).status).toBe(409);
      const listed = await h.api('GET', `/contracts?organizationId=${org}`);
      expect(listed.body.items.map((c: { id: string }) => c.id)).toEqual([signed.body.id]);
      expect((await h.api('GET', `/contracts/${signed.body.id}`)).body.amountFen).toBe(6_800_000);
    });

    it('when the period is inverted, then 400; when the organization is blacklisted, then 409 and no contract', async () => {
      const inverted = await h.api(
        'POST',
        '/contracts',
        { level: 'community', projectId: randomUUID(), organizationId: org, subDistrictId: SD, communityId: COMMUNITY, amountFen: 1, startsOn: '2026-12-31', endsOn: '2026-01-01' },
        reviewer(),
      );
      expect(inverted.status).toBe(400);
      expect(inverted.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.endsOn']);
      const black = await registerOrg(h, '签约黑名单中心');
      await h.api('POST', `/organizations/${black}/credit-status`, { creditStatus: 'blacklisted', reason: '年检不合格' }, reviewer());
      const otherProject = randomUUID();
      const refused = await h.api(
        'POST',
        '/contracts',
        { level: 'community', projectId: otherProject, organizationId: black, subDistrictId: SD, communityId: COMMUNITY, amountFen: 1, startsOn: '2026-01-01', endsOn: '2026-12-31' },
        reviewer(),
      );
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toContain('已列入黑名单，不能签约');
      expect((await h.api('GET', `/contracts?projectId=${otherProject}`)).body.items).toEqual([]);
    });

    it('when the initial team is assigned, then the team shows them; assigning someone twice is 409', async () => {
      for (const [name, role] of [['李主管', '项目主管'], ['王社工', '活动社工'], ['赵社工', '活动社工']] as const) {
        const res = await h.api('POST', `/organizations/${org}/projects/${project}/assignments`, { staffId: people[name], projectRole: role }, orgStaff(org));
        expect(res.status).toBe(201);
      }
      expect((await h.api('POST', `/organizations/${org}/projects/${project}/assignments`, { staffId: people['王社工'], projectRole: 'x' }, orgStaff(org))).status).toBe(409);
      const team = await h.api('GET', `/organizations/${org}/projects/${project}/team`, undefined, reviewer());
      expect(team.body).toMatchObject({ initialTeamSize: 3, replacements: 0, turnoverRate: 0, subDistrictId: SD });
      expect(team.body.current.map((a: { staffName: string }) => a.staffName).sort()).toEqual(['李主管', '王社工', '赵社工'].sort());
    });

    it('when someone on the team is marked as left, then 409: a change request is needed', async () => {
      const res = await h.api('PATCH', `/organizations/${org}/staff/${people['王社工']}`, { active: false }, orgStaff(org));
      expect(res.status).toBe(409);
      expect(res.body.detail).toContain('请先申请人员变更');
    });

    it('when a replacement is requested and approved by the project’s sub-district, then it applies and turnover is 1/3', async () => {
      const requested = await h.api(
        'POST',
        `/organizations/${org}/projects/${project}/staff-changes`,
        { outStaffId: people['王社工'], inStaffId: people['钱社工'], reason: '王社工调往其他项目' },
        orgStaff(org),
      );
      expect(requested.status).toBe(201);
      expect(requested.body).toMatchObject({ status: 'pending', outStaffName: '王社工', inStaffName: '钱社工', subDistrictId: SD });
      const pendingTeam = await h.api('GET', `/organizations/${org}/projects/${project}/team`);
      expect(pendingTeam.body.current.map((a: { staffName: string }) => a.staffName)).toContain('王社工');
      const duplicate = await h.api(
        'POST',
        `/organizations/${org}/projects/${project}/staff-changes`,
        { outStaffId: people['王社工'], inStaffId: people['孙志愿者'], reason: '再申请一次' },
        orgStaff(org),
      );
      expect(duplicate.status).toBe(409);

      const elsewhere = await h.api('POST', `/staff-changes/${requested.body.id}/decision`, { outcome: 'approve', reason: '同意' }, reviewer(OTHER_SD));
      expect(elsewhere.status).toBe(403);
      expect((await h.api('GET', `/staff-changes/${requested.body.id}`)).body.status).toBe('pending');
      const approved = await h.api('POST', `/staff-changes/${requested.body.id}/decision`, { outcome: 'approve', reason: '人员资质相当，同意' }, reviewer());
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ status: 'approved', decidedBy: { userId: reviewer().userId }, decisionReason: '人员资质相当，同意' });
      expect((await h.api('POST', `/staff-changes/${requested.body.id}/decision`, { outcome: 'reject', reason: '改主意' }, reviewer())).status).toBe(409);

      const team = await h.api('GET', `/organizations/${org}/projects/${project}/team`);
      expect(team.body).toMatchObject({ initialTeamSize: 3, replacements: 1, turnoverRate: 0.3333 });
      expect(team.body.current.map((a: { staffName: string }) => a.staffName).sort()).toEqual(['李主管', '赵社工', '钱社工'].sort());
      expect(team.body.history).toHaveLength(4);
      expect(team.body.current.find((a: { staffName: string }) => a.staffName === '钱社工')).toMatchObject({ projectRole: '活动社工', viaChangeId: requested.body.id });
      const decided = (await h.outbox()).find((e) => e.type === 'organizations.staff-change.decided' && e.payload.data.changeId === requested.body.id);
      expect(decided?.payload.data).toMatchObject({ outcome: 'approved', replacements: 1, turnoverRate: 0.3333 });
    });

    it('when a replacement is rejected, then the team is unchanged; pending requests can be listed by status', async () => {
      const requested = await h.api(
        'POST',
        `/organizations/${org}/projects/${project}/staff-changes`,
        { outStaffId: people['赵社工'], inStaffId: people['孙志愿者'], reason: '赵社工请产假' },
        orgStaff(org),
      );
      const pending = await h.api('GET', `/staff-changes?status=pending&subDistrictId=${SD}`, undefined, reviewer());
      expect(pending.body.items.map((c: { id: string }) => c.id)).toEqual([requested.body.id]);
      const rejected = await h.api('POST', `/staff-changes/${requested.body.id}/decision`, { outcome: 'reject', reason: '志愿者不能替代持证社工' }, reviewer());
      expect(rejected.body.status).toBe('rejected');
      const team = await h.api('GET', `/organizations/${org}/projects/${project}/team`);
      expect(team.body).toMatchObject({ replacements: 1 });
      expect(team.body.current.map((a: { staffName: string }) => a.staffName)).toContain('赵社工');
    });
  });

  it('when every event this file caused is read from the outbox, then each parses with the ORGANIZATIONS_EVENTS registry', async () => {
    const registry = createEventRegistry([...ORGANIZATIONS_EVENTS]);
    const rows = await h.outbox();
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) {
      const envelope = EventEnvelope.parse(row.payload);
      const definition = registry.get(envelope.type, envelope.version);
      expect(definition).toBeDefined();
      definition!.data.parse(envelope.data);
    }
  });
});
