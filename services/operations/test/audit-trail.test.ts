import { randomUUID } from 'node:crypto';
import type { Principal } from '@linli/auth';
import {
  ActivityVerified,
  BudgetFlagAccepted,
  CloseOutSubmitted,
  ContractSigned,
  ContractTerminated,
  EvaluationCompleted,
  PaymentsFrozen,
  PaymentsUnfrozen,
  PhoneRevealed,
  ProposalApproved,
  ProposalSubmitted,
  ReviewDecisionRecorded,
  ServiceFundAllocated,
  TenderAwarded,
  TenderCancelled,
  TenderPublished,
  TrancheApproved,
  TranchePaid,
  type EventEnvelope,
} from '@linli/contracts';
import { buildEvent } from '@linli/events';
import { waitFor } from '@linli/testing';
import { actors, type Lifecycle } from '../../../workflows/test/lifecycle-harness';
import { createUnitOfWork } from '../src/data-access/unit-of-work';
import { recordAudit, recordDecisionOf } from '../src/domain/audit.use-cases';
import { C, O, S, runOpsCli, startOps, who, type Ops } from './ops-harness';

const AGENCY = randomUUID();

/** How the services stamp their events' actors: `{ userId, role, scope: 'kind:id' }`. */
const as = (p: { userId: string; role: string; scope: { kind: string; id: string } }) => ({ userId: p.userId, role: p.role, scope: `${p.scope.kind}:${p.scope.id}` });
const secretary = as(actors.secretary);
const reviewer = as(actors.reviewer);
const committee = as(actors.committee);
const finance = as(actors.finance);
const orgStaff = as(actors.org);
const supervisor = { userId: 'u-jian', role: 'supervisor', scope: `agency:${AGENCY}` };
const system = { userId: 'system:workflow', role: 'system', scope: 'platform:linli' };

/**
 * The audit trail on the real components: decisions arrive as the services' events through Kafka, operations
 * actions go through the real lifecycle workflow, and the chain lives in the service's own PostgreSQL, where
 * the tampering tests change it with plain SQL.
 */
