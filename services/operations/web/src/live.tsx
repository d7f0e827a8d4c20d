import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api } from './api';

export interface ProjectChange {
  projectId: string;
  title: string;
  stage: string;
  stageLabel: string;
  waitingOn: string | null;
  needsAttention: boolean;
  parked: boolean;
  overdue: boolean;
  currentDetails: string;
  updatedAt: string;
  cause: string;
}

type Listener = (change: ProjectChange) => void;

/** Sent to listeners after a reconnect: "anything may have changed". */
export const RESYNC: ProjectChange = {
  projectId: '*',
  title: '',
  stage: '',
  stageLabel: '',
  waitingOn: null,
  needsAttention: false,
  parked: false,
  overdue: false,
  currentDetails: '',
  updatedAt: '',
  cause: 'resync',
};
type Status = 'connecting' | 'live' | 'reconnecting';

interface Live {
  status: Status;
  lastBeat: string | null;
  subscribe(fn: Listener): () => void;
}

const Ctx = createContext<Live | null>(null);

/**
 * One EventSource per tab on GET /stream. EventSource cannot send the bearer token, so each connection
 * first trades it for a short-lived stream ticket (POST /stream/ticket); when the connection drops, a new
 * ticket is fetched and the stream reopened (the browser's own retry would reuse an expired ticket).
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const listeners = useRef(new Set<Listener>());
  const [status, setStatus] = useState<Status>('connecting');
  const [lastBeat, setLastBeat] = useState<string | null>(null);

  useEffect(() => {
    let source: EventSource | null = null;
    let stopped = false;
    let timer: number | undefined;
    let attempt = 0;
    let connectedBefore = false;
    const open = async () => {
      if (stopped) return;
      try {
        const { url } = await api<{ url: string }>('POST', '/stream/ticket');
        if (stopped) return;
        source = new EventSource(url);
        source.addEventListener('ready', () => {
          attempt = 0;
          setStatus('live');
          // Changes made while we were disconnected were not pushed to us: every page refetches once.
          if (connectedBefore) for (const fn of listeners.current) fn(RESYNC);
          connectedBefore = true;
        });
        source.addEventListener('heartbeat', (e) => setLastBeat(JSON.parse((e as MessageEvent).data).at));
        source.addEventListener('project', (e) => {
          const change = JSON.parse((e as MessageEvent).data) as ProjectChange;
          for (const fn of listeners.current) fn(change);
        });
        source.onerror = () => {
          source?.close();
          source = null;
          setStatus('reconnecting');
          retry();
        };
      } catch {
        setStatus('reconnecting');
        retry();
      }
    };
    const retry = () => {
      if (stopped) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(() => void open(), Math.min(15_000, 500 * 2 ** attempt++));
    };
    void open();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      source?.close();
    };
  }, []);

  // Stable across renders (heartbeats re-render this provider): subscribers must not resubscribe, or a
  // change waiting in their debounce would be dropped.
  const subscribe = useCallback((fn: Listener) => {
    listeners.current.add(fn);
    return () => {
      listeners.current.delete(fn);
    };
  }, []);
  const value = useMemo<Live>(() => ({ status, lastBeat, subscribe }), [status, lastBeat, subscribe]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useLive(): Live {
  const v = useContext(Ctx);
  if (!v) throw new Error('LiveProvider missing');
  return v;
}

/** Calls `onChange` for every change (optionally only one project's), debounced so a burst refetches once. */
export function useLiveRefresh(onChange: (changes: ProjectChange[]) => void, filter?: (c: ProjectChange) => boolean, delayMs = 300): void {
  const { subscribe } = useLive();
  const handler = useRef(onChange);
  handler.current = onChange;
  const filterRef = useRef(filter);
  filterRef.current = filter;
  useEffect(() => {
    let pending: ProjectChange[] = [];
    let timer: number | undefined;
    const off = subscribe((c) => {
      if (c !== RESYNC && filterRef.current && !filterRef.current(c)) return;
      pending.push(c);
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        const batch = pending;
        pending = [];
        handler.current(batch);
      }, delayMs);
    });
    return () => {
      off();
      window.clearTimeout(timer);
    };
  }, [subscribe, delayMs]);
}
