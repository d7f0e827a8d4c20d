/**
 * `pnpm dev`: the whole system on this machine with demo data.
 *   1. the infrastructure (Temporal, Kafka, PostgreSQL) — `pnpm infra up`, idempotent;
 *   2. every service and the lifecycle worker as child processes, logs prefixed with their name;
 *   3. demo data through the services' public APIs (a second run adds no duplicates: 409s are expected);
 *   4. every URL printed. Ctrl-C stops the services and the worker; the infrastructure keeps running
 *      (`pnpm infra down` stops it).
 * `pnpm dev --check` does the same, verifies every service is ready, and exits (used by tests and CI).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { up } from '@linli/infra';
import { seedDemoData, type DemoUrls } from './demo-data';

const root = path.join(__dirname, '..');
const check = process.argv.includes('--check');

interface ProcSpec {
  name: string;
  entry: string;
  port?: number;
  env: Record<string, string>;
}

/** Every service, its default port (overridable: COMMUNITIES_PORT, ...), and the worker. */
const SERVICES = [
  { name: 'operations', port: 4000 },
  { name: 'communities', port: 4001 },
  { name: 'organizations', port: 4002 },
  { name: 'payments', port: 4003 },
  { name: 'supervision', port: 4004 },
]
  .filter((svc) => existsSync(path.join(root, 'services', svc.name, 'src', 'start.ts')))
  .map((svc) => ({ ...svc, port: Number(process.env[`${svc.name.toUpperCase()}_PORT`] ?? svc.port) }));

const urls = Object.fromEntries(SERVICES.map((svc) => [svc.name, `http://127.0.0.1:${svc.port}`])) as Record<string, string>;
/** Each process learns where the others are: COMMUNITIES_URL, ORGANIZATIONS_URL, ... */
const urlEnv = Object.fromEntries(SERVICES.map((svc) => [`${svc.name.toUpperCase()}_URL`, urls[svc.name]!]));

const procs: ProcSpec[] = [
  ...SERVICES.map((svc) => ({ name: svc.name, entry: `services/${svc.name}/src/start.ts`, port: svc.port, env: { ...urlEnv, PORT: String(svc.port) } })),
  { name: 'worker', entry: 'workflows/src/worker.ts', env: urlEnv },
];

const colors = ['\x1b[36m', '\x1b[35m', '\x1b[33m', '\x1b[32m', '\x1b[34m', '\x1b[31m'];
const children: ChildProcess[] = [];

function startProc(spec: ProcSpec, index: number, baseEnv: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', spec.entry], {
    cwd: root,
    env: { ...baseEnv, ...spec.env, LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `${colors[index % colors.length]}${spec.name.padEnd(12)}\x1b[0m| `;
  const forward = (stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) => {
    let buffer = '';
    stream.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) out.write(`${prefix}${line}\n`);
    });
  };
  forward(child.stdout!, process.stdout);
  forward(child.stderr!, process.stderr);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      process.stderr.write(`${prefix}exited (${signal ?? code}); stopping everything\n`);
      void stopAll(1);
    }
  });
  return child;
}

async function waitReady(name: string, url: string, timeoutMs = 90_000): Promise<void> {
  const started = Date.now();
  let last = '';
  while (Date.now() - started < timeoutMs) {
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${name} did not become ready at ${url}/readyz within ${timeoutMs / 1000}s: ${last}`);
}

let stopping = false;
async function stopAll(code: number): Promise<never> {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
  process.exit(code);
}

async function main(): Promise<void> {
  const endpoints = await up({ log: (line: string) => process.stderr.write(`${line}\n`) });
  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    KAFKA_BROKERS: endpoints.kafka.brokers.join(','),
    TEMPORAL_ADDRESS: endpoints.temporal.address,
    TEMPORAL_NAMESPACE: endpoints.temporal.namespace,
    DATABASE_URL_BASE: endpoints.postgres.adminUrl,
  };
  procs.forEach((spec, i) => {
    const env = spec.port ? { ...spec.env, DATABASE_URL: databaseUrl(endpoints.postgres.adminUrl, `linli_${spec.name}`) } : spec.env;
    children.push(startProc({ ...spec, env }, i, baseEnv));
  });
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  for (const spec of procs) if (spec.port) await waitReady(spec.name, `http://127.0.0.1:${spec.port}`);
  process.stderr.write('[dev] seeding demo data ...\n');
  const seeded = await seedDemoData(urls as unknown as DemoUrls, (line) => process.stderr.write(`${line}\n`));
  process.stderr.write(`[dev] demo data: ${seeded.created} created, ${seeded.existing} already there\n`);

  const lines = [
    '',
    '邻里 Linli is running:',
    `  Temporal UI               ${endpoints.temporal.uiUrl}/namespaces/${endpoints.temporal.namespace}/workflows`,
    ...procs.filter((p) => p.port).map((p) => `  ${`${p.name} API docs`.padEnd(26)}http://127.0.0.1:${p.port}/docs`),
    `  Temporal                  ${endpoints.temporal.address} (namespace ${endpoints.temporal.namespace})`,
    `  Kafka                     ${endpoints.kafka.brokers.join(',')}`,
    `  PostgreSQL                ${endpoints.postgres.adminUrl}`,
    '',
    check ? '[dev] --check: everything answered; stopping.' : 'Ctrl-C stops the services and the worker; `pnpm infra down` stops the infrastructure.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (check) await stopAll(0);
}

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

main().catch((error: unknown) => {
  process.stderr.write(`[dev] ${(error as Error).message}\n`);
  void stopAll(1);
});
