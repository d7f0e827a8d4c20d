/**
 * `pnpm bench [--quick] [--json] [--only=events,api,...] [--open=N] [--rows=N]`: the benchmark suite (not part of
 * `pnpm test`); --open and --rows set how many lifecycles the waiting scenario keeps open and how many
 * projects it puts in the read model.
 *
 * Starts the whole system (every service and the lifecycle worker as child processes, the way `pnpm dev`
 * does) on its own ports, databases (bench_<run>_*), Kafka topics and Temporal task queues, so demo data
 * and test runs are never touched; runs each scenario; prints a table (figure, value, target, pass/miss);
 * writes bench-results/<timestamp>.json; and with --json prints that one JSON object on stdout (all
 * progress goes to stderr). Every figure is a ratio to a bare baseline measured in the same run, or a
 * latency, because these machines are shared and noisy.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTopics, freePorts, infraSettings, up, type InfraEndpoints } from '@linli/infra';
import { createTemporalClient, taskQueue, temporalSettingsFromEnv } from '@linli/temporal';
import { createKafka, silentLogger } from '@linli/events';
import { startSystem, type ServiceName } from '../../scripts/system';
import { databaseRegistry, log, makeApi, monotonicUs, type BenchContext, type BenchOptions, type Scenario, type ScenarioResult, type Window } from './context';
import { formatMarkdown, formatTable, toJson, type Figure } from './report';
import { decisionLatency } from './scenarios/decision-latency';
import { eventsLag } from './scenarios/events-lag';
import { BARE_TASK_QUEUE, lifecycleThroughput } from './scenarios/lifecycle-throughput';
import { serviceApi } from './scenarios/service-api';
import { waitingAtScale } from './scenarios/waiting-at-scale';
import { terminateRunWorkflows } from './temporal-cleanup';

const root = path.join(__dirname, '..', '..');

/** In order of cost: the heaviest (10,000 waiting lifecycles) last. */
export const SCENARIOS: Scenario[] = [eventsLag, serviceApi, decisionLatency, lifecycleThroughput, waitingAtScale];

