import { databaseText, findPlantedNumbers, kafkaMessagesOf, maskOf, plantNumbers, waitFor } from '@linli/testing';
import { actors, approveAndContract, type Lifecycle } from '../../../workflows/test/lifecycle-harness';
import { S, startOps, who, type Ops } from './ops-harness';

/**
 * Issue 6, free text: the reason an operator, an admin or the committee types with an action (remind,
 * escalate, reassign — and the assignee's name —, retry, skip, terminate, a batch retry, even a refused
 * attempt) may hold a mobile number. It goes into the workflow's timeline, the lifecycle events on Kafka,
 * the read model and the audit chain. Each gets a planted number of its own, over HTTP, on real
 * lifecycles; every one of those places holds only the mask 139****nnnn.
 */
const FIELDS = ['remind.reason', 'escalate.reason', 'reassign.reason', 'reassign.assigneeName', 'refused.reason', 'skip.reason', 'batchRetry.reason', 'terminate.reason'] as const;
const PHONE = plantNumbers('5553', FIELDS);
const ALL = Object.values(PHONE);

const idOf = (p: Lifecycle) => p.handle.workflowId.slice('project-'.length);

describe('free text typed into operations actions', () => {
  let ops: Ops;
  const p: Record<'review' | 'skipped' | 'retried' | 'terminated', Lifecycle> = {} as never;
  const answers: unknown[] = [];

  const act = async (project: Lifecycle, action: string, body: Record<string, unknown>, as: (typeof who)[keyof typeof who] = who.operator, status = 200) => {
    const res = await ops.api('POST', `/projects/${idOf(project)}/${action}`, body, as);
    if (res.status !== status) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
    answers.push(res.body);
    return res.body;
  };
  const rowWhen = (project: Lifecycle, what: string, pred: (r: any) => boolean) =>
    waitFor(
      what,
      async () => {
        const row = (await ops.api('GET', `/projects?q=${idOf(project)}`)).body.items?.[0];
        return row && pred(row) ? row : undefined;
      },
      { timeoutMs: 20_000 },
    );

  beforeAll(async () => {
    ops = await startOps();
    const { lifecycles } = ops;
    p.review = await lifecycles.start({ title: '延静里社区老兵俱乐部' });
    await p.review.update('submit', { version: 1, by: actors.secretary });
    for (const k of ['skipped', 'retried'] as const) {
      lifecycles.mocks.failNext('requestTranche');
      p[k] = await lifecycles.start({ title: `单元格居民议事厅（${k}）` });
      await approveAndContract(p[k]);
      await p[k].waitFor('tranche parked', (s) => s.parked?.step === 'tranche:start_up');
    }
    p.terminated = await lifecycles.start({ title: '悠贝亲子阅读故事会' });
    await approveAndContract(p.terminated);
    await p.terminated.waitFor('in delivery', (s) => s.stage === 'in_delivery');
    await rowWhen(p.review, 'the review row', (r) => r.stage === 'pre_review');
    for (const k of ['skipped', 'retried'] as const) await rowWhen(p[k], `${k} parked in the read model`, (r) => r.parked !== null);
    await rowWhen(p.terminated, 'the delivering row', (r) => r.stage === 'in_delivery');
  }, 120_000);
  afterAll(async () => {
    await ops?.stop();
  });

  it('when numbers are typed into remind, escalate, reassign and a refused attempt, then the timeline and the audit hold the masks', async () => {
    await act(p.review, 'remind', { reason: `请本周内召开预审会，联系 ${PHONE['remind.reason']}` });
    await act(p.review, 'escalate', { reason: `已催办两次，电话 ${PHONE['escalate.reason']} 无人接` });
    await act(p.review, 'reassign', { assigneeUserId: 'u-wang', assigneeName: `王审核 ${PHONE['reassign.assigneeName']}`, reason: `孙审核休假，代班 ${PHONE['reassign.reason']}` });
    await act(p.review, 'remind', { reason: `居民来电 ${PHONE['refused.reason']} 催问` }, who.resident, 403);

    const page = (await ops.api('GET', `/projects/${idOf(p.review)}`)).body;
    answers.push(page);
    const workflowEntries = page.timeline.filter((e: any) => e.source === 'workflow').map((e: any) => [e.kind, e.reason]);
    expect(workflowEntries).toEqual(
      expect.arrayContaining([
        ['reminder', `请本周内召开预审会，联系 ${maskOf(PHONE['remind.reason'])}`],
        ['reassigned', `孙审核休假，代班 ${maskOf(PHONE['reassign.reason'])}`],
      ]),
    );
    expect(page.project.assignee).toEqual({ userId: 'u-wang', name: `王审核 ${maskOf(PHONE['reassign.assigneeName'])}` });
    const audit = (await ops.api('GET', `/audit?projectId=${idOf(p.review)}`, undefined, who.operator)).body;
    answers.push(audit);
    expect(audit.items.map((a: any) => [a.action, a.outcome, a.reason])).toEqual([
      ['remind', 'forbidden', `居民来电 ${maskOf(PHONE['refused.reason'])} 催问`],
      ['reassign', 'ok', `孙审核休假，代班 ${maskOf(PHONE['reassign.reason'])}`],
      ['escalate', 'ok', `已催办两次，电话 ${maskOf(PHONE['escalate.reason'])} 无人接`],
      ['remind', 'ok', `请本周内召开预审会，联系 ${maskOf(PHONE['remind.reason'])}`],
    ]);
  });

  it('when numbers are typed into skip, a batch retry and a termination, then the workflow and what it asks of payments hold the masks', async () => {
    await act(p.skipped, 'skip', { reason: `财务确认线下已付，经办 ${PHONE['skip.reason']}` }, who.admin);
    await rowWhen(p.skipped, 'the skipped tranche off the parked list', (r) => r.parked === null);
    const filter = { parkedStepPrefix: 'tranche:', subDistrictId: S };
    const run = await ops.api('POST', '/batch/retry', { filter, reason: `财务系统已恢复，值班 ${PHONE['batchRetry.reason']}`, expectedCount: 1 });
    answers.push(run.body);
    expect(run.body).toMatchObject({ count: 1, ok: 1 });
    await act(p.terminated, 'terminate', { reason: `社会组织人员变动，协商人 ${PHONE['terminate.reason']}` }, who.committee);
    await rowWhen(p.terminated, 'closed after early termination', (r) => r.stage === 'closed');

    const settled = ops.lifecycles.mocks.named('settleTermination');
    expect(JSON.stringify(settled)).toContain(maskOf(PHONE['terminate.reason']));
    const states = await Promise.all(Object.values(p).map((l) => l.state()));
    const stateText = JSON.stringify(states);
    expect(stateText).toContain(maskOf(PHONE['skip.reason']));
    expect(stateText).toContain(maskOf(PHONE['batchRetry.reason']));
    expect(findPlantedNumbers(stateText, ALL)).toEqual([]);
    expect(findPlantedNumbers(JSON.stringify(settled), ALL)).toEqual([]);
  });

  it('when the answers, every table and every Kafka message of the run are read, then no planted number is there in clear', async () => {
    expect(findPlantedNumbers(JSON.stringify(answers), ALL)).toEqual([]);
    expect(findPlantedNumbers(await databaseText(ops.service.prisma), ALL)).toEqual([]);
    const topics = await kafkaMessagesOf(process.env.KAFKA_BROKERS!.split(','), ops.prefix);
    const lifecycleEvents = topics.find((t) => t.topic === `${ops.prefix}linli.lifecycle.events`)!.messages.join('\n');
    // The actions' reasons travel on the lifecycle events: masked.
    expect(lifecycleEvents).toContain(maskOf(PHONE['remind.reason']));
    expect(lifecycleEvents).toContain(maskOf(PHONE['skip.reason']));
    expect(findPlantedNumbers(topics.flatMap((t) => t.messages).join('\n'), ALL)).toEqual([]);
  });
});
