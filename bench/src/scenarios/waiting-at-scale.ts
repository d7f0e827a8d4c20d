/**
 * 4. Waiting at scale. First 10,000 project lifecycles open at once on the real worker — half still drafts
 * (waiting on their community, no timer), 40% at 预审 with a deadline weeks away (waiting on a reviewer
 * and a timer), 10% at 预审 past a short deadline (stalled: overdue, escalated) — started directly on
 * Temporal, since creating 10,000 proposals through the API is not what is measured. Reported: worker and
 * Temporal server memory before and after, how long operations takes to take them all into its read
 * model (its reconcile), and how long listing the stalled ones through the operations API takes.
 * Then 100,000 projects in the operations read model (rows written straight into its table, spread over
 * sub-districts, stages and deadlines): list and filter latencies through the API.
 * --quick scales both down (100 and 5,000) and says so.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { LIFECYCLE_UPDATES, type LifecycleInput, type StepActor } from '@linli/contracts';
import { taskQueue, workflowIds } from '@linli/temporal';
import { waitFor } from '@linli/testing';
import { Client } from '@temporalio/client';
import { inParallel, rssMb, sleep, temporalServerPid, type BenchContext, type Scenario } from '../context';
import { BARE_TASK_QUEUE, startBareWorker } from './lifecycle-throughput';
import { round, summarize } from '../stats';
import { FISCAL_YEAR } from '../world';

const DAY = 24 * 3600 * 1000;
/** The worker's (and the bare worker's) WORKER_MAX_CACHED_WORKFLOWS default: more open lifecycles are evicted and replayed when needed. */
const CACHED_WORKFLOWS = 1_000;