export function parseArgs(argv: readonly string[]): BenchOptions & { json: boolean; profile: boolean } {
  const only = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',').filter(Boolean) ?? [];
  const unknown = only.filter((name) => !SCENARIOS.some((s) => s.name === name));
  if (unknown.length) throw new Error(`unknown scenario ${unknown.join(', ')}; choose from ${SCENARIOS.map((s) => s.name).join(', ')}`);
  const count = (name: string): number | undefined => {
    const raw = argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
    if (raw === undefined) return undefined;
    const n = Number(raw.replace(/_/g, ''));
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} expects a positive whole number, got ${JSON.stringify(raw)}`);
    return n;
  };
  const scale = { open: count('open'), rows: count('rows') };
  return { quick: argv.includes('--quick'), json: argv.includes('--json'), profile: argv.includes('--profile'), only, scale };
}

function machine() {
  const git = (cmd: string) => {
    try {
      return execSync(cmd, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return null;
    }
  };
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? null,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    commit: git('git rev-parse --short HEAD'),
  };
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const startedAt = new Date();
  const machineAtStart = machine();
  const runId = `b${Date.now().toString(36)}`;
  const selected = SCENARIOS.filter((s) => opts.only.length === 0 || opts.only.includes(s.name));
  log(`run ${runId}${opts.quick ? ' (--quick: scaled down)' : ''}: ${selected.map((s) => s.name).join(', ')}`);

  const endpoints: InfraEndpoints = process.env.LINLI_INFRA_EXTERNAL === '1' ? infraSettings() : await up({ log });
  const topicPrefix = `${runId}.`;
  const taskQueuePrefix = `${runId}-`;
  await createTopics(endpoints.kafka.brokers, topicPrefix);
  const databases = databaseRegistry(endpoints.postgres.adminUrl, runId);
  const resultsDir = path.join(root, 'bench-results');
  const logDir = path.join(resultsDir, 'logs', runId);
  mkdirSync(logDir, { recursive: true });

  const deferred: (() => Promise<unknown>)[] = [];
  const services: ServiceName[] = ['operations', 'communities', 'organizations', 'payments', 'supervision'];
  const ports = await freePorts(services.length);
  for (const service of services) await databases.ensure(service);
  let unexpectedExit: string | null = null;
  const system = startSystem({
    endpoints,
    ports: Object.fromEntries(services.map((s, i) => [s, ports[i]])),
    databaseOf: (service) => `bench_${runId}_${service}`,
    env: {
      KAFKA_TOPIC_PREFIX: topicPrefix,
      TEMPORAL_TASK_QUEUE_PREFIX: taskQueuePrefix,
      // Request lines off (warn) unless asked: LOG_LEVEL=info pnpm bench measures them too.
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      // A running `pnpm dev` worker serves its metrics on the default address.
      WORKER_METRICS_ADDRESS: '',
      ONBOARDING_ACTIVATION_DELAY_MS: '0',
      // Ten minutes, not working days, at each gate: nothing escalates while measured, all ends in the run.
      LIFECYCLE_POLICY_JSON: JSON.stringify({ reviewGate: { ms: 600_000 }, contract: { ms: 600_000 }, payment: { ms: 600_000 } }),
      RECONCILE_INTERVAL_MS: '0',
    },
    // --profile: every service and the worker write a V8 CPU profile when they stop (see cpu-profile.ts).
    execArgv: opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(logDir, 'profiles')}`] : [],
    output: { kind: 'files', dir: logDir },
    onUnexpectedExit: (name, how) => {
      unexpectedExit = `${name} exited (${how}); see ${path.join(logDir, `${name}.log`)}`;
      log(unexpectedExit);
    },
  });
  const { client: temporal, connection } = await createTemporalClient(
    temporalSettingsFromEnv({ ...process.env, TEMPORAL_ADDRESS: endpoints.temporal.address, TEMPORAL_NAMESPACE: endpoints.temporal.namespace }),
  );

  const windows: Window[] = [];
  const ctx: BenchContext = {
    opts,
    runId,
    endpoints,
    topicPrefix,
    taskQueuePrefix,
    system,
    temporal,
    database: (label) => databases.ensure(label),
    api: makeApi(system.urls),
    url: (service) => system.urls[service]!,
    log,
    defer: (fn) => deferred.push(fn),
    window: (label) => {
      const fromUs = monotonicUs();
      return () => void windows.push({ label, fromUs, toUs: monotonicUs() });
    },
  };

  const figures: Figure[] = [];
  const details: Record<string, unknown> = {};
  const file = path.join(resultsDir, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  /** Written after every scenario too, so a long run that is stopped keeps what it measured. */
  const writeResults = () => {
    const meta = {
      runId,
      quick: opts.quick,
      only: opts.only,
      startedAt: startedAt.toISOString(),
      seconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
      command: `pnpm bench ${process.argv.slice(2).join(' ')}`.trim(),
      machine: machineAtStart,
      loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100),
      processes: Object.fromEntries(system.procs.map((p) => [p.spec.name, p.child.pid])),
      windows,
    };
    const json = toJson(figures, meta, details);
    writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
    writeFileSync(file.replace(/\.json$/, '.md'), `${formatMarkdown(figures)}\n`);
    return { json, meta };
  };

  try {
    log(`starting the services and the worker (logs in ${path.relative(root, logDir)}) ...`);
    await system.ready(180_000);
    log(`system ready: ${system.procs.map((p) => `${p.spec.name} pid ${p.child.pid}`).join(', ')}`);
    for (const scenario of selected) {
      log(`── ${scenario.title}`);
      const started = Date.now();
      let result: ScenarioResult;
      try {
        if (unexpectedExit) throw new Error(unexpectedExit);
        result = await scenario.run(ctx);
      } catch (error) {
        const message = (error as Error).message;
        log(`${scenario.name} failed: ${(error as Error).stack ?? message}`);
        result = { figures: scenario.headline.map((f) => ({ ...f, value: null, note: `failed: ${message.slice(0, 300)}` })), details: { error: message } };
      }
      figures.push(...result.figures);
      details[scenario.name] = { ...result.details, seconds: Math.round((Date.now() - started) / 100) / 10 };
      writeResults();
      // Each scenario's own resources go before the next one measures.
      while (deferred.length) await deferred.pop()!().catch((e: Error) => log(`cleanup: ${e.message}`));
    }
  } finally {
    while (deferred.length) await deferred.pop()!().catch((e: Error) => log(`cleanup: ${e.message}`));
    log('stopping the system and removing what this run created ...');
    await system.stop();
    await terminateRunWorkflows(temporal, [taskQueue('lifecycle', taskQueuePrefix), `${taskQueuePrefix}${BARE_TASK_QUEUE}`], log).catch((e: Error) => log(`cleanup (workflows): ${e.message}`));
    await connection.close();
    await deleteTopics(endpoints.kafka.brokers, topicPrefix).catch((e: Error) => log(`cleanup (topics): ${e.message}`));
    await databases.dropAll();
  }

  const { json, meta } = writeResults();

  const table = `\n${formatTable(figures)}\n\nresults: ${path.relative(root, file)} (${meta.seconds} s${opts.quick ? ', --quick: scaled down' : ''})\n`;
  if (opts.json) {
    process.stderr.write(table);
    process.stdout.write(`${JSON.stringify(json)}\n`);
  } else {
    process.stdout.write(table);
  }
}

async function deleteTopics(brokers: string[], prefix: string): Promise<void> {
  const kafka = createKafka({ brokers, clientId: 'linli-bench-cleanup', log: silentLogger });
  const admin = await kafka.admin();
  try {
    await admin.deleteTopics((await admin.listTopics()).filter((t) => t.startsWith(prefix)));
  } finally {
    await kafka.disconnect();
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      log(`failed: ${(error as Error).stack ?? String(error)}`);
      process.exit(1);
    },
  );
}
