import { createHmac, timingSafeEqual } from 'node:crypto';
import { Principal } from '@linli/auth';
import { UnauthorizedError } from '@linli/http';

/**
 * A browser's EventSource cannot send an Authorization header, and a bearer token in a URL would end up
 * in logs and histories. So the console trades its token for a stream ticket: short-lived (default 60 s),
 * good only for GET /stream (its own key, derived from the service secret, so it is never a bearer token
 * for the API), stateless (any replica verifies it). The console fetches a new one for each reconnect.
 */
export const STREAM_TICKET_TTL_MS = 60_000;

const keyOf = (secret: string) => createHmac('sha256', secret).update('linli/operations/stream-ticket/v1').digest();

export function issueStreamTicket(principal: Principal, secret: string, now = Date.now(), ttlMs = STREAM_TICKET_TTL_MS): { ticket: string; expiresAt: string } {
  const expiresAt = now + ttlMs;
  const body = Buffer.from(JSON.stringify({ p: principal, exp: expiresAt })).toString('base64url');
  const mac = createHmac('sha256', keyOf(secret)).update(body).digest('base64url');
  return { ticket: `${body}.${mac}`, expiresAt: new Date(expiresAt).toISOString() };
}

export function verifyStreamTicket(ticket: string | undefined, secret: string, now = Date.now()): Principal {
  if (!ticket) throw new UnauthorizedError('缺少实时推送票据 (missing stream ticket: POST /stream/ticket first)');
  const [body, mac] = ticket.split('.');
  if (!body || !mac) throw new UnauthorizedError('实时推送票据无效 (invalid stream ticket)');
  const expected = createHmac('sha256', keyOf(secret)).update(body).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new UnauthorizedError('实时推送票据无效 (invalid stream ticket)');
  let payload: { p: unknown; exp: unknown };
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw new UnauthorizedError('实时推送票据无效 (invalid stream ticket)');
  }
  if (typeof payload.exp !== 'number' || payload.exp < now) throw new UnauthorizedError('实时推送票据已过期 (stream ticket expired)');
  const principal = Principal.safeParse(payload.p);
  if (!principal.success) throw new UnauthorizedError('实时推送票据无效 (invalid stream ticket)');
  return principal.data;
}
