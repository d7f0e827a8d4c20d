/**
 * 2. Decision latency: 20 reviewers at once, each recording decisions at 预审 → 联审 → 工委会 on its own
 * proposals through the communities service (POST /proposals/:id/decisions), reading for a moment
 * between two decisions (THINK_MS). The figure is the time from
 * the reviewer's call to the proposal's new state in the response. The lifecycle follows through the
 * outbox, Kafka and the lifecycle bridge: how long until the workflow has recorded the decision (its
 * lifecycle.decision.recorded event arrives) is reported beside it, without a target.
 */
import { LIFECYCLE_EVENTS, LIFECYCLE_QUERIES, topicName, type LifecycleState } from '@linli/contracts';
import { OUTBOX_TABLES_SQL, createEventRegistry, createKafka, fromPg, runConsumer, silentLogger } from '@linli/events';
import { workflowIds } from '@linli/temporal';
import { waitFor } from '@linli/testing';
import { Pool } from 'pg';
import { inParallel, sleep, type BenchContext, type Scenario } from '../context';
import { msSince, summarize } from '../stats';
import { committeeOf, organizationWithOffering, reviewerOf, secretaryOf, setUpSubDistrict, veteransClub } from '../world';

export const REVIEWERS = 20;
/**
 * A reviewer reads the next proposal before deciding it: 0.5–1.5 s between one reviewer's calls, so 20
 * reviewers offer about 20 decisions a second. (With no pause at all the figure only restates throughput:
 * p99 ≈ 20 ÷ decisions per second.)
 */
export const THINK_MS = [500, 1_500] as const;
const GATES = ['pre_review', 'joint_review', 'committee'] as const;

