/**
 * 3. Service API: throughput and p99 of a representative read (GET /wishes, a reviewer's page of a
 * community's wishes) and write (POST /meetings/:id/wishes, a secretary records a wish: meeting check,
 * then wish + outbox row in one transaction) of the communities service, under autocannon, against a
 * bare express + pg process answering the same SQL on the same database (bare/bare-api.server.ts).
 * Service and baseline take turns (service, bare; the full run repeats as bare, service) so drift on a
 * shared machine falls on both alike. apiRatio is the lower of the read and write throughput ratios.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { freePorts, waitServiceReady } from '@linli/infra';
import { inParallel, type BenchContext, type Scenario } from '../context';
import { ratio, round } from '../stats';
import { setUpSubDistrict, secretaryOf, reviewerOf } from '../world';
import { tokenFor } from '@linli/testing';

const root = path.join(__dirname, '..', '..', '..');
const CONNECTIONS = 10;

interface CannonResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
}

async function cannon(opts: autocannon.Options): Promise<CannonResult> {
  const r = await autocannon({ connections: CONNECTIONS, ...opts });
  return { rps: round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total, non2xx: r.non2xx, errors: r.errors };
}

export const serviceApi: Scenario = {
  name: 'api',
  title: '3. service API: communities read and write vs bare express + pg, same SQL, same database',
  headline: [{ key: 'apiRatio', label: 'API throughput vs bare express+pg (lower of read, write)', value: null, target: { op: '>=', value: 0.7 } }],
  async run(ctx: BenchContext) {
    const seconds = ctx.opts.quick ? 4 : 10;
    const rounds = ctx.opts.quick ? 1 : 2;

    // A sub-district with one community, meetings of 5 wishes each (the page read has data; writes
    // spread over meetings, fresh ones for each side so neither reads longer meetings than the other).
    const base = ctx.opts.quick ? 60 : 200;
    const perRun = ctx.opts.quick ? 40 : 100;
    const world = await setUpSubDistrict(ctx, { communities: 1 });
    const communityId = world.communities[0]!;
    const secretary = secretaryOf(communityId, world.subDistrictId);
    const meetings = await inParallel(Array.from({ length: base + 2 * rounds * perRun }, (_, i) => i), 8, async (i) => {
      const res = await ctx.api(
        'communities',
        'POST',
        `/communities/${communityId}/meetings`,
        {
          heldOn: '2026-03-15',
          attendance: 40,
          minutes: `第 ${i + 1} 次居民代表会议`,
          wishes: i < base ? Array.from({ length: 5 }, (_, k) => ({ category: 'elderly_care', targetGroup: 'elderly', description: `希望办老年餐桌（${k + 1}）`, votes: 20 })) : [],
        },
        secretary,
      );
      if (res.status !== 201) throw new Error(`meeting: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id as string;
    });
    const writeMeetings = meetings.slice(base);

    const [barePort] = await freePorts(1);
    const bare = spawn(process.execPath, ['--import', 'tsx', 'bench/src/bare/bare-api.server.ts'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: await ctx.database('communities'), PORT: String(barePort), KAFKA_TOPIC_PREFIX: ctx.topicPrefix },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    ctx.defer(async () => {
      if (bare.exitCode === null) {
        bare.kill('SIGTERM');
        await new Promise((r) => bare.once('exit', r));
      }
    });
    const bareUrl = `http://127.0.0.1:${barePort}`;
    await waitServiceReady('bare api', bareUrl, { timeoutMs: 60_000 });

    const serviceUrl = ctx.url('communities');
    const readerToken = await tokenFor(reviewerOf(world.subDistrictId));
    const writerToken = await tokenFor(secretary);
    const readPath = {
      service: `/wishes?communityId=${communityId}&limit=20`,
      bare: `/wishes?subDistrictId=${world.subDistrictId}&communityId=${communityId}&limit=20`,
    };
    const wish = JSON.stringify({ category: 'children', targetGroup: 'children', description: '希望周末有亲子阅读（悠贝亲子阅读）', votes: 12 });
    let batch = 0;
    const writeTarget = () => {
      // Each measured write run gets meetings of its own.
      const ids = writeMeetings.slice(batch * perRun, ++batch * perRun);
      let i = 0;
      return { setupRequest: (req: any) => ({ ...req, path: `/meetings/${ids[i++ % ids.length]}/wishes` }) };
    };
    const read = (side: 'service' | 'bare', duration: number) =>
      cannon({ url: `${side === 'service' ? serviceUrl : bareUrl}${readPath[side]}`, duration, headers: { authorization: `Bearer ${readerToken}` } });
    const write = (side: 'service' | 'bare', duration: number, requests = [writeTarget()]) =>
      cannon({
        url: side === 'service' ? serviceUrl : bareUrl,
        duration,
        method: 'POST',
        headers: { authorization: `Bearer ${writerToken}`, 'content-type': 'application/json' },
        body: wish,
        requests,
      });

    // Warm-up (JIT, connection pools) of both sides on reads, and on writes to the first meetings.
    const warm = [{ setupRequest: (req: any) => ({ ...req, path: `/meetings/${meetings[0]}/wishes` }) }];
    for (const side of ['service', 'bare'] as const) {
      await read(side, ctx.opts.quick ? 1 : 2);
      await write(side, ctx.opts.quick ? 1 : 2, warm);
    }

    const runs: Record<'read' | 'write', Record<'service' | 'bare', CannonResult[]>> = { read: { service: [], bare: [] }, write: { service: [], bare: [] } };
    const order: ('service' | 'bare')[] = rounds === 1 ? ['service', 'bare'] : ['service', 'bare', 'bare', 'service'];
    for (const kind of ['read', 'write'] as const) {
      for (const side of order) {
        const measured = ctx.window(`api ${kind} ${side}`);
        const r = await (kind === 'read' ? read(side, seconds) : write(side, seconds));
        measured();
        ctx.log(`api ${kind} ${side}: ${r.rps} req/s, p99 ${r.p99} ms${r.non2xx || r.errors ? ` (${r.non2xx} non-2xx, ${r.errors} errors)` : ''}`);
        runs[kind][side].push(r);
      }
    }
    const mean = (rs: CannonResult[], f: (r: CannonResult) => number) => round(rs.reduce((s, r) => s + f(r), 0) / rs.length);
    const side = (kind: 'read' | 'write', s: 'service' | 'bare') => ({ rps: mean(runs[kind][s], (r) => r.rps), p99: mean(runs[kind][s], (r) => r.p99) });
    const figures = (['read', 'write'] as const).map((kind) => ({ kind, service: side(kind, 'service'), bare: side(kind, 'bare') }));
    const readRatio = ratio(figures[0]!.service.rps, figures[0]!.bare.rps);
    const writeRatio = ratio(figures[1]!.service.rps, figures[1]!.bare.rps);
    const failures = Object.values(runs).flatMap((k) => [...k.service, ...k.bare]).reduce((s, r) => s + r.non2xx + r.errors, 0);
    const apiRatio = readRatio === null || writeRatio === null ? null : Math.min(readRatio, writeRatio);
    return {
      figures: [
        {
          key: 'apiRatio',
          label: 'API throughput vs bare express+pg (lower of read, write)',
          value: apiRatio,
          target: { op: '>=', value: 0.7 },
          note: failures ? `${failures} requests failed (non-2xx or errors); see details.api` : undefined,
        },
        { key: 'apiReadRatio', label: 'API read GET /wishes: req/s vs bare', value: readRatio },
        { key: 'apiReadRps', label: 'API read: service req/s', value: figures[0]!.service.rps, unit: '/s' },
        { key: 'apiReadP99Ms', label: 'API read: service p99', value: figures[0]!.service.p99, unit: 'ms' },
        { key: 'apiReadBareP99Ms', label: 'API read: bare p99', value: figures[0]!.bare.p99, unit: 'ms' },
        { key: 'apiWriteRatio', label: 'API write POST /meetings/:id/wishes: req/s vs bare', value: writeRatio },
        { key: 'apiWriteRps', label: 'API write: service req/s', value: figures[1]!.service.rps, unit: '/s' },
        { key: 'apiWriteP99Ms', label: 'API write: service p99', value: figures[1]!.service.p99, unit: 'ms' },
        { key: 'apiWriteBareP99Ms', label: 'API write: bare p99', value: figures[1]!.bare.p99, unit: 'ms' },
      ],
      details: { connections: CONNECTIONS, secondsPerRun: seconds, order, runs, barePid: bare.pid },
    };
  },
};
