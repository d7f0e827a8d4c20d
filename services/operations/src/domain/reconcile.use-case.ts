import type { Logger } from '@linli/logger';
import { visibilityPrint } from './read-model';
import { refreshProject, type OperationsDeps } from './projects.use-cases';

const CHUNK = 200;
const CONCURRENCY = 4;

export interface ReconcileResult {
  seen: number;
  refreshed: number;
  unchanged: number;
  failed: number;
  durationMs: number;
}

/**
 * Backfills and repairs the read model from Temporal visibility: every lifecycle on the task queue is
 * listed (page by page); a row that is missing, or whose status/search attributes differ from what
 * visibility shows, is refreshed from the workflow's state. `full` refreshes every one (after a long
 * outage, or to pick up changes no search attribute shows). Events keep rows current between runs;
 * this catches what events missed.
 */
export async function reconcile(deps: OperationsDeps, opts: { full?: boolean; log?: Logger } = {}): Promise<ReconcileResult> {
  const started = Date.now();
  const result = { seen: 0, refreshed: 0, unchanged: 0, failed: 0 };
  let chunk: Awaited<ReturnType<typeof nextChunk>> = [];
  const iterator = deps.lifecycles.list();
  async function nextChunk() {
    const out = [];
    for (let i = 0; i < CHUNK; i++) {
      const next = await iterator.next();
      if (next.done) break;
      out.push(next.value);
    }
    return out;
  }
  while ((chunk = await nextChunk()).length > 0) {
    result.seen += chunk.length;
    const prints = await deps.uow.read.projects.prints(chunk.map((v) => v.projectId));
    const stale = opts.full ? chunk : chunk.filter((v) => prints.get(v.projectId) !== visibilityPrint(v));
    result.unchanged += chunk.length - stale.length;
    const queue = [...stale];
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
        for (let v = queue.shift(); v; v = queue.shift()) {
          const projectId = v.projectId;
          try {
            const now = (deps.now ?? (() => new Date()))();
            const done = await deps.uow.run((work) => refreshProject(work, deps.lifecycles, projectId, 'reconcile', now));
            if (done?.changed) result.refreshed++;
            else result.unchanged++;
          } catch (error) {
            result.failed++;
            opts.log?.warn({ err: error, projectId }, 'reconcile could not refresh a lifecycle');
          }
        }
      }),
    );
  }
  return { ...result, durationMs: Date.now() - started };
}

/** Runs reconcile at most once at a time: a second caller waits for (and gets) the run in progress. */
export function createReconciler(deps: OperationsDeps, log: Logger) {
  let running: Promise<ReconcileResult> | null = null;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const run = (full = false): Promise<ReconcileResult> => {
    if (running) return running;
    running = reconcile(deps, { full, log }).finally(() => {
      running = null;
    });
    return running;
  };
  return {
    run,
    /** Once now (unless atStart is false), then every intervalMs (0: no periodic runs). */
    start(intervalMs: number, atStart = true) {
      const tick = async () => {
        try {
          const r = await run();
          log.info(r, 'reconciled the read model with Temporal visibility');
        } catch (error) {
          log.warn({ err: error }, 'reconcile failed; will try again');
        }
        if (!stopped && intervalMs > 0) timer = setTimeout(() => void tick(), intervalMs);
      };
      if (atStart) void tick();
      else if (intervalMs > 0) timer = setTimeout(() => void tick(), intervalMs);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
