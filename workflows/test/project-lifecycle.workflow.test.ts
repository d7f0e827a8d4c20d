import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { trancheWorkflowId } from '@linli/contracts';
import { PLANNED, actors, approveAndContract, deliverActivity, startLifecycleHarness } from './lifecycle-harness';

/**
 * Every path of the project lifecycle, on the real Temporal server with mocked activities. Deadlines are
 * policy (milliseconds here), so a year runs in seconds.
 */
let h: Awaited<ReturnType<typeof startLifecycleHarness>>;
beforeAll(async () => {
  h = await startLifecycleHarness();
});
afterAll(async () => {
  await h?.stop();
});

const paidOnce = (keys: string[]) => new Set(keys).size === keys.length;

describe('project lifecycle', () => {
  it('when every gate approves, then it goes straight through to closed with three tranches paid exactly once', async () => {
    const p = await h.start();
    let s = await p.update('submit', { version: 1, by: actors.secretary });
    expect(s.stage).toBe('pre_review');
    expect(s.waitingOn).toBe('subdistrict_reviewer');
    expect(s.currentDetails).toMatch(/^等待预审会审议（待街道审核人员处理），已 \d+ 秒，时限 1 分钟$/);
    s = await p.decide('pre_review', 'approve', actors.reviewer);
    expect(s.stage).toBe('joint_review');
    s = await p.decide('joint_review', 'approve', actors.reviewer);
    expect(s.stage).toBe('committee');
    expect(s.waitingOn).toBe('committee_member');
    s = await p.decide('committee', 'approve', actors.committee, 1, { plannedActivities: PLANNED });
    expect(s.stage).toBe('approved');
    expect(s.activities).toEqual({ A1: 'planned', A2: 'planned' });
    await p.update('contractSigned', { contractId: randomUUID(), amountFen: 100_000_00, startsOn: '2026-03-01', endsOn: '2026-12-31', by: actors.reviewer });
    s = await p.waitFor('delivery after the start-up tranche', (x) => x.stage === 'in_delivery');
    expect(s.tranches.find((t) => t.kind === 'start_up')).toMatchObject({ status: 'paid', amountFen: 30_000_00 });

    await deliverActivity(p, 'A1');
    await p.update('check', { kind: 'mid_term', score: 85, grade: 'good', passed: true, by: actors.supervisor });
    await p.waitFor('mid-term tranche paid', (x) => x.tranches.find((t) => t.kind === 'mid_term')!.status === 'paid');
    await deliverActivity(p, 'A2');
    s = await p.state();
    expect(s.stage).toBe('close_out');
    await p.update('closeOut', { by: actors.org });
    s = await p.update('check', { kind: 'year_end', score: 92, grade: 'excellent', passed: true, by: actors.supervisor });
    s = await p.waitFor('closed', (x) => x.stage === 'closed');
    expect(s.tranches.map((t) => [t.kind, t.status])).toEqual([
      ['start_up', 'paid'],
      ['mid_term', 'paid'],
      ['final', 'paid'],
    ]);
    const requests = h.mocks.named('requestTranche').filter((r) => r.projectId === s.projectId);
    expect(requests.map((r) => r.kind)).toEqual(['start_up', 'mid_term', 'final']);
    expect(paidOnce(requests.map((r) => r.idempotencyKey))).toBe(true);
    expect(requests[0].idempotencyKey).toBe(`project-${s.projectId}/tranche/start_up/1`);
    expect(s.decisions.map((d) => `${d.gate}:${d.outcome}`)).toEqual(['pre_review:approve', 'joint_review:approve', 'committee:approve']);
    expect(h.mocks.named('applyReviewDecision').filter((d) => d.projectId === s.projectId)).toHaveLength(3);
    // The first thing the world hears is the start (operators see the draft at once), then each stage.
    const told = h.mocks.named('publishLifecycleEvent').filter((e) => e.projectId === s.projectId);
    expect(told[0]).toMatchObject({ type: 'lifecycle.started', data: { stage: 'draft', level: 'community' } });
    expect(told.filter((e) => e.type === 'lifecycle.started')).toHaveLength(1);
    await expect(p.handle.result()).resolves.toMatchObject({ stage: 'closed' });
    await p.record('approved-straight-through');
  });

  it.each(['pre_review', 'joint_review', 'committee'] as const)(
    'when returned at %s, then the revised version re-enters at pre-review and can be approved',
    async (gate) => {
      const p = await h.start();
      await p.update('submit', { version: 1, by: actors.secretary });
      const order = ['pre_review', 'joint_review', 'committee'] as const;
      for (const g of order.slice(0, order.indexOf(gate))) await p.decide(g, 'approve', g === 'committee' ? actors.committee : actors.reviewer);
      let s = await p.decide(gate, 'return', gate === 'committee' ? actors.committee : actors.reviewer);
      expect(s.stage).toBe('returned');
      expect(s.waitingOn).toBe('community_secretary');
      // Resubmitting the same version is refused: a revision is a new version.
      await expect(p.update('resubmit', { version: 1, by: actors.secretary })).rejects.toThrow(WorkflowUpdateFailedError);
      s = await p.update('resubmit', { version: 2, by: actors.secretary });
      expect(s.stage).toBe('pre_review');
      expect(s.proposalVersion).toBe(2);
      // A decision on the old version is stale.
      await expect(p.decide('pre_review', 'approve', actors.reviewer, 1)).rejects.toThrow(WorkflowUpdateFailedError);
      await p.decide('pre_review', 'approve', actors.reviewer, 2);
      await p.decide('joint_review', 'approve', actors.reviewer, 2);
      s = await p.decide('committee', 'approve', actors.committee, 2, { plannedActivities: PLANNED });
      expect(s.stage).toBe('approved');
      expect(s.decisions.filter((d) => d.outcome === 'return')).toHaveLength(1);
      if (gate === 'joint_review') await p.record(`returned-at-${gate}`);
    },
  );

  it('when the joint review rejects, then the lifecycle ends rejected with the reason', async () => {
    const p = await h.start();
    await p.update('submit', { version: 1, by: actors.secretary });
    await p.decide('pre_review', 'approve', actors.reviewer);
    const s = await p.decide('joint_review', 'reject', actors.reviewer);
    expect(s.stage).toBe('rejected');
    expect(s.outcome).toContain('联审否决');
    await expect(p.handle.result()).resolves.toMatchObject({ stage: 'rejected' });
    await p.record('rejected');
  });

  it('when a tender is unsuccessful, then it can be re-tendered, awarded, and contracted only after the standstill', async () => {
    const p = await h.start({ level: 'sub_district', communityId: null });
    await p.update('submit', { version: 1, by: actors.reviewer });
    await p.decide('pre_review', 'approve', actors.reviewer);
    await p.decide('joint_review', 'approve', actors.reviewer);
    let s = await p.decide('committee', 'approve', actors.committee, 1, { plannedActivities: PLANNED });
    expect(s.stage).toBe('tendering');
    const first = randomUUID();
    await p.update('tender', { step: 'published', tenderId: first, by: actors.reviewer });
    s = await p.update('tender', { step: 'unsuccessful', tenderId: first, bids: 2, by: actors.reviewer });
    expect(s.tender).toMatchObject({ status: 'unsuccessful', attempts: 1 });
    await expect(p.update('tender', { step: 'awarded', tenderId: first, organizationId: randomUUID(), amountFen: 1, standstillEndsAt: new Date().toISOString(), by: actors.committee })).rejects.toThrow(/流标/);
    const second = randomUUID();
    await p.update('tender', { step: 'retender', tenderId: second, by: actors.reviewer });
    await p.update('tender', { step: 'published', tenderId: second, by: actors.reviewer });
    const winner = randomUUID();
    const standstillEndsAt = new Date(Date.now() + 1500).toISOString();
    s = await p.update('tender', { step: 'awarded', tenderId: second, organizationId: winner, amountFen: 95_000_00, standstillEndsAt, by: actors.committee });
    expect(s.stage).toBe('standstill');
    expect(s.organizationId).toBe(winner);
    const contract = { contractId: randomUUID(), amountFen: 95_000_00, startsOn: '2026-04-01', endsOn: '2026-12-31', by: actors.reviewer };
    await expect(p.update('contractSigned', contract)).rejects.toThrow(/公示期/);
    await new Promise((r) => setTimeout(r, 1600));
    await p.update('contractSigned', contract);
    s = await p.waitFor('delivery', (x) => x.stage === 'in_delivery');
    expect(s.tender).toMatchObject({ status: 'awarded', attempts: 2 });
    await p.record('tender-retendered');
  });

  it('when payments are frozen, then the mid-term tranche waits until the freeze is lifted', async () => {
    const p = await h.start();
    await approveAndContract(p);
    await p.waitFor('delivery', (x) => x.stage === 'in_delivery');
    await p.update('paymentsFreeze', { frozen: true, reason: '严重问题：签到单造假', by: actors.supervisor });
    let s = await p.update('check', { kind: 'mid_term', score: 80, grade: 'good', passed: true, by: actors.supervisor });
    expect(s.currentDetails).toContain('拨付已冻结');
    await new Promise((r) => setTimeout(r, 800));
    s = await p.state();
    expect(s.tranches.find((t) => t.kind === 'mid_term')!.status).toBe('pending');
    expect(h.mocks.named('requestTranche').filter((r) => r.projectId === s.projectId && r.kind === 'mid_term')).toHaveLength(0);
    await p.update('paymentsFreeze', { frozen: false, reason: '已整改', by: actors.supervisor });
    s = await p.waitFor('mid-term paid', (x) => x.tranches.find((t) => t.kind === 'mid_term')!.status === 'paid');
    expect(s.paymentsFrozen).toBeNull();
    await p.record('payments-frozen-released');
  });

  it('when terminated early with something owed, then it is settled once and the owed amount is paid as the final tranche, approved by finance, before the project closes', async () => {
    const p = await h.start();
    await approveAndContract(p);
    await p.waitFor('delivery', (x) => x.stage === 'in_delivery');
    await deliverActivity(p, 'A1');
    await expect(p.update('terminate', { reason: '服务质量不达标', by: actors.secretary })).rejects.toThrow(/无权/);
    h.mocks.setTerminationOwed(20_000_00);
    h.mocks.setTrancheMode('requested');
    try {
      await p.update('terminate', { reason: '服务质量不达标，提前解约', by: actors.committee });
      let s = await p.waitFor('the settlement requested as the final tranche', (x) => x.tranches.find((t) => t.kind === 'final')!.status === 'requested');
      expect(s.stage).toBe('terminated');
      expect(s.tranches.map((t) => t.status)).toEqual(['paid', 'skipped', 'requested']);
      const settlements = h.mocks.named('settleTermination').filter((x) => x.projectId === s.projectId);
      expect(settlements).toHaveLength(1);
      expect(settlements[0]).toMatchObject({ deliveredPermille: 500, reason: '提前终止：服务质量不达标，提前解约', idempotencyKey: `project-${s.projectId}/termination` });
      // The tranche workflow asks payments (the state says requested as soon as the child is started).
      const finals = () => h.mocks.named('requestTranche').filter((r) => r.projectId === s.projectId && r.kind === 'final');
      for (let i = 0; i < 100 && finals().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(finals().map((r) => r.idempotencyKey)).toEqual([`project-${s.projectId}/tranche/final/1`]);

      // Finance approves in payments, whose bridge reports the payment to the tranche workflow.
      await h.client.workflow.getHandle(trancheWorkflowId(`project-${s.projectId}`, 'final')).executeUpdate('trancheSettled', { args: [{ outcome: 'paid', amountFen: 20_000_00 }] });
      s = await p.waitFor('closed', (x) => x.stage === 'closed');
      expect(s.tranches.map((t) => [t.kind, t.status, t.amountFen])).toEqual([
        ['start_up', 'paid', 30_000_00],
        ['mid_term', 'skipped', null],
        ['final', 'paid', 20_000_00],
      ]);
      expect(s.outcome).toBe('提前终止并结算（已完成 50%，结算尾款 2000000 分已拨付）');
      expect(h.mocks.named('settleTermination').filter((x) => x.projectId === s.projectId)).toHaveLength(1);
      await p.record('terminated-settled-final-tranche');
    } finally {
      h.mocks.setTrancheMode('paid');
      h.mocks.setTerminationOwed(0);
    }
  });

  it('when terminated early with nothing owed, then no final tranche is requested and the project closes', async () => {
    const p = await h.start();
    await approveAndContract(p);
    await p.waitFor('delivery', (x) => x.stage === 'in_delivery');
    await deliverActivity(p, 'A1');
    await p.update('terminate', { reason: '社会组织无法继续服务', by: actors.committee });
    const s = await p.waitFor('closed', (x) => x.stage === 'closed');
    const settlements = h.mocks.named('settleTermination').filter((x) => x.projectId === s.projectId);
    expect(settlements).toHaveLength(1);
    expect(settlements[0]).toMatchObject({ deliveredPermille: 500, idempotencyKey: `project-${s.projectId}/termination` });
    expect(s.tranches.map((t) => t.status)).toEqual(['paid', 'skipped', 'skipped']);
    expect(h.mocks.named('requestTranche').filter((r) => r.projectId === s.projectId).map((r) => r.kind)).toEqual(['start_up']);
    expect(s.outcome).toBe('提前终止并结算（已完成 50%，无应付结算款）');
    await p.record('terminated-nothing-owed');
  });

  it('when a frozen contract is terminated with something owed, then the settlement waits for the freeze to be lifted', async () => {
    const p = await h.start();
    await approveAndContract(p);
    await p.waitFor('delivery', (x) => x.stage === 'in_delivery');
    await deliverActivity(p, 'A1');
    await p.update('paymentsFreeze', { frozen: true, reason: '发票与预算不符', by: actors.supervisor });
    h.mocks.setTerminationOwed(10_000_00);
    try {
      await p.update('terminate', { reason: '严重问题未整改', by: actors.committee });
      const projectId = (await p.state()).projectId;
      for (let i = 0; i < 50 && h.mocks.named('settleTermination').every((x) => x.projectId !== projectId); i++) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 500));
      let s = await p.state();
      expect(s.stage).toBe('terminated');
      expect(s.tranches.find((t) => t.kind === 'final')!.status).toBe('pending');
      expect(h.mocks.named('requestTranche').filter((r) => r.projectId === projectId && r.kind === 'final')).toHaveLength(0);
      await p.update('paymentsFreeze', { frozen: false, reason: '已整改', by: actors.supervisor });
      s = await p.waitFor('closed', (x) => x.stage === 'closed');
      expect(s.tranches.find((t) => t.kind === 'final')).toMatchObject({ status: 'paid', amountFen: 10_000_00 });
      expect(s.outcome).toBe('提前终止并结算（已完成 50%，结算尾款 1000000 分已拨付）');
    } finally {
      h.mocks.setTerminationOwed(0);
    }
  });

  it('when a review deadline is missed, then it escalates, needs attention, tells the next level, and approves nothing', async () => {
    const p = await h.start({ policy: { reviewGate: { ms: 1000 } } as never });
    await p.update('submit', { version: 1, by: actors.secretary });
    const s = await p.waitFor('an escalation', (x) => x.escalations.length > 0, 10_000);
    expect(s.stage).toBe('pre_review');
    expect(s.needsAttention).toBe(true);
    expect(s.decisions).toHaveLength(0);
    expect(s.currentDetails).toContain('已超时');
    const escalated = await (async () => {
      for (let i = 0; i < 50; i++) {
        const found = h.mocks.named('publishLifecycleEvent').find((e) => e.projectId === s.projectId && e.type === 'lifecycle.deadline.escalated');
        if (found) return found;
        await new Promise((r) => setTimeout(r, 100));
      }
      return undefined;
    })();
    expect(escalated?.data).toMatchObject({ level: 1, waitingOn: 'subdistrict_reviewer', notify: 'committee_member' });
    // Moving on clears the attention flag.
    const after = await p.decide('pre_review', 'approve', actors.reviewer);
    expect(after.needsAttention).toBe(false);
    await p.record('deadline-escalated');
  });

  it('when a tranche request is rejected by payments, then the project parks, and an admin retry pays it', async () => {
    const p = await h.start();
    h.mocks.failNext('requestTranche');
    await approveAndContract(p);
    let s = await p.waitFor('parked', (x) => x.parked !== null);
    expect(s.parked).toMatchObject({ step: 'tranche:start_up' });
    expect(s.parked!.error).toContain('rejected by the service');
    expect(s.needsAttention).toBe(true);
    expect(s.currentDetails).toContain('【需处理】');
    await expect(p.update('admin', { action: 'retry', reason: '支付服务已恢复', by: actors.reviewer })).rejects.toThrow(WorkflowUpdateFailedError);
    await p.update('admin', { action: 'retry', reason: '支付服务已恢复', by: actors.admin });
    s = await p.waitFor('delivery after the retry', (x) => x.stage === 'in_delivery');
    expect(s.parked).toBeNull();
    const keys = h.mocks.named('requestTranche').filter((r) => r.projectId === s.projectId).map((r) => r.idempotencyKey);
    expect(keys).toEqual([`project-${s.projectId}/tranche/start_up/1`, `project-${s.projectId}/tranche/start_up/2`]);
    await p.record('parked-admin-retry');
  });

  it('when a tranche waits for finance, then it completes when payments reports it paid to the tranche workflow', async () => {
    h.mocks.setTrancheMode('requested');
    try {
      const p = await h.start();
      await approveAndContract(p);
      const s = await p.waitFor('start-up requested', (x) => x.tranches[0]!.status === 'requested');
      await new Promise((r) => setTimeout(r, 300));
      const child = h.client.workflow.getHandle(trancheWorkflowId(`project-${s.projectId}`, 'start_up'));
      await child.executeUpdate('trancheSettled', { args: [{ outcome: 'paid', amountFen: 30_000_00 }] });
      await p.waitFor('delivery', (x) => x.stage === 'in_delivery');
    } finally {
      h.mocks.setTrancheMode('paid');
    }
  });

  it('when a planned activity was never reported, then it escalates once while contracted and the project still needs attention in delivery until the report comes', async () => {
    h.mocks.setTrancheMode('requested');
    try {
      const p = await h.start();
      const future = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
      await approveAndContract(p, { planned: [{ activityKey: 'A1', endsOn: '2026-01-10' }, { activityKey: 'A2', endsOn: future }] });
      let s = await p.waitFor('the overdue report escalated while contracted', (x) => x.stage === 'contracted' && x.escalations.some((e) => e.reason.includes('A1')));
      expect(s.needsAttention).toBe(true);
      await h.client.workflow.getHandle(trancheWorkflowId(`project-${s.projectId}`, 'start_up')).executeUpdate('trancheSettled', { args: [{ outcome: 'paid', amountFen: 30_000_00 }] });
      s = await p.waitFor('delivery', (x) => x.stage === 'in_delivery');
      // A new stage, no escalation in it, but A1 is still overdue: the project keeps asking for attention.
      expect(s.escalations.filter((e) => e.reason.includes('A1'))).toHaveLength(1);
      expect(s.needsAttention).toBe(true);
      s = await p.update('activity', { activityKey: 'A1', step: 'held', by: actors.org });
      // Reported; its sign-in sheet is due in three days and A2 is not due yet: nothing is overdue.
      expect(s.needsAttention).toBe(false);
      await p.record('overdue-deliverable');
    } finally {
      h.mocks.setTrancheMode('paid');
    }
  });

  it('when an update comes at the wrong stage, from the wrong role, or on a stale version, then it is refused with the reason and nothing changes', async () => {
    const p = await h.start();
    await expect(p.decide('pre_review', 'approve', actors.reviewer)).rejects.toThrow(WorkflowUpdateFailedError);
    await p.update('submit', { version: 1, by: actors.secretary });
    const before = await p.state();
    const reasons: string[] = [];
    const attempt = async (fn: () => Promise<unknown>) => {
      try {
        await fn();
        reasons.push('accepted!');
      } catch (err) {
        expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
        reasons.push(((err as WorkflowUpdateFailedError).cause as Error).message);
      }
    };
    await attempt(() => p.decide('joint_review', 'approve', actors.reviewer)); // wrong stage
    await attempt(() => p.decide('pre_review', 'approve', actors.secretary)); // wrong role
    await attempt(() => p.decide('pre_review', 'approve', actors.otherReviewer)); // wrong sub-district
    await attempt(() => p.decide('pre_review', 'approve', actors.reviewer, 7)); // stale version
    await attempt(() => p.decide('pre_review', 'return', actors.reviewer, 1, { reasons: '' })); // no reason
    expect(reasons).toEqual([
      expect.stringContaining('不是「联审」'),
      expect.stringContaining('社区书记无权'),
      expect.stringContaining('管辖范围'),
      expect.stringContaining('版本已过期'),
      expect.stringContaining('须写明理由'),
    ]);
    const after = await p.state();
    expect(after.stage).toBe(before.stage);
    expect(after.decisions).toEqual([]);
    expect(h.mocks.named('applyReviewDecision').filter((d) => d.projectId === after.projectId)).toHaveLength(0);
    await p.record('invalid-updates-refused');
  });
});

