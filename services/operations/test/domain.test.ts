import type { Principal } from '@linli/auth';
import type { LifecycleState } from '@linli/contracts';
import { actionsAllowed, authorizeListing, visibleScopeOf } from '../src/domain/access-scope';
import { budgetVsActual, mergeTimeline, summarizeServiceEvent, yuan, type StoredServiceEvent } from '../src/domain/project-story';
import { durationText, eventAlreadyReflected, EVENT_CLOCK_MARGIN_MS, fieldsFromState, fieldsFromVisibility, isOverdue, paidFenOf, stalledFacts, visibilityPrint } from '../src/domain/read-model';
import { issueStreamTicket, verifyStreamTicket } from '../src/domain/stream-ticket';

const P = '11111111-1111-4111-8111-111111111111';
const S = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';
const O = '44444444-4444-4444-8444-444444444444';

function state(overrides: Partial<LifecycleState> = {}): LifecycleState {
  return {
    projectId: P,
    level: 'community',
    title: '延静里社区老兵俱乐部',
    subDistrictId: S,
    communityId: C,
    organizationId: O,
    fiscalYear: 2026,
    stage: 'joint_review',
    stageEnteredAt: '2026-03-02T01:00:00.000Z',
    deadline: '2026-03-09T01:00:00.000Z',
    waitingOn: 'subdistrict_reviewer',
    proposalVersion: 1,
    decisions: [],
    tender: { tenderId: null, attempts: 0, status: null },
    contract: null,
    tranches: [
      { kind: 'start_up', status: 'paid', amountFen: 30_000_00, condition: '合同签订后拨付启动资金', attempts: 1 },
      { kind: 'mid_term', status: 'failed', amountFen: 40_000_00, condition: '中期检查通过', attempts: 2 },
      { kind: 'final', status: 'pending', amountFen: null, condition: '结项评估后', attempts: 0 },
    ],
    activities: {},
    paymentsFrozen: null,
    midTerm: null,
    yearEnd: null,
    escalations: [],
    parked: null,
    assignee: null,
    needsAttention: false,
    currentDetails: '等待联审会审议',
    outcome: null,
    timeline: [],
    runs: 1,
    ...overrides,
  };
}

