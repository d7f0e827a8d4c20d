import {
  createLifecycleDriver,
  findPlantedNumbers,
  kafkaMessagesOf,
  maskOf,
  rawWorkflowHistories,
  startSystem,
  textOf,
  waitFor,
  type LifecycleDriver,
  type RawHistory,
  type RunningSystem,
  type World,
} from '@linli/testing';

/**
 * Issue 6's planted-number scan, on the real Temporal, Kafka and PostgreSQL with every service and the
 * worker as processes of their own. Known mobile numbers are planted where participants' numbers enter
 * Linli — sign-in sheets (签到单) and the supervisor's call-backs (电话回访: the reveal, the note typed
 * after the call, a finding about it) —, and where a person types one into free text that travels on: a
 * reviewer's decision reasons (Kafka, then the lifecycle) and an operator's action reason (the workflow's
 * timeline and its events) — while lifecycles run through the public HTTP APIs to closed.
 * Then everything that comes to rest is read back raw: every workflow history of this run's task queue
 * (without the codec), every message of this run's Kafka topics, every line the processes printed.
 * None may hold a planted number in clear, nor a mask that keeps its middle digits.
 */
jest.setTimeout(900_000);

/** Sign-in sheets of the project driven to closed (both activities). */
const SIGNED_IN = ['13933170011', '13933170012', '13933170013'];
/** The second project's activity: its sheet, then revealed, called back, noted and reported in a finding. */
const CALLED_BACK = ['13933170021', '13933170022', '13933170023'];
/** Typed into the reviewers' and the committee's decision reasons of the project driven to closed. */
const DECIDED = '13933170031';
/** Typed into an operator's reminder on the second project. */
const REMINDED = '13933170041';
const PLANTED = [...SIGNED_IN, ...CALLED_BACK, DECIDED, REMINDED];
const masked = maskOf;
const TITLE = '延静里社区老兵俱乐部';