describe('project lifecycle, long life', () => {
  it('when the history grows past the policy limit, then it continues as new carrying its whole state', async () => {
    const p = await h.start({ policy: { continueAsNewAfterEvents: 100 } as never });
    await p.update('submit', { version: 1, by: actors.secretary });
    await p.decide('pre_review', 'return', actors.reviewer);
    // Each manual escalation adds events; enough of them cross the limit.
    for (let i = 0; i < 25; i++) await p.update('escalate', { reason: `催办 ${i + 1}`, by: actors.admin });
    const s = await p.waitFor('a new run', (x) => x.runs > 1);
    expect(s.stage).toBe('returned');
    expect(s.decisions).toHaveLength(1);
    expect(s.escalations.length).toBeGreaterThanOrEqual(25);
    // The new run goes on from where the old one was.
    await p.update('resubmit', { version: 2, by: actors.secretary });
    const after = await p.decide('pre_review', 'approve', actors.reviewer, 2);
    expect(after.stage).toBe('joint_review');
    expect(after.proposalVersion).toBe(2);
  });
});

describe('project lifecycle, operator actions', () => {
  it('when an operator reminds and reassigns, then the timeline and details show it, and the next stage clears the assignee', async () => {
    const p = await h.start();
    await p.update('submit', { version: 1, by: actors.secretary });
    const operator = { userId: 'u-op', role: 'operator', scope: { kind: 'platform', id: 'linli' } };
    let s = await p.update('remind', { reason: '请尽快预审', by: operator });
    expect(s.timeline.at(-1)).toMatchObject({ kind: 'reminder', by: { userId: 'u-op' } });
    await expect(p.update('reassign', { assigneeUserId: 'u-wang', reason: '原审核人休假', by: actors.secretary })).rejects.toThrow(/无权/);
    s = await p.update('reassign', { assigneeUserId: 'u-wang', assigneeName: '王玉梅', reason: '原审核人休假', by: operator });
    expect(s.assignee).toMatchObject({ userId: 'u-wang', name: '王玉梅' });
    expect(s.currentDetails).toContain('待 王玉梅 处理');
    s = await p.decide('pre_review', 'approve', actors.reviewer);
    expect(s.assignee).toBeNull();
  });
});
