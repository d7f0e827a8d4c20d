/**
 * up / down / status over the three components. Each component runs its own sequence (install →
 * start → wait for a real answer → create declared resources) and the three sequences run side by
 * side, so a cold start costs about as long as the slowest one (the Temporal build), not the sum.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Component, Log } from './components/component';
import { kafkaComponent } from './components/kafka.component';
import { postgresComponent } from './components/postgres.component';
import { temporalComponent } from './components/temporal.component';
import { asInfraError, InfraError, InfraUpError } from './errors';
import { formatSeconds, isProcessAlive, readPidFile, removeFile, sleep, tailFile, waitFor } from './process';
import { COMPONENTS, infraSettings, PORT_ENV, type ComponentName, type InfraEndpoints, type InfraSettings } from './settings';
import { isPortFree, portHolder } from './tools';

export const COMPONENT_MODULES: Record<ComponentName, Component> = {
  postgres: postgresComponent,
  kafka: kafkaComponent,
  temporal: temporalComponent,
};

export interface InfraOptions {
  /** No progress lines (errors are still thrown with their details). */
  quiet?: boolean;
  /** Where progress lines go; default stdout. Lines arrive already prefixed with `[component]`. */
  log?: (line: string) => void;
  /** Settings source; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Limit to some components (default: all three). */
  only?: readonly ComponentName[];
}

function lineWriter(opts: InfraOptions): (line: string) => void {
  if (opts.quiet) return () => undefined;
  return opts.log ?? ((line) => process.stdout.write(`${line}\n`));
}

const prefixed = (write: (line: string) => void, name: string): Log => (message) => write(`[${name}] ${message}`);

function selected(opts: InfraOptions): Component[] {
  return (opts.only?.length ? COMPONENTS.filter((c) => opts.only!.includes(c)) : COMPONENTS).map((c) => COMPONENT_MODULES[c]);
}

export function endpointsOf(s: InfraSettings): InfraEndpoints {
  return { postgres: s.postgres, kafka: s.kafka, temporal: s.temporal };
}

/** Folders every component writes to; the .gitignore keeps a LINLI_HOME inside any checkout out of git. */
function prepareHome(s: InfraSettings): void {
  for (const dir of [s.home, s.paths.bin, s.paths.data, s.paths.logs, s.paths.run]) mkdirSync(dir, { recursive: true });
  const ignore = join(s.home, '.gitignore');
  if (!existsSync(ignore)) writeFileSync(ignore, '# Local infrastructure state (pnpm infra); never committed.\n*\n');
}

/**
 * Brings the selected components up and resolves with their endpoints once each one answers a real
 * request. Already-running components are only health-checked. Throws InfraUpError naming every
 * component that failed, its cause and its log file (with the log's tail in the message).
 */
export async function up(opts: InfraOptions = {}): Promise<InfraEndpoints> {
  const s = infraSettings(opts.env);
  const write = lineWriter(opts);
  const components = selected(opts);
  prepareHome(s);
  // Calls within one process queue up here; calls from other processes queue on the lock file.
  const previous = upsInProcess.get(s.home) ?? Promise.resolve();
  const run = previous
    .catch(() => undefined)
    .then(() =>
      withUpLock(s, write, async () => {
        await bringAllUp(s, components, write);
        return endpointsOf(s);
      }),
    );
  upsInProcess.set(s.home, run);
  try {
    return await run;
  } finally {
    if (upsInProcess.get(s.home) === run) upsInProcess.delete(s.home);
  }
}

const upsInProcess = new Map<string, Promise<unknown>>();

async function bringAllUp(s: InfraSettings, components: Component[], write: (line: string) => void): Promise<void> {
  // Preflight everything first: a missing tool or taken port is reported before anything starts,
  // all problems at once, instead of leaving half the infrastructure running.
  const preflight = await Promise.allSettled(components.map(async (c) => (c.runningPid(s) === undefined ? c.preflight(s) : undefined)));
  const problems = preflight.flatMap((r, i) => (r.status === 'rejected' ? [asInfraError(components[i]!.name, r.reason)] : []));
  if (problems.length) throw new InfraUpError(problems, describeFailures(problems));

  const results = await Promise.allSettled(components.map((c) => bringUp(c, s, prefixed(write, c.name))));
  const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [asInfraError(components[i]!.name, r.reason, components[i]!.logFile(s))] : []));
  const running = components.filter((_, i) => results[i]!.status === 'fulfilled').map((c) => c.name);
  if (failures.length) throw new InfraUpError(failures, describeFailures(failures), running);
}

