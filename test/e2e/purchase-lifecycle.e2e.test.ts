import { createLifecycleDriver, startSystem, type LifecycleDriver, type RunningSystem, type World } from '@linli/testing';
import { expectClosedAndPaidOnce } from '../support/purchase-checks';

/**
 * Issue 4's end-to-end test, on the real Temporal, Kafka and PostgreSQL, with every service and the
 * worker running as processes of their own: one community project and one sub-district tendered project
 * go from proposal to closed through the services' public HTTP APIs only (the driver plays each person
 * in the article). Then the money and the record are checked: the ledger shows exactly the planned
 * tranches, each paid once, and the proposal's audit holds every decision the lifecycle took; the operations
 * audit chain holds the people's decisions and verifies.
 */
jest.setTimeout(600_000);

/**
 * The operations audit chain holds the people's decisions of this purchase, read from the services' own events
 * (each once), and verifies end to end.
 */
async function expectDecisionsOnAuditChain(driver: LifecycleDriver, system: RunningSystem, projectId: string): Promise<void> {
  const wanted = [
    'proposal.submit:community_secretary',
    'proposal.review.pre:subdistrict_reviewer',
    'proposal.review.joint:subdistrict_reviewer',
    'proposal.review.committee:committee_member',
    'supervision.assign:subdistrict_reviewer',
    'payment.approve:finance',
    'evaluation.mid-term:supervisor',
    'closeout.submit:org_staff',
    'evaluation.year-end:supervisor',
  ];
  type Entry = { action: string; actor: { role: string }; after: { outcome?: string } | null; source: { eventId: string } };
  let entries: Entry[] = [];
  const started = Date.now();
  do {
    entries = (await driver.call(driver.principals.admin, system.urls.operations, 'GET', `/projects/${projectId}/audit?order=oldest&limit=100`)).body.items ?? [];
    if (wanted.every((w) => entries.some((e) => `${e.action}:${e.actor.role}` === w)) && entries.filter((e) => e.action === 'payment.approve').length === 3) break;
    await new Promise((r) => setTimeout(r, 500));
  } while (Date.now() - started < 30_000);
  const seen = entries.map((e) => `${e.action}:${e.actor.role}`);
  for (const w of wanted) expect(seen).toContain(w);
  expect(seen.filter((s) => s === 'payment.approve:finance')).toHaveLength(3);
  expect(entries.filter((e) => e.action.startsWith('proposal.review.')).map((e) => e.after?.outcome)).toEqual(['approve', 'approve', 'approve']);
  expect(new Set(entries.map((e) => e.source.eventId)).size).toBe(entries.length);
  const verification = await driver.call(driver.principals.admin, system.urls.operations, 'GET', '/audit/verification');
  expect(verification.body).toMatchObject({ ok: true, firstBroken: null });
}

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

  it('when a community project is driven through every gate, delivery and evaluation, then it closes with three tranches paid once each and every decision recorded, on the audit chain too', async () => {
    const p = await driver.communityProject(world);
    expect(p.stage).toBe('closed');
    await expectClosedAndPaidOnce(driver, system, world, p.projectId, p.contractId!);
    await expectDecisionsOnAuditChain(driver, system, p.projectId);
  });

  it('when a sub-district project goes through a tender with sealed bids, then the winner is contracted and the project closes the same way', async () => {
    const p = await driver.tenderedProject(world);
    expect(p.stage).toBe('closed');
    const detail = await driver.project(p.projectId);
    expect(detail.live.tender).toMatchObject({ tenderId: p.tenderId, status: 'awarded', attempts: 1 });
    expect(detail.project.organizationId).toBe(world.organizationId);
    await expectClosedAndPaidOnce(driver, system, world, p.projectId, p.contractId!);
  });
});
