import type {
  AuditEntryView,
  AuditVerificationView,
  OverviewView,
  ProjectDetailView,
  ProjectSummaryView,
  StalledItemView,
} from '@linli/contracts';

export type { AuditEntryView, AuditVerificationView, OverviewView, ProjectDetailView, ProjectSummaryView, StalledItemView };
export type Page<T> = { items: T[]; nextCursor: string | null };

export interface Session {
  token: string;
  principal: { userId: string; name?: string; role: string; scope: { kind: string; id: string } };
}

const SESSION_KEY = 'linli.ops.session';

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}
export function saveSession(session: Session | null): void {
  if (session) sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(SESSION_KEY);
  syncCodecSession(session);
}

/**
 * The Temporal UI decodes workflow data through this service's /codec (Data Encoder, "Include
 * cross-origin credentials"); over plain http it can only send a cookie, so an operator's or admin's
 * sign-in leaves one (HttpOnly, for /codec only) and signing out removes it. Best effort: the console
 * works without it.
 */
function syncCodecSession(session: Session | null): void {
  const canDecode = session && (session.principal.role === 'operator' || session.principal.role === 'admin');
  const request = canDecode
    ? fetch('/codec/session', { method: 'POST', headers: { authorization: `Bearer ${session.token}` } })
    : fetch('/codec/session', { method: 'DELETE' });
  request.catch(() => undefined);
}

/** A problem+json answer (or a network failure) as an Error the pages can show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const session = loadSession();
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: { 'content-type': 'application/json', ...(session ? { authorization: `Bearer ${session.token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(0, `无法连接运维服务 (service unreachable): ${(error as Error).message}`);
  }
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    if (res.status === 401) onUnauthorized();
    const problem = (data ?? {}) as { detail?: string; title?: string; errors?: { path: string; message: string }[] };
    throw new ApiError(res.status, problem.detail ?? problem.title ?? `HTTP ${res.status}`, problem.errors ?? []);
  }
  return data as T;
}

export async function devLogin(principal: Session['principal'] & { subDistrictId?: string }): Promise<Session> {
  const res = await api<{ token: string; principal: Session['principal'] }>('POST', '/auth/dev-login', principal);
  const session = { token: res.token, principal: res.principal };
  saveSession(session);
  return session;
}

export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '' && v !== false) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function yuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '—';
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}¥${Math.floor(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
}
