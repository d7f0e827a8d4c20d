import { randomUUID } from 'node:crypto';
import type { Principal } from '@linli/auth';
import { contractWorld, disbursementSteps, startPayments, type Harness } from './payments-harness';

type World = ReturnType<typeof contractWorld>;

describe('early termination over HTTP: settle what was delivered, pay it as the final tranche', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startPayments();
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function newPlan(amountFen = 1_000_001): Promise<World> {
    const w = contractWorld();
    expect((await h.api('POST', '/payment-plans', { body: w.planBody(amountFen), as: w.who.finance })).status).toBe(201);
    return w;
  }
  const terminate = (w: World, body: unknown = { deliveredPermille: 750, reason: '提前终止：服务质量不达标' }, key: string | null = randomUUID(), as: Principal = w.who.system) =>
    h.api('POST', `/contracts/${w.ids.contractId}/termination`, { body, as, key });
  const { request, approve, pay } = disbursementSteps(() => h);
  const planOf = async (w: World) => (await h.api('GET', `/contracts/${w.ids.contractId}/payment-plan`, { as: w.who.finance })).body;
  const ledger = async (w: World) => (await h.api('GET', `/contracts/${w.ids.contractId}/ledger?limit=100`, { as: w.who.finance })).body;
  const transfersOf = (trancheId: string) => h.service.prisma.simulatedTreasuryTransfer.findMany({ where: { trancheId } });

  it('when terminated at 75 % with the start-up paid, then 450,000 fen is owed, the mid-term is cancelled, the rest goes back to the fund, and the final pays the owed amount once without a grade', async () => {
    const w = await newPlan(1_000_001);
    await pay(w, 'start_up'); // 300,000

    const settled = await terminate(w, { deliveredPermille: 750, reason: '提前终止：服务质量不达标' }, 'project-x/termination');
    expect(settled.status).toBe(201);
    const plan = await planOf(w);
    const final = plan.tranches.find((t: any) => t.kind === 'final');
    expect(settled.body).toEqual({
      contractId: w.ids.contractId,
      projectId: w.ids.projectId,
      deliveredPermille: 750,
      reason: '提前终止：服务质量不达标',
      contractAmountFen: 1_000_001,
      deliveredValueFen: 750_000,
      paidBeforeFen: 300_000,
      owedFen: 450_000,
      releasedFen: 250_001,
      cancelledTranches: ['mid_term'],
      settlementTrancheId: final.id,
      terminatedBy: { userId: 'system:workflow', role: 'system', scope: 'platform:linli' },
      terminatedAt: expect.any(String),
    });
    expect(plan.tranches.map((t: any) => [t.kind, t.status, t.statusLabel])).toEqual([
      ['start_up', 'paid', '已拨付'],
      ['mid_term', 'cancelled', '已取消'],
      ['final', 'pending', '待申请'],
    ]);
    expect(plan).toMatchObject({ status: 'open', yearEndGrade: null, termination: { owedFen: 450_000 }, ledger: { committedFen: 1_000_001, paidFen: 300_000, releasedFen: 250_001, outstandingFen: 450_000 } });
    expect((await h.api('GET', `/contracts/${w.ids.contractId}/termination`, { as: w.who.secretary })).body).toEqual(settled.body);

    // The settlement: no year-end grade, mid-term never paid — requested all the same, approved by finance (four eyes).
    const requested = await request(w, 'final', 'project-x/tranche/final/1');
    expect(requested.status).toBe(201);
    expect(requested.body).toMatchObject({ kind: 'final', status: 'requested', payableFen: 450_000, reductionFen: null, grade: null, plannedAmountFen: 300_001 });
    expect((await approve(w, requested.body.id, randomUUID(), w.who.system)).status).toBe(403);
    const paid = await approve(w, requested.body.id, 'finance-final');
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'paid', paidAmountFen: 450_000 });
    const replayed = await approve(w, requested.body.id, 'finance-final');
    expect(replayed.body).toEqual(paid.body);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    const again = await request(w, 'final', 'project-x/tranche/final/2');
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain('尾款已拨付，不可重复拨付');
    expect(await transfersOf(final.id)).toEqual([expect.objectContaining({ amountFen: 450_000n, status: 'confirmed' })]);

    const book = await ledger(w);
    expect(book.items.map((e: any) => [e.entryType, e.amountFen])).toEqual([
      ['plan_committed', 1_000_001],
      ['tranche_paid', -300_000],
      ['termination_released', -250_001],
      ['tranche_paid', -450_000],
    ]);
    expect(book.balanceFen).toBe(0);
    const fund = await h.api('GET', `/funds/${w.ids.communityId}/ledger`, { as: w.who.finance });
    expect(fund.body.items.map((e: any) => [e.entryType, e.amountFen])).toEqual([
      ['plan_committed', -1_000_001],
      ['termination_released', 250_001],
    ]);
    expect(await planOf(w)).toMatchObject({ status: 'completed', ledger: { paidFen: 750_000, releasedFen: 250_001, outstandingFen: 0 } });
    expect((await h.api('GET', `/contracts/${w.ids.contractId}/reconciliation`, { as: w.who.finance })).body).toMatchObject({ ok: true, mismatches: [] });

    const event = await h.service.prisma.outboxEvent.findFirst({ where: { key: w.ids.contractId, type: 'payments.contract.terminated' } });
    expect((event!.payload as any).data).toMatchObject({
      contractId: w.ids.contractId,
      deliveredPermille: 750,
      paidBeforeFen: 300_000,
      owedFen: 450_000,
      releasedFen: 250_001,
      cancelledTranches: ['mid_term'],
      settlementTrancheId: final.id,
      fundKind: 'community',
      fundId: w.ids.communityId,
    });
    const paidEvent = await h.service.prisma.outboxEvent.findFirst({ where: { key: w.ids.contractId, type: 'payments.tranche.paid', payload: { path: ['data', 'kind'], equals: 'final' } } });
    expect((paidEvent!.payload as any).data).toMatchObject({ kind: 'final', amountFen: 450_000, projectId: w.ids.projectId });
  });

  it('when nothing is owed, then the final tranche is cancelled too, nothing more can be requested, and the contract is completed with a zero balance', async () => {
    const w = await newPlan(1000);
    await pay(w, 'start_up'); // 300
    const settled = await terminate(w, { deliveredPermille: 200, reason: '提前终止：社会组织解散' });
    expect(settled.body).toMatchObject({ owedFen: 0, paidBeforeFen: 300, deliveredValueFen: 200, releasedFen: 700, cancelledTranches: ['mid_term', 'final'], settlementTrancheId: null });
    for (const kind of ['mid_term', 'final']) {
      const refused = await request(w, kind);
      expect([kind, refused.status]).toEqual([kind, 409]);
      expect(refused.body.detail).toContain('已取消（合同已提前终止）');
    }
    expect(await planOf(w)).toMatchObject({ status: 'completed', ledger: { outstandingFen: 0 } });
    expect((await ledger(w)).balanceFen).toBe(0);
    expect((await h.api('GET', `/contracts/${w.ids.contractId}/reconciliation`, { as: w.who.finance })).body.ok).toBe(true);
    const completed = await h.api('GET', `/payment-plans?contractId=${w.ids.contractId}&status=completed`, { as: w.who.finance });
    expect(completed.body.items.map((p: any) => p.contractId)).toEqual([w.ids.contractId]);
  });

  it('when nothing was paid yet, then the settlement is the whole delivered value, paid as the final tranche', async () => {
    const w = await newPlan(1001);
    const settled = await terminate(w, { deliveredPermille: 333, reason: '提前终止' });
    expect(settled.body).toMatchObject({ deliveredValueFen: 333, paidBeforeFen: 0, owedFen: 333, releasedFen: 668, cancelledTranches: ['start_up', 'mid_term'] });
    expect((await request(w, 'start_up')).body.detail).toContain('启动资金已取消');
    const final = await pay(w, 'final');
    expect(final).toMatchObject({ paidAmountFen: 333, grade: null });
    expect((await ledger(w)).balanceFen).toBe(0);
  });

  it('when the termination is repeated with the same key, then the first answer comes back; another key, or the same key with another body, is 409 and changes nothing', async () => {
    const w = await newPlan();
    const first = await terminate(w, { deliveredPermille: 500, reason: '提前终止' }, 'same-termination-key');
    const repeat = await terminate(w, { deliveredPermille: 500, reason: '提前终止' }, 'same-termination-key');
    expect(repeat.status).toBe(201);
    expect(repeat.body).toEqual(first.body);
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');

    const second = await terminate(w, { deliveredPermille: 900, reason: '再次终止' }, 'another-key');
    expect(second.status).toBe(409);
    expect(second.body.detail).toContain('该合同已提前终止并结算');
    const changedBody = await terminate(w, { deliveredPermille: 900, reason: '提前终止' }, 'same-termination-key');
    expect(changedBody.status).toBe(409);
    expect(changedBody.body.detail).toContain('幂等键已用于另一笔请求');
    expect((await h.api('GET', `/contracts/${w.ids.contractId}/termination`, { as: w.who.finance })).body.deliveredPermille).toBe(500);
    expect(await h.service.prisma.outboxEvent.count({ where: { key: w.ids.contractId, type: 'payments.contract.terminated' } })).toBe(1);
    expect((await ledger(w)).items.filter((e: any) => e.entryType === 'termination_released')).toHaveLength(1);
  });

  it('when two terminations with different keys race, then exactly one settles', async () => {
    const w = await newPlan();
    const results = await Promise.all(['race-a', 'race-b', 'race-c'].map((key, i) => terminate(w, { deliveredPermille: 100 * (i + 1), reason: '提前终止' }, key)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(await h.service.prisma.contractTermination.count({ where: { contractId: w.ids.contractId } })).toBe(1);
  });

  it('when the body is wrong or the key is missing, then 400 problem+json naming every failing field, and nothing is written', async () => {
    const w = await newPlan();
    const bad = await terminate(w, { deliveredPermille: 1001, reason: '', extra: true });
    expect(bad.status).toBe(400);
    expect(bad.contentType).toContain('application/problem+json');
    const paths = bad.body.errors.map((e: any) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.deliveredPermille', 'body.reason']));
    const fraction = await terminate(w, { deliveredPermille: 12.5, reason: '提前终止' });
    expect(fraction.status).toBe(400);
    expect(fraction.body.errors.map((e: any) => e.path)).toEqual(['body.deliveredPermille']);
    const missing = await terminate(w, {});
    expect(missing.body.errors.map((e: any) => e.path).sort()).toEqual(['body.deliveredPermille', 'body.reason']);
    const noKey = await terminate(w, { deliveredPermille: 500, reason: '提前终止' }, null);
    expect(noKey.status).toBe(400);
    expect(noKey.body.errors).toEqual([expect.objectContaining({ path: 'headers.idempotency-key' })]);
    expect((await planOf(w)).termination).toBeNull();
  });

  it('when anyone but the workflow engine or an admin terminates, then 403; an admin may; an unknown contract is 404', async () => {
    const w = await newPlan();
    for (const as of [w.who.finance, w.who.operator, w.who.committee, w.who.reviewer, w.who.secretary, w.who.orgStaff, w.who.supervisor]) {
      const refused = await terminate(w, undefined, randomUUID(), as);
      expect([as.role, refused.status]).toEqual([as.role, 403]);
    }
    expect((await terminate(w, undefined, randomUUID(), null as unknown as Principal)).status).toBe(401);
    expect((await planOf(w)).termination).toBeNull();
    expect((await terminate(w, undefined, randomUUID(), w.who.admin)).status).toBe(201);

    const unknown = await h.api('POST', `/contracts/${randomUUID()}/termination`, { body: { deliveredPermille: 500, reason: '提前终止' }, as: w.who.system, key: 'k-unknown' });
    expect(unknown.status).toBe(404);
    const notTerminated = await newPlan();
    expect((await h.api('GET', `/contracts/${notTerminated.ids.contractId}/termination`, { as: notTerminated.who.finance })).status).toBe(404);
  });

  it('when a tranche is in flight, then termination is 409 until it is paid', async () => {
    const w = await newPlan();
    const requested = await request(w, 'start_up');
    const refused = await terminate(w);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('启动资金正在审批或转账中');
    await approve(w, requested.body.id);
    expect((await terminate(w)).status).toBe(201);
  });

  it('when the contract is frozen, then it can be terminated but the settlement is not paid until the freeze is lifted', async () => {
    const w = await newPlan();
    await pay(w, 'start_up');
    expect((await h.api('POST', `/contracts/${w.ids.contractId}/freeze`, { body: { reason: '发票与预算不符' }, as: w.who.system })).status).toBe(201);
    expect((await terminate(w, { deliveredPermille: 600, reason: '提前终止' })).body.owedFen).toBe(300_000);
    const blocked = await request(w, 'final');
    expect(blocked.status).toBe(409);
    expect(blocked.body.detail).toBe('拨付已冻结：发票与预算不符 (payments are frozen)');
    expect((await h.api('POST', `/contracts/${w.ids.contractId}/unfreeze`, { body: { reason: '已整改' }, as: w.who.system })).status).toBe(200);
    const final = await pay(w, 'final');
    expect(final.paidAmountFen).toBe(300_000);
  });

  it('when the contract was terminated, then its plan can no longer be adjusted', async () => {
    const w = await newPlan(500);
    await terminate(w, { deliveredPermille: 0, reason: '提前终止' });
    const adjusted = await h.api('PUT', `/contracts/${w.ids.contractId}/payment-plan/tranches`, {
      body: { reason: '调整比例', tranches: [{ kind: 'final', percent: 100, conditionCode: 'year_end_evaluated', conditionText: '结项' }] },
      as: w.who.finance,
    });
    expect(adjusted.status).toBe(409);
  });
});
