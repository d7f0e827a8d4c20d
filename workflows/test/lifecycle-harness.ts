import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LIFECYCLE_QUERIES, LIFECYCLE_UPDATES, type LifecycleInput, type LifecycleState, type StepActor } from '@linli/contracts';
import { createTemporalClient, linliDataConverter, temporalSettingsFromEnv } from '@linli/temporal';
import { ApplicationFailure } from '@temporalio/activity';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { LifecycleActivities } from '../src/project-lifecycle/lifecycle.activities';

export const S = randomUUID(); // sub-district
export const C = randomUUID(); // community
export const O = randomUUID(); // organization
export const actors = {
  secretary: { userId: 'u-shi', role: 'community_secretary', scope: { kind: 'community', id: C } },
  reviewer: { userId: 'u-sun', role: 'subdistrict_reviewer', scope: { kind: 'sub-district', id: S } },
  otherReviewer: { userId: 'u-x', role: 'subdistrict_reviewer', scope: { kind: 'sub-district', id: randomUUID() } },
  committee: { userId: 'u-liu', role: 'committee_member', scope: { kind: 'sub-district', id: S } },
  finance: { userId: 'u-cai', role: 'finance', scope: { kind: 'sub-district', id: S } },
  org: { userId: 'u-org', role: 'org_staff', scope: { kind: 'organization', id: O } },
  supervisor: { userId: 'u-jian', role: 'supervisor', scope: { kind: 'agency', id: randomUUID() } },
  admin: { userId: 'u-admin', role: 'admin', scope: { kind: 'platform', id: 'linli' } },
} satisfies Record<string, StepActor>;

/** Activities that record their calls; each test can make one fail. */
export function mockActivities() {
  const calls: { name: keyof LifecycleActivities; input: any }[] = [];
  const failures: Partial<Record<keyof LifecycleActivities, number>> = {};
  const tranchePaid = new Map<string, { trancheId: string; amountFen: number }>();
  let trancheMode: 'paid' | 'requested' = 'paid';
  // Like payments after an early termination: the final tranche is the settlement, for the owed amount.
  let terminationOwedFen = 0;
  const owedByContract = new Map<string, number>();
  const maybeFail = (name: keyof LifecycleActivities) => {
    if ((failures[name] ?? 0) > 0) {
      failures[name]!--;
      throw ApplicationFailure.create({ type: 'http-422', message: `${name} rejected by the service (test)`, nonRetryable: true });
    }
  };
  const impl: LifecycleActivities = {
    async applyReviewDecision(input) {
      calls.push({ name: 'applyReviewDecision', input });
      maybeFail('applyReviewDecision');
    },
    async publishLifecycleEvent(input) {
      calls.push({ name: 'publishLifecycleEvent', input });
    },
    async requestTranche(input) {
      calls.push({ name: 'requestTranche', input });
      maybeFail('requestTranche');
      // Like the payments service: the same idempotency key answers the first result.
      const first = tranchePaid.get(input.idempotencyKey);
      if (first) return { ...first, status: trancheMode };
      const settlement = input.kind === 'final' ? owedByContract.get(input.contractId) : undefined;
      const result = { trancheId: randomUUID(), amountFen: settlement ?? { start_up: 30_000_00, mid_term: 40_000_00, final: 30_000_00 }[input.kind] };
      tranchePaid.set(input.idempotencyKey, result);
      return { ...result, status: trancheMode };
    },
    async settleTermination(input) {
      calls.push({ name: 'settleTermination', input });
      maybeFail('settleTermination');
      if (!owedByContract.has(input.contractId)) owedByContract.set(input.contractId, terminationOwedFen);
      const owedFen = owedByContract.get(input.contractId)!;
      return {
        contractId: input.contractId,
        deliveredPermille: input.deliveredPermille,
        owedFen,
        paidBeforeFen: 30_000_00,
        cancelledTranches: owedFen > 0 ? ['mid_term'] : ['mid_term', 'final'],
      };
    },
  };
  return {
    impl,
    calls,
    failNext: (name: keyof LifecycleActivities, times = 1) => {
      failures[name] = times;
    },
    setTrancheMode: (mode: 'paid' | 'requested') => {
      trancheMode = mode;
    },
    /** What the next settled termination owes (fen); 0 cancels the final tranche too. */
    setTerminationOwed: (fen: number) => {
      terminationOwedFen = fen;
    },
    named: (name: keyof LifecycleActivities) => calls.filter((c) => c.name === name).map((c) => c.input),
  };
}

export type Mocks = ReturnType<typeof mockActivities>;

/**
 * A lifecycle worker on its own task queue with recording mock activities (any of which a caller may
 * replace with a real one, e.g. the Kafka publisher), plus a client to start and drive projects.
 */
