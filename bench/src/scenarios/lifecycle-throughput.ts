/**
 * 1. Lifecycle throughput: complete community projects per second — proposal, 预审, 联审, 工委会, contract,
 * three tranches approved by finance, two activities reported, signed in, called back and verified, mid-term
 * check, close-out, year-end evaluation — driven through the services' public HTTP APIs only (the lifecycle
 * driver of @linli/testing), against a bare Temporal workflow with the same Updates, activities and child
 * workflows doing no work (bare/), on the same server, with the same number in flight, in the same run.
 * The bare shape is read from a real lifecycle's histories of this run (bare-plan.ts).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { trancheWorkflowId } from '@linli/contracts';
import { createLifecycleDriver, type World } from '@linli/testing';
import { workflowIds } from '@linli/temporal';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { bareChildId, bareStepUpdate } from '../bare/bare-lifecycle.workflow';
import { countHistory, planFromHistory, plannedCounts, sumCounts, type BarePlan, type HistoryCounts, type JsonEvent } from '../bare/bare-plan';
import { inParallel, rssMb, sleep, type BenchContext, type Scenario } from '../context';
import { ratio, round, summarize } from '../stats';

export const BARE_TASK_QUEUE = 'bare-lifecycle';
const root = path.join(__dirname, '..', '..', '..');

async function historyOf(client: Client, workflowId: string): Promise<JsonEvent[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (JSON.parse(historyToJSON(history)) as { events: JsonEvent[] }).events;
}

/** A lifecycle's histories: the project's and its tranches'. */
async function lifecycleHistories(client: Client, projectId: string): Promise<{ parent: JsonEvent[]; children: JsonEvent[][] }> {
  const parentId = workflowIds.project(projectId);
  const parent = await historyOf(client, parentId);
  const children = await Promise.all((['start_up', 'mid_term', 'final'] as const).map((kind) => historyOf(client, trancheWorkflowId(parentId, kind)).catch(() => [])));
  return { parent, children: children.filter((c) => c.length > 0) };
}

export async function startBareWorker(ctx: BenchContext, taskQueue: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/src/bare/bare-worker.ts'], {
    cwd: root,
    env: { ...process.env, TEMPORAL_ADDRESS: ctx.endpoints.temporal.address, TEMPORAL_NAMESPACE: ctx.endpoints.temporal.namespace, BARE_TASK_QUEUE: taskQueue, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  ctx.defer(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('bare worker running')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`bare worker exited (${code})`)));
  });
  return child;
}

/** One bare lifecycle: start it, send its Updates one after another (children's after the step that starts them), await it. */
async function runBare(client: Client, taskQueue: string, plan: BarePlan, id: string): Promise<void> {
  const handle = await client.workflow.start('bareLifecycle', { taskQueue, workflowId: id, args: [plan] });
  let children = 0;
  for (const step of plan.steps) {
    await handle.executeUpdate(bareStepUpdate);
    for (let c = 0; c < step.children; c++, children++) {
      const child = client.workflow.getHandle(bareChildId(id, children));
      for (let u = 0; u < plan.child.updates; u++) {
        for (;;) {
          try {
            await child.executeUpdate(bareStepUpdate);
            break;
          } catch (error) {
            if (!(error instanceof WorkflowNotFoundError)) throw error;
            await sleep(10);
          }
        }
      }
    }
  }
  await handle.result();
}

