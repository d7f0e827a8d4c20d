import { randomUUID } from 'node:crypto';
import type { ContractFixture, Harness } from './harness';
import { orgStaffOf, reviewerOf, secretaryOf, startSupervision, supervisorOf } from './harness';

/** 结项材料: the organization's close-out submission, and the year-end evaluation that waits for it. */
describe('close-out material (结项材料) over HTTP', () => {
  let h: Harness;
  let c: ContractFixture;
  let supervisor: ReturnType<typeof supervisorOf>;
  let org: ReturnType<typeof orgStaffOf>;

  const body = {
    finalReport: { title: '延静里社区老兵俱乐部 2026 年度结项报告', text: '全年开展活动 3 场，服务老兵 100 人次。联系人 13912345678。' },
    summary: '活动按计划完成，经费使用与预算一致。',
    documents: [
      { name: '活动台账', url: 'https://files.example.cn/linli/ledger-2026.pdf' },
      { name: '经费决算表', text: '茶歇 500 元；观影 2000 元；慰问礼品 4000 元。' },
    ],
  };
  const closeOutRows = async () => (await h.service.prisma.$queryRawUnsafe(`select count(*)::int as n from close_outs`)) as { n: number }[];
  const outbox = async (type: string) =>
    ((await h.service.prisma.$queryRawUnsafe(`select payload from outbox_events where type = $1 order by seq`, type)) as { payload: { subject: string; actor: unknown; data: Record<string, unknown> } }[]).map((r) => r.payload);

  beforeAll(async () => {
    h = await startSupervision('closeout');
    c = await h.seedContract();
    const agency = (await h.api('POST', '/agencies', { name: '海淀区社会组织评估中心', contactName: '赵老师', contactPhone: '010-62001234' })).body.id;
    await h.api('POST', `/contracts/${c.contractId}/assignment`, { agencyId: agency }, reviewerOf(c.subDistrictId));
    supervisor = supervisorOf(agency);
    org = orgStaffOf(c.organizationId);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('when the year-end evaluation is recorded before the close-out material, then 409 with the reason and nothing is recorded', async () => {
    const res = await h.api('POST', `/contracts/${c.contractId}/evaluations`, { kind: 'year_end', finalReportReceived: true }, supervisor);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'CLOSE_OUT_MISSING' });
    expect(res.body.detail).toContain('尚未提交结项材料');
    expect((await h.api('GET', `/contracts/${c.contractId}/evaluations`, undefined, supervisor)).body.items).toEqual([]);
    // The preview still works, and shows the report as missing.
    const preview = await h.api('GET', `/contracts/${c.contractId}/evaluation-preview?kind=year_end`, undefined, supervisor);
    expect(preview.body.materials.find((m: { item: string }) => m.item === 'final_report')).toMatchObject({ status: 'absent' });
  });

  it('when nobody has submitted yet, then reading the close-out is 404', async () => {
    const res = await h.api('GET', `/contracts/${c.contractId}/close-out`, undefined, org);
    expect(res.status).toBe(404);
    expect(res.contentType).toContain('application/problem+json');
  });

  it('when anyone but the contracted organization submits, then 401/403 with the reason and nothing is written', async () => {
    expect((await h.api('POST', `/contracts/${c.contractId}/close-out`, body, null)).status).toBe(401);
    for (const who of [supervisor, reviewerOf(c.subDistrictId), secretaryOf(c.communityId), orgStaffOf(randomUUID())]) {
      const res = await h.api('POST', `/contracts/${c.contractId}/close-out`, body, who);
      expect({ role: who.role, status: res.status }).toEqual({ role: who.role, status: 403 });
      expect(res.body.detail).toMatch(/提交结项材料/);
    }
    expect((await closeOutRows())[0]!.n).toBe(0);
    expect(await outbox('supervision.close-out.submitted')).toEqual([]);
  });

  it('when the body is incomplete, then 400 names every failing field', async () => {
    const res = await h.api(
      'POST',
      `/contracts/${c.contractId}/close-out`,
      { finalReport: { url: 'ftp://files.example.cn/r.pdf' }, summary: ' ', documents: [{ name: '台账' }], extra: 1 },
      org,
    );
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'body',
      'body.documents[0].url',
      'body.finalReport.title',
      'body.finalReport.url',
      'body.summary',
    ]);
    const noReport = await h.api('POST', `/contracts/${c.contractId}/close-out`, { finalReport: { title: '结项报告' }, summary: '总结' }, org);
    expect(noReport.status).toBe(400);
    expect(noReport.body.errors).toEqual([expect.objectContaining({ path: 'body.finalReport.text', message: expect.stringContaining('须提供报告正文或链接') })]);
    expect((await closeOutRows())[0]!.n).toBe(0);
  });

  it('when the contract is unknown, then 404', async () => {
    expect((await h.api('POST', `/contracts/${randomUUID()}/close-out`, body, org)).status).toBe(404);
    expect((await h.api('GET', `/contracts/${randomUUID()}/close-out`, undefined, org)).status).toBe(404);
  });

  it('when the organization submits, then 201, it is kept with who and when (numbers masked), and the event is in the outbox', async () => {
    const res = await h.api('POST', `/contracts/${c.contractId}/close-out`, body, org);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      contractId: c.contractId,
      projectId: c.projectId,
      organizationId: c.organizationId,
      finalReport: { title: body.finalReport.title, text: '全年开展活动 3 场，服务老兵 100 人次。联系人 139****5678。', url: null },
      summary: body.summary,
      documents: [
        { name: '活动台账', url: 'https://files.example.cn/linli/ledger-2026.pdf', text: null },
        { name: '经费决算表', url: null, text: '茶歇 500 元；观影 2000 元；慰问礼品 4000 元。' },
      ],
      submittedAt: '2026-06-15T02:00:00.000Z',
      submittedBy: { userId: 'u-org', role: 'org_staff', scope: `organization:${c.organizationId}` },
    });
    for (const reader of [org, supervisor, reviewerOf(c.subDistrictId)]) {
      expect((await h.api('GET', `/contracts/${c.contractId}/close-out`, undefined, reader)).body).toEqual(res.body);
    }
    expect((await h.api('GET', `/contracts/${c.contractId}/close-out`, undefined, orgStaffOf(randomUUID()))).status).toBe(403);

    const events = await outbox('supervision.close-out.submitted');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      subject: c.contractId,
      actor: { userId: 'u-org', role: 'org_staff', scope: `organization:${c.organizationId}` },
      data: { closeOutId: res.body.id, contractId: c.contractId, projectId: c.projectId, organizationId: c.organizationId, submittedAt: '2026-06-15T02:00:00.000Z' },
    });
  });

  it('when the organization submits again, then 409 with the date of the first, and nothing changes', async () => {
    h.clock.now = new Date('2026-06-20T02:00:00.000Z');
    const res = await h.api('POST', `/contracts/${c.contractId}/close-out`, { ...body, summary: '第二次' }, org);
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain('已于 2026-06-15 提交结项材料');
    expect(res.body.details).toMatchObject({ submittedAt: '2026-06-15T02:00:00.000Z' });
    expect((await h.api('GET', `/contracts/${c.contractId}/close-out`, undefined, org)).body.summary).toBe(body.summary);
    expect(await outbox('supervision.close-out.submitted')).toHaveLength(1);
  });

  it('when the close-out material is in, then the year-end evaluation is recorded (201) and counts the final report as present', async () => {
    const res = await h.api('POST', `/contracts/${c.contractId}/evaluations`, { kind: 'year_end' }, supervisor);
    expect(res.status).toBe(201);
    expect(res.body.sheet.materials.find((m: { item: string }) => m.item === 'final_report')).toEqual({
      item: 'final_report',
      label: '结项报告',
      status: 'present',
      detail: '已随结项材料提交（2026-06-15）',
    });
    expect((await outbox('supervision.evaluation.completed')).map((e) => e.data.kind)).toEqual(['year_end']);
  });
});