describe('read model rules', () => {
  it('when a state becomes a row, then paid counts only paid tranches, committed is the contract, and a parked step makes the admin the one to act', () => {
    const parked = fieldsFromState(
      state({ contract: { contractId: 'c', amountFen: 100_000_00, startsOn: '2026-03-01', endsOn: '2026-12-31' }, parked: { step: 'tranche:mid_term', error: '拨付失败', at: '2026-06-01T00:00:00Z', attempts: 2 } }),
      'RUNNING',
    );
    expect(parked).toMatchObject({ committedFen: 100_000_00, paidFen: 30_000_00, waitingOn: 'admin', parkedStep: 'tranche:mid_term', parkedSince: '2026-06-01T00:00:00.000Z', workflowStatus: 'running' });
    expect(paidFenOf(state().tranches)).toBe(30_000_00);
    const plain = fieldsFromState(state(), 'running');
    expect(plain.waitingOn).toBe('subdistrict_reviewer');
    expect(plain.stateHash).not.toBe(parked.stateHash);
    expect(fieldsFromState(state(), 'running').stateHash).toBe(plain.stateHash);
  });

  it("when visibility shows the same facts as the row's state, then the prints match (the reconciler skips it); any difference makes them differ", () => {
    const row = fieldsFromState(state(), 'running');
    const visible = { status: 'RUNNING', stage: 'joint_review', waitingOn: 'subdistrict_reviewer', deadline: '2026-03-09T01:00:00Z', needsAttention: false, stageEnteredAt: '2026-03-02T01:00:00Z' };
    expect(visibilityPrint(visible)).toBe(row.visibilityPrint);
    expect(visibilityPrint({ ...visible, stage: 'committee' })).not.toBe(row.visibilityPrint);
    expect(visibilityPrint({ ...visible, status: 'COMPLETED' })).not.toBe(row.visibilityPrint);
  });

  it('when only visibility can be read, then it updates stage and attention and keeps what it cannot see', () => {
    const existing = fieldsFromState(state(), 'running');
    const v = { status: 'TERMINATED', stage: 'committee', waitingOn: 'committee_member', deadline: null, needsAttention: true, stageEnteredAt: '2026-03-05T00:00:00.000Z', subDistrictId: S, communityId: 'sub_district', organizationId: O, level: 'community', fiscalYear: 2026 };
    const next = fieldsFromVisibility(existing, P, v, 'no worker')!;
    expect(next).toMatchObject({ title: existing.title, stage: 'committee', workflowStatus: 'terminated', waitingOn: 'committee_member', needsAttention: true, communityId: C, tranches: existing.tranches });
    const fresh = fieldsFromVisibility(null, P, v, 'no worker')!;
    expect(fresh.title).toBe('项目 11111111');
    expect(fresh.currentDetails).toBe('未能读取流程状态：no worker');
    expect(fieldsFromVisibility(null, P, { ...v, stage: null }, 'x')).toBeNull();
  });

  it('when the deadline has passed, then the row is overdue — unless the project is finished', () => {
    const now = new Date('2026-03-10T00:00:00Z');
    expect(isOverdue({ deadline: '2026-03-09T01:00:00.000Z', stage: 'joint_review' }, now)).toBe(true);
    expect(isOverdue({ deadline: '2026-03-11T01:00:00.000Z', stage: 'joint_review' }, now)).toBe(false);
    expect(isOverdue({ deadline: '2026-03-09T01:00:00.000Z', stage: 'closed' }, now)).toBe(false);
    expect(isOverdue({ deadline: null, stage: 'joint_review' }, now)).toBe(false);
  });

  it('when a lifecycle is stalled, then the reason is in words: the parked error first, else the stage past its time', () => {
    const now = new Date('2026-03-10T01:00:00Z');
    const overdue = stalledFacts({ parkedStep: null, parkedError: null, parkedSince: null, deadline: '2026-03-09T01:00:00.000Z', stage: 'joint_review' }, now)!;
    expect(overdue).toMatchObject({ kind: 'overdue', reason: '「联审」超过时限', since: '2026-03-09T01:00:00.000Z', ageMs: 86_400_000, ageText: '超时 1 天' });
    const parked = stalledFacts({ parkedStep: 'tranche:start_up', parkedError: '申请拨付失败', parkedSince: '2026-03-10T00:30:00.000Z', deadline: '2026-03-09T01:00:00.000Z', stage: 'contracted' }, now)!;
    expect(parked).toMatchObject({ kind: 'parked', reason: '步骤「tranche:start_up」失败：申请拨付失败', ageText: '停住 30 分钟' });
    expect(stalledFacts({ parkedStep: null, parkedError: null, parkedSince: null, deadline: null, stage: 'draft' }, now)).toBeNull();
    expect(durationText(3 * 86_400_000 + 4 * 3_600_000)).toBe('3 天 4 小时');
    expect(durationText(5_000)).toBe('5 秒');
  });
});

