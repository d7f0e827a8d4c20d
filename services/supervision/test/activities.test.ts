import { randomUUID } from 'node:crypto';
import type { ContractFixture, Harness } from './harness';
import { jpeg, orgStaffOf, phones, png, reviewerOf, secretaryOf, startSupervision, supervisorOf } from './harness';

/**
 * Through real HTTP with real tokens: assignment, activity reports, sign-in sheets with their call-back
 * sample, call outcomes and verification, photos and invoices with their checks, and the lists.
 */
describe('supervision of activities over HTTP', () => {
  let h: Harness;
  let c: ContractFixture;
  let agencyA: string;
  let agencyB: string;
  let supervisorA: ReturnType<typeof supervisorOf>;
  let supervisorB: ReturnType<typeof supervisorOf>;
  let org: ReturnType<typeof orgStaffOf>;
  const activityIds: Record<string, string> = {};

  const count = async (table: string) => Number(((await h.service.prisma.$queryRawUnsafe(`select count(*)::int as n from ${table}`)) as { n: number }[])[0]!.n);

  beforeAll(async () => {
    h = await startSupervision('activities');
    c = await h.seedContract();
    const a = await h.api('POST', '/agencies', { name: '朝阳区社会工作评估中心', contactName: '王老师', contactPhone: '010-65001234' });
    const b = await h.api('POST', '/agencies', { name: '东城区社会组织服务评估所', contactName: '李老师', contactPhone: '010-64001234' });
    agencyA = a.body.id;
    agencyB = b.body.id;
    supervisorA = supervisorOf(agencyA);
    supervisorB = supervisorOf(agencyB, 'u-other-supervisor');
    org = orgStaffOf(c.organizationId);
  });
  afterAll(async () => {
    await h?.stop();
  });

  describe('assignment (委托)', () => {
    it('when a reviewer of another sub-district assigns, then 403 with the reason and nothing is assigned', async () => {
      const res = await h.api('POST', `/contracts/${c.contractId}/assignment`, { agencyId: agencyA }, reviewerOf(randomUUID()));
      expect(res.status).toBe(403);
      expect(res.body.detail).toContain('不在您的管辖范围内');
      expect((await h.api('GET', `/contracts/${c.contractId}`)).body.agencyId).toBeNull();
    });

    it("when the contract's sub-district reviewer assigns an agency, then the contract shows it with who and when", async () => {
      const res = await h.api('POST', `/contracts/${c.contractId}/assignment`, { agencyId: agencyA }, reviewerOf(c.subDistrictId));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ contractId: c.contractId, agencyId: agencyA, agencyName: '朝阳区社会工作评估中心', previousAgencyId: null });
      expect(res.body.assignedBy).toMatchObject({ userId: 'u-reviewer', role: 'subdistrict_reviewer' });
      const contract = await h.api('GET', `/contracts/${c.contractId}`, undefined, supervisorA);
      expect(contract.status).toBe(200);
      expect(contract.body.assignments).toEqual([expect.objectContaining({ agencyId: agencyA, endedAt: null })]);
    });

    it('when the same agency is assigned again, then 409; an unknown agency or contract, then 404; a bad id, then 400', async () => {
      expect((await h.api('POST', `/contracts/${c.contractId}/assignment`, { agencyId: agencyA })).status).toBe(409);
      expect((await h.api('POST', `/contracts/${c.contractId}/assignment`, { agencyId: randomUUID() })).status).toBe(404);
      expect((await h.api('POST', `/contracts/${randomUUID()}/assignment`, { agencyId: agencyA })).status).toBe(404);
      const bad = await h.api('POST', `/contracts/not-a-uuid/assignment`, { agencyId: 'x' });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.agencyId', 'params.id']);
    });

    it('when a sub-district reviewer registers an agency, then 403 (agencies are platform-wide, registered by an admin)', async () => {
      const res = await h.api('POST', '/agencies', { name: '越权评估所', contactName: '赵', contactPhone: '010-1' }, reviewerOf(c.subDistrictId));
      expect(res.status).toBe(403);
      expect((await h.api('POST', '/agencies', { name: '朝阳区社会工作评估中心', contactName: '王', contactPhone: '010-65001234' })).status).toBe(409);
      expect((await h.api('GET', '/agencies')).body.items.map((a: { name: string }) => a.name)).toEqual(['朝阳区社会工作评估中心', '东城区社会组织服务评估所']);
    });

    it('when a supervisor of an unassigned agency reads the contract, then 403', async () => {
      expect((await h.api('GET', `/contracts/${c.contractId}`, undefined, supervisorB)).status).toBe(403);
    });
  });

  describe('reporting a held activity (上报活动)', () => {
    it('when there is no token, then 401; a community secretary, then 403; another organization, then 403', async () => {
      const body = { activityKey: 'A1', heldOn: '2026-03-10', venue: '延静里社区活动室', headcount: 18, description: '座谈' };
      expect((await h.api('POST', `/contracts/${c.contractId}/activities`, body, null)).status).toBe(401);
      const secretary = await h.api('POST', `/contracts/${c.contractId}/activities`, body, secretaryOf(c.communityId));
      expect(secretary.status).toBe(403);
      expect(secretary.body.detail).toContain('社区书记无权「上报活动」');
      expect((await h.api('POST', `/contracts/${c.contractId}/activities`, body, orgStaffOf(randomUUID()))).status).toBe(403);
      expect((await h.api('POST', `/contracts/${c.contractId}/activities`, body, supervisorB)).status).toBe(403);
      expect(await count('activities')).toBe(0);
    });

    it('when the key is not planned and the date is in the future, then 400 names both fields and nothing is written', async () => {
      const res = await h.api('POST', `/contracts/${c.contractId}/activities`, { activityKey: 'ZZ', heldOn: '2026-07-01', venue: 'x', headcount: 5 }, org);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.activityKey', 'body.heldOn']);
      const invalid = await h.api('POST', `/contracts/${c.contractId}/activities`, { activityKey: '', heldOn: 'March', venue: '', headcount: -1 }, org);
      expect(invalid.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.activityKey', 'body.headcount', 'body.heldOn', 'body.venue']);
      expect(await count('activities')).toBe(0);
    });

    it('when the organization reports A1 below 80% of its target, then it is held, flagged, with who reported it', async () => {
      const res = await h.api(
        'POST',
        `/contracts/${c.contractId}/activities`,
        { activityKey: 'A1', heldOn: '2026-03-10', venue: '延静里社区活动室', headcount: 15, description: '老兵座谈，联系人 13700001111' },
        org,
      );
      expect(res.status).toBe(201);
      activityIds.A1 = res.body.id;
      expect(res.body).toMatchObject({ status: 'held', statusLabel: '已开展（待签到单）', headcount: 15, planned: { title: '老兵座谈会', targetHeadcount: 20 } });
      expect(res.body.createdBy).toEqual({ userId: 'u-org', role: 'org_staff', scope: `organization:${c.organizationId}` });
      expect(res.body.description).toBe('老兵座谈，联系人 137****1111');
      const codes = res.body.flags.map((f: { code: string }) => f.code);
      expect(codes).toEqual(expect.arrayContaining(['headcount_below_plan', 'missing_photos']));
      expect(res.body.flags.find((f: { code: string }) => f.code === 'headcount_below_plan').message).toContain('低于计划 20 人的 80%');
    });

    it('when the same planned activity is reported twice, then 409 with the reason and still one activity', async () => {
      const res = await h.api('POST', `/contracts/${c.contractId}/activities`, { activityKey: 'A1', heldOn: '2026-03-11', venue: 'x', headcount: 20 }, supervisorA);
      expect(res.status).toBe(409);
      expect(res.body.detail).toContain('已上报');
      expect(await count('activities')).toBe(1);
    });

    it('when the assigned supervisor reports an activity, then it is accepted too', async () => {
      const a2 = await h.api('POST', `/contracts/${c.contractId}/activities`, { activityKey: 'A2', heldOn: '2026-04-12', venue: '活动室', headcount: 40 }, supervisorA);
      expect(a2.status).toBe(201);
      activityIds.A2 = a2.body.id;
      const a3 = await h.api('POST', `/contracts/${c.contractId}/activities`, { activityKey: 'A3', heldOn: '2026-06-01', venue: '礼堂', headcount: 2 }, org);
      activityIds.A3 = a3.body.id;
      expect(a3.status).toBe(201);
    });
  });

  describe('sign-in sheets (签到单) and the call-back sample', () => {
    it('when numbers are invalid or repeated, then 400 names each row and nothing is written', async () => {
      const res = await h.api(
        'POST',
        `/activities/${activityIds.A1}/sign-in-sheet`,
        {
          participants: [
            { name: '张建国', phone: '13900000001' },
            { name: '李卫东', phone: '12345' },
            { name: '王秀英', phone: '139-0000-0001' },
          ],
        },
        org,
      );
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.participants[1].phone']);
      const dup = await h.api(
        'POST',
        `/activities/${activityIds.A1}/sign-in-sheet`,
        { participants: [{ name: '张建国', phone: '13900000001' }, { name: '王秀英', phone: '+86 139-0000-0001' }] },
        org,
      );
      expect(dup.status).toBe(400);
      expect(dup.body.errors).toEqual([expect.objectContaining({ path: 'body.participants[1].phone', message: expect.stringContaining('与第 1 行手机号重复') })]);
      expect(await count('participants')).toBe(0);
      expect(await count('call_tasks')).toBe(0);
    });

    it('when 25 people signed in, then the numbers are masked, 3 (the minimum) are drawn, and the activity is signed in', async () => {
      const list = phones(25).map((phone, i) => ({ name: `参与人${i + 1}`, phone }));
      const res = await h.api('POST', `/activities/${activityIds.A1}/sign-in-sheet`, { participants: list }, org);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ count: 25, sampledCount: 3 });
      expect(res.body.participants[0]).toMatchObject({ position: 1, name: '参与人1', phoneMasked: `${list[0]!.phone.slice(0, 3)}****${list[0]!.phone.slice(7)}` });
      expect(JSON.stringify(res.body)).not.toContain(list[0]!.phone);
      const activity = await h.api('GET', `/activities/${activityIds.A1}`);
      expect(activity.body).toMatchObject({ status: 'signed_in', signIn: { count: 25 }, callbacks: { sampled: 3, pending: 3 } });
      // More signed in (25) than were reported (15): the sheet meets the plan, the report does not.
      const codes = activity.body.flags.map((f: { code: string }) => f.code);
      expect(codes).toContain('headcount_below_plan');
      expect(codes).not.toContain('sign_in_below_plan');
    });

    it('when the sheet is recorded again, then 409 and the first sheet stands', async () => {
      const res = await h.api('POST', `/activities/${activityIds.A1}/sign-in-sheet`, { participants: [{ name: '甲', phone: '13800000000' }] }, org);
      expect(res.status).toBe(409);
      expect(await count('participants')).toBe(25);
    });

    it('when 40 sign in, then 10% (4) are drawn; when only 2 sign in, then both are called', async () => {
      const forty = await h.api(
        'POST',
        `/activities/${activityIds.A2}/sign-in-sheet`,
        { participants: phones(40, 100).map((phone, i) => ({ name: `观众${i}`, phone })) },
        supervisorA,
      );
      expect(forty.body.sampledCount).toBe(4);
      const two = await h.api('POST', `/activities/${activityIds.A3}/sign-in-sheet`, { participants: phones(2, 500).map((phone, i) => ({ name: `老人${i}`, phone })) }, org);
      expect(two.body.sampledCount).toBe(2);
      expect(await count('call_tasks')).toBe(3 + 4 + 2);
    });
  });

  describe('call-backs (电话回访)', () => {
    it('when the organization asks for the call list, then 403; another agency sees nothing; the assigned supervisor sees the pending queue', async () => {
      expect((await h.api('GET', '/call-tasks', undefined, org)).status).toBe(403);
      expect((await h.api('GET', '/call-tasks?status=pending', undefined, supervisorB)).body.items).toEqual([]);
      const queue = await h.api('GET', `/call-tasks?status=pending&activityId=${activityIds.A1}`, undefined, supervisorA);
      expect(queue.status).toBe(200);
      expect(queue.body.items).toHaveLength(3);
      for (const task of queue.body.items) expect(task.participant.phoneMasked).toMatch(/^139\*{4}\d{4}$/);
    });

    it('when outcomes show one without gift and one absent, then the discrepancy (2/3) blocks verification after the last call', async () => {
      const tasks = (await h.api('GET', `/call-tasks?activityId=${activityIds.A1}`, undefined, supervisorA)).body.items;
      const outcomes = ['attended_received_gift', 'attended_no_gift', 'did_not_attend'];
      for (const [i, task] of tasks.entries()) {
        const res = await h.api('POST', `/call-tasks/${task.id}/outcome`, { outcome: outcomes[i], note: '已回访' }, supervisorA);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ status: 'done', outcome: outcomes[i], calledBy: { userId: 'u-supervisor', role: 'supervisor' } });
      }
      const again = await h.api('POST', `/call-tasks/${tasks[0].id}/outcome`, { outcome: 'unreachable' }, supervisorA);
      expect(again.status).toBe(409);
      expect(again.body.detail).toContain('参加并领取礼品');

      const activity = (await h.api('GET', `/activities/${activityIds.A1}`)).body;
      expect(activity.status).toBe('called_back');
      expect(activity.callbacks).toMatchObject({ done: 3, pending: 0, reached: 3, discrepancyRate: 0.6667 });
      const flag = activity.flags.find((f: { code: string }) => f.code === 'callback_discrepancy');
      expect(flag).toMatchObject({ level: 'blocking', figures: { attendedNoGift: 1, didNotAttend: 1, reached: 3 } });
    });

    it('when the organization or another agency records an outcome, then 403', async () => {
      const task = (await h.api('GET', `/call-tasks?activityId=${activityIds.A2}`, undefined, supervisorA)).body.items[0];
      expect((await h.api('POST', `/call-tasks/${task.id}/outcome`, { outcome: 'attended_received_gift' }, org)).status).toBe(403);
      expect((await h.api('POST', `/call-tasks/${task.id}/outcome`, { outcome: 'attended_received_gift' }, supervisorB)).status).toBe(403);
      expect((await h.api('POST', `/call-tasks/${task.id}/outcome`, { outcome: 'maybe' }, supervisorA)).status).toBe(400);
      expect((await h.api('GET', `/call-tasks/${task.id}`, undefined, supervisorA)).body.status).toBe('pending');
    });

    it('when a blocked activity is verified by hand, then the note and the supervisor are recorded; the organization may not', async () => {
      expect((await h.api('POST', `/activities/${activityIds.A1}/verification`, { note: '已核实' }, org)).status).toBe(403);
      const res = await h.api('POST', `/activities/${activityIds.A1}/verification`, { note: '两位老人因病提前离场，已电话核实' }, supervisorA);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'verified', verification: { mode: 'manual', note: '两位老人因病提前离场，已电话核实', by: { userId: 'u-supervisor' } } });
      expect((await h.api('POST', `/activities/${activityIds.A1}/verification`, { note: '再次核验' }, supervisorA)).status).toBe(409);
    });

    it('when call-backs are not complete, then manual verification is refused with 409', async () => {
      const res = await h.api('POST', `/activities/${activityIds.A2}/verification`, { note: '提前核验' }, supervisorA);
      expect(res.status).toBe(409);
      expect(res.body.detail).toContain('回访尚未全部完成');
    });

    it('when every call confirms attendance but no photo exists, then it waits; the photo upload verifies it automatically', async () => {
      const tasks = (await h.api('GET', `/call-tasks?activityId=${activityIds.A2}`, undefined, supervisorA)).body.items;
      for (const task of tasks) await h.api('POST', `/call-tasks/${task.id}/outcome`, { outcome: 'attended_received_gift' }, supervisorA);
      const waiting = (await h.api('GET', `/activities/${activityIds.A2}`)).body;
      expect(waiting.status).toBe('called_back');
      expect(waiting.flags.filter((f: { level: string }) => f.level === 'blocking').map((f: { code: string }) => f.code)).toEqual(['missing_photos']);
      const photo = await h.api('POST', `/activities/${activityIds.A2}/photos`, { fileName: '观影.jpg', contentType: 'image/jpeg', dataBase64: jpeg(2), capturedAt: '2026-04-12T02:00:00Z' }, org);
      expect(photo.status).toBe(201);
      const activity = (await h.api('GET', `/activities/${activityIds.A2}`)).body;
      expect(activity.status).toBe('verified');
      expect(activity.verification).toMatchObject({ mode: 'auto', by: { userId: 'system:supervision-checks' } });
      expect(activity.callbacks.discrepancyRate).toBe(0);
    });

    it('when calls are done but a blocking check remains (2 of 50 came), then a photo does not verify it', async () => {
      await h.api('POST', `/activities/${activityIds.A3}/photos`, { fileName: 'a.png', contentType: 'image/png', dataBase64: png(3), capturedAt: '2026-06-01T02:00:00Z' }, org);
      const tasks = (await h.api('GET', `/call-tasks?activityId=${activityIds.A3}`, undefined, supervisorA)).body.items;
      for (const task of tasks) await h.api('POST', `/call-tasks/${task.id}/outcome`, { outcome: 'attended_received_gift' }, supervisorA);
      const after = (await h.api('GET', `/activities/${activityIds.A3}`)).body;
      expect(after.status).toBe('called_back');
      const blocking = after.flags.filter((f: { level: string }) => f.level === 'blocking').map((f: { code: string }) => f.code);
      expect(blocking).toEqual(['headcount_below_plan', 'sign_in_below_plan']);
    });
  });

  describe('photos (照片)', () => {
    it('when the bytes are not the declared type, then 400; the same photo twice, then 409; counts stay right', async () => {
      const wrong = await h.api('POST', `/activities/${activityIds.A1}/photos`, { fileName: 'x.jpg', contentType: 'image/jpeg', dataBase64: png(9), capturedAt: '2026-03-10T02:00:00Z' }, org);
      expect(wrong.status).toBe(400);
      expect(wrong.body.errors[0].path).toBe('body.dataBase64');
      const first = await h.api('POST', `/activities/${activityIds.A1}/photos`, { fileName: '座谈.jpg', contentType: 'image/jpeg', dataBase64: jpeg(1), capturedAt: '2026-03-10T02:00:00Z' }, org);
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), capturedAt: '2026-03-10T02:00:00.000Z', createdBy: { userId: 'u-org' } });
      const dup = await h.api('POST', `/activities/${activityIds.A1}/photos`, { fileName: '座谈-副本.jpg', contentType: 'image/jpeg', dataBase64: jpeg(1), capturedAt: '2026-03-10T03:00:00Z' }, org);
      expect(dup.status).toBe(409);
      expect(dup.body.detail).toContain('座谈.jpg');
      const list = await h.api('GET', `/activities/${activityIds.A1}/photos`, undefined, secretaryOf(c.communityId));
      expect(list.body.items).toHaveLength(1);
      const content = await h.api('GET', `/photos/${first.body.id}/content`, undefined, supervisorA);
      expect(content.body).toMatchObject({ contentType: 'image/jpeg', dataBase64: jpeg(1) });
    });

    it('when a photo is larger than 5 MB, then it is refused (400) and nothing is stored', async () => {
      const big = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(5 * 1024 * 1024 + 10)]).toString('base64');
      const res = await h.api('POST', `/activities/${activityIds.A1}/photos`, { fileName: 'big.jpg', contentType: 'image/jpeg', dataBase64: big, capturedAt: '2026-03-10T02:00:00Z' }, org);
      // The body and the service's own log of the request are in the comparison, so that an unexpected
      // answer shows its problem document and the error behind it.
      const logged = res.status === 400 ? undefined : h.logLines.filter((line) => line.includes(String(res.body?.requestId))).map((line) => line.slice(0, 4000));
      expect({ status: res.status, detail: res.status === 400 ? undefined : res.body, logged }).toEqual({ status: 400, detail: undefined, logged: undefined });
      expect(await count('photos')).toBe(3);
    });
  });

  describe('invoices (发票)', () => {
    const invoice = (over: Record<string, unknown> = {}) => ({ number: '11010012345678', issuer: '北京某茶歇服务公司', amountFen: 90_000, issuedOn: '2026-03-10', lineId: 'L1', ...over });

    it('when a line is overspent, then the invoice and the contract show it with the figures', async () => {
      const first = await h.api('POST', `/activities/${activityIds.A1}/invoices`, invoice(), org);
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ amountFen: 90_000, lineDescription: '座谈会茶歇', flags: [] });
      const second = await h.api('POST', `/activities/${activityIds.A1}/invoices`, invoice({ number: '11010012345679', amountFen: 20_000 }), org);
      expect(second.status).toBe(201);
      expect(second.body.flags).toEqual([
        expect.objectContaining({ code: 'budget_line_overspent', figures: { lineId: 'L1', budgetFen: 100_000, invoicedFen: 110_000, overspentFen: 10_000 } }),
      ]);
      const contract = (await h.api('GET', `/contracts/${c.contractId}`)).body;
      expect(contract.budgetLines.find((l: { lineId: string }) => l.lineId === 'L1')).toMatchObject({ invoicedFen: 110_000, overspentFen: 10_000 });
      expect(contract.flags.find((f: { code: string }) => f.code === 'budget_line_overspent').message).toContain('超支 ¥100.00');
    });

    it('when the same invoice number is claimed again (any spelling, any contract), then 409 and nothing is written', async () => {
      const before = await count('invoices');
      const again = await h.api('POST', `/activities/${activityIds.A1}/invoices`, invoice({ number: '1101-0012 345678', amountFen: 1_000 }), org);
      expect(again.status).toBe(409);
      expect(again.body.detail).toContain('本合同');
      const other = await h.seedContract({ organizationId: c.organizationId });
      const elsewhere = await h.api('POST', `/contracts/${other.contractId}/invoices`, invoice({ lineId: 'S1' }), org);
      expect(elsewhere.status).toBe(409);
      expect(elsewhere.body.detail).toContain('其他合同');
      expect(await count('invoices')).toBe(before);
    });

    it('when an invoice is dated outside the contract period, then it is flagged; unknown or foreign lines are 400', async () => {
      const late = await h.api('POST', `/contracts/${c.contractId}/invoices`, invoice({ number: 'S2027001', lineId: 'S1', issuedOn: '2027-01-05', amountFen: 50_000 }), org);
      expect(late.status).toBe(201);
      expect(late.body).toMatchObject({ activityId: null, flags: [expect.objectContaining({ code: 'invoice_outside_period' })] });
      const unknown = await h.api('POST', `/activities/${activityIds.A1}/invoices`, invoice({ number: 'X0001', lineId: 'L9' }), org);
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors[0].path).toBe('body.lineId');
      const foreign = await h.api('POST', `/activities/${activityIds.A1}/invoices`, invoice({ number: 'X0002', lineId: 'L3' }), org);
      expect(foreign.status).toBe(400);
      const list = await h.api('GET', `/contracts/${c.contractId}/invoices?limit=2`, undefined, reviewerOf(c.subDistrictId));
      expect(list.body.items).toHaveLength(2);
      expect(list.body.nextCursor).toEqual(expect.any(String));
    });
  });

  describe('views and lists', () => {
    it('when the contract is viewed, then planned vs held, totals and pooled call-backs add up', async () => {
      const view = (await h.api('GET', `/contracts/${c.contractId}`, undefined, org)).body;
      expect(view.activities.map((a: { activityKey: string; status: string }) => [a.activityKey, a.status])).toEqual([
        ['A1', 'verified'],
        ['A2', 'verified'],
        ['A3', 'called_back'],
      ]);
      expect(view.totals).toMatchObject({ plannedActivities: 3, heldActivities: 3, verifiedActivities: 2, targetHeadcount: 100, headcount: 57, signIns: 67 });
      // 3 + 4 + 2 calls; A1 had one without gift and one absent: 2 / 9.
      expect(view.callbacks).toMatchObject({ sampled: 9, done: 9, reached: 9, discrepancyRate: 0.2222 });
      expect(view.flags.map((f: { code: string }) => f.code)).toEqual(expect.arrayContaining(['callback_discrepancy', 'budget_line_overspent', 'invoice_outside_period']));
    });

    it('when listing activities by status and page by page, then the filter holds and the cursor neither skips nor repeats', async () => {
      const verified = await h.api('GET', `/activities?contractId=${c.contractId}&status=verified`, undefined, supervisorA);
      expect(verified.body.items.map((a: { activityKey: string }) => a.activityKey).sort()).toEqual(['A1', 'A2']);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await h.api('GET', `/activities?limit=1${cursor ? `&cursor=${cursor}` : ''}`, undefined, org);
        seen.push(...page.body.items.map((i) => i.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen.sort()).toEqual(Object.values(activityIds).sort());
      expect((await h.api('GET', '/activities', undefined, orgStaffOf(randomUUID()))).body.items).toEqual([]);
      expect((await h.api('GET', '/activities?cursor=garbage', undefined, org)).status).toBe(400);
    });

    it('when listing contracts, then each caller sees only their scope', async () => {
      const mine = await h.api('GET', '/contracts', undefined, supervisorA);
      expect(mine.body.items.map((x: { id: string }) => x.id)).toEqual([c.contractId]);
      expect((await h.api('GET', `/contracts?agencyId=${agencyA}`, undefined, supervisorB)).body.items).toEqual([]);
      expect((await h.api('GET', '/contracts', undefined, org)).body.items).toHaveLength(2);
      expect((await h.api('GET', '/contracts')).body.items).toHaveLength(2);
    });

    it('when an unknown activity, task or photo is asked for, then 404 problem+json', async () => {
      for (const path of [`/agencies/${randomUUID()}`, `/activities/${randomUUID()}`, `/call-tasks/${randomUUID()}`, `/photos/${randomUUID()}/content`, `/contracts/${randomUUID()}`]) {
        const res = await h.api('GET', path, undefined, supervisorA);
        expect(res.status).toBe(404);
        expect(res.contentType).toContain('application/problem+json');
      }
    });
  });
});
