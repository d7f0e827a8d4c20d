import { randomUUID } from 'node:crypto';
import {
  ContractAssigned,
  FindingRaised,
  InvoiceRecorded,
  OrganizationRegistered,
  ProposalApproved,
  SubDistrictRegistered,
  TranchePaid,
} from '@linli/contracts';
import { waitFor } from '@linli/testing';
import { actors, approveAndContract, type Lifecycle } from '../../../workflows/test/lifecycle-harness';
import { serviceEventDefinitions } from '../src/entry-points/consumers/service-events.consumer';
import { C, O, S, startOps, who, type Ops } from './ops-harness';

/** A producer's event definition by its type (the names of the exports may still move; the types are the contract). */
const defOf = (type: string) => {
  const def = serviceEventDefinitions().find((d) => d.type === type);
  if (!def) throw new Error(`no event definition for ${type} in @linli/contracts`);
  return def;
};

const idOf = (p: Lifecycle) => p.handle.workflowId.slice('project-'.length);
const C2 = randomUUID();
const AGENCY = randomUUID();

/**
 * The operations API on the real Temporal, Kafka and PostgreSQL, with real lifecycles: each state below
 * is reached by driving a real workflow, and the read model learns of it only through the lifecycle
 * events on Kafka (the start-up reconcile is off), except where a test says otherwise.
 */