describe('planted phone numbers never rest in clear', () => {
  let system: RunningSystem;
  let driver: LifecycleDriver;
  let world: World;
  let closedProject: string;
  let calledBackProject: string;
  let histories: RawHistory[];
  let topics: { topic: string; messages: string[] }[];

  beforeAll(async () => {
    // Supervision, where the numbers arrive, logs at debug: a leak in any of its lines would show.
    system = await startSystem({ label: 'pii-scan', envFor: { supervision: { LOG_LEVEL: 'debug' } } });
    driver = createLifecycleDriver(system.urls, { timeoutMs: 120_000 });
    world = await driver.setupWorld();
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('when a project is delivered with the numbers on its sign-in sheets, then it still closes', async () => {
    // Written the way people write them: +86 and spaces.
    const reasons = `同意。如有疑问请联系 +86 ${DECIDED.slice(0, 3)} ${DECIDED.slice(3, 7)} ${DECIDED.slice(7)}`;
    const p = await driver.communityProject(world, { phones: SIGNED_IN, reasons });
    expect(p.stage).toBe('closed');
    closedProject = p.projectId;
  });

  it('when a supervisor reveals the numbers, calls back, notes them and raises a finding, then the lifecycle follows the activity to verified', async () => {
    const p = await driver.communityProject(world, { until: 'in_delivery', phones: SIGNED_IN });
    calledBackProject = p.projectId;
    const { orgStaff, supervisor } = driver.principals;
    const org = orgStaff(world.organizationId);
    const sup = supervisor(world.agencyId);
    const call = async (as: typeof org, method: string, path: string, body?: unknown) => {
      const res = await driver.call(as, system.urls.supervision, method, path, body);
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };

    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const activity = await call(org, 'POST', `/contracts/${p.contractId}/activities`, { activityKey: 'A1', heldOn: today, venue: '社区活动室', headcount: CALLED_BACK.length });
    await call(org, 'POST', `/activities/${activity.id}/photos`, {
      fileName: 'A1.jpg',
      contentType: 'image/jpeg',
      dataBase64: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(`scan-${activity.id}`)]).toString('base64'),
      capturedAt: new Date().toISOString(),
    });
    // One number typed the way people write them: a scan that only knew "13933170023" would miss it.
    const written = CALLED_BACK.map((phone, i) => (i === 2 ? `+86 ${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}` : phone));
    await call(org, 'POST', `/activities/${activity.id}/sign-in-sheet`, { participants: written.map((phone, i) => ({ name: `老兵${i + 1}`, phone })) });

    const tasks = (await call(sup, 'GET', `/call-tasks?activityId=${activity.id}&status=pending`)).items as { id: string }[];
    expect(tasks).toHaveLength(CALLED_BACK.length);
    const revealed: string[] = [];
    for (const task of tasks) {
      // The one place a number may be in clear: the assigned supervisor's logged reveal, for the call.
      const { phone } = await call(sup, 'POST', `/call-tasks/${task.id}/phone-reveal`);
      revealed.push(phone);
      await call(sup, 'POST', `/call-tasks/${task.id}/outcome`, { outcome: 'attended_received_gift', note: `已拨打 ${phone}，本人确认参加并领到慰问品` });
    }
    expect(revealed.sort()).toEqual([...CALLED_BACK].sort());
    await call(sup, 'POST', `/contracts/${p.contractId}/findings`, {
      severity: 'minor',
      summary: `回访电话 ${CALLED_BACK[0]} 首次无人接听`,
      rectifyBy: today,
      activityId: activity.id,
    });
    const now = await call(sup, 'GET', `/activities/${activity.id}`);
    if (now.status !== 'verified') await call(sup, 'POST', `/activities/${activity.id}/verification`, { note: `回访 ${CALLED_BACK[1]} 等 3 人，属实` });

    // The steps went through Kafka and the bridge into the workflow: a leak on that path would be in its history.
    let last: unknown;
    await waitFor(
      'the lifecycle to record A1 verified',
      async () => {
        const detail = await driver.project(calledBackProject);
        last = { stage: detail?.project?.stage, activities: detail?.live?.activities };
        return (detail?.live?.activities as { activityKey: string; status: string }[] | undefined)?.some((a) => a.activityKey === 'A1' && a.status === 'verified');
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}; last seen ${JSON.stringify(last)}`);
    });
  });

  it('when an operator reminds with a number in the reason, then the lifecycle records the reminder', async () => {
    const res = await driver.call(driver.principals.operator, system.urls.operations, 'POST', `/projects/${calledBackProject}/remind`, {
      reason: `请尽快提交结项材料，联系 ${REMINDED}`,
    });
    expect(res.status).toBe(200);
    const detail = await driver.project(calledBackProject);
    const reminders = (detail?.timeline as { kind: string; reason?: string }[] | undefined)?.filter((e) => e.kind === 'reminder') ?? [];
    expect(reminders.map((e) => e.reason)).toContain(`请尽快提交结项材料，联系 ${masked(REMINDED)}`);
  });

  describe('then, read back raw', () => {
    beforeAll(async () => {
      const query = `TaskQueue = '${system.taskQueuePrefix}linli-lifecycle'`;
      const address = process.env.TEMPORAL_ADDRESS!;
      const namespace = process.env.TEMPORAL_NAMESPACE!;
      // Visibility follows the closes within moments.
      for (let i = 0; i < 50; i++) {
        histories = await rawWorkflowHistories({ address, namespace, query });
        const ids = new Set(histories.map((h) => h.workflowId));
        if (ids.has(`project-${closedProject}`) && ids.has(`project-${calledBackProject}`) && ids.has(`project-${closedProject}-tranche-final`)) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      topics = await kafkaMessagesOf(process.env.KAFKA_BROKERS!.split(','), system.topicPrefix);
    });

    it('when every workflow history of the run is read without the codec, then no planted number is there', () => {
      expect(histories.map((h) => h.workflowId)).toEqual(
        expect.arrayContaining([`project-${closedProject}`, `project-${closedProject}-tranche-start_up`, `project-${closedProject}-tranche-final`, `project-${calledBackProject}`]),
      );
      const raw = textOf(histories.map((h) => h.history));
      // The scan reads what is there: the search attributes (ids, stages) are in clear; the payloads are sealed.
      expect(raw).toContain(world.subDistrictId);
      expect(raw).not.toContain(TITLE);
      expect(findPlantedNumbers(raw, PLANTED)).toEqual([]);
    });

    it('when every message of every topic of the run is read, then no planted number is there, only masks', () => {
      const all = topics.flatMap((t) => t.messages);
      expect(topics.map((t) => t.topic)).toEqual(expect.arrayContaining([`${system.topicPrefix}linli.supervision.events`, `${system.topicPrefix}linli.lifecycle.events`]));
      const text = all.join('\n');
      expect(text).toContain('supervision.sign-in-sheet.recorded');
      // The finding's summary, the decisions' reasons and the reminder travel masked: the scan would have seen the digits had they been there.
      expect(text).toContain(masked(CALLED_BACK[0]!));
      expect(text).toContain('communities.proposal.decision-recorded');
      expect(text).toContain(`+86 ${masked(DECIDED)}`);
      expect(text).toContain('lifecycle.reminder.sent');
      expect(text).toContain(masked(REMINDED));
      expect(findPlantedNumbers(text, PLANTED)).toEqual([]);
    });

    it('when every line the services and the worker printed is read, then no planted number is there', () => {
      const logs = system.logs();
      expect(logs).toContain('/activities/:id/sign-in-sheet');
      expect(logs).toContain('/call-tasks/:id/phone-reveal');
      expect(logs).toMatch(/^worker\| /m);
      expect(findPlantedNumbers(logs, PLANTED)).toEqual([]);
    });
  });
});
