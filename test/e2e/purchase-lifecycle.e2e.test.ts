import { createLifecycleDriver, startSystem, type LifecycleDriver, type RunningSystem, type World } from '@linli/testing';
import { expectClosedAndPaidOnce } from '../support/purchase-checks';

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

  it('when a community project is driven through every gate, delivery and evaluation, then it closes with three tranches paid once each and every decision recorded', async () => {
    const p = await driver.communityProject(world);
    expect(p.stage).toBe('closed');
    await expectClosedAndPaidOnce(driver, system, world, p.projectId, p.contractId!);
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
