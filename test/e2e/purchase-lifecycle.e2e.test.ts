import { createLifecycleDriver, startSystem, type LifecycleDriver, type RunningSystem, type World } from '@linli/testing';

/**
 * Issue 4's end-to-end test, on the real Temporal, Kafka and PostgreSQL, with every service and the
 * worker running as processes of their own: one community project and one sub-district tendered project
 * go from proposal to closed through the services' public HTTP APIs only (the driver plays each person
 * in the article). Then the money and the record are checked: the ledger shows exactly the planned
 * tranches, each paid once, and the proposal's audit holds every decision the lifecycle took.
 */
jest.setTimeout(600_000);

describe('a purchase from proposal to closed, end to end', () => {
  let system: RunningSystem;
  let driver: LifecycleDriver;
  let world: World;

  beforeAll(async () => {
    system = await startSystem({ label: 'e2e' });
    driver = createLifecycleDriver(system.urls, { timeoutMs: 120_000 });
    world = await driver.setupWorld();
  });
  afterAll(async () => {
    await system?.stop();
  });

  async function checkMoneyAndRecord(projectId: string, contractId: string) {
    const { admin, finance } = driver.principals;
    // The plan: three tranches; each paid exactly once, for the planned amount (the final by grade).
    const plan = await driver.call(finance(world.subDistrictId), system.urls.payments, 'GET', `/contracts/${contractId}/payment-plan`);
    expect(plan.status).toBe(200);
    const tranches = plan.body.tranches as { kind: string; status: string; plannedAmountFen: number; paidAmountFen: number | null; payableFen: number | null }[];
    expect(tranches.map((t) => `${t.kind}:${t.status}`)).toEqual(['start_up:paid', 'mid_term:paid', 'final:paid']);

    const ledger = await driver.call(finance(world.subDistrictId), system.urls.payments, 'GET', `/contracts/${contractId}/ledger?limit=100`);
    expect(ledger.status).toBe(200);
    const disbursed = (ledger.body.items as { accountType: string; entryType: string; amountFen: number; trancheId: string | null }[]).filter(
      (e) => e.accountType === 'contract' && e.entryType === 'tranche_paid',
    );
    // once each: three disbursements, three different tranches, the amounts the plan says were paid
    expect(disbursed).toHaveLength(3);
    expect(new Set(disbursed.map((e) => e.trancheId)).size).toBe(3);
    expect(disbursed.map((e) => Math.abs(e.amountFen)).sort()).toEqual(tranches.map((t) => t.paidAmountFen).sort());
    const reconciliation = await driver.call(finance(world.subDistrictId), system.urls.payments, 'GET', `/contracts/${contractId}/reconciliation`);
    expect(reconciliation.body).toMatchObject({ ok: true, mismatches: [] });

    // Every decision the lifecycle took is in the proposal's own record, and vice versa.
    const detail = await driver.project(projectId);
    const lifecycleDecisions = (detail.live.decisions as { gate: string; outcome: string; version: number }[]).map((d) => `${d.gate}:${d.outcome}:v${d.version}`);
    const proposal = await driver.call(admin, system.urls.communities, 'GET', `/proposals/${projectId}`);
    const recorded = (proposal.body.decisions as { gate: string; outcome: string; version: number }[]).map((d) => `${d.gate}:${d.outcome}:v${d.version}`);
    expect(lifecycleDecisions).toEqual(['pre_review:approve:v1', 'joint_review:approve:v1', 'committee:approve:v1']);
    expect(recorded).toEqual(lifecycleDecisions);
    expect(detail.project.stage).toBe('closed');
    expect(detail.tranches.map((t: { kind: string; status: string }) => `${t.kind}:${t.status}`)).toEqual(['start_up:paid', 'mid_term:paid', 'final:paid']);
  }

  it('when a community project is driven through every gate, delivery and evaluation, then it closes with three tranches paid once each and every decision recorded', async () => {
    const p = await driver.communityProject(world);
    expect(p.stage).toBe('closed');
    await checkMoneyAndRecord(p.projectId, p.contractId!);
  });

  it('when a sub-district project goes through a tender with sealed bids, then the winner is contracted and the project closes the same way', async () => {
    const p = await driver.tenderedProject(world);
    expect(p.stage).toBe('closed');
    const detail = await driver.project(p.projectId);
    expect(detail.live.tender).toMatchObject({ tenderId: p.tenderId, status: 'awarded', attempts: 1 });
    expect(detail.project.organizationId).toBe(world.organizationId);
    await checkMoneyAndRecord(p.projectId, p.contractId!);
  });
});
