import type { Principal } from '@linli/auth';
import { databaseText, findPlantedNumbers, maskOf, plantNumbers } from '@linli/testing';
import { jpeg, orgStaffOf, phones, reviewerOf, startSupervision, supervisorOf, type ContractFixture, type Harness } from './harness';

/**
 * Issue 6, free text: beside the sign-in sheets (personal-data.test.ts), whatever a person types here (an
 * activity's description, a call-back's note, a verification, a finding and its rectification and closure,
 * minutes, a survey comment, an evaluation's note, the close-out material) may hold a mobile number. Each
 * field gets a planted number of its own, over HTTP; what the service answers, stores, logs and puts in its
 * outbox holds only the mask 139****nnnn.
 */
const FIELDS = [
  'activity.description',
  'callBack.note',
  'verification.note',
  'finding.summary',
  'finding.details',
  'rectification.note',
  'closure.note',
  'minutes.notes',
  'survey.comment',
  'evaluation.note',
  'closeOut.finalReport.title',
  'closeOut.finalReport.text',
  'closeOut.summary',
  'closeOut.document.text',
] as const;
const PHONE = plantNumbers('5554', FIELDS);
const ALL = Object.values(PHONE);

describe('free text typed into the supervision service', () => {
  let h: Harness;
  let c: ContractFixture;
  let supervisor: Principal;
  let org: Principal;
  const answers: unknown[] = [];
  const call = async (method: string, path: string, body: unknown, as: Principal, status: number) => {
    const res = await h.api(method, path, body, as);
    if (res.status !== status) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    answers.push(res.body);
    return res.body;
  };

  beforeAll(async () => {
    h = await startSupervision('freetext');
    c = await h.seedContract();
    const agency = (await h.api('POST', '/agencies', { name: '朝阳区社会工作评估中心', contactName: '王老师', contactPhone: '010-65001234' })).body.id;
    await h.api('POST', `/contracts/${c.contractId}/assignment`, { agencyId: agency }, reviewerOf(c.subDistrictId));
    supervisor = supervisorOf(agency);
    org = orgStaffOf(c.organizationId);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('when numbers are typed into an activity, its call-backs and its verification, then every answer holds the mask', async () => {
    const activity = await call(
      'POST',
      `/contracts/${c.contractId}/activities`,
      { activityKey: 'A1', heldOn: '2026-03-10', venue: '延静里社区活动室', headcount: 20, description: `老兵座谈，联系人 ${PHONE['activity.description']}` },
      org,
      201,
    );
    expect(activity.description).toBe(`老兵座谈，联系人 ${maskOf(PHONE['activity.description'])}`);
    await call('POST', `/activities/${activity.id}/photos`, { fileName: 'a.jpg', contentType: 'image/jpeg', dataBase64: jpeg(1), capturedAt: '2026-03-10T02:00:00Z' }, org, 201);
    await call('POST', `/activities/${activity.id}/sign-in-sheet`, { participants: phones(20).map((phone, i) => ({ name: `老兵${i + 1}`, phone })) }, org, 201);
    const tasks = (await call('GET', `/call-tasks?activityId=${activity.id}`, undefined, supervisor, 200)).items as { id: string }[];
    // One absent and one without the gift: the discrepancy blocks automatic verification, so it is verified by hand.
    const outcomes = ['attended_received_gift', 'attended_no_gift', 'did_not_attend'];
    for (const [i, task] of tasks.entries()) {
      const done = await call('POST', `/call-tasks/${task.id}/outcome`, { outcome: outcomes[i % 3], note: `已拨打，另留电话 ${PHONE['callBack.note']}` }, supervisor, 200);
      expect(done.note).toBe(`已拨打，另留电话 ${maskOf(PHONE['callBack.note'])}`);
    }
    const verified = await call('POST', `/activities/${activity.id}/verification`, { note: `两人提前离场，已电话 ${PHONE['verification.note']} 核实` }, supervisor, 200);
    expect(verified.verification.note).toBe(`两人提前离场，已电话 ${maskOf(PHONE['verification.note'])} 核实`);
  });

  it('when numbers are typed into a finding, its rectification and closure, minutes, a survey and an evaluation, then every answer holds the mask', async () => {
    const finding = await call(
      'POST',
      `/contracts/${c.contractId}/findings`,
      { severity: 'minor', summary: `回访电话 ${PHONE['finding.summary']} 无人接听`, details: `连续三天拨打 ${PHONE['finding.details']}`, rectifyBy: '2026-07-01' },
      supervisor,
      201,
    );
    expect(finding).toMatchObject({ summary: `回访电话 ${maskOf(PHONE['finding.summary'])} 无人接听`, details: `连续三天拨打 ${maskOf(PHONE['finding.details'])}` });
    const rectified = await call('POST', `/findings/${finding.id}/rectification`, { note: `已更正为 ${PHONE['rectification.note']}` }, org, 200);
    expect(JSON.stringify(rectified)).toContain(maskOf(PHONE['rectification.note']));
    const closed = await call('POST', `/findings/${finding.id}/closure`, { note: `已拨通 ${PHONE['closure.note']}，同意关闭` }, supervisor, 200);
    expect(JSON.stringify(closed)).toContain(maskOf(PHONE['closure.note']));

    const minutes = await call('POST', `/contracts/${c.contractId}/minutes`, { heldOn: '2026-06-12', attendees: ['王老师（评估中心）'], notes: `例会：新联系人 ${PHONE['minutes.notes']}` }, supervisor, 201);
    expect(minutes.notes).toBe(`例会：新联系人 ${maskOf(PHONE['minutes.notes'])}`);
    const rep: Principal = { userId: 'u-rep', role: 'resident_rep', scope: { kind: 'community', id: c.communityId } };
    const survey = await call('POST', `/projects/${c.projectId}/survey-responses`, { score: 5, comment: `很好，有事打 ${PHONE['survey.comment']}` }, rep, 201);
    expect(survey.comment).toBe(`很好，有事打 ${maskOf(PHONE['survey.comment'])}`);
    const evaluation = await call('POST', `/contracts/${c.contractId}/evaluations`, { kind: 'mid_term', note: `A2 改期，经办 ${PHONE['evaluation.note']}` }, supervisor, 201);
    expect(evaluation.note).toBe(`A2 改期，经办 ${maskOf(PHONE['evaluation.note'])}`);
  });

  it('when numbers are typed into the close-out material, then the answer holds the mask', async () => {
    const closeOut = await call(
      'POST',
      `/contracts/${c.contractId}/close-out`,
      {
        finalReport: { title: `年度结项报告（联系人 ${PHONE['closeOut.finalReport.title']}）`, text: `全年服务老兵 100 人次，联系人 ${PHONE['closeOut.finalReport.text']}` },
        summary: `活动按计划完成，财务 ${PHONE['closeOut.summary']}`,
        documents: [{ name: '经费决算表', text: `茶歇 500 元，经手人 ${PHONE['closeOut.document.text']}` }],
      },
      org,
      201,
    );
    expect(closeOut).toMatchObject({
      finalReport: { title: `年度结项报告（联系人 ${maskOf(PHONE['closeOut.finalReport.title'])}）`, text: `全年服务老兵 100 人次，联系人 ${maskOf(PHONE['closeOut.finalReport.text'])}` },
      summary: `活动按计划完成，财务 ${maskOf(PHONE['closeOut.summary'])}`,
      documents: [{ name: '经费决算表', text: `茶歇 500 元，经手人 ${maskOf(PHONE['closeOut.document.text'])}` }],
    });
  });

  it('when the answers, every table, the outbox and the log are read, then no planted number is there in clear', async () => {
    expect(findPlantedNumbers(JSON.stringify(answers), ALL)).toEqual([]);
    expect(findPlantedNumbers(await databaseText(h.service.prisma), ALL)).toEqual([]);
    const outbox = (await h.service.prisma.$queryRawUnsafe(`select type, payload::text as payload from outbox_events order by seq`)) as { type: string; payload: string }[];
    expect(findPlantedNumbers(outbox.map((e) => e.payload).join('\n'), ALL)).toEqual([]);
    // The finding's summary goes to payments (a severe one freezes) and the lifecycle: masked.
    expect(outbox.find((e) => e.type === 'supervision.finding.raised')!.payload).toContain(maskOf(PHONE['finding.summary']));
    expect(findPlantedNumbers(h.logLines.join(''), ALL)).toEqual([]);
  });
});
