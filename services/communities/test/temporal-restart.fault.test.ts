import { workflowIds } from '@linli/temporal';
import { waitFor } from '@linli/testing';
import { restartComponent } from '@linli/infra';
import { startSkeleton } from './skeleton-harness';

/**
 * Durability: the Temporal server is stopped and started again while a workflow sleeps on its durable
 * timer. The server keeps its state in a SQLite file, so the workflow resumes and finishes, and the
 * service ends up activated exactly as without the restart.
 */
describe('when the Temporal server restarts in the middle of a workflow', () => {
  let skeleton: Awaited<ReturnType<typeof startSkeleton>>;

  beforeAll(async () => {
    skeleton = await startSkeleton({ activationDelayMs: 6_000 });
  });
  afterAll(async () => {
    await skeleton?.stop();
  });

  it('then the workflow finishes after the restart and the sub-district is activated once', async () => {
    const created = await skeleton.api('POST', '/sub-districts', { name: '延静里社区所在街道', district: '朝阳区' });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    const handle = skeleton.temporal.workflow.getHandle(workflowIds.subDistrictOnboarding(id));

    // The workflow is running and waiting on its timer before we pull the server away.
    await waitFor('the onboarding workflow to be running', async () => (await handle.describe()).status.name === 'RUNNING', { timeoutMs: 30_000 });
    const before = await skeleton.api('GET', `/sub-districts/${id}`);
    expect(before.body.status).toBe('pending');

    await restartComponent('temporal');

    const result = await waitFor('the workflow result after the restart', () => handle.result(), { timeoutMs: 90_000, intervalMs: 1_000 });
    const after = await skeleton.api('GET', `/sub-districts/${id}`);
    expect(after.body.status).toBe('active');
    expect(result.activatedAt).toBe(after.body.activatedAt);
    const activations = await waitFor('the activated event', () => {
      const found = skeleton.received.filter((e) => e.type === 'communities.sub-district.activated' && e.subject === id);
      return found.length ? found : undefined;
    });
    expect(activations).toHaveLength(1);
  });
});