/** A cold `up` (Temporal build) may take minutes; a second `up` meanwhile just waits this long. */
const UP_LOCK_TIMEOUT_MS = 10 * 60_000;

/**
 * One `up` at a time per LINLI_HOME. Two at once (say `pnpm dev` and a test run) would both see
 * "not running", both start a server, and the loser's pid file would overwrite the winner's — leaving
 * a server that `down` cannot find. The second one waits, then finds everything running.
 */
async function withUpLock<T>(s: InfraSettings, write: (line: string) => void, fn: () => Promise<T>): Promise<T> {
  const lock = join(s.paths.run, 'up.lock');
  const started = Date.now();
  let announced = false;
  for (;;) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readPidFile(lock);
      // A lock left by a crashed or killed `up` is taken over.
      if (holder === undefined || holder === process.pid || !isProcessAlive(holder)) {
        removeFile(lock);
        continue;
      }
      if (Date.now() - started > UP_LOCK_TIMEOUT_MS) throw new InfraError('infra', `another \`up\` (pid ${holder}) has held ${lock} for ${formatSeconds(UP_LOCK_TIMEOUT_MS)}; if it is stuck, stop it`);
      if (!announced) write(`[infra] another \`up\` (pid ${holder}) is running for ${s.home}; waiting for it ...`);
      announced = true;
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    removeFile(lock);
  }
}

async function bringUp(c: Component, s: InfraSettings, log: Log): Promise<void> {
  const started = Date.now();
  const endpoint = c.endpoint(s);
  const tick = (what: string) => (ms: number) => log(`still waiting for ${what} (${formatSeconds(ms)}) ...`);

  const running = c.runningPid(s);
  if (running !== undefined) {
    const moved = portMismatch(c, s);
    if (moved) throw new InfraError(c.name, `running (pid ${running}) ${moved}`);
    try {
      await c.health(s);
    } catch {
      // Ours and alive but not answering: most likely still starting (an `up` interrupted by Ctrl-C).
      log(`running (pid ${running}) but not answering yet; waiting ...`);
      await waitFor(() => c.health(s), { timeoutMs: c.startTimeoutMs, stillAlive: () => c.runningPid(s) !== undefined, onTick: tick('it to answer') }).catch((err) => {
        throw new InfraError(c.name, `running (pid ${running}) but not answering at ${endpoint}: ${(err as Error).message}`, c.logFile(s));
      });
    }
    await c.ensureDeclared(s, log);
    log(`already running (pid ${running}) and healthy at ${endpoint}`);
    return;
  }

  await c.install(s, log);
  log('starting ...');
  const proc = await c.start(s, log);
  log(`started (pid ${proc.pid}); waiting for it to answer at ${endpoint} ...`);
  try {
    await waitFor(() => c.health(s), { timeoutMs: c.startTimeoutMs, stillAlive: proc.stillAlive, onTick: tick('it to answer') });
  } catch (err) {
    throw new InfraError(c.name, `did not become healthy: ${(err as Error).message}`, c.logFile(s));
  }
  await c.ensureDeclared(s, log);
  log(`healthy at ${endpoint} (${formatSeconds(Date.now() - started)})`);
}

/** Our server runs on another port than the settings say (a *_PORT variable changed since it started). */
function portMismatch(c: Component, s: InfraSettings): string | undefined {
  const actual = c.runningPort(s);
  const wanted = s.ports[c.portKey];
  if (actual === undefined || actual === wanted) return undefined;
  return `listens on port ${actual} but ${PORT_ENV[c.portKey]} is ${wanted} — \`pnpm infra down ${c.name}\` stops it, then \`up\` starts it on the new port`;
}

/** One paragraph per failure: the cause, the log path and the log's last lines. */
export function describeFailures(failures: InfraError[], tailLines = 25): string {
  return failures
    .map((f) => {
      const lines = [`[${f.component}] ${f.message}`];
      if (f.logFile) {
        const tail = tailFile(f.logFile, tailLines);
        lines.push(`[${f.component}] log: ${f.logFile}${tail ? ` (last ${tailLines} lines):` : ' (empty)'}`);
        if (tail) lines.push(...tail.split('\n').map((l) => `    ${l}`));
      }
      return lines.join('\n');
    })
    .join('\n');
}

