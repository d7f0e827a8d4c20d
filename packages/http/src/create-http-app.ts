import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express, type Request, type RequestHandler, type Response } from 'express';
import type { Registry } from 'prom-client';
import swaggerUi from 'swagger-ui-express';
import { scrubText, type Logger } from '@linli/logger';
import { parseRouteInput, sendRouteResult, type Route } from './define-route';
import { ForbiddenError } from './errors';
import { createHttpMetrics } from './http-metrics';
import { createRateLimiter } from './rate-limit';
import {
  createOpenApiRegistry,
  generateOpenApiDocument,
  type OpenAPIObject,
  type SecuritySchemes,
  type ServiceInfo,
} from './openapi-document';
import { PROBLEM_CONTENT_TYPE, mapErrorToProblem, problemOf, type Problem } from './problem-details';

export type ReadinessCheck = () => Promise<unknown>;

export interface CreateHttpAppOptions {
  service: ServiceInfo;
  logger: Logger;
  routes: Route[];
  /** Named checks run by /readyz (database ping, Kafka producer connected, ...). */
  readiness?: Record<string, ReadinessCheck>;
  /** Per readiness check; default 2000 ms. */
  readinessTimeoutMs?: number;
  /** Largest JSON body accepted; default '256kb'. */
  bodyLimit?: string | number;
  /** Middleware run after body parsing and before every route (not before /healthz, /metrics, ...). */
  beforeRoutes?: RequestHandler[];
  /**
   * Called before every guarded route (all but `auth: false`), before its input is parsed, with the route so
   * the hook can hold the caller's role against the route's `policy`; throw UnauthorizedError /
   * ForbiddenError to refuse.
   */
  authenticate?: (req: Request, res: Response, route: Route) => Promise<void> | void;
  openapi?: { securitySchemes?: SecuritySchemes };
}

export interface HttpApp {
  app: Express;
  /** This app's own metrics registry (served at /metrics). */
  registry: Registry;
  openapi: () => OpenAPIObject;
}

/** Set by startHttpServer when shutdown begins, so /readyz tells the load balancer to stop sending traffic. */
export const SHUTTING_DOWN = 'linliShuttingDown';

const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;
const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);
const DEFAULT_READINESS_TIMEOUT_MS = 2000;

interface RequestLocals {
  requestId: string;
  log: Logger;
  routeTemplate?: string;
}

function locals(res: Response): RequestLocals {
  return res.locals as RequestLocals;
}

export function createHttpApp(options: CreateHttpAppOptions): HttpApp {
  const { service, logger, routes } = options;
  assertRoutesAreUnique(routes);

  const app = express();
  app.disable('x-powered-by');
  app.locals[SHUTTING_DOWN] = false;

  const metrics = createHttpMetrics(service.name);
  const openapiRegistry = createOpenApiRegistry(routes, { securitySchemes: options.openapi?.securitySchemes });
  // Built eagerly: a schema that cannot be documented should fail at start-up (and in tests), not on first visit.
  const document = generateOpenApiDocument(openapiRegistry, service);

  const guarded = routes.filter((route) => route.auth).map((route) => route.operationId);
  if (guarded.length > 0 && !options.authenticate) {
    // Fail closed: a guarded route served without a check would be an open door.
    throw new Error(`routes need an authenticated caller but no authenticate hook is configured: ${guarded.join(', ')}`);
  }

  app.use(requestContext(logger, metrics));

  // Label every request with its route template before anything can fail (auth, body parsing), so metrics
  // and logs group by `/projects/:id` even for requests refused before reaching the handler.
  for (const route of routes) {
    app.route(route.path)[route.method]((_req, res, next) => {
      locals(res).routeTemplate = route.path;
      next('route');
    });
  }

  mountOperationalEndpoints(app, { ...options, metrics, document });

  app.use(express.json({ limit: options.bodyLimit ?? '256kb', type: ['application/json', 'application/*+json'] }));
  for (const middleware of options.beforeRoutes ?? []) app.use(middleware);

  for (const route of routes) {
    const limiter = route.rateLimit ? createRateLimiter(route.rateLimit) : undefined;
    const perMinute = route.rateLimit ? Math.round((route.rateLimit.limit * 60_000) / route.rateLimit.windowMs) : 0;
    app.route(route.path)[route.method](async (req: Request, res: Response) => {
      const { requestId, log } = locals(res);
      const ctx = { req, res, log, requestId };
      limiter?.hit(req.ip ?? req.socket.remoteAddress ?? 'unknown', (seconds) =>
        `请求过于频繁，请 ${seconds} 秒后再试 (too many attempts from this address: at most ${perMinute} a minute)`,
      );
      if (route.auth && options.authenticate) {
        try {
          await options.authenticate(req, res, route);
        } catch (error) {
          if (error instanceof ForbiddenError && route.onForbidden) await route.onForbidden(error, ctx);
          throw error;
        }
      }
      const input = parseRouteInput(route, req);
      const result = await route.handler(input, ctx);
      sendRouteResult(route, res, result);
    });
  }

  app.use((req: Request, res: Response) => {
    sendProblem(req, res, problemOf('routeNotFound', { detail: `no route for ${req.method} ${req.path}` }));
  });
  app.use(errorHandler(logger));

  return { app, registry: metrics.registry, openapi: () => document };
}