export const waitingAtScale: Scenario = {
  name: 'waiting',
  title: '4. waiting at scale: lifecycles open and waiting; projects in the operations read model',
  headline: [],
  async run(ctx: BenchContext) {
    const open = ctx.opts.scale?.open ?? (ctx.opts.quick ? 100 : 10_000);
    const rows = ctx.opts.scale?.rows ?? (ctx.opts.quick ? 5_000 : 100_000);
    const scaledDown = open < 10_000 || rows < 100_000;
    const scaled = scaledDown ? ` (${open} lifecycles and ${rows} rows instead of 10,000 and 100,000)` : '';
    // A stalled lifecycle escalates again every allowance (real allowances are days). At scale, a short one
    // means a steady stream of escalations, each a replay of an evicted workflow: 1,000 stalled with 30 s
    // kept the worker busy with ~33 a second all through the measurement. 12 ms per open lifecycle (two
    // minutes at 10,000) keeps them to one or two while operations takes the lifecycles in.
    const stalledDeadlineMs = ctx.opts.quick ? 8_000 : Math.max(30_000, open * 12);
    const queue = taskQueue('lifecycle', ctx.taskQueuePrefix);
    const workerPid = ctx.system.procs.find((p) => p.spec.name === 'worker')?.child.pid;
    const temporalPid = temporalServerPid();
    const before = { workerRssMb: rssMb(workerPid), temporalRssMb: rssMb(temporalPid) };
    // Projects of earlier scenarios are in the read model already.
    const known = ((await ctx.api('operations', 'GET', '/overview')).body?.total as number | undefined) ?? 0;

    // Twenty sub-districts of ten communities: lists and filters cut across them.
    const subDistricts = Array.from({ length: 20 }, () => ({ id: randomUUID(), communities: Array.from({ length: 10 }, () => randomUUID()) }));
    const organizations = Array.from({ length: 30 }, () => randomUUID());
    // The stalled ones last: a lifecycle past its deadline escalates again every allowance, and with
    // 10,000 open (the worker keeps 1,000 in memory) each escalation replays a history. Started first, they
    // escalated some twenty times over the start-up and kept the worker busy replaying (first full run).
    const kinds = Array.from({ length: open }, (_, i) => (i < open / 10 ? 'stalled' : i % 2 === 0 ? 'waiting' : 'draft')).reverse();
    ctx.log(`waiting: starting ${open} lifecycles${scaled} ...`);
    const started = Date.now();
    await inParallel(kinds, 32, async (kind, i) => {
      const sd = subDistricts[i % subDistricts.length]!;
      const communityId = sd.communities[Math.floor(i / subDistricts.length) % sd.communities.length]!;
      const projectId = randomUUID();
      const input: LifecycleInput = {
        projectId,
        level: 'community',
        title: `社区服务项目 ${i + 1}`,
        subDistrictId: sd.id,
        communityId,
        organizationId: organizations[i % organizations.length]!,
        fiscalYear: FISCAL_YEAR,
        proposalVersion: 1,
        policy: { reviewGate: { ms: kind === 'stalled' ? stalledDeadlineMs : 30 * DAY } },
      };
      const handle = await ctx.temporal.workflow.start('projectLifecycle', { taskQueue: queue, workflowId: workflowIds.project(projectId), args: [input] });
      if (kind !== 'draft') {
        const by: StepActor = { userId: `secretary-${communityId.slice(0, 6)}`, role: 'community_secretary', scope: { kind: 'community', id: communityId } };
        await handle.executeUpdate(LIFECYCLE_UPDATES.submit, { args: [{ version: 1, by }] });
      }
    });
    const startSeconds = (Date.now() - started) / 1000;
    ctx.log(`waiting: ${open} started in ${round(startSeconds)} s; letting the short deadlines pass ...`);
    // The last stalled one's deadline passes.
    await sleep(stalledDeadlineMs + 5_000);

    // Operations takes them in: its reconcile lists them from Temporal visibility and reads each one. At
    // 10,000 that outlasts an HTTP client's patience (the first full run's request timed out after 300 s),
    // so the request runs on its own and the read model is watched until it holds them all.
    const reconcileStarted = Date.now();
    let reconciled: { status: number; body: any } | undefined;
    const reconciling = ctx.api('operations', 'POST', '/admin/reconcile').then(
      (res) => void (reconciled = res),
      (error: Error) => ctx.log(`waiting: the reconcile request ended without an answer (${error.message}); watching the read model`),
    );
    const stalledCount = kinds.filter((k) => k === 'stalled').length;
    await waitFor(
      'every lifecycle in the read model, the stalled ones overdue',
      async () => {
        const overview = (await ctx.api('operations', 'GET', '/overview')).body;
        return (overview?.total ?? 0) >= known + open && (overview?.overdue ?? 0) >= stalledCount;
      },
      { timeoutMs: 3_600_000, intervalMs: 2_000 },
    );
    const reconcileSeconds = (Date.now() - reconcileStarted) / 1000;
    await reconciling;
    const after = { workerRssMb: rssMb(workerPid), temporalRssMb: rssMb(temporalPid) };

    // The engine's own cost of as many open workflows: bare ones (bare/) waiting for an Update, on a worker
    // of their own with the same cache size.
    const bareQueue = `${ctx.taskQueuePrefix}${BARE_TASK_QUEUE}`;
    const bareWorker = await startBareWorker(ctx, bareQueue);
    const bareClient = new Client({ connection: ctx.temporal.connection, namespace: ctx.temporal.options.namespace });
    const bareBefore = rssMb(bareWorker.pid);
    const bareStarted = Date.now();
    const shape = { atStart: 0, steps: [{ inHandler: 0, after: 0, children: 0 }], child: { activities: 0, updates: 0 } };
    // Memory per open workflow is what is compared, so a sample of 2,000 bare ones is enough.
    const bareOpen = Math.min(open, 2_000);
    await inParallel(kinds.slice(0, bareOpen), 32, (_, i) => bareClient.workflow.start('bareLifecycle', { taskQueue: bareQueue, workflowId: `bare-waiting-${ctx.runId}-${i}`, args: [shape] }));
    await waitFor('the bare workflows to run their first task', async () => {
      const { count } = await bareClient.workflowService.countWorkflowExecutions({ namespace: bareClient.options.namespace, query: `TaskQueue = '${bareQueue}' AND ExecutionStatus = 'Running'` });
      return Number(count) >= bareOpen;
    }, { timeoutMs: 600_000, intervalMs: 1_000 });
    await sleep(3_000);
    const bareAfter = rssMb(bareWorker.pid);
    const perWorkflowKb = (from: number | null, to: number | null, n: number) => (from === null || to === null ? null : Math.round(((to - from) * 1024) / n));
    const bare = {
      open: bareOpen,
      workerRssMbBefore: bareBefore,
      workerRssMb: bareAfter,
      perWorkflowKb: perWorkflowKb(bareBefore, bareAfter, Math.min(bareOpen, CACHED_WORKFLOWS)),
      startsPerSecond: round(bareOpen / ((Date.now() - bareStarted) / 1000)),
    };
    const realPerWorkflowKb = perWorkflowKb(before.workerRssMb, after.workerRssMb, Math.min(open, CACHED_WORKFLOWS));

    // Listing every stalled lifecycle, page by page, as an operator would.
    const walk = async () => {
      const t0 = Date.now();
      let cursor: string | null = null;
      let seen = 0;
      const pages: number[] = [];
      do {
        const p0 = Date.now();
        const res: { status: number; body: any } = await ctx.api('operations', 'GET', `/stalled?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        pages.push(Date.now() - p0);
        if (res.status !== 200) throw new Error(`stalled: ${res.status} ${JSON.stringify(res.body)}`);
        seen += res.body.items.length;
        cursor = res.body.nextCursor;
      } while (cursor);
      return { ms: Date.now() - t0, seen, pages };
    };
    await walk();
    const stalledWalk = await walk();
    ctx.log(`waiting: ${stalledWalk.seen} stalled listed in ${stalledWalk.ms} ms (${stalledWalk.pages.length} pages)`);
    const lifecycleFigures = {
      open,
      startSeconds,
      startsPerSecond: round(open / startSeconds),
      before,
      after,
      bare,
      reconcile: { seconds: reconcileSeconds, result: reconciled?.body ?? null },
      stalled: { expected: stalledCount, listed: stalledWalk.seen, walkMs: stalledWalk.ms, pageMs: summarize(stalledWalk.pages) },
    };

    // 100,000 projects in the read model: rows of every stage and kind, then the API's lists and filters.
    const readModel = await fillReadModel(ctx, rows, subDistricts, organizations);
    const timed = async (label: string, path: string, times: number) => {
      const samples: number[] = [];
      for (let i = 0; i < times; i++) {
        const t0 = Date.now();
        const res = await ctx.api('operations', 'GET', path);
        samples.push(Date.now() - t0);
        if (res.status !== 200) throw new Error(`${label}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      }
      return { label, path, ms: summarize(samples) };
    };
    const sd0 = subDistricts[0]!.id;
    const times = ctx.opts.quick ? 5 : 30;
    const lists = [
      await timed('newest first, first page', '/projects?limit=50', times),
      await timed('by stage', '/projects?stage=joint_review,committee&limit=50', times),
      await timed('by sub-district', `/projects?subDistrictId=${sd0}&limit=50`, times),
      await timed('overdue, by deadline', '/projects?overdue=true&sort=deadline&limit=50', times),
      await timed('needs attention in a sub-district', `/projects?needsAttention=true&subDistrictId=${sd0}&limit=50`, times),
      await timed('search by title', `/projects?q=${encodeURIComponent('老兵')}&limit=50`, times),
      await timed('stalled, first page', '/stalled?limit=50', times),
      await timed('overview', '/overview', Math.max(5, times / 3)),
    ];
    for (const l of lists) ctx.log(`waiting: ${l.label}: p50 ${l.ms.p50} ms, p99 ${l.ms.p99} ms`);
    const worstList = lists.filter((l) => l.label !== 'overview').reduce((a, b) => (b.ms.p99 > a.ms.p99 ? b : a));
    const overview = lists.find((l) => l.label === 'overview')!;

    return {
      figures: [
        { key: 'waitingOpen', label: `waiting: lifecycles open${open < 10_000 ? ' (scaled down)' : ''}`, value: open },
        { key: 'waitingWorkerRssMb', label: 'waiting: worker RSS with them open', value: after.workerRssMb, unit: 'MB', note: `before: ${before.workerRssMb} MB` },
        { key: 'waitingBareWorkerRssMb', label: `waiting: bare worker RSS, ${bareOpen} bare workflows open`, value: bare.workerRssMb, unit: 'MB', note: `before: ${bare.workerRssMbBefore} MB` },
        {
          key: 'waitingRssPerWorkflowRatio',
          label: 'waiting: worker memory per cached lifecycle vs per bare workflow',
          value: realPerWorkflowKb !== null && bare.perWorkflowKb ? round(realPerWorkflowKb / bare.perWorkflowKb, 1) : null,
          note: `${realPerWorkflowKb} KB vs ${bare.perWorkflowKb} KB (the worker keeps at most ${CACHED_WORKFLOWS} workflows in memory)`,
        },
        { key: 'waitingTemporalRssMb', label: 'waiting: Temporal server RSS', value: after.temporalRssMb, unit: 'MB', note: `before: ${before.temporalRssMb} MB (the server is shared with other runs)` },
        { key: 'waitingStartsPerS', label: 'waiting: lifecycles started per second', value: round(open / startSeconds), unit: '/s' },
        { key: 'waitingReconcileS', label: 'waiting: operations takes them all in (reconcile)', value: round(reconcileSeconds), unit: 's' },
        { key: 'stalledListMs', label: `waiting: list all ${stalledCount} stalled through the API`, value: stalledWalk.ms, unit: 'ms' },
        { key: 'readModelRows', label: `read model: projects${rows < 100_000 ? ' (scaled down)' : ''}`, value: readModel.total },
        { key: 'readModelListP99Ms', label: `read model: slowest list/filter p99 (${worstList.label})`, value: worstList.ms.p99, unit: 'ms' },
        { key: 'readModelListP50Ms', label: 'read model: first page, newest first, p50', value: lists[0]!.ms.p50, unit: 'ms' },
        { key: 'readModelOverviewP99Ms', label: 'read model: overview p99', value: overview.ms.p99, unit: 'ms' },
      ],
      details: { scaledDown, lifecycles: lifecycleFigures, readModel: { ...readModel, lists } },
    };
  },
};

/** Rows straight into operations' table (its own database), like a read model a year into a city's use. */
/**
 * Rows spread over the same twenty sub-districts of ten communities each (a project's community belongs to
 * its sub-district) and three fiscal years: a city district's shape. (A first version gave every row a
 * community of its own, 100,000 communities, and measured the overview's per-fund list instead.)
 */
async function fillReadModel(ctx: BenchContext, rows: number, subDistricts: { id: string; communities: string[] }[], organizations: string[]) {
  const perSub = subDistricts[0]!.communities.length;
  const communities = subDistricts.flatMap((s) => s.communities); // sub-district-major: row i's community is ((i % S) * perSub + (i / S) % perSub)
  const pool = new Pool({ connectionString: await ctx.database('operations'), max: 2 });
  try {
    const { rows: existing } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM project_lifecycles');
    const toAdd = Math.max(0, rows - Number(existing[0]!.n));
    const t0 = Date.now();
    const stages = ['draft', 'pre_review', 'joint_review', 'committee', 'approved', 'tendering', 'contracted', 'in_delivery', 'close_out', 'evaluation', 'settled', 'closed', 'rejected'];
    const titles = ['老兵俱乐部', '亲子绘本故事会', '养老驿站助餐服务', '楼门文化建设', '居民议事厅', '助残康复训练'];
    const batch = 10_000;
    for (let from = 0; from < toAdd; from += batch) {
      const n = Math.min(batch, toAdd - from);
      await pool.query(
        `INSERT INTO project_lifecycles (project_id, workflow_id, workflow_status, title, level, stage, sub_district_id, community_id, organization_id, fiscal_year,
           waiting_on, stage_entered_at, deadline, needs_attention, current_details, paid_fen, tranches, state_hash, visibility_print, state_at, updated_at)
         SELECT id, 'project-' || id, CASE WHEN stage IN ('closed', 'rejected') THEN 'completed' ELSE 'running' END,
                ($3::text[])[1 + i % array_length($3::text[], 1)] || '（' || i || '）', 'community', stage,
                ($4::uuid[])[1 + i % array_length($4::uuid[], 1)],
                ($7::uuid[])[1 + (i % array_length($4::uuid[], 1)) * $8::int + (i / array_length($4::uuid[], 1)) % $8::int],
                ($5::uuid[])[1 + i % array_length($5::uuid[], 1)], 2024 + i % 3,
                CASE WHEN stage IN ('closed', 'rejected') THEN NULL ELSE 'subdistrict_reviewer' END,
                now() - (i % 400) * interval '1 day',
                CASE WHEN stage IN ('closed', 'rejected') THEN NULL ELSE now() + ((i % 97) - 10) * interval '1 day' END,
                i % 50 = 0, '等待处理', 0, '[]'::jsonb, md5(id::text), md5(id::text), now(), now() - (i % 100000) * interval '1 minute'
         FROM (SELECT gen_random_uuid() AS id, g AS i, ($6::text[])[1 + g % array_length($6::text[], 1)] AS stage FROM generate_series($1::int, $2::int) g) s`,
        [from + 1, from + n, titles, subDistricts.map((sd) => sd.id), organizations, stages, communities, perSub],
      );
    }
    await pool.query('ANALYZE project_lifecycles');
    const { rows: count } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM project_lifecycles');
    return { total: Number(count[0]!.n), added: toAdd, fillSeconds: (Date.now() - t0) / 1000 };
  } finally {
    await pool.end();
  }
}