/** Stops the selected components gracefully; data stays where it is. */
export async function down(opts: InfraOptions = {}): Promise<void> {
  const s = infraSettings(opts.env);
  const write = lineWriter(opts);
  await Promise.all(
    selected(opts).map(async (c) => {
      const log = prefixed(write, c.name);
      const pid = c.runningPid(s);
      const result = await c.stop(s, log);
      if (result === 'not running') log('not running');
      else log(`${result === 'killed' ? 'killed (it did not stop in time)' : 'stopped'} (pid ${pid})`);
    }),
  );
}

export type ComponentState = 'healthy' | 'not running' | 'unhealthy';

export interface ComponentStatus {
  component: ComponentName;
  state: ComponentState;
  /** Why it is unhealthy, or what blocks a start (e.g. its port is taken). */
  cause?: string;
  pid?: number;
  endpoint: string;
  dataDir: string;
  logFile: string;
}

export async function status(opts: Pick<InfraOptions, 'env' | 'only'> = {}): Promise<ComponentStatus[]> {
  const s = infraSettings(opts.env);
  return Promise.all(
    selected(opts).map(async (c): Promise<ComponentStatus> => {
      const base = { component: c.name, endpoint: c.endpoint(s), dataDir: c.dataDir(s), logFile: c.logFile(s) };
      const pid = c.runningPid(s);
      if (pid === undefined) {
        const blocked = await blockedPorts(c.name, s);
        return { ...base, state: 'not running', ...(blocked ? { cause: blocked } : {}) };
      }
      const moved = portMismatch(c, s);
      if (moved) return { ...base, state: 'unhealthy', pid, cause: moved };
      try {
        await c.health(s);
        await c.verify?.(s);
        return { ...base, state: 'healthy', pid };
      } catch (err) {
        return { ...base, state: 'unhealthy', pid, cause: (err as Error).message.split('\n')[0] };
      }
    }),
  );
}

const COMPONENT_PORTS: Record<ComponentName, (keyof InfraSettings['ports'])[]> = {
  postgres: ['postgres'],
  kafka: ['kafka', 'kafkaController'],
  temporal: ['temporal', 'temporalUi'],
};

/** For a stopped component: is one of its ports held by someone else (so `up` would fail)? */
async function blockedPorts(name: ComponentName, s: InfraSettings): Promise<string | undefined> {
  for (const key of COMPONENT_PORTS[name]) {
    const port = s.ports[key];
    if (!(await isPortFree(port))) return `port ${port} is taken by ${portHolder(port) ?? 'another process'}`;
  }
  return undefined;
}

export interface ResetTarget {
  path: string;
  bytes: number;
}

/**
 * What `reset` deletes: all state — each folder under data/ (one per component), the logs and the pid
 * files. Built binaries (bin/) and jars (kafka/libs) are kept so the next `up` is quick.
 */
export function resetTargets(env?: NodeJS.ProcessEnv): ResetTarget[] {
  const s = infraSettings(env);
  const dataEntries = existsSync(s.paths.data) ? readdirSync(s.paths.data).sort().map((name) => join(s.paths.data, name)) : [];
  return [...dataEntries, s.paths.logs, s.paths.run].filter((p) => existsSync(p)).map((path) => ({ path, bytes: diskUsage(path) }));
}

/** Stops everything, then deletes the reset targets. */
export async function reset(opts: InfraOptions = {}): Promise<ResetTarget[]> {
  await down({ ...opts, only: undefined });
  const targets = resetTargets(opts.env);
  for (const t of targets) rmSync(t.path, { recursive: true, force: true });
  return targets;
}

/** Space actually used on disk (blocks, like `du`): Kafka's preallocated index files are sparse. */
function diskUsage(path: string): number {
  const st = lstatSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.blocks * 512;
  let total = st.blocks * 512;
  for (const entry of readdirSync(path)) total += diskUsage(join(path, entry));
  return total;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/**
 * Stops one component and starts it again with its data (used by fault tests and by operators who
 * want to bounce one piece without touching the others).
 */
export async function restartComponent(component: ComponentName, opts: Omit<InfraOptions, 'only'> = {}): Promise<InfraEndpoints> {
  await down({ ...opts, only: [component] });
  return up({ ...opts, only: [component] });
}
