import { randomUUID } from 'node:crypto';
import type { ContractFixture, Harness } from './harness';
import { jpeg, orgStaffOf, phones, reviewerOf, secretaryOf, startSupervision, supervisorOf } from './harness';

/** Findings and their rectification, weekly minutes, satisfaction surveys, and the two evaluations. */
describe('findings, minutes, surveys and evaluations over HTTP', () => {
  let h: Harness;
  let c: ContractFixture;
  let agency: string;
  let supervisor: ReturnType<typeof supervisorOf>;
  let org: ReturnType<typeof orgStaffOf>;

  const outboxTypes = async () =>
    ((await h.service.prisma.$queryRawUnsafe(`select type, payload from outbox_events order by seq`)) as { type: string; payload: { data: Record<string, unknown> } }[]);

  beforeAll(async () => {
    h = await startSupervision('findings');
    c = await h.seedContract();
    agency = (await h.api('POST', '/agencies', { name: '朝阳区社会工作评估中心', contactName: '王老师', contactPhone: '010-65001234' })).body.id;
    await h.api('POST', `/contracts/${c.contractId}/assignment`, { agencyId: agency }, reviewerOf(c.subDistrictId));
    supervisor = supervisorOf(agency);
    org = orgStaffOf(c.organizationId);
  });
  afterAll(async () => {
    await h?.stop();
  });

  describe('findings (问题) and rectification', () => {
    let severeId: string;

    it('when the organization tries to raise a finding, then 403; a deadline in the past, then 400; nothing is written', async () => {
      const body = { severity: 'severe', summary: '签到单代签', rectifyBy: '2026-06-30' };
      expect((await h.api('POST', `/contracts/${c.contractId}/findings`, body, org)).status).toBe(403);
      const past = await h.api('POST', `/contracts/${c.contractId}/findings`, { ...body, rectifyBy: '2026-06-01', activityId: randomUUID() }, supervisor);
      expect(past.status).toBe(400);
      expect(past.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.activityId', 'body.rectifyBy']);
      expect((await h.api('POST', `/contracts/${c.contractId}/findings`, { ...body, severity: 'catastrophic' }, supervisor)).status).toBe(400);
      expect((await h.api('GET', '/findings')).body.items).toEqual([]);
    });

    it('when the supervisor raises a severe finding, then it is open with a deadline and the pre-defined event is published', async () => {
      const res = await h.api(
        'POST',
        `/contracts/${c.contractId}/findings`,
        { severity: 'severe', summary: '签到单存在代签', details: '第二次活动签到笔迹一致', rectifyBy: '2026-06-30' },
        supervisor,
      );
      expect(res.status).toBe(201);
      severeId = res.body.id;
      expect(res.body).toMatchObject({ severity: 'severe', severityLabel: '严重', status: 'open', overdue: false, rectifyBy: '2026-06-30', createdBy: { userId: 'u-supervisor' } });
      const raised = (await outboxTypes()).find((e) => e.type === 'supervision.finding.raised')!;
      expect(raised.payload.data).toEqual({
        findingId: severeId,
        contractId: c.contractId,
        projectId: c.projectId,
        organizationId: c.organizationId,
        severity: 'severe',
        summary: '签到单存在代签',
        rectifyBy: '2026-06-30',
      });
    });

    it('when the supervisor closes before any rectification, then 409 with the reason', async () => {
      const res = await h.api('POST', `/findings/${severeId}/closure`, { note: '关闭' }, supervisor);
      expect(res.status).toBe(409);
      expect(res.body.detail).toContain('尚未提交整改');
    });

    it('when the deadline passes without rectification, then it is overdue and the overdue filter finds it', async () => {
      await h.api('POST', `/contracts/${c.contractId}/findings`, { severity: 'minor', summary: '照片不清晰', rectifyBy: '2026-08-01' }, supervisor);
      h.clock.now = new Date('2026-07-05T02:00:00Z');
      const overdue = await h.api('GET', '/findings?overdue=true', undefined, org);
      expect(overdue.body.items.map((f: { id: string }) => f.id)).toEqual([severeId]);
      expect(overdue.body.items[0].overdue).toBe(true);
      const notOverdue = await h.api('GET', '/findings?overdue=false', undefined, org);
      expect(notOverdue.body.items.map((f: { summary: string }) => f.summary)).toEqual(['照片不清晰']);
      const severe = await h.api('GET', `/findings?severity=severe&status=open&contractId=${c.contractId}`, undefined, reviewerOf(c.subDistrictId));
      expect(severe.body.items).toHaveLength(1);
      expect((await h.api('GET', '/findings', undefined, orgStaffOf(randomUUID()))).body.items).toEqual([]);
    });

    it('when the organization rectifies and the supervisor closes, then each step records who and the closing event is published', async () => {
      const rectified = await h.api('POST', `/findings/${severeId}/rectification`, { note: '已重新组织签到并由居委会见证' }, org);
      expect(rectified.status).toBe(200);
      expect(rectified.body).toMatchObject({ status: 'rectified', overdue: false, rectification: { note: '已重新组织签到并由居委会见证', by: { userId: 'u-org', role: 'org_staff' } } });
      expect((await h.api('POST', `/findings/${severeId}/rectification`, { note: '再次提交' }, org)).status).toBe(409);
      expect((await h.api('POST', `/findings/${severeId}/closure`, { note: '同意' }, org)).status).toBe(403);
      const closed = await h.api('POST', `/findings/${severeId}/closure`, { note: '整改到位，同意关闭' }, supervisor);
      expect(closed.status).toBe(200);
      expect(closed.body).toMatchObject({ status: 'closed', closure: { note: '整改到位，同意关闭', by: { userId: 'u-supervisor' } } });
      expect((await h.api('POST', `/findings/${severeId}/closure`, { note: '再次关闭' }, supervisor)).status).toBe(409);
      const closedEvent = (await outboxTypes()).find((e) => e.type === 'supervision.finding.closed')!;
      expect(closedEvent.payload.data).toEqual({ findingId: severeId, contractId: c.contractId, projectId: c.projectId, severity: 'severe' });
      expect((await h.api('GET', `/findings/${randomUUID()}`)).status).toBe(404);
      h.clock.now = new Date('2026-06-15T02:00:00Z');
    });
  });

  describe('weekly minutes (例会)', () => {
    it('when the supervisor records minutes, then they are listed and the event carries only the attendee count', async () => {
      const res = await h.api(
        'POST',
        `/contracts/${c.contractId}/minutes`,
        { heldOn: '2026-06-12', attendees: ['王老师（评估中心）', '张社工（银天使）'], notes: '第二次活动签到问题已整改。' },
        supervisor,
      );
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ heldOn: '2026-06-12', attendees: ['王老师（评估中心）', '张社工（银天使）'], createdBy: { userId: 'u-supervisor' } });
      expect((await h.api('POST', `/contracts/${c.contractId}/minutes`, { heldOn: '2026-06-12', attendees: ['x'], notes: 'y' }, org)).status).toBe(403);
      expect((await h.api('POST', `/contracts/${c.contractId}/minutes`, { heldOn: '12/06', attendees: [], notes: '' }, supervisor)).body.errors).toHaveLength(3);
      const list = await h.api('GET', `/contracts/${c.contractId}/minutes`, undefined, org);
      expect(list.body.items).toHaveLength(1);
      const event = (await outboxTypes()).find((e) => e.type === 'supervision.minutes.recorded')!;
      expect(event.payload.data).toEqual({ minutesId: res.body.id, contractId: c.contractId, projectId: c.projectId, heldOn: '2026-06-12', attendeeCount: 2 });
    });
  });

  describe('satisfaction surveys (满意度调查)', () => {
    it('when residents of the community answer, then responses are kept without phone numbers; others are refused', async () => {
      const rep = { userId: 'u-rep', role: 'resident_rep' as const, scope: { kind: 'community' as const, id: c.communityId } };
      for (const [score, respondentName] of [[5, '李大爷'], [4, undefined], [3, undefined]] as const) {
        const res = await h.api('POST', `/projects/${c.projectId}/survey-responses`, { score, respondentName, comment: '' }, rep);
        expect(res.status).toBe(201);
      }
      expect((await h.api('POST', `/projects/${c.projectId}/survey-responses`, { score: 6, phone: '13900000000' }, rep)).body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body', 'body.score']);
      expect((await h.api('POST', `/projects/${c.projectId}/survey-responses`, { score: 5 }, secretaryOf(randomUUID()))).status).toBe(403);
      expect((await h.api('POST', `/projects/${randomUUID()}/survey-responses`, { score: 5 }, rep)).status).toBe(404);
      const list = await h.api('GET', `/projects/${c.projectId}/survey-responses`, undefined, supervisor);
      expect(list.body.items.map((r: { score: number; respondentName: string | null }) => [r.score, r.respondentName])).toEqual([[5, '李大爷'], [4, null], [3, null]]);
      expect((await h.api('GET', `/contracts/${c.contractId}`)).body.satisfaction).toEqual({ responses: 3, average: 4 });
    });
  });

  describe('evaluations (中期检查 / 结项评估)', () => {
    beforeAll(async () => {
      // A1 held with 20 signed in, photo, calls all confirmed; one invoice.
      const a1 = (await h.api('POST', `/contracts/${c.contractId}/activities`, { activityKey: 'A1', heldOn: '2026-03-10', venue: '活动室', headcount: 20 }, org)).body.id;
      await h.api('POST', `/activities/${a1}/photos`, { fileName: 'a.jpg', contentType: 'image/jpeg', dataBase64: jpeg(1), capturedAt: '2026-03-10T02:00:00Z' }, org);
      await h.api('POST', `/activities/${a1}/sign-in-sheet`, { participants: phones(20).map((phone, i) => ({ name: `老兵${i}`, phone })) }, org);
      const tasks = (await h.api('GET', `/call-tasks?activityId=${a1}`, undefined, supervisor)).body.items;
      for (const task of tasks) await h.api('POST', `/call-tasks/${task.id}/outcome`, { outcome: 'attended_received_gift' }, supervisor);
      await h.api('POST', `/activities/${a1}/invoices`, { number: '0001', issuer: '茶歇公司', amountFen: 50_000, issuedOn: '2026-03-10', lineId: 'L1' }, org);
    });

    it('when previewing the mid-term check, then the computed sheet shows materials, indicators and the score without recording it', async () => {
      const res = await h.api('GET', `/contracts/${c.contractId}/evaluation-preview?kind=mid_term`, undefined, supervisor);
      expect(res.status).toBe(200);
      // Due by 2026-06-15: A1 (Mar) and A2 (Apr); A1 held with 20 of 50 target sign-ins; satisfaction 4/5; no discrepancy.
      expect(res.body.indicators).toMatchObject({ activitiesDue: 2, activitiesHeld: 1, targetHeadcount: 50, participants: 20, satisfactionAverage: 4, discrepancyRate: 0 });
      expect(Object.fromEntries(res.body.scores.map((s: { indicator: string; score: number }) => [s.indicator, s.score]))).toEqual({
        activities: 15,
        participation: 10,
        satisfaction: 15,
        callbacks: 15,
        materials: 10,
      });
      expect(res.body).toMatchObject({ score: 65, grade: 'fair', gradeLabel: '中', passed: true });
      expect((await h.api('GET', `/contracts/${c.contractId}/evaluations`)).body.items).toEqual([]);
      expect((await h.api('GET', `/contracts/${c.contractId}/evaluation-preview?kind=final`, undefined, supervisor)).status).toBe(400);
      expect((await h.api('GET', `/contracts/${c.contractId}/evaluation-preview?kind=mid_term`, undefined, org)).status).toBe(403);
    });

    it('when an indicator score is above its weight, then 400 names it and nothing is recorded', async () => {
      const res = await h.api('POST', `/contracts/${c.contractId}/evaluations`, { kind: 'mid_term', indicatorScores: { satisfaction: 25 } }, supervisor);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].path).toBe('body.indicatorScores.satisfaction');
      expect((await h.api('GET', `/contracts/${c.contractId}/evaluations`)).body.items).toEqual([]);
    });

    it('when the supervisor records the mid-term check with an own activities score, then it is graded, kept, and announced', async () => {
      const res = await h.api('POST', `/contracts/${c.contractId}/evaluations`, { kind: 'mid_term', indicatorScores: { activities: 30 }, note: 'A2 因场地改期，已报备' }, supervisor);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ kind: 'mid_term', score: 80, grade: 'good', passed: true, note: 'A2 因场地改期，已报备', createdBy: { userId: 'u-supervisor' } });
      expect(res.body.sheet.scores.find((s: { indicator: string }) => s.indicator === 'activities')).toMatchObject({ computed: 15, submitted: 30, score: 30 });
      const again = await h.api('POST', `/contracts/${c.contractId}/evaluations`, { kind: 'mid_term' }, supervisor);
      expect(again.status).toBe(409);
      expect(again.body.detail).toContain('中期检查');
      const event = (await outboxTypes()).find((e) => e.type === 'supervision.evaluation.completed')!;
      expect(event.payload.data).toEqual({
        evaluationId: res.body.id,
        contractId: c.contractId,
        projectId: c.projectId,
        organizationId: c.organizationId,
        kind: 'mid_term',
        score: 80,
        grade: 'good',
        passed: true,
      });
      expect((await h.api('GET', `/evaluations/${res.body.id}`, undefined, org)).body.sheet.gradeLabel).toBe('良');
    });

    it('when the year-end evaluation falls below 60 with a severe finding open, then it is 差 and not passed', async () => {
      await h.api('POST', `/contracts/${c.contractId}/findings`, { severity: 'severe', summary: '虚报参与人数', rectifyBy: '2026-12-31' }, supervisor);
      // The year-end evaluation waits for the organization's close-out material (结项材料), which brings the report.
      const closeOut = { finalReport: { title: '年度结项报告', url: 'https://files.example.cn/report.pdf' }, summary: '全年总结' };
      expect((await h.api('POST', `/contracts/${c.contractId}/close-out`, closeOut, org)).status).toBe(201);
      const res = await h.api('POST', `/contracts/${c.contractId}/evaluations`, { kind: 'year_end', finalReportReceived: false }, supervisor);
      expect(res.status).toBe(201);
      // Year end: all 3 planned due (1 held), 20/100 signed in, satisfaction 15, calls 15, materials 4/4.
      expect(res.body.sheet.materials.find((m: { item: string }) => m.item === 'final_report')).toMatchObject({ status: 'present' });
      expect(res.body).toMatchObject({ score: 55, grade: 'poor', passed: false });
      expect(res.body.sheet.indicators.openSevereFindings).toBe(1);
    });
  });
});