export const lifecycleThroughput: Scenario = {
  name: 'lifecycle',
  title: '1. lifecycle throughput: complete lifecycles/s through the services vs a bare workflow of the same shape',
  headline: [{ key: 'lifecycleRatio', label: 'lifecycles/s through the services vs bare workflow', value: null, target: { op: '>=', value: 0.7 } }],
  async run(ctx: BenchContext) {
    const inFlight = ctx.opts.quick ? 3 : 8;
    const perSlot = ctx.opts.quick ? 1 : 3;
    const total = inFlight * perSlot;
    const urls = { communities: ctx.url('communities'), organizations: ctx.url('organizations'), payments: ctx.url('payments'), supervision: ctx.url('supervision'), operations: ctx.url('operations') };
    const driver = createLifecycleDriver(urls, { timeoutMs: 180_000 });

    // One world per slot: a community's fund covers a limited number of projects.
    ctx.log(`lifecycle: setting up ${inFlight} sub-districts ...`);
    const worlds: World[] = await inParallel(Array.from({ length: inFlight }, (_, i) => i), 4, () => driver.setupWorld());

    // The shape of a real lifecycle (and a warm-up of every path it takes).
    ctx.log('lifecycle: one project through every step, to read its shape ...');
    const first = await driver.communityProject(worlds[0]!);
    const real = await lifecycleHistories(ctx.temporal, first.projectId);
    const plan = planFromHistory(real.parent, real.children);
    const realCounts = sumCounts([countHistory(real.parent), ...real.children.map(countHistory)]);

    // The baseline: no codec, no activities' work, its own worker process.
    const taskQueue = `${ctx.taskQueuePrefix}${BARE_TASK_QUEUE}`;
    await startBareWorker(ctx, taskQueue);
    const bareClient = new Client({ connection: ctx.temporal.connection, namespace: ctx.temporal.options.namespace });
    await runBare(bareClient, taskQueue, plan, `bare-warmup-${ctx.runId}`);
    ctx.log(`lifecycle: bare baseline, ${total} lifecycles, ${inFlight} in flight ...`);
    const bareStarted = Date.now();
    const bareWindow = ctx.window('lifecycle bare');
    const bareLatencies = await inParallel(Array.from({ length: total }, (_, i) => i), inFlight, async (i) => {
      const t0 = Date.now();
      await runBare(bareClient, taskQueue, plan, `bare-${ctx.runId}-${i}`);
      return Date.now() - t0;
    });
    bareWindow();
    const bareSeconds = (Date.now() - bareStarted) / 1000;
    const bareRate = total / bareSeconds;
    const bareHistory = await historyOf(bareClient, `bare-${ctx.runId}-0`);
    const bareChildren = await Promise.all(Array.from({ length: plannedCounts(plan).children }, (_, c) => historyOf(bareClient, bareChildId(`bare-${ctx.runId}-0`, c))));
    const bareCounts = sumCounts([countHistory(bareHistory), ...bareChildren.map(countHistory)]);
    ctx.log(`lifecycle: bare ${round(bareRate, 2)}/s`);

    ctx.log(`lifecycle: through the services, ${total} lifecycles, ${inFlight} in flight ...`);
    const workerPid = ctx.system.procs.find((p) => p.spec.name === 'worker')?.child.pid;
    const realStarted = Date.now();
    const realWindow = ctx.window('lifecycle real');
    const realLatencies = await inParallel(worlds, inFlight, async (world) => {
      const own: number[] = [];
      for (let k = 0; k < perSlot; k++) {
        const t0 = Date.now();
        const p = await driver.communityProject(world);
        if (p.stage !== 'closed') throw new Error(`project ${p.projectId} ended at ${p.stage}, not closed`);
        own.push(Date.now() - t0);
      }
      return own;
    });
    realWindow();
    const realSeconds = (Date.now() - realStarted) / 1000;
    const realRate = total / realSeconds;
    ctx.log(`lifecycle: through the services ${round(realRate, 2)}/s`);

    const value = ratio(realRate, bareRate);
    return {
      figures: [
        { key: 'lifecycleRatio', label: 'lifecycles/s through the services vs bare workflow', value, target: { op: '>=', value: 0.7 } },
        { key: 'lifecyclesPerS', label: 'lifecycles/s through the services', value: round(realRate, 3), unit: '/s' },
        { key: 'bareLifecyclesPerS', label: 'lifecycles/s, bare workflow of the same shape', value: round(bareRate, 3), unit: '/s' },
        { key: 'lifecycleP50Ms', label: 'one lifecycle through the services, p50', value: summarize(realLatencies.flat()).p50, unit: 'ms' },
      ],
      details: {
        inFlight,
        total,
        realSeconds,
        bareSeconds,
        plan,
        counts: { real: realCounts, bare: bareCounts } satisfies Record<string, HistoryCounts>,
        realLifecycleMs: summarize(realLatencies.flat()),
        bareLifecycleMs: summarize(bareLatencies),
        firstProjectSteps: first.steps,
        workerRssMb: rssMb(workerPid),
      },
    };
  },
};
