import { contractWorld, startPayments, type Harness } from './payments-harness';

describe('payment plans over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startPayments();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('when finance creates a plan for an awkward amount, then 30/40/30 is applied with the remainder on the final tranche and the commitment is in the ledger', async () => {
    const { ids, who, planBody } = contractWorld();
    const created = await h.api('POST', '/payment-plans', { body: planBody(1_000_001), as: who.finance });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      contractId: ids.contractId,
      amountFen: 1_000_001,
      source: 'api',
      status: 'open',
      frozen: false,
      createdBy: { userId: 'u-finance-wang', role: 'finance', scope: `sub-district:${ids.subDistrictId}` },
      ledger: { committedFen: 1_000_001, paidFen: 0, releasedFen: 0, outstandingFen: 1_000_001 },
    });
    expect(created.body.tranches.map((t: any) => [t.kind, t.kindLabel, t.percent, t.plannedAmountFen, t.conditionCode, t.status])).toEqual([
      ['start_up', '启动资金', 30, 300_000, 'contract_signed', 'pending'],
      ['mid_term', '中期款', 40, 400_000, 'mid_term_check_passed', 'pending'],
      ['final', '尾款', 30, 300_001, 'year_end_evaluated', 'pending'],
    ]);
    const fund = await h.api('GET', `/funds/${ids.communityId}/ledger`, { as: who.finance });
    expect(fund.body.balanceFen).toBe(-1_000_001);
    expect(fund.body.items).toEqual([expect.objectContaining({ entryType: 'plan_committed', amountFen: -1_000_001, balanceAfterFen: -1_000_001, fundKind: 'community' })]);
  });

  it('when a plan gives its own split, then it is used; a sum other than 100 is a 400 naming the field and nothing is written', async () => {
    const { ids, who, planBody } = contractWorld();
    const bad = await h.api('POST', '/payment-plans', {
      body: planBody(10_000, { tranches: [{ kind: 'start_up', percent: 50, conditionCode: 'contract_signed', conditionText: '签约' }, { kind: 'final', percent: 40, conditionCode: 'year_end_evaluated', conditionText: '结项' }] }),
      as: who.finance,
    });
    expect(bad.status).toBe(400);
    expect(bad.contentType).toContain('application/problem+json');
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'body.tranches', message: expect.stringContaining('合计须正好为 100') })]);
    expect((await h.api('GET', `/contracts/${ids.contractId}/payment-plan`, { as: who.finance })).status).toBe(404);

    const good = await h.api('POST', '/payment-plans', {
      body: planBody(10_001, { tranches: [{ kind: 'start_up', percent: 50, conditionCode: 'contract_signed', conditionText: '签约后' }, { kind: 'final', percent: 50, conditionCode: 'year_end_evaluated', conditionText: '结项后' }] }),
      as: who.system,
    });
    expect(good.status).toBe(201);
    expect(good.body.tranches.map((t: any) => t.plannedAmountFen)).toEqual([5000, 5001]);
  });

  it('when the body is malformed, then 400 names every failing field', async () => {
    const { who } = contractWorld();
    const bad = await h.api('POST', '/payment-plans', { body: { contractId: 'x', amountFen: 1.5, level: 'city' }, as: who.finance });
    expect(bad.status).toBe(400);
    const paths = bad.body.errors.map((e: any) => e.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['body.amountFen', 'body.contractId', 'body.level', 'body.organizationId', 'body.projectId', 'body.subDistrictId']));
  });

  it('when there is no token, then 401; when a community secretary, a supervisor or another sub-district’s finance creates a plan, then 403 and nothing is written', async () => {
    const { ids, who, planBody } = contractWorld();
    expect((await h.api('POST', '/payment-plans', { body: planBody(100), as: null })).status).toBe(401);
    for (const as of [who.secretary, who.supervisor, who.orgStaff, who.otherFinance]) {
      const refused = await h.api('POST', '/payment-plans', { body: planBody(100), as });
      expect(refused.status).toBe(403);
      expect(refused.contentType).toContain('application/problem+json');
    }
    expect((await h.api('GET', `/contracts/${ids.contractId}/payment-plan`)).status).toBe(404);
  });

  it('when a plan exists for the contract, then a second one is 409', async () => {
    const { who, planBody } = contractWorld();
    expect((await h.api('POST', '/payment-plans', { body: planBody(100), as: who.finance })).status).toBe(201);
    const again = await h.api('POST', '/payment-plans', { body: planBody(100), as: who.finance });
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain('已有拨付计划');
  });

  it('when the plan is adjusted before any request, then the new split applies; after a request, adjusting is 409 and nothing changes', async () => {
    const { ids, who, planBody } = contractWorld();
    await h.api('POST', '/payment-plans', { body: planBody(999), as: who.finance });
    const adjusted = await h.api('PUT', `/contracts/${ids.contractId}/payment-plan/tranches`, {
      body: {
        reason: '街道财务会议决定提高启动资金比例',
        tranches: [
          { kind: 'start_up', percent: 40, conditionCode: 'contract_signed', conditionText: '签约后拨付' },
          { kind: 'mid_term', percent: 30, conditionCode: 'mid_term_check_passed', conditionText: '中期检查通过后' },
          { kind: 'final', percent: 30, conditionCode: 'year_end_evaluated', conditionText: '结项评估后' },
        ],
      },
      as: who.finance,
    });
    expect(adjusted.status).toBe(200);
    expect(adjusted.body.tranches.map((t: any) => t.plannedAmountFen)).toEqual([399, 299, 301]);
    expect(adjusted.body.updatedBy).toMatchObject({ userId: 'u-finance-wang' });

    expect((await h.api('POST', `/contracts/${ids.contractId}/tranches/start_up/requests`, { as: who.system, key: `adj-${ids.contractId}` })).status).toBe(201);
    const locked = await h.api('PUT', `/contracts/${ids.contractId}/payment-plan/tranches`, {
      body: { reason: '再调整', tranches: [{ kind: 'start_up', percent: 50, conditionCode: 'contract_signed', conditionText: 'x' }, { kind: 'final', percent: 50, conditionCode: 'year_end_evaluated', conditionText: 'y' }] },
      as: who.finance,
    });
    expect(locked.status).toBe(409);
    expect(locked.body.detail).toContain('不能再调整');
    const after = await h.api('GET', `/contracts/${ids.contractId}/payment-plan`, { as: who.finance });
    expect(after.body.tranches.map((t: any) => t.percent)).toEqual([40, 30, 30]);
  });

  it('when an unknown contract is read or adjusted, then 404', async () => {
    const { ids, who } = contractWorld();
    expect((await h.api('GET', `/contracts/${ids.contractId}/payment-plan`, { as: who.finance })).status).toBe(404);
    const adjust = await h.api('PUT', `/contracts/${ids.contractId}/payment-plan/tranches`, {
      body: { reason: '调整', tranches: [{ kind: 'final', percent: 100, conditionCode: 'year_end_evaluated', conditionText: 'x' }] },
      as: who.finance,
    });
    expect(adjust.status).toBe(404);
  });

  it('when listing, then each caller sees only plans in their scope, filters apply and pages follow the cursor without gaps or repeats', async () => {
    const a = contractWorld();
    const shared = { subDistrictId: a.ids.subDistrictId };
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      const w = contractWorld();
      const body = w.planBody(1000 + i, { ...shared, communityId: i < 3 ? a.ids.communityId : w.ids.communityId, organizationId: i === 0 ? a.ids.organizationId : w.ids.organizationId });
      expect((await h.api('POST', '/payment-plans', { body, as: a.who.finance })).status).toBe(201);
      made.push(body.contractId);
    }
    const other = contractWorld();
    await h.api('POST', '/payment-plans', { body: other.planBody(7), as: other.who.finance });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await h.api('GET', `/payment-plans?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { as: a.who.finance });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((p: any) => p.contractId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...made].sort());

    const community = await h.api('GET', '/payment-plans?limit=100', { as: a.who.secretary });
    expect(community.body.items).toHaveLength(3);
    const org = await h.api('GET', '/payment-plans?limit=100', { as: a.who.orgStaff });
    expect(org.body.items.map((p: any) => p.contractId)).toEqual([made[0]]);
    const byContract = await h.api('GET', `/payment-plans?contractId=${made[4]}`, { as: a.who.finance });
    expect(byContract.body.items.map((p: any) => p.contractId)).toEqual([made[4]]);
    const otherScope = await h.api('GET', `/payment-plans?subDistrictId=${other.ids.subDistrictId}`, { as: a.who.finance });
    expect(otherScope.body.items).toEqual([]);
    const openOnes = await h.api('GET', `/payment-plans?status=completed&subDistrictId=${a.ids.subDistrictId}`, { as: a.who.finance });
    expect(openOnes.body.items).toEqual([]);
    // A supervisor sees the contracts assigned to the agency only.
    await h.assignAgency(made[1]!, a.ids.projectId, a.ids.agencyId);
    const supervised = await h.api('GET', '/payment-plans', { as: a.who.supervisor });
    expect(supervised.body.items.map((p: any) => p.contractId)).toEqual([made[1]]);
    expect((await h.api('GET', `/contracts/${made[1]}/payment-plan`, { as: a.who.supervisor })).status).toBe(200);
    expect((await h.api('GET', `/contracts/${made[2]}/payment-plan`, { as: a.who.supervisor })).status).toBe(403);
    expect((await h.api('GET', `/contracts/${made[2]}/payment-plan`, { as: other.who.finance })).status).toBe(403);
    expect((await h.api('GET', '/payment-plans?cursor=not-a-cursor', { as: a.who.finance })).status).toBe(400);
  });
});
