import { randomBytes } from 'node:crypto';
import { LIFECYCLE_QUERIES, type LifecycleState } from '@linli/contracts';
import { createTemporalClient, temporalSettingsFromEnv, workflowIds } from '@linli/temporal';
import { waitFor } from '@linli/testing';
import { createLifecycleWorker, loadWorkerConfig } from '@linli/workflows';
import { FISCAL_YEAR, committee, finance, registerCommunity, registerSubDistrict, reviewer, secretary, setReferencePrices, startCommunities, veteransClub, type Harness } from './harness';

// This file's own task queue: the lifecycles its service starts run on its own worker only.
process.env.TEMPORAL_TASK_QUEUE_PREFIX = `bridge${randomBytes(3).toString('hex')}-`;

/**
 * Issue 4's "services trigger review steps", on the real Temporal, Kafka and PostgreSQL: a drafted
 * proposal starts the project's lifecycle; submitting it, and each gate's decision, made through the
 * communities service's public HTTP API, reach the lifecycle as Updates (outbox → Kafka → bridge), and the
 * worker checks each decision against the proposal's record before the lifecycle moves on.
 */
describe('communities → project lifecycle', () => {
  let h: Harness;
  let stopWorker: () => Promise<void>;
  let temporal: Awaited<ReturnType<typeof createTemporalClient>>;
  let sd: string;
  let yanjingli: string;
  let offering: { organizationId: string; offeringId: string };

  beforeAll(async () => {
    h = await startCommunities('bridge', { lifecyclePolicy: { reviewGate: { ms: 60_000 } } });
    const { worker, close } = await createLifecycleWorker(
      loadWorkerConfig({ ...process.env, COMMUNITIES_URL: h.service.url, KAFKA_TOPIC_PREFIX: h.prefix, WORKER_METRICS_ADDRESS: '' }),
    );
    const running = worker.run();
    stopWorker = async () => {
      worker.shutdown();
      await running;
      await close();
    };
    temporal = await createTemporalClient(temporalSettingsFromEnv());
    sd = await registerSubDistrict(h, '八里庄街道');
    yanjingli = await registerCommunity(h, sd, '延静里社区');
    await setReferencePrices(h, sd);
    await h.api('PUT', `/communities/${yanjingli}/funds/${FISCAL_YEAR}`, { allocatedFen: 3_000_000 }, finance(sd));
    offering = await h.seedOrganization('银天使智慧社区公益促进中心', { title: '老兵俱乐部（延静里）' });
  });
  afterAll(async () => {
    await stopWorker?.();
    await temporal?.connection.close();
    await h?.stop();
  });

  const lifecycleOf = (projectId: string) => () => temporal.client.workflow.getHandle(workflowIds.project(projectId)).query<LifecycleState>(LIFECYCLE_QUERIES.state);

  it('when a proposal is drafted, submitted and decided at every gate over HTTP, then its lifecycle follows each step to approved', async () => {
    // Within the reference prices, so no flag blocks pre-review.
    const drafted = await h.api('POST', '/proposals', { level: 'community', communityId: yanjingli, offeringId: offering.offeringId, ...veteransClub({ itemLines: [] }) }, secretary(yanjingli));
    expect(drafted.status).toBe(201);
    const id: string = drafted.body.id;
    const state = lifecycleOf(id);

    const started = await waitFor('the lifecycle to start', async () => (await state().catch(() => undefined))?.stage === 'draft' && state(), { timeoutMs: 30_000 });
    expect(started).toMatchObject({ projectId: id, level: 'community', communityId: yanjingli, subDistrictId: sd, organizationId: offering.organizationId, fiscalYear: FISCAL_YEAR });

    expect((await h.api('POST', `/proposals/${id}/submission`, { version: 1 }, secretary(yanjingli))).status).toBe(200);
    await waitFor('pre-review in the lifecycle', async () => (await state()).stage === 'pre_review', { timeoutMs: 30_000 });

    const decide = async (gate: string, as = reviewer(sd)) => {
      const res = await h.api('POST', `/proposals/${id}/decisions`, { gate, outcome: 'approve', version: 1, reasons: '同意' }, as);
      expect([200, 201]).toContain(res.status);
    };
    await decide('pre_review');
    await waitFor('joint review', async () => (await state()).stage === 'joint_review', { timeoutMs: 30_000 });
    await decide('joint_review');
    await waitFor('committee', async () => (await state()).stage === 'committee', { timeoutMs: 30_000 });
    await decide('committee', committee(sd));
    const approved = await waitFor('approved', async () => ((await state()).stage === 'approved' ? state() : undefined), { timeoutMs: 30_000 });

    expect(approved.decisions.map((d) => `${d.gate}:${d.outcome}:v${d.version}`)).toEqual(['pre_review:approve:v1', 'joint_review:approve:v1', 'committee:approve:v1']);
    expect(approved.decisions.map((d) => d.by.role)).toEqual(['subdistrict_reviewer', 'subdistrict_reviewer', 'committee_member']);
    // The approved plan's activities came with the committee's approval.
    expect(approved.activities).toEqual({ A1: 'planned', A2: 'planned' });
    expect(approved.waitingOn).toBe('subdistrict_reviewer');
    // ...and the proposal's own record agrees.
    const proposal = await h.api('GET', `/proposals/${id}`);
    expect(proposal.body.decisions).toHaveLength(3);
  });
});