describe('audit trail', () => {
  let ops: Ops;
  let project: Lifecycle;
  let projectId: string;
  const otherProject = randomUUID();
  const contractId = randomUUID();
  const sql = (text: string, ...params: unknown[]) => ops.service.prisma.$executeRawUnsafe(text, ...params);
  const count = async () => Number(((await ops.service.prisma.$queryRawUnsafe(`select count(*)::int as n from audit_entries`)) as { n: number }[])[0]!.n);
  const projectAudit = async (id: string, query = 'order=oldest&limit=100', as: Principal = who.operator) => ops.api('GET', `/projects/${id}/audit?${query}`, undefined, as);
  const verification = async () => (await ops.api('GET', '/audit/verification', undefined, who.operator)).body;
  /** Waits until an event has been through the consumer (its dedupe mark is written with its entry). */
  const processed = (event: EventEnvelope) =>
    waitFor(`${event.type} processed`, async () => ((await ops.service.prisma.$queryRawUnsafe(`select 1 from processed_events where event_id = $1::uuid`, event.id)) as unknown[]).length > 0 || undefined);

  beforeAll(async () => {
    ops = await startOps();
    project = await ops.lifecycles.start({ title: '延静里社区老兵俱乐部' });
    await project.update('submit', { version: 1, by: actors.secretary });
    projectId = project.handle.workflowId.slice('project-'.length);
  }, 90_000);
  afterAll(async () => {
    await ops?.stop();
  });

  it("when the services publish people's decisions, then each is on the project's record with who, role, when, what, reason, before and after; the system's steps and records of work are not", async () => {
    const at = new Date().toISOString();
    const tranche = { trancheId: randomUUID(), contractId, projectId, organizationId: O, subDistrictId: S, communityId: C, kind: 'start_up' as const, attempt: 1 };
    const freezeId = randomUUID();
    const published = [
      await ops.publish('communities', ProposalSubmitted, projectId, { projectId, version: 2, subDistrictId: S, communityId: C, organizationId: O, level: 'community', title: '延静里社区老兵俱乐部', budgetTotalFen: 100_000_00 }, secretary),
      await ops.publish('communities', ReviewDecisionRecorded, projectId, { projectId, version: 2, gate: 'pre_review', outcome: 'return', reasons: '大巴租车单价偏高，请按市场价重报', decidedBy: 'u-sun', decidedAt: at }, reviewer),
      await ops.publish('communities', BudgetFlagAccepted, projectId, { projectId, version: 2, lineKey: 'L3', itemKind: 'bus_hire', unitPriceFen: 4000_00, referencePriceFen: 2000_00, reason: '山区线路，往返距离长', acceptedBy: 'u-sun', acceptedAt: at }, reviewer),
      await ops.publish('communities', ProposalApproved, projectId, { projectId, version: 2, subDistrictId: S, communityId: C, organizationId: O, offeringId: null, level: 'community', title: '延静里社区老兵俱乐部', fiscalYear: 2026, budgetTotalFen: 100_000_00, plannedActivities: [], budgetLines: [] }, committee),
      await ops.publish('organizations', TenderPublished, projectId, { tenderId: randomUUID(), projectId, subDistrictId: S, communityId: C, round: 2, title: '老兵俱乐部', budgetCeilingFen: 100_000_00, minimumBids: 3, enquiryDeadline: at, bidDeadline: at, openingAt: at }, reviewer),
      await ops.publish('organizations', TenderAwarded, projectId, { tenderId: randomUUID(), projectId, subDistrictId: S, communityId: C, round: 2, bidId: randomUUID(), organizationId: O, amountFen: 95_000_00, score: 88.5, awardedAt: at, standstillEndsAt: at }, committee),
      await ops.publish('organizations', TenderCancelled, projectId, { tenderId: randomUUID(), projectId, subDistrictId: S, communityId: C, reason: '需求变更' }, reviewer),
      await ops.publish('organizations', ContractSigned, contractId, { contractId, projectId, organizationId: O, subDistrictId: S, communityId: C, level: 'community', amountFen: 95_000_00, startsOn: '2026-01-01', endsOn: '2026-12-31', tenderId: null }, reviewer),
      await ops.publish('payments', TrancheApproved, contractId, { ...tranche, amountFen: 28_500_00, approvedAt: at }, finance),
      await ops.publish('payments', PaymentsFrozen, contractId, { contractId, projectId, freezeId, kind: 'manual', findingId: null, reason: '签到单与照片不符，暂停拨付', frozenAt: at }, supervisor),
      await ops.publish('payments', PaymentsUnfrozen, contractId, { contractId, projectId, freezeId, kind: 'manual', findingId: null, reason: '已整改', stillFrozen: false, unfrozenAt: at }, supervisor),
      await ops.publish('payments', ContractTerminated, contractId, {
        contractId, projectId, organizationId: O, subDistrictId: S, communityId: C, deliveredPermille: 400, reason: '双方协商解约', contractAmountFen: 95_000_00, deliveredValueFen: 38_000_00,
        paidBeforeFen: 28_500_00, owedFen: 9_500_00, releasedFen: 57_000_00, cancelledTranches: ['mid_term'], settlementTrancheId: randomUUID(), fundKind: 'community', fundId: randomUUID(), terminatedAt: at,
      }, as(actors.admin)),
      await ops.publish('supervision', ActivityVerified, contractId, { activityId: randomUUID(), contractId, projectId, organizationId: O, activityKey: 'A1', status: 'verified', mode: 'manual', discrepancyRate: 0.1 }, supervisor),
      await ops.publish('supervision', EvaluationCompleted, contractId, { evaluationId: randomUUID(), contractId, projectId, organizationId: O, kind: 'mid_term', score: 91.5, grade: 'excellent', passed: true }, supervisor),
      await ops.publish('supervision', CloseOutSubmitted, contractId, { closeOutId: randomUUID(), contractId, projectId, organizationId: O, submittedAt: at }, orgStaff),
      await ops.publish('supervision', PhoneRevealed, contractId, { revealId: randomUUID(), callTaskId: randomUUID(), participantId: randomUUID(), activityId: randomUUID(), contractId, projectId, agencyId: AGENCY, revealedAt: at }, supervisor),
    ];
    // Not decisions: the treasury's payment (the system), an automatic verification, a freeze the workflow made.
    const notDecisions = [
      await ops.publish('payments', TranchePaid, contractId, { contractId, projectId, trancheId: tranche.trancheId, kind: 'start_up', amountFen: 28_500_00, subDistrictId: S, communityId: C, paidAt: at }, system),
      await ops.publish('supervision', ActivityVerified, contractId, { activityId: randomUUID(), contractId, projectId, organizationId: O, activityKey: 'A2', status: 'verified', mode: 'auto', discrepancyRate: null }, supervisor),
      await ops.publish('payments', PaymentsFrozen, contractId, { contractId, projectId, freezeId: randomUUID(), kind: 'finding', findingId: randomUUID(), reason: '严重问题', frozenAt: at }, system),
    ];
    for (const e of notDecisions) await processed(e);

    const items = await waitFor('every decision on the record', async () => {
      const res = await projectAudit(projectId);
      return res.body.items?.length >= published.length ? res.body.items : undefined;
    });
    expect(items).toHaveLength(published.length);
    const bySource = new Map(items.map((e: any) => [e.source.eventId, e]));
    expect(published.every((e) => bySource.has(e.id))).toBe(true);
    expect(notDecisions.some((e) => bySource.has(e.id))).toBe(false);

    const entry = (e: EventEnvelope) => bySource.get(e.id) as any;
    expect(entry(published[1]!)).toMatchObject({
      projectId,
      at: published[1]!.occurredAt,
      actor: { userId: 'u-sun', role: 'subdistrict_reviewer', roleLabel: '街道审核人员', scope: `sub-district:${S}` },
      action: 'proposal.review.pre',
      actionLabel: '预审会决定',
      reason: '大巴租车单价偏高，请按市场价重报',
      outcome: 'ok',
      before: { gate: 'pre_review', version: 2 },
      after: { outcome: 'return', outcomeLabel: '打回修改' },
      source: { service: 'communities', eventId: published[1]!.id, type: 'communities.proposal.decision-recorded' },
    });
    expect(entry(published[0]!)).toMatchObject({ action: 'proposal.resubmit', actor: { role: 'community_secretary' }, before: { version: 1, status: 'returned' }, after: { version: 2, status: 'submitted', budgetTotalFen: 100_000_00 } });
    expect(entry(published[4]!)).toMatchObject({ action: 'tender.retender', actionLabel: '重新招标（流标后）' });
    expect(entry(published[5]!)).toMatchObject({ action: 'tender.award', actor: { role: 'committee_member' }, after: { amountFen: 95_000_00, score: '88.5' } });
    expect(entry(published[8]!)).toMatchObject({ action: 'payment.approve', actionLabel: '审批拨付', actor: { userId: 'u-cai', role: 'finance' }, before: { status: 'requested' }, after: { status: 'approved', amountFen: 28_500_00, kindLabel: '启动资金' } });
    expect(entry(published[9]!)).toMatchObject({ action: 'payment.freeze', reason: '签到单与照片不符，暂停拨付', before: { frozen: false }, after: { frozen: true } });
    expect(entry(published[11]!)).toMatchObject({ action: 'contract.terminate.settle', actor: { role: 'admin' }, before: { paidBeforeFen: 28_500_00 }, after: { owedFen: 9_500_00, releasedFen: 57_000_00 } });
    expect(entry(published[12]!)).toMatchObject({ action: 'activity.verify', after: { discrepancyRate: '0.1' } });
    expect(entry(published[13]!)).toMatchObject({ action: 'evaluation.mid-term', actionLabel: '中期检查', after: { score: '91.5', grade: 'excellent' } });
    expect(entry(published[14]!)).toMatchObject({ action: 'closeout.submit', actor: { role: 'org_staff' } });
    expect(entry(published[15]!)).toMatchObject({ action: 'participant.phone.reveal', actionLabel: '查看回访对象完整电话', actor: { userId: 'u-jian', role: 'supervisor' } });
    for (const e of items) expect(e.actionLabel).toMatch(/[\u4e00-\u9fff]/);
    // Oldest first is chain order.
    const seqs = items.map((e: any) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('when an event is delivered again, then nothing is added; when the same event reaches the chain a second way, then its source (unique) keeps it to one entry', async () => {
    const decision = await ops.publish('communities', ReviewDecisionRecorded, projectId, { projectId, version: 3, gate: 'joint_review', outcome: 'approve', reasons: '同意', decidedBy: 'u-sun', decidedAt: new Date().toISOString() }, reviewer);
    await waitFor('the decision on the record', async () => (await projectAudit(projectId, 'limit=5')).body.items.some((e: any) => e.source.eventId === decision.id) || undefined);
    const before = await count();
    await ops.send('communities', decision);
    // Same subject, same partition: once this marker is through, the redelivery before it is too.
    const marker = await ops.publish('communities', TenderCancelled, projectId, { tenderId: randomUUID(), projectId, subDistrictId: S, communityId: C, reason: '标记' }, system);
    await processed(marker);
    expect(await count()).toBe(before);

    // Past the consumer's own deduplication: the chain itself refuses a second entry for one source.
    const uow = createUnitOfWork(ops.service.prisma);
    const again = await uow.run((work) => recordDecisionOf(work, decision));
    expect(again?.source.eventId).toBe(decision.id);
    expect(await count()).toBe(before);
    expect((await projectAudit(projectId, 'limit=100')).body.items.filter((e: any) => e.source.eventId === decision.id)).toHaveLength(1);
  });

  it("when a project's record is read, then only its own entries come, newest or oldest first, a page at a time; actions on no project are in the global list only", async () => {
    const other = await ops.publish('communities', ReviewDecisionRecorded, otherProject, { projectId: otherProject, version: 1, gate: 'pre_review', outcome: 'reject', reasons: '与居民意愿不符', decidedBy: 'u-sun', decidedAt: new Date().toISOString() }, reviewer);
    const fund = await ops.publish('communities', ServiceFundAllocated, randomUUID(), {
      fundId: randomUUID(), subDistrictId: S, communityId: C, fiscalYear: 2026, allocatedFen: 500_000_00, committedFen: 0, spentFen: 0, remainingFen: 500_000_00, previousAllocatedFen: 400_000_00,
    }, finance);
    await processed(other);
    await processed(fund);

    const mine = (await projectAudit(projectId, 'order=oldest&limit=100')).body.items;
    expect(mine.length).toBeGreaterThan(10);
    expect(mine.every((e: any) => e.projectId === projectId)).toBe(true);
    expect((await projectAudit(otherProject)).body.items.map((e: any) => [e.action, e.reason, e.after.outcomeLabel])).toEqual([['proposal.review.pre', '与居民意愿不符', '否决']]);

    // Newest first, two at a time, to the end: the same entries in the opposite order.
    const paged: any[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await projectAudit(projectId, `limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      paged.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(paged.map((e) => e.seq)).toEqual(mine.map((e: any) => e.seq).reverse());
    expect((await projectAudit(projectId, 'cursor=not-a-cursor')).status).toBe(400);

    const global = await ops.api('GET', '/audit?action=fund.allocate', undefined, who.operator);
    expect(global.body.items).toEqual([expect.objectContaining({ projectId: null, action: 'fund.allocate', actionLabel: '下达年度经费', before: { allocatedFen: 400_000_00 }, after: expect.objectContaining({ allocatedFen: 500_000_00 }) })]);
    const byActor = (await ops.api('GET', '/audit?actorUserId=u-cai&limit=100')).body.items;
    expect(new Set(byActor.map((e: any) => e.action))).toEqual(new Set(['payment.approve', 'fund.allocate']));
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await ops.api('GET', `/audit?from=${encodeURIComponent(future)}`)).body.items).toEqual([]);
    const window = (await ops.api('GET', `/audit?projectId=${otherProject}&from=${encodeURIComponent(other.occurredAt)}&to=${encodeURIComponent(future)}`)).body.items;
    expect(window.map((e: any) => e.source.eventId)).toEqual([other.id]);
    expect((await ops.api('GET', `/audit?from=${encodeURIComponent(future)}&to=${encodeURIComponent(other.occurredAt)}`)).status).toBe(400);
  });

  it('when a role the policy does not allow reads or verifies, then 403 with the reason; the sub-district reads its own projects only', async () => {
    for (const p of [who.secretary, who.resident, { userId: 'u-org', role: 'org_staff', scope: { kind: 'organization', id: O } }, { userId: 'u-jian', role: 'supervisor', scope: { kind: 'agency', id: AGENCY } }] as Principal[]) {
      const res = await projectAudit(projectId, 'limit=1', p);
      expect({ role: p.role, status: res.status }).toEqual({ role: p.role, status: 403 });
      expect(res.body.detail).toContain('无权「查看审计记录」');
      expect((await ops.api('GET', `/audit?projectId=${projectId}`, undefined, p)).status).toBe(403);
    }
    const elsewhere = await projectAudit(projectId, 'limit=1', who.otherReviewer);
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.detail).toContain('不在您的管辖范围内');
    for (const p of [who.reviewer, who.committee, { userId: 'u-cai', role: 'finance', scope: { kind: 'sub-district', id: S } }, who.admin] as Principal[]) {
      expect({ role: p.role, status: (await projectAudit(projectId, 'limit=1', p)).status }).toEqual({ role: p.role, status: 200 });
    }
    // Outside the platform, one project at a time.
    const unscoped = await ops.api('GET', '/audit', undefined, who.reviewer);
    expect(unscoped.status).toBe(400);
    expect(unscoped.body.errors).toEqual([expect.objectContaining({ path: 'query.projectId' })]);
    expect((await ops.api('GET', `/audit?projectId=${projectId}`, undefined, who.reviewer)).status).toBe(200);

    const refused = await ops.api('GET', '/audit/verification', undefined, who.reviewer);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('无权「校验审计链（防篡改）」');
    expect((await ops.api('GET', '/audit/verification', undefined, who.admin)).status).toBe(200);
  });

  it("when an operator acts on a project, then the action is on the same chain with the lifecycle's state before and after; a refused role is recorded as forbidden", async () => {
    const res = await ops.api('POST', `/projects/${projectId}/remind`, { reason: '请本周内召开预审会' }, who.operator);
    expect(res.status).toBe(200);
    expect((await ops.api('POST', `/projects/${projectId}/retry`, { reason: '试试' }, who.operator)).status).toBe(403);
    const [forbidden, remind] = (await projectAudit(projectId, 'limit=2')).body.items;
    expect(remind).toMatchObject({
      id: res.body.auditId,
      action: 'remind',
      actionLabel: '催办',
      actor: { userId: 'u-ops', role: 'operator', roleLabel: '运维人员', scope: 'platform:linli' },
      reason: '请本周内召开预审会',
      outcome: 'ok',
      outcomeLabel: '已生效',
      before: { stage: 'pre_review', stageLabel: '预审', waitingOn: 'subdistrict_reviewer' },
      after: { stage: 'pre_review', waitingOn: 'subdistrict_reviewer' },
      source: { service: 'operations', eventId: res.body.auditId, type: null },
    });
    expect(forbidden).toMatchObject({ action: 'retry', outcome: 'forbidden', outcomeLabel: '无权', after: null, error: expect.stringContaining('运维人员无权') });
    expect(forbidden.seq).toBe(remind.seq + 1);
    expect(forbidden.prevHash).toBe(remind.hash);
  });

  it('when 50 entries are appended at once, then they form one chain: consecutive seq, each linked to the one before, and the verification passes', async () => {
    const before = await count();
    const uow = createUnitOfWork(ops.service.prisma);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const id = randomUUID();
        return uow.run((work) =>
          recordAudit(work, {
            id, at: new Date().toISOString(), projectId, actor: { userId: `u-${i}`, role: 'operator', scope: 'platform:linli' }, action: 'remind', reason: `并发 ${i}`,
            outcome: 'ok', error: null, batchId: null, before: null, after: { n: i }, source: { service: 'operations', eventId: id, type: null },
          }),
        );
      }),
    );
    expect(await count()).toBe(before + 50);
    const rows = (await ops.service.prisma.$queryRawUnsafe(`select seq::int as seq, prev_hash, hash from audit_entries order by seq`)) as { seq: number; prev_hash: string; hash: string }[];
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    const v = await verification();
    expect(v).toMatchObject({ ok: true, entries: rows.length, head: { seq: rows.length, hash: rows[rows.length - 1]!.hash }, firstBroken: null });
  });

  it('when one row is changed, deleted or moved through SQL, then the verification (and pnpm ops audit verify, exit 1) names the first broken seq; restored, it passes again (exit 0)', async () => {
    const env = { OPS_URL: ops.service.url };
    const intact = await runOpsCli(['audit', 'verify'], { env });
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain('审计链完好');
    const total = await count();

    // A reason rewritten after the fact.
    const [row] = (await ops.service.prisma.$queryRawUnsafe(`select reason, hash from audit_entries where seq = 3`)) as { reason: string; hash: string }[];
    await sql(`update audit_entries set reason = '改过的理由' where seq = 3`);
    const changed = await verification();
    expect(changed).toMatchObject({ ok: false, entries: 2, firstBroken: { seq: 3, storedHash: row!.hash, reason: expect.stringContaining('内容与哈希不符') } });
    expect(changed.firstBroken.expectedHash).not.toBe(row!.hash);
    const cli = await runOpsCli(['audit', 'verify', '--json'], { env });
    expect(cli.code).toBe(1);
    expect(JSON.parse(cli.stdout)).toMatchObject({ ok: false, firstBroken: { seq: 3 } });
    const text = await runOpsCli(['audit', 'verify'], { env });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('审计链断裂：第 3 条');
    await sql(`update audit_entries set reason = $1 where seq = 3`, row!.reason);
    expect(await verification()).toMatchObject({ ok: true, entries: total });

    // A row deleted from the middle, and one cut off the end.
    await sql(`create table tampered as select * from audit_entries where seq in (5, ${total})`);
    await sql(`delete from audit_entries where seq = 5`);
    expect(await verification()).toMatchObject({ ok: false, entries: 4, firstBroken: { seq: 5, expectedHash: null, storedHash: null, reason: expect.stringContaining('第 5 条缺失') } });
    await sql(`insert into audit_entries select * from tampered where seq = 5`);
    await sql(`delete from audit_entries where seq = ${total}`);
    expect(await verification()).toMatchObject({ ok: false, entries: total - 1, firstBroken: { seq: total, reason: expect.stringContaining('缺失') } });
    await sql(`insert into audit_entries select * from tampered where seq = ${total}`);
    await sql(`drop table tampered`);
    expect((await verification()).ok).toBe(true);

    // Two rows swapping places.
    const swap = async () => {
      await sql(`update audit_entries set seq = -7 where seq = 7`);
      await sql(`update audit_entries set seq = 7 where seq = 8`);
      await sql(`update audit_entries set seq = 8 where seq = -7`);
    };
    await swap();
    expect(await verification()).toMatchObject({ ok: false, entries: 6, firstBroken: { seq: 7, reason: expect.stringContaining('不衔接') } });
    await swap();
    const restored = await runOpsCli(['audit', 'verify', '--json'], { env });
    expect(restored.code).toBe(0);
    expect(JSON.parse(restored.stdout)).toMatchObject({ ok: true, entries: total, firstBroken: null });
  });
});