describe('operations API on the real components', () => {
  let ops: Ops;
  const p: Record<'review' | 'overdue' | 'parked' | 'delivering' | 'parked2' | 'other', Lifecycle> = {} as never;
  const id = (k: keyof typeof p) => idOf(p[k]);

  /** The list row of a project once the read model shows what `pred` wants (read through the list, which never reads the workflow itself). */
  const rowWhen = (projectId: string, what: string, pred: (r: any) => boolean, timeoutMs = 20_000) =>
    waitFor(
      what,
      async () => {
        const res = await ops.api('GET', `/projects?q=${projectId}`);
        const row = res.body.items?.[0];
        return row && pred(row) ? row : undefined;
      },
      { timeoutMs },
    );

  beforeAll(async () => {
    ops = await startOps();
    const { lifecycles } = ops;
    // 预审: submitted, waiting on the reviewers.
    p.review = await lifecycles.start({ title: '延静里社区老兵俱乐部' });
    await p.review.update('submit', { version: 1, by: actors.secretary });
    // 预审 with a 300 ms allowance: overdue almost at once, and escalated by the workflow.
    p.overdue = await lifecycles.start({ title: '咱爸咱妈晚晴同行', policy: { reviewGate: { ms: 300 } } as never });
    await p.overdue.update('submit', { version: 1, by: actors.secretary });
    // Contracted, but payments refuses the start-up tranche: the tranche parks for an admin.
    lifecycles.mocks.failNext('requestTranche');
    p.parked = await lifecycles.start({ title: '单元格居民议事厅' });
    await approveAndContract(p.parked);
    await p.parked.waitFor('tranche parked', (s) => s.parked?.step === 'tranche:start_up');
    lifecycles.mocks.failNext('requestTranche');
    p.parked2 = await lifecycles.start({ title: '创享计划' });
    await approveAndContract(p.parked2);
    await p.parked2.waitFor('tranche parked', (s) => s.parked?.step === 'tranche:start_up');
    // In delivery with the start-up tranche paid.
    p.delivering = await lifecycles.start({ title: '悠贝亲子阅读故事会' });
    await approveAndContract(p.delivering);
    await p.delivering.waitFor('in delivery', (s) => s.stage === 'in_delivery');
    // Another community, another year.
    p.other = await lifecycles.start({ title: '老年餐桌与助浴', communityId: C2, fiscalYear: 2025 });
    await p.other.update('submit', { version: 1, by: { userId: 'u-zhou', role: 'community_secretary', scope: { kind: 'community', id: C2 } } });
  }, 90_000);

  afterAll(async () => {
    await ops?.stop();
  });

  it('when lifecycles move, then the read model catches up from the lifecycle events alone', async () => {
    await rowWhen(id('review'), 'pre_review row', (r) => r.stage === 'pre_review' && r.waitingOn === 'subdistrict_reviewer');
    const overdue = await rowWhen(id('overdue'), 'escalated overdue row', (r) => r.overdue && r.needsAttention);
    expect(overdue.currentDetails).toContain('已超时');
    const parked = await rowWhen(id('parked'), 'parked row', (r) => r.parked?.step === 'tranche:start_up');
    expect(parked).toMatchObject({ stage: 'contracted', waitingOn: 'admin', waitingOnLabel: '管理员（步骤停住）', needsAttention: true, committedFen: 100_000_00, paidFen: 0 });
    expect(parked.parked.error).toContain('requestTranche rejected by the service');
    await rowWhen(id('parked2'), 'second parked row', (r) => r.parked !== null);
    const delivering = await rowWhen(id('delivering'), 'delivering row', (r) => r.stage === 'in_delivery' && r.paidFen === 30_000_00);
    expect(delivering).toMatchObject({ stageLabel: '服务实施中', waitingOn: 'org_staff', committedFen: 100_000_00, parked: null });
    await rowWhen(id('other'), 'row of another community', (r) => r.stage === 'pre_review' && r.communityId === C2 && r.fiscalYear === 2025);
  });

  it('when an operator opens the overview, then counts by stage, sub-district and who must act, money per community fund, overdue and parked are right', async () => {
    const res = await ops.api('GET', '/overview', undefined, who.operator);
    expect(res.status).toBe(200);
    const o = res.body;
    // Needs attention: the overdue one, the two parked ones, and perhaps the one in delivery (its planned
    // activities ended months ago and were never reported; whether that escalation lands before or after
    // it enters delivery is the workflow's race, and only an escalation in the current stage counts).
    const attention = (await ops.api('GET', '/projects?limit=100')).body.items.filter((r: any) => r.needsAttention).length;
    expect(attention).toBeGreaterThanOrEqual(3);
    expect(o).toMatchObject({ total: 6, active: 6, overdue: 1, parked: 2, needsAttention: attention });
    expect(o.byStage).toEqual([
      { stage: 'pre_review', label: '预审', count: 3 },
      { stage: 'contracted', label: '已签约', count: 2 },
      { stage: 'in_delivery', label: '服务实施中', count: 1 },
    ]);
    expect(o.bySubDistrict).toEqual([{ subDistrictId: S, name: null, count: 6, overdue: 1, parked: 2 }]);
    expect(Object.fromEntries(o.byWaitingOn.map((w: any) => [w.waitingOn, w.count]))).toEqual({ subdistrict_reviewer: 3, admin: 2, org_staff: 1 });
    const fund = o.funds.find((f: any) => f.communityId === C && f.fiscalYear === 2026);
    expect(fund).toMatchObject({ subDistrictId: S, projects: 5, committedFen: 3 * 100_000_00, paidFen: 30_000_00, allocatedFen: null });
    expect(o.funds.find((f: any) => f.communityId === C2)).toMatchObject({ fiscalYear: 2025, projects: 1, committedFen: 0, paidFen: 0 });
    expect(o.fundsNote).toContain('allocated');
  });

  it('when listing with filters, then each filter selects exactly its projects', async () => {
    const ids = async (q: string) => (await ops.api('GET', `/projects?limit=100&${q}`)).body.items.map((r: any) => r.projectId).sort();
    const sorted = (...ks: (keyof typeof p)[]) => ks.map(id).sort();
    expect(await ids('stage=pre_review')).toEqual(sorted('review', 'overdue', 'other'));
    expect(await ids('stage=contracted,in_delivery')).toEqual(sorted('parked', 'parked2', 'delivering'));
    expect(await ids('overdue=true')).toEqual(sorted('overdue'));
    const attention = await ids('needsAttention=true');
    expect(attention).toEqual(expect.arrayContaining(sorted('overdue', 'parked', 'parked2')));
    expect(attention.filter((x: string) => ![id('overdue'), id('parked'), id('parked2')].includes(x))).toEqual(attention.length === 4 ? [id('delivering')] : []);
    expect(await ids('parked=true')).toEqual(sorted('parked', 'parked2'));
    expect(await ids('waitingOn=admin')).toEqual(sorted('parked', 'parked2'));
    expect(await ids(`communityId=${C2}`)).toEqual(sorted('other'));
    expect(await ids('fiscalYear=2025')).toEqual(sorted('other'));
    expect(await ids(`subDistrictId=${S}&communityId=${C}&fiscalYear=2026&stage=pre_review&overdue=false`)).toEqual(sorted('review'));
    expect(await ids(`organizationId=${O}&q=${encodeURIComponent('议事厅')}`)).toEqual(sorted('parked'));
    const bad = await ops.api('GET', '/projects?stage=nowhere&fiscalYear=abc&overdue=maybe');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.path).sort()).toEqual(['query.fiscalYear', 'query.overdue', 'query.stage[0]']);
  });

  it('when paging with a cursor (by updatedAt or by deadline), then every project comes once, in order', async () => {
    for (const sort of ['updatedAt', 'deadline'] as const) {
      const seen: any[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await ops.api('GET', `/projects?limit=2&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen.map((r) => r.projectId).sort()).toEqual(Object.keys(p).map((k) => id(k as keyof typeof p)).sort());
      if (sort === 'updatedAt') expect(seen.map((r) => r.updatedAt)).toEqual([...seen.map((r) => r.updatedAt)].sort().reverse());
      else {
        const deadlines = seen.map((r) => r.deadline);
        const withDeadline = deadlines.filter(Boolean);
        expect(withDeadline).toEqual([...withDeadline].sort());
        expect(deadlines.slice(withDeadline.length).every((d) => d === null)).toBe(true);
      }
    }
    const wrong = await ops.api('GET', '/projects?cursor=not-a-cursor');
    expect(wrong.status).toBe(400);
  });

  it('when callers with narrower scopes list, then each sees only their part; a resident representative is refused; no token is 401', async () => {
    const count = async (as: any) => (await ops.api('GET', '/projects?limit=100', undefined, as)).body.items.length;
    expect(await count(who.reviewer)).toBe(6);
    expect(await count(who.otherReviewer)).toBe(0);
    expect(await count(who.secretary)).toBe(5);
    expect((await ops.api('GET', '/overview', undefined, who.otherReviewer)).body.total).toBe(0);
    const resident = await ops.api('GET', '/projects', undefined, who.resident);
    expect(resident.status).toBe(403);
    expect(resident.body.detail).toContain('居民代表无权');
    const anonymous = await ops.api('GET', '/overview', undefined, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.contentType).toContain('application/problem+json');
    const outside = await ops.api('GET', `/projects/${id('review')}`, undefined, who.otherReviewer);
    expect(outside.status).toBe(403);
  });

  it('when asking for stalled work, then parked lifecycles come first (longest parked first) and then overdue ones, each with its reason in words', async () => {
    const res = await ops.api('GET', '/stalled');
    expect(res.status).toBe(200);
    const items = res.body.items;
    expect(items.map((i: any) => i.project.projectId)).toEqual([id('parked'), id('parked2'), id('overdue')]);
    expect(items[0]).toMatchObject({ kind: 'parked', waitingOn: 'admin' });
    expect(items[0].reason).toMatch(/^步骤「tranche:start_up」失败：/);
    expect(items[0].ageText).toMatch(/^停住 \d+/);
    expect(items[2]).toMatchObject({ kind: 'overdue', reason: '「预审」超过时限', waitingOn: 'subdistrict_reviewer', waitingOnLabel: '街道审核人员' });
    expect(items[2].deadline).toBe(items[2].since);
    expect(items[2].ageMs).toBeGreaterThan(0);
    const overdueOnly = await ops.api('GET', '/stalled?kind=overdue');
    expect(overdueOnly.body.items.map((i: any) => i.project.projectId)).toEqual([id('overdue')]);
    const paged = await ops.api('GET', '/stalled?limit=2');
    expect(paged.body.items).toHaveLength(2);
    const rest = await ops.api('GET', `/stalled?limit=2&cursor=${paged.body.nextCursor}`);
    expect(rest.body.items.map((i: any) => i.project.projectId)).toEqual([id('overdue')]);
  });

  it("when the services publish events about a project, then its page merges them into the timeline, shows budget against invoices, tranches with conditions and the Temporal link", async () => {
    const projectId = id('delivering');
    const contractId = randomUUID();
    const activity = { activityKey: 'A1', title: '周末亲子故事会', startsOn: '2026-04-01', endsOn: '2026-08-01', venue: '社区活动室', targetHeadcount: 30, targetGroup: 'children' };
    await ops.publish('communities', SubDistrictRegistered, S, { subDistrictId: S, name: '八里庄街道', district: '朝阳区' });
    await ops.publish('organizations', OrganizationRegistered, O, { organizationId: O, name: '银天使智慧社区公益促进中心', creditCode: '52110105MJ0000000X', creditStatus: 'good' });
    await ops.publish('communities', ProposalApproved, projectId, {
      projectId, version: 1, subDistrictId: S, communityId: C, organizationId: O, offeringId: null, level: 'community', title: '悠贝亲子阅读故事会', fiscalYear: 2026,
      budgetTotalFen: 700_000, plannedActivities: [activity],
      budgetLines: [
        { lineId: 'L1', activityKey: 'A1', kind: 'item', description: '绘本与文具', amountFen: 200_000 },
        { lineId: 'L2', activityKey: null, kind: 'staff', description: '社工人员经费', amountFen: 500_000 },
      ],
    }, { userId: 'u-liu', role: 'committee_member' });
    const invoice = (amountFen: number, lineInvoicedFen: number) => ({ invoiceId: randomUUID(), contractId, projectId, activityId: null, lineId: 'L1', amountFen, lineInvoicedFen, lineBudgetFen: 200_000, flags: lineInvoicedFen > 200_000 ? ['budget_line_overspent'] : [] });
    const first = await ops.publish('supervision', InvoiceRecorded, contractId, invoice(150_000, 150_000));
    await ops.publish('supervision', InvoiceRecorded, contractId, invoice(80_000, 230_000));
    await ops.publish('supervision', InvoiceRecorded, contractId, { ...first.data }); // a second delivery of the same invoice counts once
    await ops.publish('payments', TranchePaid, contractId, { contractId, projectId, trancheId: randomUUID(), kind: 'start_up', amountFen: 30_000_00, subDistrictId: S, communityId: C, paidAt: new Date().toISOString() });
    await ops.publish('supervision', FindingRaised, contractId, { findingId: randomUUID(), contractId, projectId, organizationId: O, severity: 'major', summary: '签到单人数与照片不符', rectifyBy: '2026-09-01' });
    await ops.publish('supervision', ContractAssigned, contractId, { contractId, projectId, agencyId: AGENCY, previousAgencyId: null });

    const page = await waitFor('the service events on the project page', async () => {
      const res = await ops.api('GET', `/projects/${projectId}`);
      return res.body.timeline?.some((e: any) => e.kind === 'supervision.contract.assigned') && res.body.budget.lines.length === 2 && res.body.project.subDistrictName ? res.body : undefined;
    });
    expect(page.project).toMatchObject({ projectId, stage: 'in_delivery', subDistrictName: '八里庄街道', organizationName: '银天使智慧社区公益促进中心' });
    expect(page.live.available).toBe(true);
    expect(page.live.decisions.map((d: any) => `${d.gateLabel}${d.outcomeLabel}`)).toEqual(['预审通过', '联审通过', '工委会通过']);
    expect(page.live.decisions[0].by).toEqual({ userId: 'u-sun', role: 'subdistrict_reviewer' });
    const kinds = page.timeline.map((e: any) => `${e.source}:${e.kind}`);
    expect(kinds).toEqual(expect.arrayContaining(['workflow:started', 'workflow:decision', 'workflow:tranche', 'communities:communities.proposal.approved', 'payments:payments.tranche.paid', 'supervision:supervision.finding.raised', 'supervision:supervision.invoice.recorded']));
    const ats = page.timeline.map((e: any) => Date.parse(e.at));
    expect(ats).toEqual([...ats].sort((a, b) => a - b));
    expect(page.timeline.find((e: any) => e.kind === 'supervision.finding.raised')).toMatchObject({ category: 'finding', summary: '发现问题（较重）：签到单人数与照片不符，限 2026-09-01 前整改' });
    expect(page.timeline.find((e: any) => e.kind === 'communities.proposal.approved')).toMatchObject({ category: 'decision', by: { userId: 'u-liu', role: 'committee_member' } });
    expect(page.budget).toMatchObject({ budgetAvailable: true, actualAvailable: true, totalBudgetFen: 700_000, totalActualFen: 230_000 });
    expect(page.budget.lines).toEqual([
      { lineId: 'L1', activityKey: 'A1', kind: 'item', description: '绘本与文具', budgetFen: 200_000, actualFen: 230_000, varianceFen: 30_000 },
      { lineId: 'L2', activityKey: null, kind: 'staff', description: '社工人员经费', budgetFen: 500_000, actualFen: 0, varianceFen: -500_000 },
    ]);
    expect(page.tranches).toEqual([
      expect.objectContaining({ kind: 'start_up', label: '启动资金', status: 'paid', statusLabel: '已拨付', amountFen: 30_000_00, condition: '合同签订后拨付启动资金', attempts: 1 }),
      expect.objectContaining({ kind: 'mid_term', label: '中期款', status: 'pending', condition: '中期检查通过且无严重问题冻结' }),
      expect.objectContaining({ kind: 'final', label: '尾款', status: 'pending', condition: '结项评估后按等级拨付尾款' }),
    ]);
    expect(page.temporalUrl).toBe(`http://127.0.0.1:8233/namespaces/${process.env.TEMPORAL_NAMESPACE}/workflows/project-${projectId}`);
    expect(page.actions).toEqual(['remind', 'escalate', 'reassign', 'terminate']);

    // The supervising agency's staff see this project, and only it.
    const supervisor = { userId: 'u-jian', role: 'supervisor', scope: { kind: 'agency', id: AGENCY } } as const;
    const theirs = await ops.api('GET', '/projects?limit=100', undefined, supervisor);
    expect(theirs.body.items.map((r: any) => r.projectId)).toEqual([projectId]);
    // A project without budget events says so.
    const bare = await ops.api('GET', `/projects/${id('review')}`);
    expect(bare.body.budget).toMatchObject({ budgetAvailable: false, actualAvailable: false, lines: [] });
    expect(bare.body.budget.note).toContain('no approved budget');
    expect((await ops.api('GET', `/projects/${randomUUID()}`)).status).toBe(404);
  });

  it("when the communities service reports funds and names, then the overview shows each fund's allocation beside the committed and paid amounts", async () => {
    const fund = (fundId: string, communityId: string | null, fiscalYear: number, allocatedFen: number) => ({
      fundId, subDistrictId: S, communityId, fiscalYear, allocatedFen, committedFen: 0, spentFen: 0, remainingFen: allocatedFen, previousAllocatedFen: 0,
    });
    const mainFund = randomUUID();
    await ops.publish('communities', defOf('communities.community.registered'), C, { communityId: C, subDistrictId: S, name: '延静里社区', area: null });
    await ops.publish('communities', defOf('communities.fund.allocated'), mainFund, fund(mainFund, C, 2026, 400_000_00));
    await ops.publish('communities', defOf('communities.fund.allocated'), mainFund, fund(mainFund, C, 2026, 500_000_00));
    const ownFund = randomUUID();
    await ops.publish('communities', defOf('communities.fund.allocated'), ownFund, fund(ownFund, null, 2026, 80_000_00));
    const overview = await waitFor('the allocations in the overview', async () => {
      const o = (await ops.api('GET', '/overview')).body;
      return o.funds.length === 3 && o.funds.find((f: any) => f.communityId === C && f.fiscalYear === 2026)?.allocatedFen === 500_000_00 ? o : undefined;
    });
    expect(overview.funds.find((f: any) => f.communityId === C && f.fiscalYear === 2026)).toMatchObject({ communityName: '延静里社区', subDistrictName: '八里庄街道', projects: 5, committedFen: 3 * 100_000_00, allocatedFen: 500_000_00 });
    expect(overview.funds.find((f: any) => f.communityId === null)).toMatchObject({ projects: 0, committedFen: 0, paidFen: 0, allocatedFen: 80_000_00 });
    expect(overview.funds.find((f: any) => f.communityId === C2)).toMatchObject({ allocatedFen: null });
    const row = (await ops.api('GET', `/projects?q=${id('review')}`)).body.items[0];
    expect(row.communityName).toBe('延静里社区');
    // A community secretary sees their own fund, not the sub-district's own line.
    const theirs = (await ops.api('GET', '/overview', undefined, who.secretary)).body.funds;
    expect(theirs.map((f: any) => f.communityId)).toEqual([C]);
  });

  it('when an operator reminds, escalates and reassigns with a reason, then the workflow records each, the read model shows it, and each is audited', async () => {
    const projectId = id('review');
    const remind = await ops.api('POST', `/projects/${projectId}/remind`, { reason: '请本周内召开预审会' }, who.operator);
    expect(remind.status).toBe(200);
    expect(remind.body).toMatchObject({ action: 'remind', outcome: 'ok', project: { projectId, stage: 'pre_review' } });
    const escalate = await ops.api('POST', `/projects/${projectId}/escalate`, { reason: '已催办两次' }, who.operator);
    expect(escalate.status).toBe(200);
    expect(escalate.body.project.needsAttention).toBe(true);
    const reassign = await ops.api('POST', `/projects/${projectId}/reassign`, { assigneeUserId: 'u-wang', assigneeName: '王审核', reason: '孙审核休假' }, who.operator);
    expect(reassign.status).toBe(200);
    expect(reassign.body.project.assignee).toEqual({ userId: 'u-wang', name: '王审核' });

    const page = (await ops.api('GET', `/projects/${projectId}`)).body;
    const workflowEntries = page.timeline.filter((e: any) => e.source === 'workflow').map((e: any) => [e.kind, e.reason, e.by?.userId]);
    expect(workflowEntries).toEqual(expect.arrayContaining([['reminder', '请本周内召开预审会', 'u-ops'], ['reassigned', '孙审核休假', 'u-ops']]));
    expect(page.project.currentDetails).toContain('王审核');

    const audit = await ops.api('GET', `/audit?projectId=${projectId}`, undefined, who.operator);
    expect(audit.body.items.map((a: any) => [a.action, a.outcome, a.actor.userId, a.actor.role, a.reason])).toEqual([
      ['reassign', 'ok', 'u-ops', 'operator', '孙审核休假'],
      ['escalate', 'ok', 'u-ops', 'operator', '已催办两次'],
      ['remind', 'ok', 'u-ops', 'operator', '请本周内召开预审会'],
    ]);
    expect(audit.body.items[0].actor.scope).toBe('platform:linli');
  });

  it('when the reason is missing or blank, then 400 names the field and nothing is written or sent', async () => {
    const projectId = id('review');
    const before = (await ops.api('GET', `/audit?projectId=${projectId}`)).body.items.length;
    const timelineBefore = (await ops.lifecycles.client.workflow.getHandle(`project-${projectId}`).query<any>('state')).timeline.length;
    for (const body of [{}, { reason: '   ' }]) {
      const res = await ops.api('POST', `/projects/${projectId}/remind`, body, who.operator);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: any) => e.path)).toEqual(['body.reason']);
    }
    const reassign = await ops.api('POST', `/projects/${projectId}/reassign`, { reason: '缺少改派对象' }, who.operator);
    expect(reassign.status).toBe(400);
    expect(reassign.body.errors.map((e: any) => e.path)).toEqual(['body.assigneeUserId']);
    expect((await ops.api('GET', `/audit?projectId=${projectId}`)).body.items).toHaveLength(before);
    expect((await ops.lifecycles.client.workflow.getHandle(`project-${projectId}`).query<any>('state')).timeline).toHaveLength(timelineBefore);
  });

  it('when a role the policy does not allow tries an action, then 403 with the reason, audited as forbidden, and the workflow is untouched', async () => {
    const projectId = id('parked');
    const retryByOperator = await ops.api('POST', `/projects/${projectId}/retry`, { reason: '试试' }, who.operator);
    expect(retryByOperator.status).toBe(403);
    expect(retryByOperator.body.detail).toContain('运维人员无权「处理卡住的流程（重试/跳过）」');
    const remindByReviewer = await ops.api('POST', `/projects/${projectId}/remind`, { reason: '自己催自己' }, who.reviewer);
    expect(remindByReviewer.status).toBe(403);
    const terminateByOtherCommittee = await ops.api('POST', `/projects/${projectId}/terminate`, { reason: '越权' }, { ...who.committee, scope: { kind: 'sub-district', id: randomUUID() } });
    expect(terminateByOtherCommittee.status).toBe(403);
    expect(terminateByOtherCommittee.body.detail).toContain('不在您的管辖范围内');
    const audit = (await ops.api('GET', `/audit?projectId=${projectId}`)).body.items;
    expect(audit.map((a: any) => [a.action, a.outcome, a.actor.role])).toEqual([
      ['terminate', 'forbidden', 'committee_member'],
      ['remind', 'forbidden', 'subdistrict_reviewer'],
      ['retry', 'forbidden', 'operator'],
    ]);
    const state = await ops.lifecycles.client.workflow.getHandle(`project-${projectId}`).query<any>('state');
    expect(state.parked?.step).toBe('tranche:start_up');
  });

  it('when the workflow refuses an action, then 409 carries its reason and the refusal is audited', async () => {
    const notParked = await ops.api('POST', `/projects/${id('review')}/retry`, { reason: '没有停住也重试' });
    expect(notParked.status).toBe(409);
    expect(notParked.body.detail).toContain('没有停住的步骤需要处理');
    const tooEarly = await ops.api('POST', `/projects/${id('review')}/terminate`, { reason: '社区不再需要' });
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body.detail).toContain('当前阶段为「预审」，不能提前终止');
    const audit = (await ops.api('GET', `/audit?projectId=${id('review')}`)).body.items.slice(0, 2);
    expect(audit.map((a: any) => [a.action, a.outcome])).toEqual([
      ['terminate', 'refused'],
      ['retry', 'refused'],
    ]);
    expect(audit[1].error).toContain('没有停住的步骤需要处理');
    // The audit record is for the sub-district's staff and the platform (audit.read), not the community.
    const reviewerAudit = await ops.api('GET', '/audit', undefined, who.reviewer);
    expect(reviewerAudit.status).toBe(400);
    expect(reviewerAudit.body.errors).toEqual([expect.objectContaining({ path: 'query.projectId' })]);
    expect((await ops.api('GET', `/audit?projectId=${id('review')}`, undefined, who.reviewer)).status).toBe(200);
    expect((await ops.api('GET', `/audit?projectId=${id('review')}`, undefined, who.secretary)).status).toBe(403);
  });

  it('when a change happens, then GET /stream pushes it (with heartbeats) to a client holding a stream ticket; a bad ticket is 401', async () => {
    const ticket = await ops.api('POST', '/stream/ticket', undefined, who.operator);
    expect(ticket.status).toBe(201);
    expect(ticket.body.url).toMatch(/^\/stream\?ticket=/);
    const controller = new AbortController();
    const res = await fetch(`${ops.service.url}${ticket.body.url}`, { signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events: { event: string; data: any }[] = [];
    const reading = (async () => {
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let at: number;
          while ((at = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, at);
            buffer = buffer.slice(at + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event && data) events.push({ event, data: JSON.parse(data) });
          }
        }
      } catch {
        // aborted
      }
    })();
    await waitFor('ready', () => events.some((e) => e.event === 'ready'));
    await ops.api('POST', `/projects/${id('overdue')}/remind`, { reason: '预审会请尽快安排' }, who.operator);
    const change = await waitFor('the change on the stream', () => events.find((e) => e.event === 'project' && e.data.projectId === id('overdue')));
    expect(change.data).toMatchObject({ projectId: id('overdue'), stage: 'pre_review', stageLabel: '预审', overdue: true, title: '咱爸咱妈晚晴同行' });
    await waitFor('a heartbeat', () => events.some((e) => e.event === 'heartbeat'));
    controller.abort();
    await reading;

    const forged = await fetch(`${ops.service.url}/stream?ticket=${ticket.body.ticket.slice(0, -4)}AAAA`);
    expect(forged.status).toBe(401);
    expect((await fetch(`${ops.service.url}/stream`)).status).toBe(401);
    // A stream ticket is not a bearer token for the API.
    const asBearer = await fetch(`${ops.service.url}/overview`, { headers: { authorization: `Bearer ${ticket.body.ticket}` } });
    expect(asBearer.status).toBe(401);
  });

  it('when an admin previews a batch retry and executes it with the previewed count, then every parked tranche is retried, each outcome reported and audited; a stale count is 409', async () => {
    const filter = { parkedStepPrefix: 'tranche:', subDistrictId: S };
    const operatorPreview = await ops.api('POST', '/batch/retry/preview', { filter }, who.operator);
    expect(operatorPreview.status).toBe(403);
    const preview = await ops.api('POST', '/batch/retry/preview', { filter });
    expect(preview.status).toBe(200);
    expect(preview.body.count).toBe(2);
    expect(preview.body.items.map((i: any) => i.projectId)).toEqual([id('parked'), id('parked2')]);
    expect(preview.body.items[0]).toMatchObject({ step: 'tranche:start_up', stage: 'contracted', stageLabel: '已签约' });
    const none = await ops.api('POST', '/batch/retry/preview', { filter: { parkedStepPrefix: 'tranche:', parkedSince: new Date(Date.now() + 60_000).toISOString() } });
    expect(none.body.count).toBe(0);

    const stale = await ops.api('POST', '/batch/retry', { filter, reason: '财务系统已恢复', expectedCount: 3 });
    expect(stale.status).toBe(409);
    expect(stale.body.detail).toContain('预览时 3 个，现在 2 个');
    const noReason = await ops.api('POST', '/batch/retry', { filter, expectedCount: 2 });
    expect(noReason.status).toBe(400);

    const run = await ops.api('POST', '/batch/retry', { filter, reason: '财务系统已恢复', expectedCount: 2 });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ count: 2, ok: 2, refused: 0, failed: 0 });
    expect(run.body.results.map((r: any) => [r.projectId, r.outcome])).toEqual([
      [id('parked'), 'ok'],
      [id('parked2'), 'ok'],
    ]);
    for (const k of ['parked', 'parked2'] as const) {
      await rowWhen(id(k), `${k} moved on after the retry`, (r) => r.stage === 'in_delivery' && r.parked === null && r.paidFen === 30_000_00);
    }
    const audit = (await ops.api('GET', '/audit?limit=100')).body.items.filter((a: any) => a.batchId === run.body.batchId);
    expect(audit.map((a: any) => [a.action, a.outcome, a.reason]).sort()).toEqual([
      ['retry', 'ok', '财务系统已恢复'],
      ['retry', 'ok', '财务系统已恢复'],
    ]);
    expect((await ops.api('GET', '/stalled')).body.items.map((i: any) => i.project.projectId)).toEqual([id('overdue')]);
    // Nothing left to retry: the same request now finds 0, and the old count is refused.
    expect((await ops.api('POST', '/batch/retry', { filter, reason: '再来一次', expectedCount: 2 })).status).toBe(409);
  });

  it('when a committee member of the sub-district terminates a project in delivery, then it is settled and closed', async () => {
    const res = await ops.api('POST', `/projects/${id('delivering')}/terminate`, { reason: '社会组织人员变动，双方协商解约' }, who.committee);
    expect(res.status).toBe(200);
    const row = await rowWhen(id('delivering'), 'closed after early termination', (r) => r.stage === 'closed');
    expect(row.currentDetails).toContain('提前终止');
    const page = (await ops.api('GET', `/projects/${id('delivering')}`)).body;
    expect(page.actions).toEqual([]);
    expect(page.tranches.filter((t: any) => t.kind !== 'start_up').map((t: any) => t.status)).toEqual(['skipped', 'skipped']);
  });

  it('when rows are missing or stale, then the reconciler restores them from Temporal visibility; an unchanged read model is left alone', async () => {
    await ops.service.prisma.projectLifecycle.delete({ where: { projectId: id('other') } });
    await ops.service.prisma.projectLifecycle.update({ where: { projectId: id('review') }, data: { stage: 'draft', visibilityPrint: 'stale' } });
    expect((await ops.api('GET', `/projects?q=${id('other')}`)).body.items).toHaveLength(0);
    const operatorRun = await ops.api('POST', '/admin/reconcile', undefined, who.operator);
    expect(operatorRun.status).toBe(200);
    expect(operatorRun.body).toMatchObject({ seen: 6, refreshed: 2, failed: 0 });
    await rowWhen(id('other'), 'restored row', (r) => r.stage === 'pre_review' && r.communityId === C2, 1000);
    await rowWhen(id('review'), 'repaired row', (r) => r.stage === 'pre_review', 1000);
    const again = await ops.api('POST', '/admin/reconcile');
    expect(again.body).toMatchObject({ seen: 6, refreshed: 0, unchanged: 6 });
    const full = await ops.api('POST', '/admin/reconcile?full=true');
    expect(full.body.seen).toBe(6);
    expect((await ops.api('POST', '/admin/reconcile', undefined, who.reviewer)).status).toBe(403);
  });

  it('when the use cases have run, then the outbox is empty: operations publishes no events of its own (the workflow does)', async () => {
    expect(await ops.service.prisma.outboxEvent.count()).toBe(0);
    expect(await ops.service.prisma.processedEvent.count({ where: { consumer: 'operations.read-model' } })).toBeGreaterThan(10);
  });
});