describe('a lifecycle event against the row it would refresh', () => {
  const at = '2026-05-01T08:00:00.000Z';
  const later = (ms: number) => new Date(Date.parse(at) + ms).toISOString();
  it('when the row was read from the workflow after the event was written (beyond the clock margin), then the event needs no new read', () => {
    expect(eventAlreadyReflected({ stateAt: later(EVENT_CLOCK_MARGIN_MS), stateHash: 'abc' }, at)).toBe(true);
    expect(eventAlreadyReflected({ stateAt: later(60_000), stateHash: 'abc' }, at)).toBe(true);
  });
  it('when the read was before the event or within the margin, or there is no row, then the workflow is read again', () => {
    expect(eventAlreadyReflected({ stateAt: later(EVENT_CLOCK_MARGIN_MS - 1), stateHash: 'abc' }, at)).toBe(false);
    expect(eventAlreadyReflected({ stateAt: later(-5_000), stateHash: 'abc' }, at)).toBe(false);
    expect(eventAlreadyReflected(null, at)).toBe(false);
  });
  it('when the row was pieced together from visibility (the state could not be read), then the workflow is read again however late', () => {
    const v = fieldsFromVisibility(null, '8d0c6f5e-2c1b-4b8e-9a51-3f7a8a0d1e22', { status: 'Running', stage: 'pre_review', subDistrictId: '11111111-1111-4111-8111-111111111111', communityId: null, organizationId: '22222222-2222-4222-8222-222222222222', level: 'community', fiscalYear: 2026, waitingOn: 'subdistrict_reviewer', deadline: null, needsAttention: false, stageEnteredAt: null }, 'query timed out');
    expect(v).not.toBeNull();
    expect(eventAlreadyReflected({ stateAt: later(3_600_000), stateHash: v!.stateHash }, at)).toBe(false);
  });
});

describe('the project story', () => {
  const ev = (type: string, data: Record<string, unknown>, occurredAt: string): StoredServiceEvent => ({ source: type.split('.')[0]!, type, occurredAt, actor: null, summary: summarizeServiceEvent(type, data, '描述'), data });

  it('when service events are summarized, then they read in the users’ words with yuan amounts; unknown ones fall back to their description', () => {
    expect(yuan(1_234_56)).toBe('¥1,234.56');
    expect(summarizeServiceEvent('payments.tranche.paid', { kind: 'mid_term', amountFen: 40_000_00 }, '')).toBe('中期款已拨付 ¥40,000.00');
    expect(summarizeServiceEvent('communities.proposal.decision-recorded', { gate: 'joint_review', outcome: 'return', reasons: '大巴车报价偏高' }, '')).toBe('联审打回修改：大巴车报价偏高');
    expect(summarizeServiceEvent('supervision.callback.recorded', { activityKey: 'A1', outcome: 'did_not_attend', remaining: 2 }, '')).toBe('活动 A1 电话回访：未参加（还剩 2 个）');
    expect(summarizeServiceEvent('supervision.something.new', {}, '新事件')).toBe('新事件');
  });

  it('when merging, then workflow entries, decisions (with reasons) and service events come out in time order', () => {
    const merged = mergeTimeline({
      timeline: [
        { at: '2026-03-01T00:00:00Z', kind: 'started', summary: '项目生命周期开始' },
        { at: '2026-03-03T00:00:00Z', kind: 'admin', summary: '管理员重试「tranche:start_up」：财务恢复', by: { userId: 'u-admin', role: 'admin' } },
      ],
      decisions: [{ decisionId: 'd', gate: 'pre_review', outcome: 'return', version: 1, reasons: '预算偏高', by: { userId: 'u-sun', role: 'subdistrict_reviewer' }, at: '2026-03-02T00:00:00Z' }],
      serviceEvents: [ev('payments.tranche.paid', { kind: 'start_up', amountFen: 100 }, '2026-03-04T00:00:00Z')],
    });
    expect(merged.map((e) => [e.kind, e.category, e.reason])).toEqual([
      ['started', 'stage', null],
      ['decision', 'decision', '预算偏高'],
      ['admin', 'admin', '财务恢复'],
      ['payments.tranche.paid', 'payment', null],
    ]);
    expect(merged[1]!.summary).toBe('预审决定：打回修改（第 1 版）');
  });

  it('when invoices arrive per budget line, then actual is their sum per line (each invoice once) and totals come from the lines', () => {
    const approved = ev('communities.proposal.approved', { budgetLines: [{ lineId: 'L1', activityKey: 'A1', kind: 'item', description: '大巴车', amountFen: 2_000_00 }, { lineId: 'L2', activityKey: null, kind: 'staff', description: '人员', amountFen: 5_000_00 }] }, '2026-03-01T00:00:00Z');
    const inv = (id: string, amountFen: number) => ev('supervision.invoice.recorded', { invoiceId: id, lineId: 'L1', amountFen }, '2026-04-01T00:00:00Z');
    const budget = budgetVsActual([approved, inv('i1', 1_500_00), inv('i2', 1_000_00), inv('i1', 1_500_00)]);
    expect(budget.lines.map((l) => [l.lineId, l.budgetFen, l.actualFen, l.varianceFen])).toEqual([
      ['L1', 2_000_00, 2_500_00, 500_00],
      ['L2', 5_000_00, 0, -5_000_00],
    ]);
    expect(budget).toMatchObject({ totalBudgetFen: 7_000_00, totalActualFen: 2_500_00, actualAvailable: true });
    const budgetOnly = budgetVsActual([approved]);
    expect(budgetOnly).toMatchObject({ actualAvailable: false, totalActualFen: null });
    expect(budgetOnly.lines[0]!.actualFen).toBeNull();
    expect(budgetOnly.note).toContain('budget only');
  });
});

