import { decide, principalOf, type Principal } from '@linli/auth';
import { ProjectChangeView, StreamTicketView } from '@linli/contracts';
import { ForbiddenError, defineRoute, type Request, type Response } from '@linli/http';
// Not re-exported by @linli/http's index (yet): the flag startHttpServer sets when shutdown begins.
import { SHUTTING_DOWN } from '@linli/http/src/create-http-app';
import type { Logger } from '@linli/logger';
import { z } from 'zod';
import type { ChangeListener } from '../../data-access/change-feed';
import { ownScopeResource, visibleScopeOf } from '../../domain/access-scope';
import { issueStreamTicket, verifyStreamTicket } from '../../domain/stream-ticket';

const tags = ['实时推送 Live'];

export interface StreamOptions {
  secret: string;
  heartbeatMs: number;
  changes: ChangeListener;
  /** Agency of a project (for supervisors' streams). */
  supervisorOf: (projectId: string) => Promise<string | null>;
  log: Logger;
}

async function visibleTo(principal: Principal, change: ProjectChangeView, supervisorOf: StreamOptions['supervisorOf']): Promise<boolean> {
  const scope = visibleScopeOf(principal);
  switch (scope.kind) {
    case 'all':
      return true;
    case 'subDistrict':
      return change.subDistrictId === scope.id;
    case 'community':
      return change.communityId === scope.id;
    case 'organization':
      return change.organizationId === scope.id;
    case 'agency':
      return (await supervisorOf(change.projectId)) === scope.id;
  }
}

/**
 * GET /stream as plain Express middleware (a route handler answers once; a stream never does). Server-Sent
 * Events: `ready` once, `project` whenever a visible read-model row changes, `heartbeat` every
 * heartbeatMs so proxies keep the connection and the console knows it is live. Streams end when the
 * service starts shutting down, so the drain does not wait for them.
 */
export function streamMiddleware(opts: StreamOptions) {
  const open = new Set<Response>();
  const watcher = setInterval(() => {
    for (const res of open) if (res.app.locals[SHUTTING_DOWN]) res.end();
  }, 200);
  watcher.unref();

  const middleware = async (req: Request, res: Response, next: (err?: unknown) => void) => {
    if (req.method !== 'GET' || req.path !== '/stream') return next();
    let principal: Principal;
    try {
      principal = verifyStreamTicket(typeof req.query.ticket === 'string' ? req.query.ticket : undefined, opts.secret);
      const d = decide(principal, 'lifecycle.read', ownScopeResource(principal));
      if (!d.allowed) throw new ForbiddenError(d.reason);
    } catch (error) {
      return next(error);
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    res.write('retry: 3000\n\n');
    send('ready', { at: new Date().toISOString(), userId: principal.userId });
    open.add(res);
    const unsubscribe = opts.changes.subscribe((change) => {
      void visibleTo(principal, change, opts.supervisorOf)
        .then((ok) => {
          if (ok && !res.writableEnded) send('project', change);
        })
        .catch((error: unknown) => opts.log.warn({ err: error }, 'could not check a change against a stream scope'));
    });
    const heartbeat = setInterval(() => send('heartbeat', { at: new Date().toISOString() }), opts.heartbeatMs);
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(res);
    };
    req.on('close', close);
    res.on('close', close);
  };
  return {
    middleware,
    closeAll() {
      clearInterval(watcher);
      for (const res of open) res.end();
    },
  };
}

export function streamRoutes(opts: Pick<StreamOptions, 'secret'>) {
  return [
    defineRoute({
      method: 'post',
      path: '/stream/ticket',
      operationId: 'issueStreamTicket',
      policy: 'lifecycle.read',
      summary: '实时推送票据：用令牌换取 60 秒有效、只能用于 GET /stream 的票据 (stream ticket for EventSource)',
      tags,
      responses: { 201: { description: '票据', schema: StreamTicketView } },
      handler: async (_input, { res }) => {
        const principal = principalOf(res);
        const d = decide(principal, 'lifecycle.read', ownScopeResource(principal));
        if (!d.allowed) throw new ForbiddenError(d.reason);
        const { ticket, expiresAt } = issueStreamTicket(principal, opts.secret);
        return { status: 201, body: { ticket, expiresAt, url: `/stream?ticket=${encodeURIComponent(ticket)}` } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/stream',
      operationId: 'stream',
      summary: '实时推送（Server-Sent Events）：读模型每次变化推送 project 事件，另有 heartbeat (live read-model changes)',
      description: '用 ?ticket=（POST /stream/ticket 取得）认证，因为浏览器的 EventSource 不能带 Authorization 头。事件：ready、project（ProjectChangeView）、heartbeat。',
      tags,
      auth: false,
      request: { query: z.object({ ticket: z.string().min(1) }) },
      responses: { 200: { description: 'text/event-stream' } },
      // Served by streamMiddleware (mounted before the routes); this declaration documents it.
      handler: async () => {
        throw new Error('GET /stream is served by the stream middleware');
      },
    }),
  ];
}
