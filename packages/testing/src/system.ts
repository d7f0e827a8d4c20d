import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createTopics, freePorts, waitServiceReady } from '@linli/infra';
import { createTestDatabase } from './databases';

/**
 * The whole system for end-to-end and fault tests: every service and the lifecycle worker as separate
 * processes (as in production and `pnpm dev`), each service with a database of its own, on Kafka topics
 * and a Temporal task queue of this run's own, talking to the real infrastructure that Jest's global
 * setup started. Tests reach it only through the services' public HTTP APIs. Every line the processes
 * print is kept (`logs()`), so a test can look for what must never be logged.
 */
export const SYSTEM_SERVICES = ['communities', 'organizations', 'payments', 'supervision', 'operations'] as const;
export type SystemService = (typeof SYSTEM_SERVICES)[number];
export type SystemProcess = SystemService | 'worker';

export interface SystemOptions {
  /** Names the run's databases, topics and task queue. */
  label: string;
  /** The lifecycle policy the communities service starts lifecycles with (short deadlines in tests). */
  lifecyclePolicy?: Record<string, unknown>;
  /** Extra environment for every process, or per process. */
  env?: Record<string, string>;
  envFor?: Partial<Record<SystemProcess, Record<string, string>>>;
  /** Print every process's output as it comes (default: only when LINLI_SYSTEM_LOGS=1). */
  echo?: boolean;
}

export interface RunningSystem {
  urls: Record<SystemService, string>;
  topicPrefix: string;
  taskQueuePrefix: string;
  /** Everything the processes printed so far (stdout and stderr, every process). */
  logs(): string;
  /** Stops one process: SIGTERM (graceful) or SIGKILL (a crash). */
  stopProcess(name: SystemProcess, signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts a stopped process again with the same configuration; resolves when it is ready. */
  startProcess(name: SystemProcess): Promise<void>;
  stop(): Promise<void>;
}

const ROOT = path.join(__dirname, '..', '..', '..');
const ENTRY: Record<SystemProcess, string> = {
  communities: 'services/communities/src/start.ts',
  organizations: 'services/organizations/src/start.ts',
  payments: 'services/payments/src/start.ts',
  supervision: 'services/supervision/src/start.ts',
  operations: 'services/operations/src/start.ts',
  worker: 'workflows/src/worker.ts',
};

export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers || !process.env.TEMPORAL_ADDRESS) throw new Error('KAFKA_BROKERS/TEMPORAL_ADDRESS are not set: run through Jest, whose global setup starts the infrastructure');
  const suffix = randomBytes(3).toString('hex');
  const safe = options.label.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 12);
  const topicPrefix = `${process.env.KAFKA_TOPIC_PREFIX ?? ''}sys${safe}${suffix}.`;
  const taskQueuePrefix = `sys${safe}${suffix}-`;
  await createTopics(brokers.split(','), topicPrefix);

  const databases = await Promise.all(SYSTEM_SERVICES.map((name) => createTestDatabase(`sys_${safe}_${name}`)));
  const ports = await freePorts(SYSTEM_SERVICES.length);
  const urls = Object.fromEntries(SYSTEM_SERVICES.map((name, i) => [name, `http://127.0.0.1:${ports[i]}`])) as Record<SystemService, string>;
  const urlEnv = Object.fromEntries(SYSTEM_SERVICES.map((name) => [`${name.toUpperCase()}_URL`, urls[name]]));

  const common: Record<string, string> = {
    ...urlEnv,
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC_PREFIX: topicPrefix,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE ?? 'linli',
    TEMPORAL_TASK_QUEUE_PREFIX: taskQueuePrefix,
    WORKER_METRICS_ADDRESS: '',
    LIFECYCLE_POLICY_JSON: JSON.stringify(options.lifecyclePolicy ?? {}),
    ...options.env,
  };
  const envOf = (name: SystemProcess): Record<string, string> => {
    const i = SYSTEM_SERVICES.indexOf(name as SystemService);
    const own: Record<string, string> = i >= 0 ? { PORT: String(ports[i]), DATABASE_URL: databases[i]!.url } : {};
    return { ...common, ...own, ...options.envFor?.[name] };
  };

  const output: string[] = [];
  const echo = options.echo ?? process.env.LINLI_SYSTEM_LOGS === '1';
  const children = new Map<SystemProcess, ChildProcess>();

  const spawnProcess = (name: SystemProcess): ChildProcess => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY[name]], {
      cwd: ROOT,
      env: { ...process.env, ...envOf(name) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (stream: NodeJS.ReadableStream) => {
      let buffer = '';
      stream.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          output.push(`${name}| ${line}`);
          if (echo) process.stderr.write(`${name.padEnd(13)}| ${line}\n`);
        }
      });
    };
    collect(child.stdout!);
    collect(child.stderr!);
    children.set(name, child);
    return child;
  };

  const exitedOf = (child: ChildProcess) => () => (child.exitCode !== null || child.signalCode !== null ? `exit ${child.signalCode ?? child.exitCode}` : null);
  const lastLines = (name: string) => output.filter((l) => l.startsWith(`${name}|`)).slice(-15).join('\n');

  const startProcess = async (name: SystemProcess): Promise<void> => {
    const child = spawnProcess(name);
    if (name === 'worker') {
      // The worker has no HTTP port: it is ready when it says so.
      const started = Date.now();
      while (!output.some((l) => l.startsWith('worker|') && l.includes('lifecycle worker running'))) {
        const gone = exitedOf(child)();
        if (gone) throw new Error(`worker exited before it was ready (${gone}):\n${lastLines('worker')}`);
        if (Date.now() - started > 90_000) throw new Error(`worker not running after 90s:\n${lastLines('worker')}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      return;
    }
    try {
      await waitServiceReady(name, urls[name as SystemService], { exited: exitedOf(child) });
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${lastLines(name)}`);
    }
  };

  const stopProcess = async (name: SystemProcess, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> => {
    const child = children.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
    // A restarted worker must wait for "running" again, not find the old line.
    if (name === 'worker') for (let i = 0; i < output.length; i++) if (output[i]!.startsWith('worker|') && output[i]!.includes('lifecycle worker running')) output[i] = output[i]!.replace('lifecycle worker running', 'lifecycle worker (earlier run)');
  };

  const stop = async () => {
    await Promise.all([...children.keys()].map((name) => stopProcess(name).catch(() => undefined)));
    await Promise.all(databases.map((db) => db.drop().catch(() => undefined)));
  };

  try {
    // Services first (each runs its own migrations), then the worker that calls them.
    await Promise.all(SYSTEM_SERVICES.map((name) => startProcess(name)));
    await startProcess('worker');
  } catch (error) {
    await stop();
    throw error;
  }

  return { urls, topicPrefix, taskQueuePrefix, logs: () => output.join('\n'), stopProcess, startProcess, stop };
}