export async function startLifecycleHarness(opts: { activities?: Partial<LifecycleActivities> } = {}) {
  const taskQueue = `${process.env.TEMPORAL_TASK_QUEUE_PREFIX ?? ''}lifecycle-test-${randomUUID().slice(0, 8)}`;
  const mocks = mockActivities();
  const settings = temporalSettingsFromEnv();
  const connection = await NativeConnection.connect({ address: settings.address });
  const worker = await Worker.create({
    connection,
    namespace: settings.namespace,
    taskQueue,
    workflowsPath: require.resolve('../src/workflows'),
    dataConverter: linliDataConverter(settings.codec),
    activities: { ...mocks.impl, ...opts.activities },
  });
  const running = worker.run();
  const { client, connection: clientConnection } = await createTemporalClient(settings);
  const handles: WorkflowHandle[] = [];

  async function start(overrides: Partial<LifecycleInput> = {}) {
    const projectId = randomUUID();
    const input: LifecycleInput = {
      projectId,
      level: 'community',
      title: '延静里社区老兵俱乐部',
      subDistrictId: S,
      communityId: C,
      organizationId: O,
      fiscalYear: 2026,
      proposalVersion: 1,
      policy: {
        reviewGate: { ms: 60_000 },
        revision: { ms: 60_000 },
        tenderStep: { ms: 60_000 },
        contract: { ms: 60_000 },
        signInSheet: { ms: 60_000 },
        activityReport: { ms: 60_000 },
        evaluation: { ms: 60_000 },
        payment: { ms: 60_000 },
        closeOutBy: new Date(Date.now() + 3600_000).toISOString(),
        continueAsNewAfterEvents: 5_000,
      },
      ...overrides,
    };
    const handle = await client.workflow.start('projectLifecycle', { taskQueue, workflowId: `project-${projectId}`, args: [input] });
    handles.push(handle);
    return lifecycle(client, handle);
  }

  return {
    client,
    mocks,
    start,
    taskQueue,
    async stop() {
      for (const h of handles) await h.terminate('test finished').catch(() => undefined);
      worker.shutdown();
      await running;
      await connection.close();
      await clientConnection.close();
    },
  };
}

export function lifecycle(client: Client, handle: WorkflowHandle) {
  // A refused update's reason is in its cause; put it in the message so assertions can read it.
  const update = (name: keyof typeof LIFECYCLE_UPDATES, payload: unknown) =>
    handle.executeUpdate<LifecycleState, [unknown]>(LIFECYCLE_UPDATES[name], { args: [payload] }).catch((err: Error & { cause?: Error }) => {
      if (err.cause?.message) err.message = `${err.message}: ${err.cause.message}`;
      throw err;
    });
  const state = () => handle.query<LifecycleState>(LIFECYCLE_QUERIES.state);
  return {
    handle,
    update,
    state,
    decide: (gate: 'pre_review' | 'joint_review' | 'committee', outcome: 'approve' | 'return' | 'reject', by: StepActor, version = 1, extra: object = {}) =>
      update('reviewDecision', { decisionId: randomUUID(), gate, outcome, version, reasons: outcome === 'approve' ? '' : '预算偏高，请修改', by, ...extra }),
    async waitFor(what: string, pred: (s: LifecycleState) => boolean, timeoutMs = 20_000): Promise<LifecycleState> {
      const started = Date.now();
      let last: LifecycleState | undefined;
      while (Date.now() - started < timeoutMs) {
        last = await state();
        if (pred(last)) return last;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`timed out waiting for ${what}; stage=${last?.stage} details=${last?.currentDetails}`);
    },
    /** Saves the history for the replay test when RECORD_HISTORIES=1 (how the fixtures were made). */
    async record(name: string) {
      if (process.env.RECORD_HISTORIES !== '1') return;
      const history = await handle.fetchHistory();
      const dir = path.join(__dirname, 'histories');
      mkdirSync(dir, { recursive: true });
      // The workflow id matters to replay: child workflow ids derive from it.
      // RECORD_HISTORIES_SUFFIX keeps the old recordings (they guard running workflows) beside new ones.
      writeFileSync(path.join(dir, `${name}${process.env.RECORD_HISTORIES_SUFFIX ?? ''}.json`), JSON.stringify({ workflowId: handle.workflowId, history: JSON.parse(historyToJSON(history)) }));
    },
  };
}
export type Lifecycle = ReturnType<typeof lifecycle>;

export const PLANNED = [
  { activityKey: 'A1', endsOn: '2026-08-01' },
  { activityKey: 'A2', endsOn: '2026-10-01' },
];

/** Drives a community-level project from draft to the start of delivery. */
export async function approveAndContract(p: Lifecycle, opts: { planned?: typeof PLANNED } = {}): Promise<void> {
  await p.update('submit', { version: 1, by: actors.secretary });
  await p.decide('pre_review', 'approve', actors.reviewer);
  await p.decide('joint_review', 'approve', actors.reviewer);
  await p.decide('committee', 'approve', actors.committee, 1, { plannedActivities: opts.planned ?? PLANNED });
  await p.update('contractSigned', { contractId: randomUUID(), amountFen: 100_000_00, startsOn: '2026-03-01', endsOn: '2026-12-31', by: actors.reviewer });
}

export async function deliverActivity(p: Lifecycle, key: string): Promise<void> {
  await p.update('activity', { activityKey: key, step: 'held', by: actors.org });
  await p.update('activity', { activityKey: key, step: 'signed_in', by: actors.org });
  await p.update('activity', { activityKey: key, step: 'called_back', by: actors.supervisor });
  await p.update('activity', { activityKey: key, step: 'verified', by: actors.supervisor });
}