export const decisionLatency: Scenario = {
  name: 'decisions',
  title: `2. decision latency: ${REVIEWERS} concurrent reviewers, HTTP call → new state`,
  headline: [{ key: 'decisionP99Ms', label: `review decision p99 (${REVIEWERS} concurrent reviewers)`, value: null, unit: 'ms', target: { op: '<', value: 200 } }],
  async run(ctx: BenchContext) {
    const perReviewer = ctx.opts.quick ? 1 : 10;
    const world = await setUpSubDistrict(ctx, { communities: 10 });
    const { offeringId } = await organizationWithOffering(ctx);
    const sd = world.subDistrictId;

    // Proposals drafted and submitted by their communities' secretaries, spread over ten communities.
    const total = REVIEWERS * perReviewer;
    ctx.log(`decisions: drafting and submitting ${total} proposals ...`);
    const proposals = await inParallel(Array.from({ length: total }, (_, i) => i), 8, async (i) => {
      const communityId = world.communities[i % world.communities.length]!;
      const secretary = secretaryOf(communityId, sd);
      const drafted = await ctx.api('communities', 'POST', '/proposals', veteransClub(communityId, offeringId, `老兵俱乐部（压测 ${i + 1}）`), secretary);
      if (drafted.status !== 201) throw new Error(`draft: ${drafted.status} ${JSON.stringify(drafted.body)}`);
      const submitted = await ctx.api('communities', 'POST', `/proposals/${drafted.body.id}/submission`, { version: 1 }, secretary);
      if (submitted.status !== 200) throw new Error(`submit: ${submitted.status} ${JSON.stringify(submitted.body)}`);
      return drafted.body.id as string;
    });
    // Measure in the steady state: every lifecycle has started and reached 预审.
    await waitFor(
      'every lifecycle at pre-review',
      async () => {
        const stages = await inParallel(proposals, 10, (id) =>
          ctx.temporal.workflow
            .getHandle(workflowIds.project(id))
            .query<LifecycleState>(LIFECYCLE_QUERIES.state)
            .then((s) => s.stage)
            .catch(() => 'none'),
        );
        return stages.every((s) => s === 'pre_review');
      },
      { timeoutMs: 180_000, intervalMs: 1_000 },
    );

    // The lifecycle's own record of each decision, as it arrives on the lifecycle topic.
    const sink = new Pool({ connectionString: await ctx.database('decisions_sink'), max: 3 });
    ctx.defer(() => sink.end());
    await sink.query(OUTBOX_TABLES_SQL);
    const kafka = createKafka({ brokers: ctx.endpoints.kafka.brokers, clientId: `bench-decisions-${ctx.runId}`, log: silentLogger });
    ctx.defer(() => kafka.disconnect());
    const sentAt = new Map<string, bigint>();
    const followLags: number[] = [];
    const listener = await runConsumer({
      kafka,
      groupId: `${ctx.topicPrefix}bench.decisions`,
      consumerName: 'bench.decisions',
      topics: [topicName('lifecycle', ctx.topicPrefix)],
      registry: createEventRegistry([...LIFECYCLE_EVENTS]),
      db: fromPg(sink),
      deadLetterTopic: topicName('deadLetter', ctx.topicPrefix),
      log: silentLogger,
      handle: async (event) => {
        if (event.type !== 'lifecycle.decision.recorded') return;
        const key = `${event.subject}/${(event.data as { gate: string }).gate}`;
        const at = sentAt.get(key);
        if (at !== undefined) followLags.push(msSince(at));
      },
    });
    ctx.defer(() => listener.stop());
    await listener.joined;
    await sleep(500);

    ctx.log(`decisions: ${REVIEWERS} reviewers × ${perReviewer} proposals × 3 gates ...`);
    const latencies: number[] = [];
    const byGate: Record<string, number[]> = { pre_review: [], joint_review: [], committee: [] };
    const failures: string[] = [];
    const started = Date.now();
    const measured = ctx.window('decisions');
    await Promise.all(
      Array.from({ length: REVIEWERS }, async (_, r) => {
        const reviewer = reviewerOf(sd, `bench-reviewer-${r + 1}`);
        const committee = { ...committeeOf(sd), userId: `bench-committee-${r + 1}` };
        for (const id of proposals.slice(r * perReviewer, (r + 1) * perReviewer)) {
          for (const gate of GATES) {
            await sleep(THINK_MS[0] + Math.random() * (THINK_MS[1] - THINK_MS[0]));
            const t0 = process.hrtime.bigint();
            sentAt.set(`${id}/${gate}`, t0);
            const res = await ctx.api('communities', 'POST', `/proposals/${id}/decisions`, { gate, outcome: 'approve', version: 1, reasons: '同意' }, gate === 'committee' ? committee : reviewer);
            const ms = msSince(t0);
            const expected = gate === 'committee' ? res.body?.status === 'approved' : res.body?.currentGate === GATES[GATES.indexOf(gate) + 1];
            if (res.status !== 201 || !expected) failures.push(`${gate}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
            else {
              latencies.push(ms);
              byGate[gate]!.push(ms);
            }
          }
        }
      }),
    );
    measured();
    const wallSeconds = (Date.now() - started) / 1000;
    await waitFor('the lifecycles to record every decision', () => followLags.length >= latencies.length, { timeoutMs: ctx.opts.quick ? 15_000 : 120_000, intervalMs: 200 }).catch(() => undefined);
    const http = summarize(latencies);
    const follow = summarize(followLags);
    ctx.log(`decisions: HTTP p50 ${http.p50} ms, p99 ${http.p99} ms; lifecycle follows p50 ${follow.p50} ms, p99 ${follow.p99} ms`);
    return {
      figures: [
        {
          key: 'decisionP99Ms',
          label: `review decision p99 (${REVIEWERS} concurrent reviewers)`,
          value: http.p99,
          unit: 'ms',
          target: { op: '<', value: 200 },
          note: failures.length ? `${failures.length} decisions failed: ${failures[0]}` : undefined,
        },
        { key: 'decisionP50Ms', label: 'review decision p50', value: http.p50, unit: 'ms' },
        { key: 'decisionsPerS', label: 'review decisions per second', value: Math.round((latencies.length / wallSeconds) * 10) / 10, unit: '/s' },
        { key: 'decisionToLifecycleP99Ms', label: 'decision → lifecycle has it, p99', value: follow.p99, unit: 'ms' },
        { key: 'decisionToLifecycleP50Ms', label: 'decision → lifecycle has it, p50', value: follow.p50, unit: 'ms' },
      ],
      details: { reviewers: REVIEWERS, thinkMs: THINK_MS, perReviewer, lifecycleFollowed: followLags.length, decisions: latencies.length, failures: failures.slice(0, 10), httpMs: http, httpMsByGate: Object.fromEntries(Object.entries(byGate).map(([g, xs]) => [g, summarize(xs)])), lifecycleFollowsMs: follow },
    };
  },
};
