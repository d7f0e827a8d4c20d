/**
 * What every scenario gets: the infrastructure, the bench run's own names (databases bench_<run>_*,
 * Kafka topics and Temporal task queues prefixed with the run id, so demo data and tests are never
 * touched), the system's processes, a Temporal client and an HTTP helper that signs tokens.
 */
import { readFileSync } from 'node:fs';
import type { Principal } from '@linli/auth';
import { databaseUrlFor, dropDatabase, ensureDatabase } from '@linli/db';
import { infraSettings, type InfraEndpoints } from '@linli/infra';
import { tokenFor } from '@linli/testing';
import type { Client } from '@temporalio/client';
import type { RunningSystem, ServiceName } from '../../scripts/system';
import type { Figure } from './report';

export interface BenchOptions {
  quick: boolean;
  /** Scenario names to run (all when empty). */
  only: string[];
  /** Scale overrides of the waiting scenario (--open=N, --rows=N): lifecycles kept open, read-model rows. */
  scale?: { open?: number; rows?: number };
}

export interface BenchContext {
  opts: BenchOptions;
  runId: string;
  endpoints: InfraEndpoints;
  /** Kafka topic prefix of this run (topics created from the declared list). */
  topicPrefix: string;
  /** Temporal task queue prefix of this run. */
  taskQueuePrefix: string;
  system: RunningSystem;
  temporal: Client;
  /** Creates (once) a database of this run and returns its URL; dropped at the end. */
  database(label: string): Promise<string>;
  /** A call to a service as `as`, with a signed token. */
  api(service: ServiceName, method: string, path: string, body?: unknown, as?: Principal | null): Promise<{ status: number; body: any }>;
  url(service: ServiceName): string;
  /** Progress on stderr (stdout is the JSON's). */
  log(line: string): void;
  /**
   * Marks a measured window (µs of the monotonic clock, the clock V8 stamps profile samples with): with
   * --profile, `cpu-profile.ts <profile> 30 <fromUs:toUs>` shows where a process spent that window.
   */
  window(label: string): () => void;
  /** Called at the end, in reverse order, even after a failure. */
  defer(fn: () => Promise<unknown>): void;
}

export const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);


export function databaseRegistry(adminUrl: string, runId: string) {
  const created = new Map<string, string>();
  return {
    async ensure(label: string): Promise<string> {
      const name = `bench_${runId}_${label}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
      if (!created.has(name)) {
        await ensureDatabase(adminUrl, name);
        created.set(name, databaseUrlFor(adminUrl, name));
      }
      return created.get(name)!;
    },
    async dropAll(): Promise<void> {
      for (const name of created.keys()) await dropDatabase(adminUrl, name).catch(() => undefined);
    },
  };
}

export function makeApi(urls: Partial<Record<ServiceName, string>>) {
  const tokens = new Map<string, Promise<string>>();
  const tokenOf = (p: Principal) => {
    const key = JSON.stringify(p);
    if (!tokens.has(key)) tokens.set(key, tokenFor(p));
    return tokens.get(key)!;
  };
  return async (service: ServiceName, method: string, path: string, body?: unknown, as: Principal | null = BENCH_ADMIN) => {
    const res = await fetch(`${urls[service]}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(as ? { authorization: `Bearer ${await tokenOf(as)}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}

export const BENCH_ADMIN: Principal = { userId: 'bench-admin', name: '压测管理员', role: 'admin', scope: { kind: 'platform', id: 'linli' } };

/** Resident set size of a process in MB, from /proc (Linux); null when it cannot be read. */
export function rssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

/** The Temporal server's pid, from the infrastructure's pid file. */
export function temporalServerPid(): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(infraSettings().paths.pidFiles.temporal, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `fn` over `items` with at most `concurrency` at once. */
export async function inParallel<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i]!, i);
    }),
  );
  return results;
}

export interface ScenarioResult {
  figures: Figure[];
  details: Record<string, unknown>;
}

export interface Scenario {
  /** For --only. */
  name: string;
  title: string;
  /** The scenario's figures that have targets, reported as not measured when it fails. */
  headline: Figure[];
  run(ctx: BenchContext): Promise<ScenarioResult>;
}

export interface Window {
  label: string;
  fromUs: number;
  toUs: number;
}

export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