function assertRoutesAreUnique(routes: Route[]): void {
  const seen = new Set<string>();
  const operationIds = new Set<string>();
  for (const route of routes) {
    const key = `${route.method.toUpperCase()} ${route.path}`;
    if (seen.has(key)) throw new Error(`route ${key} is defined twice`);
    if (operationIds.has(route.operationId)) throw new Error(`operationId ${route.operationId} is used twice`);
    seen.add(key);
    operationIds.add(route.operationId);
  }
}

/** Request id, child logger, and one log line plus metrics per request (never bodies: they hold personal data). */
function requestContext(logger: Logger, metrics: ReturnType<typeof createHttpMetrics>): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', requestId);
    const log = logger.child({ reqId: requestId });
    Object.assign(res.locals, { requestId, log } satisfies RequestLocals);

    const startedAt = process.hrtime.bigint();
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      const route = locals(res).routeTemplate ?? 'unmatched';
      // A response the client walked away from never got a status; 499 is the usual name for that.
      const status = res.writableFinished ? res.statusCode : 499;
      metrics.observe({ method: req.method, route, status }, seconds);

      const line = {
        method: req.method,
        route,
        status,
        durationMs: Math.round(seconds * 1e5) / 100,
        ...(route === 'unmatched' ? { path: req.path } : {}),
      };
      if (status >= 500) log.error(line, 'request failed');
      else if (QUIET_ROUTES.has(route)) log.debug(line, 'request completed');
      else log.info(line, status === 499 ? 'request aborted by client' : 'request completed');
    };
    res.once('finish', record);
    res.once('close', record);
    next();
  };
}

function mountOperationalEndpoints(
  app: Express,
  options: CreateHttpAppOptions & { metrics: ReturnType<typeof createHttpMetrics>; document: OpenAPIObject },
): void {
  const labelled = (template: string, handler: RequestHandler): RequestHandler => (req, res, next) => {
    locals(res).routeTemplate = template;
    return handler(req, res, next);
  };

  // Alive: the process answers. Says nothing about dependencies, so an orchestrator never restarts a healthy
  // process because its database blinked.
  app.get('/healthz', labelled('/healthz', (_req, res) => {
    res.status(200).json({ status: 'ok' });
  }));

  app.get('/readyz', labelled('/readyz', async (req, res) => {
    if (app.locals[SHUTTING_DOWN]) {
      sendProblem(req, res, problemOf('notReady', { detail: 'shutting down' }));
      return;
    }
    const timeoutMs = options.readinessTimeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS;
    const results = await Promise.all(
      Object.entries(options.readiness ?? {}).map(([name, check]) => runReadinessCheck(name, check, timeoutMs)),
    );
    const checks = Object.fromEntries(results.map((result) => [result.name, result.ok ? 'ok' : 'failed']));
    const failed = results.filter((result) => !result.ok);
    if (failed.length === 0) {
      res.status(200).json({ status: 'ok', checks });
      return;
    }
    sendProblem(req, res, problemOf('notReady', {
      detail: `readiness checks failed: ${failed.map((result) => result.name).join(', ')}`,
      errors: failed.map((result) => ({ path: result.name, message: result.error ?? 'failed' })),
      details: { checks },
    }));
  }));

  app.get('/metrics', labelled('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', options.metrics.registry.contentType);
    res.send(await options.metrics.registry.metrics());
  }));

  app.get('/openapi.json', labelled('/openapi.json', (_req, res) => {
    res.json(options.document);
  }));

  // Swagger UI's page loads its assets relatively (./swagger-ui.css), which only resolves under /docs/.
  app.get('/docs', labelled('/docs', (req, res, next) => {
    if (req.originalUrl.split('?')[0]?.endsWith('/')) {
      next();
      return;
    }
    res.redirect(301, 'docs/');
  }));
  // Assets come from the swagger-ui-dist package, so the page works with no internet.
  app.use(
    '/docs',
    labelled('/docs', (_req, _res, next) => next()),
    ...swaggerUi.serveFiles(options.document),
    swaggerUi.setup(options.document, { customSiteTitle: `${options.service.title} API` }),
  );
}

async function runReadinessCheck(
  name: string,
  check: ReadinessCheck,
  timeoutMs: number,
): Promise<{ name: string; ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([Promise.resolve().then(check), timeout]);
    return { name, ok: true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { name, ok: false, error: scrubText(message) };
  } finally {
    clearTimeout(timer);
  }
}

export function sendProblem(req: Request, res: Response, problem: Problem, headers: Record<string, string> = {}): void {
  const body: Problem = {
    ...problem,
    instance: problem.instance ?? req.originalUrl.split('?')[0],
    requestId: locals(res).requestId,
  };
  res.status(body.status).set(headers).type(PROBLEM_CONTENT_TYPE).json(body);
}

function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    const log = locals(res).log ?? logger;
    if (res.headersSent) {
      // Too late to answer with a problem; Express will cut the connection.
      log.error({ err: error }, 'error after the response had started');
      next(error);
      return;
    }
    const { problem, headers, serverFault } = mapErrorToProblem(error);
    if (serverFault) log.error({ err: error }, 'unexpected error while handling request');
    else log.debug({ problemType: problem.type, status: problem.status, detail: problem.detail }, 'request refused');
    sendProblem(req, res, problem, headers);
  };
}
