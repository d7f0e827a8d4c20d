import { randomUUID } from 'node:crypto';
import {
  FISCAL_YEAR,
  committee,
  finance,
  orgStaff,
  registerCommunity,
  registerSubDistrict,
  reviewer,
  secretary,
  setReferencePrices,
  startCommunities,
  supervisor,
  veteransClub,
  type Harness,
} from './harness';

/**
 * 项目申请 and its review over real HTTP with real tokens: drafting with computed totals and price flags,
 * who may write and see what, submission, the three gates with flags, returns and versions, the fund
 * commitment at approval, and the refusals (401/403/400/404/409) that leave nothing written.
 */
describe('proposals and review over HTTP', () => {
  let h: Harness;
  let sd: string;
  let yanjingli: string;
  let other: string;
  let silverAngel: { organizationId: string; offeringId: string };
  let blacklisted: { organizationId: string; offeringId: string };

  const count = async () => (await h.service.prisma.proposal.count()) + (await h.service.prisma.proposalVersion.count()) + (await h.service.prisma.reviewDecision.count());
  const draft = async (overrides: Record<string, unknown> = {}, as = secretary(yanjingli)) => {
    const res = await h.api('POST', '/proposals', { level: 'community', communityId: yanjingli, offeringId: silverAngel.offeringId, ...veteransClub(overrides) }, as);
    if (res.status !== 201) throw new Error(`draft: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const decide = (id: string, body: Record<string, unknown>, as = reviewer(sd)) => h.api('POST', `/proposals/${id}/decisions`, body, as);

  beforeAll(async () => {
    h = await startCommunities('proposals');
    sd = await registerSubDistrict(h, '八里庄街道');
    yanjingli = await registerCommunity(h, sd, '延静里社区');
    other = await registerCommunity(h, sd, '甘露园社区');
    await setReferencePrices(h, sd);
    expect((await h.api('PUT', `/communities/${yanjingli}/funds/${FISCAL_YEAR}`, { allocatedFen: 3_000_000, note: '朝组发〔2026〕3号' }, finance(sd))).status).toBe(200);
    silverAngel = await h.seedOrganization('银天使智慧社区公益促进中心', { title: '老兵俱乐部（延静里）' });
    blacklisted = await h.seedOrganization('北京速达社区服务中心', { title: '社区便民服务日', category: 'other', targetGroups: ['residents'] });
    await h.blacklist(blacklisted.organizationId);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('when the secretary drafts with the chosen offering, then totals are computed from the lines, the 4,000 bus hire is flagged, and who wrote it is shown', async () => {
    const p = await draft();
    expect(p).toMatchObject({
      status: 'draft',
      statusLabel: '草稿',
      level: 'community',
      communityName: '延静里社区',
      subDistrictName: '八里庄街道',
      organizationId: silverAngel.organizationId,
      organizationName: '银天使智慧社区公益促进中心',
      offeringTitle: '老兵俱乐部（延静里）',
      version: 1,
      frozen: false,
      createdBy: { userId: 'secretary-1', role: 'community_secretary' },
    });
    expect(p.itemLines.map((l: any) => [l.lineKey, l.amountFen])).toEqual([
      ['L1', 400_000],
      ['L2', 20_000],
      ['L3', 300_000],
    ]);
    expect(p.totals).toMatchObject({ itemTotalFen: 720_000, staffTotalFen: 800_000, grandTotalFen: 1_520_000, unassignedStaffFen: 800_000 });
    expect(p.itemLines[0].flag).toEqual({ referencePriceFen: 200_000, referenceUnit: '天', marginPercent: 30, thresholdFen: 260_000, overByPercent: 100, accepted: null });
    expect(p.itemLines[1]).toMatchObject({ itemKindLabel: '文具', description: '签字笔（一支笔两块钱）', flag: null });
    expect(p.openFlags).toEqual(['L1']);
    expect(p.fund).toMatchObject({ allocatedFen: 3_000_000, remainingFen: 3_000_000, fits: true });
  });

  it('when there is no token, or the wrong people draft, then 401/403 and nothing is written', async () => {
    const before = await count();
    const body = { level: 'community', communityId: yanjingli, offeringId: silverAngel.offeringId, ...veteransClub() };
    const anonymous = await h.api('POST', '/proposals', body, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.contentType).toContain('application/problem+json');
    const otherSecretary = await h.api('POST', '/proposals', body, secretary(other));
    expect(otherSecretary.status).toBe(403);
    expect(otherSecretary.body.detail).toContain('不在您的管辖范围内');
    expect((await h.api('POST', '/proposals', body, orgStaff(silverAngel.organizationId))).status).toBe(403);
    expect((await h.api('POST', '/proposals', body, reviewer(sd))).status).toBe(403);
    expect(await count()).toBe(before);
  });

  it('when the body is malformed or inconsistent, then 400 names every failing field and nothing is written', async () => {
    const before = await count();
    const bad = await h.api(
      'POST',
      '/proposals',
      {
        level: 'community',
        communityId: yanjingli,
        title: '',
        fiscalYear: 2026,
        itemLines: [{ lineKey: 'L1', activityKey: 'A1', itemKind: 'limousine', description: 'x', unitPriceFen: -5, quantity: 1.5 }],
      },
      secretary(yanjingli),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(
      ['body.title', 'body.itemLines[0].itemKind', 'body.itemLines[0].unitPriceFen', 'body.itemLines[0].quantity'].sort(),
    );
    // cross-field rules are reported once the fields themselves are well-formed
    const crossField = await h.api('POST', '/proposals', { level: 'sub_district', communityId: yanjingli, title: '街道级', fiscalYear: 2026 }, reviewer(sd));
    expect(crossField.status).toBe(400);
    expect(crossField.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.communityId', 'body.offeringId', 'body.subDistrictId']);
    const inconsistent = await h.api(
      'POST',
      '/proposals',
      {
        level: 'community',
        communityId: yanjingli,
        offeringId: silverAngel.offeringId,
        ...veteransClub({ itemLines: [{ lineKey: 'L1', activityKey: 'NOPE', itemKind: 'banner', description: '横幅', unitPriceFen: 10_000, quantity: 1 }] }),
      },
      secretary(yanjingli),
    );
    expect(inconsistent.status).toBe(400);
    expect(inconsistent.body.errors).toEqual([expect.objectContaining({ path: 'body.itemLines[0].activityKey' })]);
    expect(await count()).toBe(before);
  });

  it('when the chosen organization is blacklisted or unknown here, then 409 with the reason and nothing is written', async () => {
    const before = await count();
    const black = await h.api('POST', '/proposals', { level: 'community', communityId: yanjingli, offeringId: blacklisted.offeringId, ...veteransClub() }, secretary(yanjingli));
    expect(black.status).toBe(409);
    expect(black.body.detail).toContain('黑名单');
    const unknown = await h.api('POST', '/proposals', { level: 'community', communityId: yanjingli, offeringId: randomUUID(), ...veteransClub() }, secretary(yanjingli));
    expect(unknown.status).toBe(409);
    expect(unknown.body.code).toBe('OFFERING_UNKNOWN');
    expect((await h.api('POST', '/proposals', { level: 'community', communityId: randomUUID(), offeringId: silverAngel.offeringId, ...veteransClub() }, secretary(yanjingli))).status).toBe(404);
    expect(await count()).toBe(before);
  });

  it('when the chosen organization’s staff edit the plan and budget, then it is saved; touching the title or offering is 403', async () => {
    const p = await draft({ title: '老兵照片墙（组织编写预算）' });
    const staff = orgStaff(silverAngel.organizationId);
    const edited = await h.api('PATCH', `/proposals/${p.id}`, { itemLines: [{ lineKey: 'L1', activityKey: 'A1', itemKind: 'bus_hire', description: '大巴租车', unitPriceFen: 200_000, quantity: 1 }] }, staff);
    expect(edited.status).toBe(200);
    expect(edited.body.totals.grandTotalFen).toBe(200_000 + 800_000);
    expect(edited.body.openFlags).toEqual([]);
    expect(edited.body.updatedBy).toMatchObject({ userId: staff.userId, role: 'org_staff' });
    const title = await h.api('PATCH', `/proposals/${p.id}`, { title: '改名' }, staff);
    expect(title.status).toBe(403);
    expect(title.body.detail).toContain('只能修改活动计划与预算');
    expect((await h.api('PATCH', `/proposals/${p.id}`, { title: '改名' }, orgStaff(blacklisted.organizationId))).status).toBe(403);
    expect((await h.api('PATCH', `/proposals/${p.id}`, { title: '改名' }, secretary(other))).status).toBe(403);
    expect((await h.api('GET', `/proposals/${p.id}`)).body.title).toBe('老兵照片墙（组织编写预算）');
  });

  it('when people list and read proposals, then each sees only their scope: the own community, the chosen organization, the whole sub-district', async () => {
    const mine = await h.api('GET', '/proposals?limit=100', undefined, secretary(yanjingli));
    expect(mine.status).toBe(200);
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items.every((p: any) => p.communityId === yanjingli)).toBe(true);
    const theirs = await h.api('GET', '/proposals?limit=100', undefined, secretary(other));
    expect(theirs.body.items).toEqual([]);
    const org = await h.api('GET', '/proposals?limit=100', undefined, orgStaff(silverAngel.organizationId));
    expect(org.body.items.length).toBe(mine.body.items.length);
    const sdStaff = await h.api('GET', '/proposals?limit=100', undefined, committee(sd));
    expect(sdStaff.body.items.length).toBe(mine.body.items.length);
    expect((await h.api('GET', '/proposals?limit=100', undefined, reviewer(randomUUID()))).body.items).toEqual([]);
    expect((await h.api('GET', '/proposals', undefined, supervisor)).status).toBe(403);
    expect((await h.api('GET', `/proposals/${mine.body.items[0].id}`, undefined, secretary(other))).status).toBe(403);
    expect((await h.api('GET', `/proposals/${randomUUID()}`)).status).toBe(404);
  });

  it('when a proposal goes through review with a flag, a return and a revision, then every gate, version and the fund commitment are kept', async () => {
    const p = await draft();
    const submitted = await h.api('POST', `/proposals/${p.id}/submission`, { version: 1 }, secretary(yanjingli));
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ status: 'submitted', currentGate: 'pre_review', currentGateLabel: '预审会', reviewVersion: 1, frozen: true, submittedBy: { userId: 'secretary-1' } });
    expect((await h.api('PATCH', `/proposals/${p.id}`, { summary: '提交后修改' }, secretary(yanjingli))).status).toBe(409);
    expect((await h.api('POST', `/proposals/${p.id}/submission`, undefined, secretary(yanjingli))).status).toBe(409);

    // pre-review cannot pass while the 4,000 bus hire is flagged
    const blocked = await decide(p.id, { gate: 'pre_review', outcome: 'approve', version: 1 });
    expect(blocked.status).toBe(409);
    expect(blocked.body.detail).toContain('L1');
    expect(blocked.body.details).toEqual({ openFlags: ['L1'] });
    expect((await h.api('GET', `/proposals/${p.id}`)).body.decisions).toEqual([]);

    // only a reviewer may accept the flag, with a reason, on the version under review
    expect((await h.api('POST', `/proposals/${p.id}/budget-flags/L1/acceptance`, { version: 1, reason: '自辩' }, secretary(yanjingli))).status).toBe(403);
    expect((await h.api('POST', `/proposals/${p.id}/budget-flags/L2/acceptance`, { version: 1, reason: '无' }, reviewer(sd))).status).toBe(409);
    expect((await h.api('POST', `/proposals/${p.id}/budget-flags/L9/acceptance`, { version: 1, reason: '无' }, reviewer(sd))).status).toBe(404);
    expect((await h.api('POST', `/proposals/${p.id}/budget-flags/L1/acceptance`, { version: 1, reason: '' }, reviewer(sd))).status).toBe(400);
    const accepted = await h.api('POST', `/proposals/${p.id}/budget-flags/L1/acceptance`, { version: 1, reason: '军事博物馆往返两趟，含司机误餐' }, reviewer(sd));
    expect(accepted.status).toBe(200);
    expect(accepted.body.openFlags).toEqual([]);
    expect(accepted.body.itemLines[0].flag.accepted).toMatchObject({ reason: '军事博物馆往返两趟，含司机误餐', acceptedBy: { userId: 'reviewer-sun', role: 'subdistrict_reviewer' } });

    // the wrong people, gate and version are refused with the reason
    expect((await decide(p.id, { gate: 'pre_review', outcome: 'approve', version: 1 }, committee(sd))).status).toBe(403);
    expect((await decide(p.id, { gate: 'pre_review', outcome: 'approve', version: 1 }, reviewer(randomUUID()))).status).toBe(403);
    const pre = await decide(p.id, { gate: 'pre_review', outcome: 'approve', version: 1, minutesRef: '预审会纪要〔2026〕5号' });
    expect(pre.status).toBe(201);
    expect(pre.body.currentGate).toBe('joint_review');
    const wrongGate = await decide(p.id, { gate: 'committee', outcome: 'approve', version: 1 }, committee(sd));
    expect(wrongGate.status).toBe(409);
    expect(wrongGate.body.detail).toContain('联审会');
    const stale = await decide(p.id, { gate: 'joint_review', outcome: 'approve', version: 2 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('STALE_VERSION');
    const noReason = await decide(p.id, { gate: 'joint_review', outcome: 'return', version: 1 });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors.map((e: any) => e.path)).toEqual(['body.reasons']);

    // joint review returns it: a new working version opens, copied from the reviewed one
    const returned = await decide(p.id, { gate: 'joint_review', outcome: 'return', version: 1, reasons: '租车价格偏高，请按市场价重新询价；增加青少年参与' });
    expect(returned.status).toBe(201);
    expect(returned.body).toMatchObject({ status: 'returned', currentGate: null, version: 2, reviewVersion: null, frozen: false });
    expect(returned.body.decisions.map((d: any) => [d.gateLabel, d.outcomeLabel, d.version])).toEqual([
      ['预审会', '通过', 1],
      ['联审会', '打回修改', 1],
    ]);
    expect(returned.body.decisions[0]).toMatchObject({ minutesRef: '预审会纪要〔2026〕5号', decidedBy: { userId: 'reviewer-sun' } });
    // The decisions alone (what the lifecycle checks), for those who may read the proposal only.
    const recorded = await h.api('GET', `/proposals/${p.id}/decisions`, undefined, secretary(yanjingli));
    expect(recorded.status).toBe(200);
    expect(recorded.body.items).toEqual(returned.body.decisions);
    expect((await h.api('GET', `/proposals/${p.id}/decisions`, undefined, secretary(other))).status).toBe(403);

    // the community revises: cheaper bus, no pens, one more activity
    const base = veteransClub();
    const revised = await h.api(
      'PATCH',
      `/proposals/${p.id}`,
      {
        activities: [...base.activities, { activityKey: 'A3', title: '老兵讲党课', startsOn: '2026-10-10', endsOn: '2026-10-10', venue: '延静里社区活动室', targetHeadcount: 40, targetGroup: 'youth' }],
        itemLines: [
          { ...base.itemLines[0], unitPriceFen: 220_000 },
          base.itemLines[2],
          { lineKey: 'L4', activityKey: 'A3', itemKind: 'banner', description: '横幅', unit: '条', unitPriceFen: 15_000, quantity: 1 },
        ],
      },
      secretary(yanjingli),
    );
    expect(revised.status).toBe(200);
    expect(revised.body.version).toBe(2);
    expect(revised.body.openFlags).toEqual([]);
    const v1 = await h.api('GET', `/proposals/${p.id}/versions/1`);
    expect(v1.body).toMatchObject({ version: 1, frozen: true });
    expect(v1.body.itemLines[0].unitPriceFen).toBe(400_000);

    const diff = await h.api('GET', `/proposals/${p.id}/diff?from=1&to=2`);
    expect(diff.status).toBe(200);
    expect(diff.body.activities.added.map((a: any) => a.activityKey)).toEqual(['A3']);
    expect(diff.body.itemLines.added.map((l: any) => l.lineKey)).toEqual(['L4']);
    expect(diff.body.itemLines.removed.map((l: any) => l.lineKey)).toEqual(['L2']);
    expect(diff.body.itemLines.changed).toEqual([expect.objectContaining({ key: 'L1', deltaFen: -180_000 })]);
    expect(diff.body.itemLines.changed[0].before.unitPriceFen).toBe(400_000);
    expect(diff.body.itemLines.changed[0].after.unitPriceFen).toBe(220_000);
    expect(diff.body.totals.deltaFen).toEqual({ item: -180_000 - 20_000 + 15_000, staff: 0, grand: -185_000 });
    expect((await h.api('GET', `/proposals/${p.id}/diff?from=1&to=7`)).status).toBe(404);

    // resubmitted, it re-enters at pre-review and goes through to the committee
    const again = await h.api('POST', `/proposals/${p.id}/submission`, {}, secretary(yanjingli));
    expect(again.body).toMatchObject({ status: 'submitted', currentGate: 'pre_review', reviewVersion: 2 });
    expect((await decide(p.id, { gate: 'pre_review', outcome: 'approve', version: 1 })).status).toBe(409);
    expect((await decide(p.id, { gate: 'pre_review', outcome: 'approve', version: 2 })).status).toBe(201);
    expect((await decide(p.id, { gate: 'joint_review', outcome: 'approve', version: 2 })).status).toBe(201);
    const approved = await decide(p.id, { gate: 'committee', outcome: 'approve', version: 2, minutesRef: '工委会〔2026〕12号' }, committee(sd));
    expect(approved.status).toBe(201);
    expect(approved.body).toMatchObject({ status: 'approved', statusLabel: '已立项', currentGate: null, commitmentFen: 1_335_000 });
    expect(approved.body.approvedAt).toBeTruthy();
    expect(approved.body.fund).toMatchObject({ allocatedFen: 3_000_000, committedFen: 1_335_000, spentFen: 0, remainingFen: 1_665_000, fits: true });

    const versions = await h.api('GET', `/proposals/${p.id}/versions`);
    expect(versions.body.items.map((v: any) => [v.version, v.frozen, v.grandTotalFen])).toEqual([
      [1, true, 1_520_000],
      [2, true, 1_335_000],
    ]);
    const events = (await h.outbox()).filter((e) => e.payload.subject === p.id).map((e) => e.type);
    expect(events).toEqual([
      'communities.proposal.drafted',
      'communities.proposal.submitted',
      'communities.budget-flag.accepted',
      'communities.proposal.decision-recorded',
      'communities.proposal.decision-recorded',
      'communities.proposal.submitted',
      'communities.proposal.decision-recorded',
      'communities.proposal.decision-recorded',
      'communities.proposal.decision-recorded',
      'communities.proposal.approved',
    ]);
    const approvedEvent = (await h.outbox()).find((e) => e.type === 'communities.proposal.approved' && e.payload.subject === p.id)!;
    expect(approvedEvent.payload.data).toMatchObject({ projectId: p.id, version: 2, budgetTotalFen: 1_335_000, fiscalYear: FISCAL_YEAR, offeringId: silverAngel.offeringId });
    expect(approvedEvent.payload.data.plannedActivities.map((a: any) => a.activityKey)).toEqual(['A1', 'A2', 'A3']);
    expect(approvedEvent.payload.data.budgetLines).toEqual(
      expect.arrayContaining([
        { lineId: 'L1', activityKey: 'A1', kind: 'item', description: '大巴租车（参观军事博物馆）', amountFen: 220_000 },
        { lineId: 'S1', activityKey: null, kind: 'staff', description: '项目主管 周晓燕（100 小时）', amountFen: 800_000 },
      ]),
    );
  });

  it('when the committee approves beyond what remains of the fund, then 409 with the figures and nothing is written', async () => {
    const big = veteransClub({ title: '延静里社区老兵俱乐部（扩大版）', staffLines: [{ lineKey: 'S1', person: '周晓燕', role: '项目主管', hours: 1000, hourlyRateFen: 8_000, activityKey: null }] });
    const p = await draft({ ...big, itemLines: big.itemLines.map((l: any) => (l.lineKey === 'L1' ? { ...l, unitPriceFen: 200_000 } : l)) });
    await h.api('POST', `/proposals/${p.id}/submission`, {}, secretary(yanjingli));
    await decide(p.id, { gate: 'pre_review', outcome: 'approve', version: 1 });
    await decide(p.id, { gate: 'joint_review', outcome: 'approve', version: 1 });
    const fundBefore = (await h.api('GET', `/funds?communityId=${yanjingli}`)).body.items[0];
    const outboxBefore = (await h.outbox()).length;
    const refused = await decide(p.id, { gate: 'committee', outcome: 'approve', version: 1 }, committee(sd));
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('FUND_EXCEEDED');
    expect(refused.body.details).toEqual({ fiscalYear: FISCAL_YEAR, amountFen: 8_520_000, allocatedFen: 3_000_000, committedFen: 1_335_000, spentFen: 0, remainingFen: 1_665_000 });
    expect(refused.body.detail).toContain('经费不足');
    const after = await h.api('GET', `/proposals/${p.id}`);
    expect(after.body).toMatchObject({ status: 'submitted', currentGate: 'committee', commitmentFen: null });
    expect(after.body.decisions).toHaveLength(2);
    expect((await h.api('GET', `/funds?communityId=${yanjingli}`)).body.items[0]).toEqual(fundBefore);
    expect((await h.outbox()).length).toBe(outboxBefore);
    // the committee can still send it back
    expect((await decide(p.id, { gate: 'committee', outcome: 'reject', version: 1, reasons: '超出年度经费' }, committee(sd))).body.status).toBe('rejected');
    expect((await decide(p.id, { gate: 'committee', outcome: 'approve', version: 1 }, committee(sd))).status).toBe(409);
    expect((await h.api('PATCH', `/proposals/${p.id}`, { summary: '否决后修改' }, secretary(yanjingli))).status).toBe(409);
  });

  it('when the same decisionId is delivered twice, then it is recorded once (200 the second time); reused for another decision, 409', async () => {
    const p = await draft({ title: '老兵俱乐部（幂等）', itemLines: [{ lineKey: 'L3', activityKey: 'A2', itemKind: 'display_board', description: '展板', unitPriceFen: 30_000, quantity: 2 }] });
    await h.api('POST', `/proposals/${p.id}/submission`, {}, secretary(yanjingli));
    const decisionId = `project-${p.id}/pre_review/1`;
    const first = await decide(p.id, { decisionId, gate: 'pre_review', outcome: 'approve', version: 1 });
    expect(first.status).toBe(201);
    const second = await decide(p.id, { decisionId, gate: 'pre_review', outcome: 'approve', version: 1 });
    expect(second.status).toBe(200);
    expect(second.body.decisions).toHaveLength(1);
    expect(second.body.decisions[0].id).toBe(decisionId);
    expect(second.body.currentGate).toBe('joint_review');
    expect((await decide(p.id, { decisionId, gate: 'joint_review', outcome: 'approve', version: 1 })).status).toBe(409);
  });

  it('when the organization is blacklisted after drafting, then submission is refused with 409 and the draft stays a draft', async () => {
    const org = await h.seedOrganization('东城区青少年成长服务中心', { title: '四点半课堂', category: 'children', targetGroups: ['children'] });
    const p = await h.api('POST', '/proposals', { level: 'community', communityId: yanjingli, offeringId: org.offeringId, ...veteransClub({ title: '四点半课堂' }) }, secretary(yanjingli));
    expect(p.status).toBe(201);
    await h.blacklist(org.organizationId);
    const refused = await h.api('POST', `/proposals/${p.body.id}/submission`, {}, secretary(yanjingli));
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('ORGANIZATION_BLACKLISTED');
    expect((await h.api('GET', `/proposals/${p.body.id}`)).body).toMatchObject({ status: 'draft', organizationCreditStatus: 'blacklisted' });
  });

  it('when a sub-district-level proposal is drafted by a reviewer, then community secretaries cannot see it and approval draws on the sub-district’s own fund line', async () => {
    expect((await h.api('PUT', `/sub-districts/${sd}/funds/${FISCAL_YEAR}`, { allocatedFen: 5_000_000 }, finance(sd))).status).toBe(200);
    const body = { level: 'sub_district', subDistrictId: sd, organizationId: silverAngel.organizationId, ...veteransClub({ title: '八里庄街道老兵关爱行动' }) };
    expect((await h.api('POST', '/proposals', body, secretary(yanjingli))).status).toBe(403);
    expect((await h.api('POST', '/proposals', { ...body, communityId: yanjingli }, reviewer(sd))).status).toBe(400);
    const created = await h.api('POST', '/proposals', body, reviewer(sd));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ level: 'sub_district', levelLabel: '街道级', communityId: null, offeringId: null, fund: { allocatedFen: 5_000_000 } });
    const id = created.body.id;
    expect((await h.api('GET', `/proposals/${id}`, undefined, secretary(yanjingli))).status).toBe(403);
    expect((await h.api('GET', '/proposals?level=sub_district', undefined, secretary(yanjingli))).body.items).toEqual([]);
    expect((await h.api('POST', `/proposals/${id}/submission`, {}, secretary(yanjingli))).status).toBe(403);
    expect((await h.api('POST', `/proposals/${id}/submission`, {}, reviewer(sd))).status).toBe(200);
    await h.api('POST', `/proposals/${id}/budget-flags/L1/acceptance`, { version: 1, reason: '全街道162名老兵，两辆车' }, reviewer(sd));
    await decide(id, { gate: 'pre_review', outcome: 'approve', version: 1 });
    await decide(id, { gate: 'joint_review', outcome: 'approve', version: 1 });
    const approved = await decide(id, { gate: 'committee', outcome: 'approve', version: 1 }, committee(sd));
    expect(approved.status).toBe(201);
    const line = await h.api('GET', `/funds?subDistrictId=${sd}&holder=sub_district`, undefined, finance(sd));
    expect(line.body.items).toEqual([expect.objectContaining({ communityId: null, allocatedFen: 5_000_000, committedFen: 1_520_000, remainingFen: 3_480_000 })]);
  });

  it('when lists are filtered by status, level, fiscal year and organization, then only matching proposals come back, page by page', async () => {
    const approved = await h.api('GET', '/proposals?status=approved&limit=100', undefined, committee(sd));
    expect(approved.body.items.length).toBe(2);
    expect(approved.body.items.every((p: any) => p.status === 'approved')).toBe(true);
    const sdLevel = await h.api('GET', '/proposals?level=sub_district', undefined, committee(sd));
    expect(sdLevel.body.items.map((p: any) => p.title)).toEqual(['八里庄街道老兵关爱行动']);
    expect((await h.api('GET', '/proposals?fiscalYear=2025')).body.items).toEqual([]);
    const byOrg = await h.api('GET', `/proposals?organizationId=${silverAngel.organizationId}&limit=100`);
    const all = await h.api('GET', '/proposals?limit=100');
    expect(byOrg.body.items.length).toBe(all.body.items.filter((p: any) => p.organizationId === silverAngel.organizationId).length);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await h.api('GET', `/proposals?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.items.map((p) => p.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((p: any) => p.id));
    expect((await h.api('GET', '/proposals?cursor=nonsense')).status).toBe(400);
    expect((await h.api('GET', '/proposals?status=flying')).status).toBe(400);
  });
});
