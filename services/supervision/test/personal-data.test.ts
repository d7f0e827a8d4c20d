import { randomUUID } from 'node:crypto';
import type { Principal } from '@linli/auth';
import { TEST_ADMIN, waitFor } from '@linli/testing';
import type { ContractFixture, Harness } from './harness';
import { orgStaffOf, phones, reviewerOf, secretaryOf, startSupervision, supervisorOf } from './harness';

/**
 * Participants' phone numbers are personal data: encrypted at rest, masked in every view, in clear only
 * through the logged reveal by the supervisor assigned to the contract, and never in events or logs.
 */
describe('participants’ phone numbers', () => {
  const PLANTED = '13912345678';
  const PLANTED_MASKED = '139****5678';
  let h: Harness;
  let c: ContractFixture;
  let agencyA: string;
  let agencyB: string;
  let activityId: string;
  let plantedTaskId: string;
  let plantedParticipantId: string;

  beforeAll(async () => {
    // Sample everybody, so the planted participant is certainly among the call tasks.
    h = await startSupervision('pii', { env: { CALLBACK_SAMPLE_RATE: '1' } });
    c = await h.seedContract();
    agencyA = (await h.api('POST', '/agencies', { name: '朝阳区社会工作评估中心', contactName: '王老师', contactPhone: '010-65001234' })).body.id;
    agencyB = (await h.api('POST', '/agencies', { name: '东城区社会组织服务评估所', contactName: '李老师', contactPhone: '010-64001234' })).body.id;
    await h.api('POST', `/contracts/${c.contractId}/assignment`, { agencyId: agencyA });
    const org = orgStaffOf(c.organizationId);
    activityId = (await h.api('POST', `/contracts/${c.contractId}/activities`, { activityKey: 'A1', heldOn: '2026-03-10', venue: '活动室', headcount: 5 }, org)).body.id;
    const sheet = await h.api(
      'POST',
      `/activities/${activityId}/sign-in-sheet`,
      { participants: [{ name: '张建国', phone: `+86 139-1234-5678` }, ...phones(4).map((phone, i) => ({ name: `老兵${i}`, phone }))] },
      org,
    );
    expect(sheet.status).toBe(201);
    plantedParticipantId = sheet.body.participants[0].id;
    const tasks = (await h.api('GET', `/call-tasks?activityId=${activityId}`, undefined, supervisorOf(agencyA))).body.items;
    plantedTaskId = tasks.find((t: { participant: { id: string } }) => t.participant.id === plantedParticipantId).id;
  });
  afterAll(async () => {
    await h?.stop();
  });

  const everyone: [string, () => Principal][] = [
    ['admin', () => TEST_ADMIN],
    ['sub-district reviewer', () => reviewerOf(c.subDistrictId)],
    ['community secretary', () => secretaryOf(c.communityId)],
    ['organization staff', () => orgStaffOf(c.organizationId)],
    ['assigned supervisor', () => supervisorOf(agencyA)],
  ];

  it.each(everyone)('when the %s reads the sign-in sheet and the activity, then the number is masked', async (_role, who) => {
    const sheet = await h.api('GET', `/activities/${activityId}/sign-in-sheet`, undefined, who());
    expect(sheet.status).toBe(200);
    expect(sheet.body.participants[0]).toEqual({ id: plantedParticipantId, position: 1, name: '张建国', phoneMasked: PLANTED_MASKED });
    const activity = await h.api('GET', `/activities/${activityId}`, undefined, who());
    expect(JSON.stringify([sheet.body, activity.body])).not.toContain(PLANTED);
  });

  it('when the assigned supervisor reads the call task, then it is masked too: clear only on an explicit reveal', async () => {
    const task = await h.api('GET', `/call-tasks/${plantedTaskId}`, undefined, supervisorOf(agencyA));
    expect(task.body.participant).toEqual({ id: plantedParticipantId, name: '张建国', phoneMasked: PLANTED_MASKED });
  });

  it.each([
    ['admin', () => TEST_ADMIN, '管理员无权'],
    ['sub-district reviewer', () => reviewerOf(c.subDistrictId), '街道审核人员无权'],
    ['organization staff', () => orgStaffOf(c.organizationId), '社会组织人员无权'],
    ['supervisor of another agency', () => supervisorOf(agencyB, 'u-b'), '不在您的管辖范围内'],
  ] as [string, () => Principal, string][])('when the %s asks to reveal the number, then 403 and nothing is logged', async (_role, who, reason) => {
    const res = await h.api('POST', `/call-tasks/${plantedTaskId}/phone-reveal`, undefined, who());
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain(reason);
    expect(JSON.stringify(res.body)).not.toContain(PLANTED);
    expect((await h.api('GET', `/contracts/${c.contractId}/phone-reveals`)).body.items).toEqual([]);
  });

  it('when the assigned supervisor reveals it for the call-back, then the normalized number is returned and the reveal is logged', async () => {
    h.clock.now = new Date('2026-06-15T03:04:05.000Z');
    const res = await h.api('POST', `/call-tasks/${plantedTaskId}/phone-reveal`, undefined, supervisorOf(agencyA, 'u-wang'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ callTaskId: plantedTaskId, participantId: plantedParticipantId, name: '张建国', phone: PLANTED, revealedAt: '2026-06-15T03:04:05.000Z' });
    const log = await h.api('GET', `/contracts/${c.contractId}/phone-reveals`, undefined, reviewerOf(c.subDistrictId));
    expect(log.body.items).toEqual([
      {
        id: expect.any(String),
        participantId: plantedParticipantId,
        callTaskId: plantedTaskId,
        activityId,
        contractId: c.contractId,
        agencyId: agencyA,
        revealedAt: '2026-06-15T03:04:05.000Z',
        revealedBy: { userId: 'u-wang', role: 'supervisor', scope: `agency:${agencyA}` },
      },
    ]);
    // The log is for those who commission the supervision, not for the supervised organization.
    expect((await h.api('GET', `/contracts/${c.contractId}/phone-reveals`, undefined, orgStaffOf(c.organizationId))).status).toBe(403);
  });

  it('when the contract is reassigned to another agency, then the former supervisor loses access and the new one gains it', async () => {
    await h.api('POST', `/contracts/${c.contractId}/assignment`, { agencyId: agencyB });
    expect((await h.api('POST', `/call-tasks/${plantedTaskId}/phone-reveal`, undefined, supervisorOf(agencyA))).status).toBe(403);
    const now = await h.api('POST', `/call-tasks/${plantedTaskId}/phone-reveal`, undefined, supervisorOf(agencyB, 'u-b'));
    expect(now.status).toBe(200);
    expect(now.body.phone).toBe(PLANTED);
    await h.api('POST', `/contracts/${c.contractId}/assignment`, { agencyId: agencyA });
  });

  it('when the database is read directly, then the number is nowhere in clear — only sealed, fingerprinted and masked', async () => {
    const prisma = h.service.prisma;
    const rows = (await prisma.$queryRawUnsafe(
      `select phone_ciphertext, phone_key_id, phone_hmac, phone_masked from participants where id = $1::uuid`,
      plantedParticipantId,
    )) as { phone_ciphertext: Uint8Array; phone_key_id: string; phone_hmac: string; phone_masked: string }[];
    const row = rows[0]!;
    expect(Buffer.from(row.phone_ciphertext).includes(Buffer.from(PLANTED))).toBe(false);
    expect(row.phone_ciphertext.length).toBe(12 + 16 + 11);
    expect(row.phone_key_id).toBe('dev-1');
    expect(row.phone_hmac).toMatch(/^[0-9a-f]{64}$/);
    expect(row.phone_masked).toBe(PLANTED_MASKED);

    // Every table, every row, as text (bytea as hex): neither the digits nor their bytes in hex appear.
    const tables = (await prisma.$queryRawUnsafe(`select tablename from pg_tables where schemaname = 'public'`)) as { tablename: string }[];
    const plantedHex = Buffer.from(PLANTED).toString('hex');
    for (const { tablename } of tables) {
      const dump = (await prisma.$queryRawUnsafe(`select coalesce(string_agg(t::text, E'\\n'), '') as dump from "${tablename}" t`)) as { dump: string }[];
      expect({ table: tablename, hasClear: dump[0]!.dump.includes(PLANTED), hasHex: dump[0]!.dump.includes(plantedHex) }).toEqual({
        table: tablename,
        hasClear: false,
        hasHex: false,
      });
    }
  });

  it('when events are written and relayed, then no payload holds a name or a number, only counts', async () => {
    const outbox = (await h.service.prisma.$queryRawUnsafe(`select type, payload::text as payload from outbox_events`)) as { type: string; payload: string }[];
    expect(outbox.map((e) => e.type)).toEqual(expect.arrayContaining(['supervision.sign-in-sheet.recorded']));
    for (const event of outbox) {
      expect(event.payload).not.toContain(PLANTED);
      expect(event.payload).not.toContain(PLANTED_MASKED);
      expect(event.payload).not.toContain('张建国');
    }
    const signIn = JSON.parse(outbox.find((e) => e.type === 'supervision.sign-in-sheet.recorded')!.payload);
    expect(signIn.data).toMatchObject({ participantCount: 5, sampledCount: 5 });
    await waitFor('the outbox to be relayed', async () => {
      const pending = (await h.service.prisma.$queryRawUnsafe(`select count(*)::int as n from outbox_events where published_at is null`)) as { n: number }[];
      return pending[0]!.n === 0;
    });
  });

  it('when the service logged everything at debug level, then the number never appears in clear in the log', async () => {
    const all = h.logLines.join('');
    // The reveal and the sign-in requests were logged (so a leak would have shown up here) ...
    expect(all).toContain('/call-tasks/:id/phone-reveal');
    expect(all).toContain('/activities/:id/sign-in-sheet');
    expect(all).not.toContain(PLANTED);
    expect(all).not.toContain('+86 139-1234-5678');
  });

  it('when a satisfaction comment or a finding mentions a mobile number, then it is stored masked', async () => {
    const survey = await h.api('POST', `/projects/${c.projectId}/survey-responses`, { score: 5, comment: `很好，有事打 ${PLANTED}` }, secretaryOf(c.communityId));
    expect(survey.status).toBe(201);
    expect(survey.body.comment).toBe(`很好，有事打 ${PLANTED_MASKED}`);
    const finding = await h.api(
      'POST',
      `/contracts/${c.contractId}/findings`,
      { severity: 'minor', summary: `回访电话 ${PLANTED} 无人接听`, rectifyBy: '2026-07-01' },
      supervisorOf(agencyA),
    );
    expect(finding.body.summary).toBe(`回访电话 ${PLANTED_MASKED} 无人接听`);
    const outbox = (await h.service.prisma.$queryRawUnsafe(`select payload::text as payload from outbox_events where type = 'supervision.finding.raised'`)) as { payload: string }[];
    expect(outbox[0]!.payload).toContain(PLANTED_MASKED);
    expect(outbox[0]!.payload).not.toContain(PLANTED);
  });

  it('when a call task is unknown, then the reveal is 404', async () => {
    expect((await h.api('POST', `/call-tasks/${randomUUID()}/phone-reveal`, undefined, supervisorOf(agencyA))).status).toBe(404);
  });
});
