/**
 * The whole system as child processes: every service and the lifecycle worker, each told where the
 * others are. `pnpm dev` runs it on the default ports and databases with logs prefixed on the terminal;
 * `pnpm bench` runs it on its own ports, databases, topics and task queues with logs in files.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import path from 'node:path';
import { waitServiceReady, type InfraEndpoints } from '@linli/infra';

const root = path.join(__dirname, '..');

export type ServiceName = 'operations' | 'communities' | 'organizations' | 'payments' | 'supervision';

/** Every service, its default port (overridable: COMMUNITIES_PORT, ...). */
export const DEFAULT_PORTS: Record<ServiceName, number> = { operations: 4000, communities: 4001, organizations: 4002, payments: 4003, supervision: 4004 };

export interface ProcSpec {
  name: ServiceName | 'worker';
  entry: string;
  port?: number;
  env: Record<string, string>;
}

export interface SystemOptions {
  endpoints: InfraEndpoints;
  /** Port per service (default: DEFAULT_PORTS, overridable by <NAME>_PORT). */
  ports?: Partial<Record<ServiceName, number>>;
  /** Database per service (default linli_<service>). */
  databaseOf?: (service: ServiceName) => string;
  /** Added to every process's environment (after the infrastructure's, before each process's own). */
  env?: Record<string, string>;
  /** Node options for every process (e.g. --cpu-prof), before the entry point. */
  execArgv?: string[];
  /** Where each process's output goes: prefixed lines on our terminal, or <dir>/<name>.log. */
  output: { kind: 'terminal' } | { kind: 'files'; dir: string };
  /** A process exited while the system was running (not during stop()). */
  onUnexpectedExit?: (name: string, how: string) => void;
}

export interface RunningProc {
  spec: ProcSpec;
  child: ChildProcess;
}

export interface RunningSystem {
  /** Base URL of each service that exists in this checkout. */
  urls: Partial<Record<ServiceName, string>>;
  procs: RunningProc[];
  /** Resolves when every service answers /readyz. */
  ready(timeoutMs?: number): Promise<void>;
  /** SIGTERM to every process, then wait for them to exit. */
  stop(): Promise<void>;
}

const colors = ['\x1b[36m', '\x1b[35m', '\x1b[33m', '\x1b[32m', '\x1b[34m', '\x1b[31m'];

export function systemProcs(opts: Pick<SystemOptions, 'ports'> = {}): { specs: ProcSpec[]; urls: Partial<Record<ServiceName, string>> } {
  const services = (Object.keys(DEFAULT_PORTS) as ServiceName[])
    .filter((name) => existsSync(path.join(root, 'services', name, 'src', 'start.ts')))
    .map((name) => ({ name, port: opts.ports?.[name] ?? Number(process.env[`${name.toUpperCase()}_PORT`] ?? DEFAULT_PORTS[name]) }));
  const urls = Object.fromEntries(services.map((svc) => [svc.name, `http://127.0.0.1:${svc.port}`])) as Partial<Record<ServiceName, string>>;
  /** Each process learns where the others are: COMMUNITIES_URL, ORGANIZATIONS_URL, ... */
  const urlEnv = Object.fromEntries(services.map((svc) => [`${svc.name.toUpperCase()}_URL`, urls[svc.name]!]));
  const specs: ProcSpec[] = [
    ...services.map((svc) => ({ name: svc.name, entry: `services/${svc.name}/src/start.ts`, port: svc.port, env: { ...urlEnv, PORT: String(svc.port) } })),
    { name: 'worker', entry: 'workflows/src/worker.ts', env: urlEnv },
  ];
  return { specs, urls };
}

export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export function startSystem(opts: SystemOptions): RunningSystem {
  const { specs, urls } = systemProcs(opts);
  const { endpoints } = opts;
  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    KAFKA_BROKERS: endpoints.kafka.brokers.join(','),
    TEMPORAL_ADDRESS: endpoints.temporal.address,
    TEMPORAL_NAMESPACE: endpoints.temporal.namespace,
    DATABASE_URL_BASE: endpoints.postgres.adminUrl,
    ...opts.env,
  };
  let stopping = false;

  const procs = specs.map((spec, index) => {
    const own = spec.port ? { ...spec.env, DATABASE_URL: databaseUrl(endpoints.postgres.adminUrl, opts.databaseOf?.(spec.name as ServiceName) ?? `linli_${spec.name}`) } : spec.env;
    const child = spawn(process.execPath, [...(opts.execArgv ?? []), '--import', 'tsx', spec.entry], {
      cwd: root,
      env: { ...baseEnv, ...own, LOG_FORMAT: process.env.LOG_FORMAT ?? (opts.output.kind === 'terminal' ? 'pretty' : 'json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const prefix = `${colors[index % colors.length]}${spec.name.padEnd(12)}\x1b[0m| `;
    if (opts.output.kind === 'files') {
      const file = createWriteStream(path.join(opts.output.dir, `${spec.name}.log`), { flags: 'a' });
      child.stdout!.pipe(file);
      child.stderr!.pipe(file);
    } else {
      forwardLines(child.stdout!, process.stdout, prefix);
      forwardLines(child.stderr!, process.stderr, prefix);
    }
    child.on('exit', (code, signal) => {
      if (!stopping) opts.onUnexpectedExit?.(spec.name, String(signal ?? code));
    });
    return { spec, child };
  });

  return {
    urls,
    procs,
    async ready(timeoutMs) {
      for (const { spec } of procs) if (spec.port) await waitServiceReady(spec.name, `http://127.0.0.1:${spec.port}`, { timeoutMs });
    },
    async stop() {
      stopping = true;
      for (const { child } of procs) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await Promise.all(procs.map(({ child }) => (child.exitCode === null && child.signalCode === null ? new Promise((r) => child.once('exit', r)) : undefined)));
    },
  };
}

function forwardLines(stream: NodeJS.ReadableStream, out: NodeJS.WriteStream, prefix: string): void {
  let buffer = '';
  stream.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) out.write(`${prefix}${line}\n`);
  });
}