describe('who sees and does what', () => {
  const operator: Principal = { userId: 'o', role: 'operator', scope: { kind: 'platform', id: 'linli' } };
  const admin: Principal = { userId: 'a', role: 'admin', scope: { kind: 'platform', id: 'linli' } };
  const committee: Principal = { userId: 'c', role: 'committee_member', scope: { kind: 'sub-district', id: S } };
  const resource = { subDistrictId: S, communityId: C, organizationId: O };

  it('when listing, then each role sees its own scope and roles without lifecycle.read are refused', () => {
    expect(authorizeListing(operator)).toEqual({ kind: 'all' });
    expect(visibleScopeOf(committee)).toEqual({ kind: 'subDistrict', id: S });
    expect(visibleScopeOf({ userId: 's', role: 'supervisor', scope: { kind: 'agency', id: 'ag' } })).toEqual({ kind: 'agency', id: 'ag' });
    expect(() => authorizeListing({ userId: 'r', role: 'resident_rep', scope: { kind: 'community', id: C } })).toThrow('居民代表无权');
  });

  it('when offering actions, then the policy and the state decide: retry/skip only when parked, terminate only after the contract', () => {
    expect(actionsAllowed(operator, resource, { parked: true, terminal: false, stage: 'contracted' })).toEqual(['remind', 'escalate', 'reassign']);
    expect(actionsAllowed(admin, resource, { parked: true, terminal: false, stage: 'contracted' })).toEqual(['remind', 'escalate', 'reassign', 'retry', 'skip', 'terminate']);
    expect(actionsAllowed(admin, resource, { parked: false, terminal: false, stage: 'joint_review' })).toEqual(['remind', 'escalate', 'reassign']);
    expect(actionsAllowed(committee, resource, { parked: false, terminal: false, stage: 'in_delivery' })).toEqual(['terminate']);
    expect(actionsAllowed(admin, resource, { parked: false, terminal: true, stage: 'closed' })).toEqual([]);
  });

  it('when a stream ticket is checked, then only an unexpired, untampered ticket of this secret passes', () => {
    const secret = 'x'.repeat(40);
    const { ticket } = issueStreamTicket(operator, secret, 1_000, 60_000);
    expect(verifyStreamTicket(ticket, secret, 2_000)).toMatchObject({ userId: 'o', role: 'operator' });
    expect(() => verifyStreamTicket(ticket, secret, 62_000)).toThrow('已过期');
    expect(() => verifyStreamTicket(ticket, 'y'.repeat(40), 2_000)).toThrow('无效');
    const [body, mac] = ticket.split('.');
    const forged = Buffer.from(JSON.stringify({ p: admin, exp: 99_999_999 })).toString('base64url');
    expect(() => verifyStreamTicket(`${forged}.${mac}`, secret, 2_000)).toThrow('无效');
    expect(() => verifyStreamTicket(`${body}`, secret, 2_000)).toThrow('无效');
    expect(() => verifyStreamTicket(undefined, secret)).toThrow('缺少');
  });
});
