import { randomUUID } from 'node:crypto';
import type { Principal } from '@linli/auth';
import { EventEnvelope, PAYMENTS_EVENTS } from '@linli/contracts';
import { createEventRegistry } from '@linli/events';
import { resumeInFlightTransfers } from '../src/domain/disbursements.use-cases';
import { DEFAULT_FINAL_PERCENT_BY_GRADE, defaultTrancheSpecs } from '../src/domain/payment-plan.rules';
import { contractWorld, disbursementSteps, startPayments, type Harness } from './payments-harness';

type World = ReturnType<typeof contractWorld>;

describe('disbursement over HTTP: request → approve → treasury → paid / failed', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startPayments();
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function newPlan(amountFen = 1_000_001): Promise<World & { plan: any }> {
    const w = contractWorld();
    const res = await h.api('POST', '/payment-plans', { body: w.planBody(amountFen), as: w.who.finance });
    expect(res.status).toBe(201);
    return { ...w, plan: res.body };
  }
  const { request, approve, pay } = disbursementSteps(() => h);
  const ledger = async (w: World) => (await h.api('GET', `/contracts/${w.ids.contractId}/ledger?limit=100`, { as: w.who.finance })).body;
  const transfersOf = (trancheId: string) => h.service.prisma.simulatedTreasuryTransfer.findMany({ where: { trancheId } });
  const outboxTypes = async (contractId: string) =>
    (await h.service.prisma.outboxEvent.findMany({ where: { key: contractId }, orderBy: { seq: 'asc' } })).map((r) => r.type);

  it('when the workflow requests the start-up tranche and finance approves, then it is paid once, the ledger and the events say so', async () => {
    const w = await newPlan();
    const requested = await request(w, 'start_up', 'wf-1/tranche/start_up/1');
    expect(requested.status).toBe(201);
    expect(requested.headers.get('idempotent-replayed')).toBeNull();
    expect(requested.body).toMatchObject({
      kind: 'start_up',
      status: 'requested',
      attempts: 1,
      payableFen: 300_000,
      currentDisbursement: { attempt: 1, status: 'requested', amountFen: 300_000, requestedBy: { userId: 'system:workflow', role: 'system' }, approvedBy: null },
    });

    const approved = await approve(w, requested.body.id, 'finance-approve-1');
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'paid',
      paidAmountFen: 300_000,
      currentDisbursement: { status: 'paid', approvedBy: { userId: 'u-finance-wang', role: 'finance' }, transferReference: expect.stringMatching(/^SIM-\d{8}-[0-9a-f]{12}$/) },
    });
    expect(await transfersOf(requested.body.id)).toEqual([expect.objectContaining({ key: `${requested.body.id}:1`, amountFen: 300_000n, status: 'confirmed', payeeOrganizationId: w.ids.organizationId })]);

    const book = await ledger(w);
    expect(book.items.map((e: any) => [e.entryType, e.amountFen, e.balanceAfterFen])).toEqual([
      ['plan_committed', 1_000_001, 1_000_001],
      ['tranche_paid', -300_000, 700_001],
    ]);
    expect(book.balanceFen).toBe(700_001);
    expect(book.items[1].createdBy).toMatchObject({ userId: 'u-finance-wang' });
    expect(await outboxTypes(w.ids.contractId)).toEqual(['payments.plan.created', 'payments.tranche.requested', 'payments.tranche.approved', 'payments.tranche.paid']);
    const paid = await h.service.prisma.outboxEvent.findFirst({ where: { key: w.ids.contractId, type: 'payments.tranche.paid' } });
    expect((paid!.payload as any).data).toEqual({
      contractId: w.ids.contractId,
      projectId: w.ids.projectId,
      trancheId: requested.body.id,
      kind: 'start_up',
      amountFen: 300_000,
      subDistrictId: w.ids.subDistrictId,
      communityId: w.ids.communityId,
      paidAt: approved.body.paidAt,
    });
  });

  it('when the Idempotency-Key header is missing, then request and approve are 400 naming the header, and nothing is written', async () => {
    const w = await newPlan();
    const noKey = await request(w, 'start_up', null);
    expect(noKey.status).toBe(400);
    expect(noKey.contentType).toContain('application/problem+json');
    expect(noKey.body.errors).toEqual([expect.objectContaining({ path: 'headers.idempotency-key' })]);
    expect(noKey.body.detail).toContain('Idempotency-Key');
    const plan = await h.api('GET', `/contracts/${w.ids.contractId}/payment-plan`, { as: w.who.finance });
    expect(plan.body.tranches[0]).toMatchObject({ status: 'pending', attempts: 0 });

    const requested = await request(w, 'start_up');
    const noApproveKey = await approve(w, requested.body.id, null);
    expect(noApproveKey.status).toBe(400);
    expect(noApproveKey.body.errors[0].path).toBe('headers.idempotency-key');
    expect((await h.api('GET', `/tranches/${requested.body.id}`, { as: w.who.finance })).body.status).toBe('requested');
  });

  it('when a request or an approval is repeated with the same key, then the first result comes back (same status and body) and no money moves twice', async () => {
    const w = await newPlan();
    const first = await request(w, 'start_up', 'same-request-key');
    const again = await request(w, 'start_up', 'same-request-key');
    expect(again.status).toBe(first.status);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    const paid = await approve(w, first.body.id, 'same-approve-key');
    const paidAgain = await approve(w, first.body.id, 'same-approve-key');
    expect(paidAgain.status).toBe(200);
    expect(paidAgain.body).toEqual(paid.body);
    // The request key replays its first answer (requested), even now that the tranche is paid.
    const late = await request(w, 'start_up', 'same-request-key');
    expect(late.status).toBe(201);
    expect(late.body).toEqual(first.body);

    expect(await transfersOf(first.body.id)).toHaveLength(1);
    expect((await ledger(w)).items.filter((e: any) => e.entryType === 'tranche_paid')).toHaveLength(1);
    expect((await h.api('GET', `/tranches/${first.body.id}`, { as: w.who.finance })).body.disbursements).toHaveLength(1);
  });

  it('when a key is reused for another tranche, then 409 and the other tranche is untouched', async () => {
    const w = await newPlan();
    const key = `reused-${randomUUID()}`;
    expect((await request(w, 'start_up', key)).status).toBe(201);
    const other = await newPlan();
    const clash = await request(other, 'start_up', key);
    expect(clash.status).toBe(409);
    expect(clash.body.detail).toContain('幂等键已用于另一笔请求');
    const plan = await h.api('GET', `/contracts/${other.ids.contractId}/payment-plan`, { as: other.who.finance });
    expect(plan.body.tranches[0]).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('when identical requests race (same key, five in parallel), then all get the one result and there is one disbursement; the same for racing approvals', async () => {
    const w = await newPlan();
    const requests = await Promise.all(Array.from({ length: 5 }, () => request(w, 'start_up', 'race-key')));
    expect(requests.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    for (const r of requests) expect(r.body).toEqual(requests[0]!.body);
    const trancheId = requests[0]!.body.id;

    const approvals = await Promise.all(Array.from({ length: 5 }, () => approve(w, trancheId, 'race-approve')));
    expect(approvals.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    for (const r of approvals) expect(r.body).toEqual(approvals[0]!.body);
    expect(approvals[0]!.body.status).toBe('paid');
    expect(await transfersOf(trancheId)).toHaveLength(1);
    expect((await h.api('GET', `/tranches/${trancheId}`, { as: w.who.finance })).body.disbursements).toHaveLength(1);
    expect((await ledger(w)).items.filter((e: any) => e.entryType === 'tranche_paid')).toHaveLength(1);
  });

  it('when the same tranche is requested with different keys at once, then exactly one is 201 and the others 409; after payment another key is 409 too', async () => {
    const w = await newPlan();
    const results = await Promise.all(['key-one', 'key-two', 'key-three', 'key-four'].map((key) => request(w, 'start_up', key)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    const winner = results.find((r) => r.status === 201)!;
    for (const loser of results.filter((r) => r.status === 409)) expect(loser.body.detail).toMatch(/已申请|另一请求/);
    expect((await h.api('GET', `/tranches/${winner.body.id}`, { as: w.who.finance })).body.disbursements).toHaveLength(1);

    // Two racing approvals with different keys: one pays; the other is refused or sees it paid; one transfer.
    const approvals = await Promise.all([approve(w, winner.body.id, 'ap-1'), approve(w, winner.body.id, 'ap-2', w.who.finance2)]);
    expect(approvals.some((a) => a.status === 200 && a.body.status === 'paid')).toBe(true);
    expect(await transfersOf(winner.body.id)).toHaveLength(1);
    const afterPaid = await request(w, 'start_up', 'key-five');
    expect(afterPaid.status).toBe(409);
    expect(afterPaid.body.detail).toContain('启动资金已拨付，不可重复拨付');
  });

  it('when anyone but finance of the sub-district approves, then 403 and nothing changes; finance may not approve its own request', async () => {
    const w = await newPlan();
    const requested = await request(w, 'start_up', undefined, w.who.finance);
    for (const as of [w.who.system, w.who.admin, w.who.operator, w.who.reviewer, w.who.committee, w.who.secretary, w.who.resident, w.who.orgStaff, w.who.supervisor, w.who.otherFinance]) {
      const refused = await approve(w, requested.body.id, randomUUID(), as);
      expect([as.role, refused.status]).toEqual([as.role, 403]);
    }
    expect((await approve(w, requested.body.id, randomUUID(), null as unknown as Principal)).status).toBe(401);
    const own = await approve(w, requested.body.id, randomUUID(), w.who.finance);
    expect(own.status).toBe(409);
    expect(own.body.detail).toContain('审批人不能是申请人');
    const tranche = await h.api('GET', `/tranches/${requested.body.id}`, { as: w.who.finance });
    expect(tranche.body).toMatchObject({ status: 'requested', paidAmountFen: null });
    expect(await transfersOf(requested.body.id)).toHaveLength(0);

    const byColleague = await approve(w, requested.body.id, randomUUID(), w.who.finance2);
    expect(byColleague.body.status).toBe('paid');
  });

  it('when someone outside the payment roles requests, then 403; unknown contract, tranche or kind, then 404', async () => {
    const w = await newPlan();
    for (const as of [w.who.secretary, w.who.supervisor, w.who.reviewer, w.who.admin, w.who.otherFinance]) {
      expect((await request(w, 'start_up', randomUUID(), as)).status).toBe(403);
    }
    expect((await h.api('POST', `/contracts/${randomUUID()}/tranches/start_up/requests`, { as: w.who.system, key: 'k' })).status).toBe(404);
    expect((await approve(w, randomUUID())).status).toBe(404);
    expect((await h.api('POST', `/contracts/${w.ids.contractId}/tranches/bonus/requests`, { as: w.who.system, key: 'k' })).status).toBe(400);

    const two = contractWorld();
    await h.api('POST', '/payment-plans', {
      body: two.planBody(100, { tranches: [{ kind: 'start_up', percent: 50, conditionCode: 'contract_signed', conditionText: 'a' }, { kind: 'final', percent: 50, conditionCode: 'year_end_evaluated', conditionText: 'b' }] }),
      as: two.who.finance,
    });
    expect((await request(two, 'mid_term')).status).toBe(404);
  });

  it('when the mid-term or the final tranche is asked for out of order or before its condition, then 409 with the reason', async () => {
    const w = await newPlan();
    const early = await request(w, 'mid_term');
    expect(early.status).toBe(409);
    expect(early.body.detail).toContain('须先拨付启动资金');
    await pay(w, 'start_up');
    const notYet = await request(w, 'mid_term');
    expect(notYet.body.detail).toContain('尚无中期检查结果');
    // "not yet" is marked, so the lifecycle retries instead of parking; out of order above is not
    expect(notYet.body.code).toBe('RELEASE_CONDITION_PENDING');
    expect(early.body.code).not.toBe('RELEASE_CONDITION_PENDING');
    await h.evaluate(w.ids.contractId, w.ids.projectId, 'mid_term', 'poor', false);
    const failedCheck = await request(w, 'mid_term');
    expect(failedCheck.body.detail).toContain('中期检查未通过');
    expect(failedCheck.body.code).not.toBe('RELEASE_CONDITION_PENDING');
    expect((await request(w, 'final')).body.detail).toContain('须先拨付中期款');
    await h.evaluate(w.ids.contractId, w.ids.projectId, 'mid_term', 'good', true);
    await pay(w, 'mid_term');
    const noGrade = await request(w, 'final');
    expect(noGrade.status).toBe(409);
    expect(noGrade.body.detail).toContain('尚无结项评估等级');
    expect(noGrade.body.code).toBe('RELEASE_CONDITION_PENDING');
    // Refusals wrote nothing: still one disbursement per paid tranche, the final one untouched.
    const plan = await h.api('GET', `/contracts/${w.ids.contractId}/payment-plan`, { as: w.who.finance });
    expect(plan.body.tranches.map((t: any) => [t.kind, t.status, t.attempts])).toEqual([
      ['start_up', 'paid', 1],
      ['mid_term', 'paid', 1],
      ['final', 'pending', 0],
    ]);
  });

  it('when the year-end grade is 中, then the final tranche pays 70 %, the reduction goes back to the fund and is recorded', async () => {
    const w = await newPlan(1_000_001);
    await pay(w, 'start_up');
    await h.evaluate(w.ids.contractId, w.ids.projectId, 'mid_term', 'good', true);
    await pay(w, 'mid_term');
    await h.evaluate(w.ids.contractId, w.ids.projectId, 'year_end', 'fair', true);

    const requested = await request(w, 'final');
    expect(requested.status).toBe(201);
    expect(requested.body).toMatchObject({ plannedAmountFen: 300_001, payableFen: 210_000, reductionFen: 90_001, grade: 'fair' });
    const paid = await approve(w, requested.body.id);
    expect(paid.body).toMatchObject({ status: 'paid', paidAmountFen: 210_000, reductionFen: 90_001, grade: 'fair' });
    expect((await transfersOf(requested.body.id))[0]!.amountFen).toBe(210_000n);

    const plan = await h.api('GET', `/contracts/${w.ids.contractId}/payment-plan`, { as: w.who.secretary });
    expect(plan.body).toMatchObject({
      status: 'completed',
      yearEndGrade: 'fair',
      ledger: { committedFen: 1_000_001, paidFen: 910_000, releasedFen: 90_001, outstandingFen: 0 },
    });
    const fund = await h.api('GET', `/funds/${w.ids.communityId}/ledger`, { as: w.who.secretary });
    expect(fund.body.items.map((e: any) => [e.entryType, e.amountFen])).toEqual([
      ['plan_committed', -1_000_001],
      ['reduction_released', 90_001],
    ]);
    expect(fund.body.balanceFen).toBe(-910_000);
    const reduction = await h.service.prisma.outboxEvent.findFirst({ where: { key: w.ids.contractId, type: 'payments.tranche.reduction-applied' } });
    expect((reduction!.payload as any).data).toMatchObject({ grade: 'fair', percentPaid: 70, plannedAmountFen: 300_001, paidAmountFen: 210_000, reductionFen: 90_001, fundKind: 'community', fundId: w.ids.communityId });
    expect((await h.api('GET', `/contracts/${w.ids.contractId}/reconciliation`, { as: w.who.finance })).body).toMatchObject({ ok: true, mismatches: [] });
  });

  it('when the year-end grade is 差, then nothing is transferred, the whole final tranche returns to the fund', async () => {
    const w = await newPlan(1000);
    await pay(w, 'start_up');
    await h.evaluate(w.ids.contractId, w.ids.projectId, 'mid_term', 'fair', true);
    await pay(w, 'mid_term');
    await h.evaluate(w.ids.contractId, w.ids.projectId, 'year_end', 'poor', false);
    const final = await pay(w, 'final');
    expect(final).toMatchObject({ paidAmountFen: 0, reductionFen: 300, grade: 'poor' });
    expect(await transfersOf(final.id)).toHaveLength(0);
    expect((await ledger(w)).balanceFen).toBe(0);
  });

  it('when the treasury rejects a transfer, then the tranche is failed with the reason, and a new request with a new key pays it', async () => {
    const w = await newPlan();
    const requested = await request(w, 'start_up');
    // The switch is an admin's, over HTTP (development and demos only); finance cannot touch it.
    expect((await h.api('PUT', '/simulated-treasury', { body: { reject: '收款账户信息有误' }, as: w.who.finance })).status).toBe(403);
    expect((await h.api('PUT', '/simulated-treasury', { body: { reject: '' } })).status).toBe(400);
    // a phone number typed into the reason is masked before it can reach a transfer, the ledger or an event
    const typed = await h.api('PUT', '/simulated-treasury', { body: { reject: '请联系 13912345678 核对账户' } });
    expect(typed.body.reject).not.toContain('13912345678');
    expect(typed.body.reject).toMatch(/139\*{4}5678/);
    const on = await h.api('PUT', '/simulated-treasury', { body: { reject: '收款账户信息有误' } });
    expect(on.body).toEqual({ reject: '收款账户信息有误', loseResponses: 0 });
    let failed;
    try {
      failed = await approve(w, requested.body.id);
    } finally {
      expect((await h.api('PUT', '/simulated-treasury', { body: { reject: null } })).body).toEqual({ reject: null, loseResponses: 0 });
    }
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ status: 'failed', paidAmountFen: null, currentDisbursement: { status: 'failed', failureReason: '收款账户信息有误' } });
    expect((await ledger(w)).items.filter((e: any) => e.entryType === 'tranche_paid')).toHaveLength(0);

    const again = await request(w, 'start_up');
    expect(again.body).toMatchObject({ status: 'requested', attempts: 2, currentDisbursement: { attempt: 2 } });
    const paid = await approve(w, requested.body.id);
    expect(paid.body.status).toBe('paid');
    const transfers = await transfersOf(requested.body.id);
    expect(transfers.map((t) => [t.key, t.status]).sort()).toEqual([
      [`${requested.body.id}:1`, 'rejected'],
      [`${requested.body.id}:2`, 'confirmed'],
    ]);
    expect(await outboxTypes(w.ids.contractId)).toEqual([
      'payments.plan.created',
      'payments.tranche.requested',
      'payments.tranche.approved',
      'payments.tranche.failed',
      'payments.tranche.requested',
      'payments.tranche.approved',
      'payments.tranche.paid',
    ]);
  });

  it('when the treasury’s answer is lost, then the tranche stays approved with its instruction, and the retry with the same key pays once', async () => {
    const w = await newPlan();
    const requested = await request(w, 'start_up');
    h.service.treasury.simulate({ loseResponses: 1 });
    const lost = await approve(w, requested.body.id, 'approve-lost');
    expect(lost.status).toBe(422);
    expect(lost.body.code).toBe('TREASURY_UNAVAILABLE');
    const inFlight = await h.api('GET', `/tranches/${requested.body.id}`, { as: w.who.finance });
    expect(inFlight.body).toMatchObject({ status: 'approved', currentDisbursement: { status: 'approved' } });
    expect(await transfersOf(requested.body.id)).toHaveLength(1); // the treasury did execute it

    const retried = await approve(w, requested.body.id, 'approve-lost');
    expect(retried.status).toBe(200);
    expect(retried.body.status).toBe('paid');
    const transfers = await transfersOf(requested.body.id);
    expect(transfers).toHaveLength(1);
    expect(retried.body.currentDisbursement.transferReference).toBe(transfers[0]!.reference);
    expect((await ledger(w)).items.filter((e: any) => e.entryType === 'tranche_paid')).toHaveLength(1);
  });

  it('when the service restarts with an instruction in flight, then start-up resumes it under the same key and the tranche is paid once', async () => {
    const w = await newPlan();
    const requested = await request(w, 'start_up');
    h.service.treasury.simulate({ loseResponses: 1 });
    expect((await approve(w, requested.body.id)).status).toBe(422);
    const resumed = await resumeInFlightTransfers({
      uow: h.uow,
      treasury: h.service.treasury,
      policy: { finalPercentByGrade: DEFAULT_FINAL_PERCENT_BY_GRADE, defaultTranches: defaultTrancheSpecs() },
      log: h.service.logger,
    });
    expect(resumed).toBeGreaterThanOrEqual(1);
    const tranche = await h.api('GET', `/tranches/${requested.body.id}`, { as: w.who.finance });
    expect(tranche.body.status).toBe('paid');
    expect(await transfersOf(requested.body.id)).toHaveLength(1);
  });

  it('when code is bypassed and a second payment of a tranche is written straight into the database, then the unique constraints refuse it', async () => {
    const w = await newPlan();
    const paid = await pay(w, 'start_up');
    const second = h.service.prisma.disbursement.create({
      data: {
        id: randomUUID(),
        trancheId: paid.id,
        attempt: 2,
        status: 'paid',
        amountFen: 300_000n,
        requestKey: 'bypass',
        requestedBy: { userId: 'intruder', role: 'finance' },
        requestedAt: new Date(),
        paidTrancheId: paid.id,
        paidAt: new Date(),
      },
    });
    await expect(second).rejects.toMatchObject({ code: 'P2002' });
    const entry = await h.service.prisma.ledgerEntry.findFirst({ where: { trancheId: paid.id, entryType: 'tranche_paid' } });
    const { seq, ...copy } = entry!;
    await expect(h.service.prisma.ledgerEntry.create({ data: { ...copy, id: randomUUID(), createdBy: copy.createdBy as object } })).rejects.toMatchObject({ code: 'P2002' });
    expect(seq).toBeGreaterThan(0n);
    expect(await h.service.prisma.disbursement.count({ where: { trancheId: paid.id } })).toBe(1);
  });

  it('when the supervisor freezes a contract, then requests and approvals are 409 拨付已冻结 with the reason until the freeze is lifted', async () => {
    const w = await newPlan();
    await h.assignAgency(w.ids.contractId, w.ids.projectId, w.ids.agencyId);
    const requested = await request(w, 'start_up');

    expect((await h.api('POST', `/contracts/${w.ids.contractId}/freeze`, { body: { reason: '活动签到单与现场人数不符' }, as: w.who.finance })).status).toBe(403);
    const otherAgency = { ...w.who.supervisor, scope: { kind: 'agency', id: randomUUID() } } as Principal;
    expect((await h.api('POST', `/contracts/${w.ids.contractId}/freeze`, { body: { reason: '越权冻结' }, as: otherAgency })).status).toBe(403);
    expect((await h.api('POST', `/contracts/${w.ids.contractId}/freeze`, { body: { reason: '' }, as: w.who.supervisor })).status).toBe(400);

    const frozen = await h.api('POST', `/contracts/${w.ids.contractId}/freeze`, { body: { reason: '活动签到单与现场人数不符' }, as: w.who.supervisor });
    expect(frozen.status).toBe(201);
    expect(frozen.body).toMatchObject({ frozen: true, activeFreezes: [{ kind: 'manual', reason: '活动签到单与现场人数不符', frozenBy: { userId: 'u-supervisor' } }] });
    expect((await h.api('POST', `/contracts/${w.ids.contractId}/freeze`, { body: { reason: '再次冻结' }, as: w.who.supervisor })).status).toBe(409);

    const blockedApprove = await approve(w, requested.body.id);
    expect(blockedApprove.status).toBe(409);
    expect(blockedApprove.body.detail).toBe('拨付已冻结：活动签到单与现场人数不符 (payments are frozen)');
    const other = await newPlan();
    await h.assignAgency(other.ids.contractId, other.ids.projectId, w.ids.agencyId);
    await h.api('POST', `/contracts/${other.ids.contractId}/freeze`, { body: { reason: '发票与预算不符' }, as: w.who.supervisor });
    const blockedRequest = await request(other, 'start_up');
    expect(blockedRequest.status).toBe(409);
    expect(blockedRequest.body.detail).toContain('拨付已冻结：发票与预算不符');
    expect((await h.api('GET', `/tranches/${requested.body.id}`, { as: w.who.finance })).body.status).toBe('requested');
    expect(await transfersOf(requested.body.id)).toHaveLength(0);

    const lifted = await h.api('POST', `/contracts/${w.ids.contractId}/unfreeze`, { body: { reason: '已补交签到单并核实' }, as: w.who.supervisor });
    expect(lifted.status).toBe(200);
    expect(lifted.body).toMatchObject({ frozen: false, activeFreezes: [], history: [{ liftReason: '已补交签到单并核实', liftedBy: { userId: 'u-supervisor' } }] });
    expect((await h.api('POST', `/contracts/${w.ids.contractId}/unfreeze`, { body: { reason: '再解冻' }, as: w.who.supervisor })).status).toBe(409);
    expect((await approve(w, requested.body.id)).body.status).toBe('paid');
    const status = await h.api('GET', `/contracts/${w.ids.contractId}/freeze`, { as: w.who.orgStaff });
    expect(status.body.frozen).toBe(false);
    expect(await outboxTypes(w.ids.contractId)).toEqual(expect.arrayContaining(['payments.contract.frozen', 'payments.contract.unfrozen']));
  });

  it('when every use case has run, then every row of the outbox parses with PAYMENTS_EVENTS (envelope and data) and every event type was produced', async () => {
    // plan.adjusted and contract.terminated are the types the tests above do not produce.
    const w = await newPlan(500);
    await h.api('PUT', `/contracts/${w.ids.contractId}/payment-plan/tranches`, {
      body: { reason: '调整比例', tranches: [{ kind: 'start_up', percent: 20, conditionCode: 'contract_signed', conditionText: '签约' }, { kind: 'final', percent: 80, conditionCode: 'year_end_evaluated', conditionText: '结项' }] },
      as: w.who.finance,
    });
    const terminated = await h.api('POST', `/contracts/${w.ids.contractId}/termination`, { body: { deliveredPermille: 400, reason: '提前终止' }, as: w.who.system, key: randomUUID() });
    expect(terminated.status).toBe(201);
    const registry = createEventRegistry([...PAYMENTS_EVENTS]);
    const rows = await h.service.prisma.outboxEvent.findMany({ orderBy: { seq: 'asc' } });
    expect(rows.length).toBeGreaterThan(20);
    for (const row of rows) {
      const envelope = EventEnvelope.parse(row.payload);
      expect(envelope.type).toBe(row.type);
      expect(envelope.subject).toBe(row.key);
      const def = registry.get(envelope.type, envelope.version);
      expect([row.type, def ? 'known' : 'unknown']).toEqual([row.type, 'known']);
      def!.data.parse(envelope.data);
    }
    expect(new Set(rows.map((r) => r.type))).toEqual(new Set(PAYMENTS_EVENTS.map((d) => d.type)));
  });
});
