import { EventEmitter } from 'node:events';
import { Client } from 'pg';
import type { ProjectChangeView } from '@linli/contracts';
import type { Logger } from '@linli/logger';
import type { OperationsTx } from './prisma';

/**
 * Read-model changes travel through PostgreSQL's LISTEN/NOTIFY: the writer notifies inside its own
 * transaction (so a rolled-back change is never announced, and a committed one always is), and every
 * replica of the service listens, so a browser's live stream sees changes whichever replica made them.
 */
export const CHANGE_CHANNEL = 'operations_read_model';

export async function notifyChange(tx: OperationsTx, change: ProjectChangeView): Promise<void> {
  await tx.$executeRaw`select pg_notify(${CHANGE_CHANNEL}, ${JSON.stringify(change)})`;
}

export interface ChangeListener {
  subscribe(fn: (change: ProjectChangeView) => void): () => void;
  stop(): Promise<void>;
  /** Resolves once LISTEN is in place (tests wait for it before making changes). */
  ready: Promise<void>;
}

/** One dedicated connection that LISTENs; reconnects with backoff when it drops. */
export function createChangeListener({ databaseUrl, log }: { databaseUrl: string; log: Logger }): ChangeListener {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let client: Client | null = null;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const connect = async (attempt: number): Promise<void> => {
    if (stopped) return;
    const c = new Client({ connectionString: databaseUrl });
    c.on('notification', (msg) => {
      if (msg.channel !== CHANGE_CHANNEL || !msg.payload) return;
      try {
        emitter.emit('change', JSON.parse(msg.payload) as ProjectChangeView);
      } catch (error) {
        log.warn({ err: error }, 'unreadable read-model notification');
      }
    });
    c.on('error', (error) => {
      log.warn({ err: error }, 'change listener connection failed; reconnecting');
      void c.end().catch(() => undefined);
      if (client === c) client = null;
      schedule(1);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANGE_CHANNEL}`);
      client = c;
      markReady();
    } catch (error) {
      log.warn({ err: error, attempt }, 'change listener could not connect; retrying');
      await c.end().catch(() => undefined);
      schedule(attempt + 1);
    }
  };
  const schedule = (attempt: number) => {
    if (stopped) return;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => void connect(attempt), Math.min(30_000, 250 * 2 ** attempt));
  };
  void connect(0);

  return {
    ready,
    subscribe(fn) {
      emitter.on('change', fn);
      return () => emitter.off('change', fn);
    },
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      emitter.removeAllListeners();
      await client?.end().catch(() => undefined);
      client = null;
    },
  };
}
