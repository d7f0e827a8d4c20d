import type { LifecycleDriver, RunningSystem, World } from '@linli/testing';

/**
 * What every finished purchase must show, whatever happened on the way (the e2e test and every fault
 * test end with it): the project closed; the plan's three tranches paid, each exactly once (three ledger
 * disbursements on three different tranches, amounts as paid, reconciliation clean); the community or
 * sub-district fund charged exactly what was paid (its consumer applied each payment once); and every
 * decision the lifecycle took present in the proposal's own record.
 */
export async function expectClosedAndPaidOnce(driver: LifecycleDriver, system: RunningSystem, world: World, projectId: string, contractId: string): Promise<void> {
  const { admin, finance } = driver.principals;
  const asFinance = finance(world.subDistrictId);

  const plan = await driver.call(asFinance, system.urls.payments, 'GET', `/contracts/${contractId}/payment-plan`);
  expect(plan.status).toBe(200);
  const tranches = plan.body.tranches as { kind: string; status: string; paidAmountFen: number | null }[];
  expect(tranches.map((t) => `${t.kind}:${t.status}`)).toEqual(['start_up:paid', 'mid_term:paid', 'final:paid']);

  const ledger = await driver.call(asFinance, system.urls.payments, 'GET', `/contracts/${contractId}/ledger?limit=100`);
  expect(ledger.status).toBe(200);
  const paid = (ledger.body.items as { accountType: string; entryType: string; amountFen: number; trancheId: string | null }[]).filter(
    (e) => e.accountType === 'contract' && e.entryType === 'tranche_paid',
  );
  expect(paid).toHaveLength(3);
  expect(new Set(paid.map((e) => e.trancheId)).size).toBe(3);
  expect(paid.map((e) => Math.abs(e.amountFen)).sort()).toEqual(tranches.map((t) => t.paidAmountFen).sort());
  const reconciliation = await driver.call(asFinance, system.urls.payments, 'GET', `/contracts/${contractId}/reconciliation`);
  expect(reconciliation.body).toMatchObject({ ok: true, mismatches: [] });
  const totalPaid = tranches.reduce((sum, t) => sum + (t.paidAmountFen ?? 0), 0);

  const detail = await driver.project(projectId);
  expect(detail.project.stage).toBe('closed');
  expect(detail.tranches.map((t: { kind: string; status: string }) => `${t.kind}:${t.status}`)).toEqual(['start_up:paid', 'mid_term:paid', 'final:paid']);
  const lifecycleDecisions = (detail.live.decisions as { gate: string; outcome: string; version: number }[]).map((d) => `${d.gate}:${d.outcome}:v${d.version}`);
  const proposal = await driver.call(admin, system.urls.communities, 'GET', `/proposals/${projectId}`);
  const recorded = (proposal.body.decisions as { gate: string; outcome: string; version: number }[]).map((d) => `${d.gate}:${d.outcome}:v${d.version}`);
  expect(lifecycleDecisions).toEqual(['pre_review:approve:v1', 'joint_review:approve:v1', 'committee:approve:v1']);
  expect(recorded).toEqual(lifecycleDecisions);

  // The fund's consumer applied each paid tranche once: what the fund spent is what was paid (it hears
  // of payments through Kafka, so give it a moment; a double application would overshoot for good).
  // One project per fund: each test's world pays one community project and at most one sub-district one.
  const communityId: string | null = proposal.body.communityId ?? null;
  const spent = async () => {
    const funds = await driver.call(asFinance, system.urls.communities, 'GET', `/funds?subDistrictId=${world.subDistrictId}&limit=100`);
    return (funds.body.items as { communityId: string | null; spentFen: number }[]).find((f) => f.communityId === communityId)?.spentFen;
  };
  const started = Date.now();
  while ((await spent()) !== totalPaid && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 300));
  expect(await spent()).toBe(totalPaid);
}
