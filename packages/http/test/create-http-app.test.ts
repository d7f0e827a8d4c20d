import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  createHttpApp,
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  Page,
  TooManyRequestsError,
  UnauthorizedError,
  ValidationError,
  defineRoute,
  paginationQuery,
  type Route,
} from '../src';
import { capturedLogger, readJson, startTestApp, type TestApp } from './test-app';

const ProjectIdParams = z.object({ id: z.uuid() });
const ProjectView = z.object({ id: z.uuid(), name: z.string() });

const BudgetBody = z.object({
  name: z.string().min(1),
  budget: z.object({
    lines: z.array(z.object({ item: z.string(), unitPrice: z.number().int().nonnegative() })),
  }),
});

/** Internal fields the database has but the public schema does not name. */
const storedProject = (id: string) => ({ id, name: '长者助餐', internalNote: 'do not leak', reviewerPhone: '13812341234' });

function throwing(kind: string): never {
  switch (kind) {
    case 'validation':
      throw new ValidationError('budget does not add up', [{ path: 'budget.total', message: 'must equal the sum of lines' }]);
    case 'not-found':
      throw new NotFoundError('Project', 'p-404');
    case 'conflict':
      throw new ConflictError('proposal already submitted', { proposalId: 'pr-1' });
    case 'unauthorized':
      throw new UnauthorizedError();
    case 'forbidden':
      throw new ForbiddenError('only the sub-district may approve');
    case 'too-many':
      throw new TooManyRequestsError('slow down', 30);
    case 'domain':
      throw new DomainError('FAIR_CLOSED', 'the fair has closed');
    case 'prisma-unique':
      throw Object.assign(new Error('Unique constraint failed on the fields: (`name`)'), { code: 'P2002', meta: { target: ['name'] } });
    case 'zod':
      z.object({ amountFen: z.number().int() }).parse({ amountFen: 1.5 });
      throw new Error('unreachable');
    default:
      throw new Error(`database password is hunter2 (${kind})`);
  }
}

const routes: Route[] = [
  defineRoute({
    method: 'post',
    path: '/projects/:id/budgets',
    operationId: 'submitBudget',
    summary: 'submit a budget',
    tags: ['projects'],
    request: {
      params: ProjectIdParams,
      query: z.object({ limit: z.coerce.number().int().max(10), mode: z.enum(['draft', 'final']).default('draft') }),
      body: BudgetBody,
    },
    responses: { 201: { description: 'accepted', schema: z.object({ lines: z.number(), mode: z.string() }) } },
    handler: async ({ body, query }) => ({ status: 201, body: { lines: body.budget.lines.length, mode: query.mode } }),
  }),
  defineRoute({
    method: 'get',
    path: '/projects/:id',
    operationId: 'getProject',
    summary: 'get a project',
    tags: ['projects'],
    request: { params: ProjectIdParams },
    responses: { 200: { description: 'the project', schema: ProjectView } },
    handler: async ({ params }) => ({ status: 200, body: storedProject(params.id), headers: { 'cache-control': 'no-store' } }),
  }),
  defineRoute({
    method: 'get',
    path: '/projects',
    operationId: 'listProjects',
    summary: 'list projects',
    tags: ['projects'],
    request: { query: paginationQuery },
    responses: { 200: { description: 'a page', schema: Page(ProjectView) } },
    handler: async ({ query }) => ({
      status: 200,
      body: { items: [storedProject(randomUUID())], nextCursor: query.limit === 20 ? 'next' : null },
    }),
  }),
  defineRoute({
    method: 'delete',
    path: '/projects/:id',
    operationId: 'deleteProject',
    summary: 'delete a project',
    tags: ['projects'],
    request: { params: ProjectIdParams },
    responses: { 204: { description: 'gone' } },
    handler: async () => ({ status: 204 }),
  }),
  defineRoute({
    method: 'get',
    path: '/errors/:kind',
    operationId: 'throwError',
    summary: 'throws the named error',
    tags: ['test'],
    responses: { 200: { description: 'never' } },
    handler: async ({ params }) => throwing(params.kind ?? ''),
  }),
  defineRoute({
    method: 'get',
    path: '/broken/contract',
    operationId: 'brokenContract',
    summary: 'answers with a body that does not fit its schema',
    tags: ['test'],
    responses: { 200: { description: 'ok', schema: ProjectView } },
    handler: async () => ({ status: 200, body: { id: 'not-a-uuid', name: 'x' } }),
  }),
  defineRoute({
    method: 'post',
    path: '/echo',
    operationId: 'echo',
    summary: 'echoes text',
    tags: ['test'],
    request: { body: z.object({ text: z.string() }) },
    responses: { 200: { description: 'echo', schema: z.object({ text: z.string() }) } },
    handler: async ({ body }) => ({ status: 200, body }),
  }),
];

describe('createHttpApp', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ routes, bodyLimit: '1kb' });
  });
  afterAll(async () => {
    await app.close();
  });

  describe('request validation', () => {
    it('when params, query and body are all invalid, then one 400 problem names every failing field with its part prefix', async () => {
      const response = await fetch(`${app.url}/projects/not-a-uuid/budgets?limit=abc`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: '', budget: { lines: [{ item: 'a', unitPrice: 1 }, { item: 'b', unitPrice: 2 }, { item: 'c', unitPrice: -5 }] } }),
      });

      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = await readJson(response);
      expect(problem).toMatchObject({
        type: 'urn:linli:problem:invalid-request',
        title: '请求参数无效 (Invalid request)',
        status: 400,
        instance: '/projects/not-a-uuid/budgets',
        requestId: response.headers.get('x-request-id'),
      });
      expect(problem.errors.map((error: { path: string }) => error.path).sort()).toEqual(
        ['body.budget.lines[2].unitPrice', 'body.name', 'params.id', 'query.limit'].sort(),
      );
      for (const error of problem.errors) expect(error.message).toEqual(expect.any(String));
    });

    it('when the body is missing entirely, then the problem names `body`', async () => {
      const response = await fetch(`${app.url}/projects/${randomUUID()}/budgets?limit=1`, { method: 'POST' });
      expect(response.status).toBe(400);
      const problem = await readJson(response);
      expect(problem.errors).toEqual([expect.objectContaining({ path: 'body' })]);
    });

    it('when everything is valid, then the handler gets parsed values (coerced query, defaults applied)', async () => {
      const response = await fetch(`${app.url}/projects/${randomUUID()}/budgets?limit=3`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x', budget: { lines: [{ item: 'a', unitPrice: 100 }] } }),
      });
      expect(response.status).toBe(201);
      expect(await readJson(response)).toEqual({ lines: 1, mode: 'draft' });
    });

    it('when listing with paginationQuery, then limit defaults to 20 and out-of-range limits are refused', async () => {
      const firstPage = await fetch(`${app.url}/projects`);
      expect(firstPage.status).toBe(200);
      expect(await readJson(firstPage)).toMatchObject({ nextCursor: 'next' });

      const tooMany = await fetch(`${app.url}/projects?limit=101`);
      expect(tooMany.status).toBe(400);
      expect((await readJson(tooMany)).errors[0].path).toBe('query.limit');
    });
  });

  describe('responses', () => {
    it('when the handler returns internal fields, then only the public schema fields are sent, with its headers', async () => {
      const id = randomUUID();
      const response = await fetch(`${app.url}/projects/${id}`);

      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await readJson(response)).toEqual({ id, name: '长者助餐' });
    });

    it('when a list page carries internal fields, then each item is stripped too', async () => {
      const response = await fetch(`${app.url}/projects?limit=5`);
      const page = await readJson(response);
      expect(Object.keys(page.items[0]).sort()).toEqual(['id', 'name']);
      expect(page.nextCursor).toBeNull();
    });

    it('when a response declares no schema, then it is sent without a body', async () => {
      const response = await fetch(`${app.url}/projects/${randomUUID()}`, { method: 'DELETE' });
      expect(response.status).toBe(204);
      expect(await response.text()).toBe('');
    });

    it('when the handler answers with a body that breaks its own response schema, then it is a 500, not a 400', async () => {
      const response = await fetch(`${app.url}/broken/contract`);
      expect(response.status).toBe(500);
      expect((await readJson(response)).type).toBe('urn:linli:problem:internal');
    });
  });

  describe('error mapping', () => {
    it.each([
      ['validation', 400, 'urn:linli:problem:invalid-request'],
      ['zod', 400, 'urn:linli:problem:invalid-request'],
      ['not-found', 404, 'urn:linli:problem:not-found'],
      ['conflict', 409, 'urn:linli:problem:conflict'],
      ['prisma-unique', 409, 'urn:linli:problem:conflict'],
      ['unauthorized', 401, 'urn:linli:problem:unauthorized'],
      ['forbidden', 403, 'urn:linli:problem:forbidden'],
      ['too-many', 429, 'urn:linli:problem:too-many-requests'],
      ['domain', 422, 'urn:linli:problem:business-rule'],
      ['unexpected', 500, 'urn:linli:problem:internal'],
    ])('when a handler throws %s, then the answer is %i problem+json', async (kind, status, type) => {
      const response = await fetch(`${app.url}/errors/${kind}`);

      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = await readJson(response);
      expect(problem).toMatchObject({ type, status, instance: `/errors/${kind}`, requestId: expect.any(String) });
      expect(problem.title).toEqual(expect.any(String));
    });

    it('when a domain error carries fields, details or a retry delay, then the problem carries them', async () => {
      const validation = await readJson(await fetch(`${app.url}/errors/validation`));
      expect(validation.errors).toEqual([{ path: 'budget.total', message: 'must equal the sum of lines' }]);
      expect(validation.code).toBe('VALIDATION_FAILED');

      const zod = await readJson(await fetch(`${app.url}/errors/zod`));
      expect(zod.errors.map((error: { path: string }) => error.path)).toEqual(['amountFen']);

      const notFound = await readJson(await fetch(`${app.url}/errors/not-found`));
      expect(notFound.detail).toBe('Project p-404 not found');

      const conflict = await readJson(await fetch(`${app.url}/errors/conflict`));
      expect(conflict).toMatchObject({ detail: 'proposal already submitted', details: { proposalId: 'pr-1' } });

      const unique = await readJson(await fetch(`${app.url}/errors/prisma-unique`));
      expect(unique.detail).toBe('a record with the same name already exists');

      const unauthorized = await fetch(`${app.url}/errors/unauthorized`);
      expect(unauthorized.headers.get('www-authenticate')).toBe('Bearer');

      const tooMany = await fetch(`${app.url}/errors/too-many`);
      expect(tooMany.headers.get('retry-after')).toBe('30');
    });

    it('when an unexpected error happens, then its message stays out of the answer but is logged with its stack and reqId', async () => {
      const response = await fetch(`${app.url}/errors/boom`);
      const text = await response.text();

      expect(text).not.toContain('hunter2');
      const reqId = response.headers.get('x-request-id');
      const logged = app.logs.lines().find((line) => line.reqId === reqId && line.msg === 'unexpected error while handling request');
      expect(logged).toBeDefined();
      const err = logged?.err as { message: string; stack: string };
      expect(err.message).toContain('hunter2');
      expect(err.stack).toContain('throwing');
    });

    it('when no route matches, then the answer is a 404 problem', async () => {
      const response = await fetch(`${app.url}/no/such/thing`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await readJson(response)).toMatchObject({ type: 'urn:linli:problem:route-not-found', status: 404 });
    });

    it('when the body is bigger than the limit, then the answer is a 413 problem', async () => {
      const response = await fetch(`${app.url}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'x'.repeat(5000) }),
      });
      expect(response.status).toBe(413);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await readJson(response)).toMatchObject({ type: 'urn:linli:problem:payload-too-large', status: 413 });
    });

    it('when the body is not valid JSON, then the answer is a 400 problem', async () => {
      const response = await fetch(`${app.url}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"text": "unterminated',
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await readJson(response)).toMatchObject({ type: 'urn:linli:problem:malformed-json', status: 400 });
    });
  });

  describe('request ids and request logs', () => {
    it('when the client sends a sane x-request-id, then it is echoed and used in the log line', async () => {
      const response = await fetch(`${app.url}/projects/${randomUUID()}`, { headers: { 'x-request-id': 'gateway-abc_123.4' } });
      expect(response.headers.get('x-request-id')).toBe('gateway-abc_123.4');
      expect(app.logs.lines().some((line) => line.reqId === 'gateway-abc_123.4' && line.msg === 'request completed')).toBe(true);
    });

    it.each([['has spaces in it'], ['x'.repeat(101)], ['semi;colon']])(
      'when the incoming x-request-id is %p, then a fresh uuid replaces it',
      async (incoming) => {
        const response = await fetch(`${app.url}/healthz`, { headers: { 'x-request-id': incoming } });
        const id = response.headers.get('x-request-id');
        expect(id).not.toBe(incoming);
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      },
    );

    it('when a request completes, then exactly one line logs method, route template, status, duration and reqId — never the body', async () => {
      const id = randomUUID();
      const response = await fetch(`${app.url}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': `log-test-${id}` },
        body: JSON.stringify({ text: 'S3CRET-BODY-CONTENT' }),
      });
      expect(response.status).toBe(200);

      const lines = app.logs.lines().filter((line) => line.reqId === `log-test-${id}`);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ method: 'POST', route: '/echo', status: 200, msg: 'request completed', service: 'http-test' });
      expect(lines[0]?.durationMs).toEqual(expect.any(Number));
      expect(app.logs.text()).not.toContain('S3CRET-BODY-CONTENT');
    });
  });

  describe('operational endpoints', () => {
    it('when /healthz is called, then it answers 200 {status: ok}', async () => {
      const response = await fetch(`${app.url}/healthz`);
      expect(response.status).toBe(200);
      expect(await readJson(response)).toEqual({ status: 'ok' });
    });

    it('when /metrics is scraped, then the duration histogram is labelled with the route template, not the raw URL', async () => {
      const id = randomUUID();
      await fetch(`${app.url}/projects/${id}`);
      await fetch(`${app.url}/no/such/thing`);

      const response = await fetch(`${app.url}/metrics`);
      const text = await response.text();
      expect(response.status).toBe(200);
      expect(text).toMatch(/http_request_duration_seconds_bucket\{[^}]*method="GET"[^}]*route="\/projects\/:id"[^}]*status="200"/);
      expect(text).toMatch(/http_requests_total\{[^}]*route="\/projects\/:id"[^}]*\} \d+/);
      expect(text).toMatch(/http_requests_total\{[^}]*route="unmatched"[^}]*status="404"/);
      expect(text).toContain('process_cpu_user_seconds_total');
      expect(text).not.toContain(id);
    });

    it('when a request is refused before its handler (bad JSON), then metrics still use its route template', async () => {
      await fetch(`${app.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
      const text = await (await fetch(`${app.url}/metrics`)).text();
      expect(text).toMatch(/http_requests_total\{[^}]*method="POST"[^}]*route="\/echo"[^}]*status="400"/);
    });

    it('when /openapi.json is fetched, then it is OpenAPI 3.1 with {id} paths, request schemas and problem responses', async () => {
      const response = await fetch(`${app.url}/openapi.json`);
      const doc = await readJson(response);

      expect(doc.openapi).toBe('3.1.0');
      expect(doc.info).toEqual({ title: 'Test service', version: '1.2.3', description: 'for tests' });
      const submit = doc.paths['/projects/{id}/budgets'].post;
      expect(submit.operationId).toBe('submitBudget');
      expect(submit.parameters).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ in: 'path', name: 'id', required: true }),
          expect.objectContaining({ in: 'query', name: 'limit' }),
        ]),
      );
      const bodySchema = submit.requestBody.content['application/json'].schema;
      expect(Object.keys(bodySchema.properties).sort()).toEqual(['budget', 'name']);
      expect(bodySchema.properties.budget.properties.lines.items.properties.unitPrice).toMatchObject({ type: 'integer', minimum: 0 });
      expect(submit.responses['201'].content['application/json'].schema.properties).toHaveProperty('lines');
      expect(submit.responses['400'].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
      expect(submit.responses['413']).toBeDefined();
      expect(doc.paths['/projects/{id}'].get.responses['404']).toBeDefined();
      expect(doc.paths['/errors/{kind}'].get.parameters).toEqual([expect.objectContaining({ in: 'path', name: 'kind' })]);
      expect(doc.components.schemas.Problem.properties).toHaveProperty('errors');
      expect(JSON.stringify(doc)).not.toContain('/projects/:id');
    });

    it('when /docs is opened, then Swagger UI is served from the package (no CDN) with this service\'s document', async () => {
      const page = await fetch(`${app.url}/docs`);
      expect(page.status).toBe(200);
      expect(page.url).toBe(`${app.url}/docs/`);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toContain('swagger-ui');
      expect(html).not.toMatch(/https?:\/\/(cdn|unpkg|cdnjs)/);

      const init = await (await fetch(`${app.url}/docs/swagger-ui-init.js`)).text();
      expect(init).toContain('submitBudget');
      const bundle = await fetch(`${app.url}/docs/swagger-ui-bundle.js`);
      expect(bundle.status).toBe(200);
      await bundle.arrayBuffer();
    });
  });
});

describe('createHttpApp readiness', () => {
  it('when every check passes, then /readyz answers 200 listing each check as ok', async () => {
    const app = await startTestApp({
      routes: [],
      readiness: { database: async () => 'pong', broker: async () => undefined },
    });
    try {
      const response = await fetch(`${app.url}/readyz`);
      expect(response.status).toBe(200);
      expect(await readJson(response)).toEqual({ status: 'ok', checks: { database: 'ok', broker: 'ok' } });
    } finally {
      await app.close();
    }
  });

  it('when a check fails or hangs past the 2 s timeout, then /readyz answers a 503 problem naming each failed check and why', async () => {
    const app = await startTestApp({
      routes: [],
      readiness: {
        database: async () => 'pong',
        broker: async () => {
          throw new Error('broker unreachable at 127.0.0.1:9092');
        },
        temporal: () => new Promise(() => undefined),
      },
    });
    try {
      const startedAt = Date.now();
      const response = await fetch(`${app.url}/readyz`);
      const elapsed = Date.now() - startedAt;

      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = await readJson(response);
      expect(problem).toMatchObject({ type: 'urn:linli:problem:not-ready', status: 503 });
      expect(problem.detail).toBe('readiness checks failed: broker, temporal');
      expect(problem.errors).toEqual([
        { path: 'broker', message: 'broker unreachable at 127.0.0.1:9092' },
        { path: 'temporal', message: 'timed out after 2000 ms' },
      ]);
      expect(problem.details.checks).toEqual({ database: 'ok', broker: 'failed', temporal: 'failed' });
      expect(elapsed).toBeGreaterThanOrEqual(1900);
      expect(elapsed).toBeLessThan(4000);
    } finally {
      await app.close();
    }
  });

  it('when two apps live in one process, then each has its own metrics registry', async () => {
    const first = await startTestApp({ routes: [] });
    const second = await startTestApp({ routes: [] });
    try {
      await fetch(`${first.url}/healthz`);
      await fetch(`${first.url}/healthz`);
      const secondMetrics = await (await fetch(`${second.url}/metrics`)).text();
      expect(secondMetrics).not.toMatch(/http_requests_total\{[^}]*route="\/healthz"/);
      const firstMetrics = await (await fetch(`${first.url}/metrics`)).text();
      expect(firstMetrics).toMatch(/http_requests_total\{[^}]*route="\/healthz"[^}]*\} 2/);
    } finally {
      await first.close();
      await second.close();
    }
  });
});

describe('createHttpApp auth hook', () => {
  it('when a route declares auth and the hook refuses, then the answer is 401 and the route is documented as secured', async () => {
    const app = await startTestApp({
      routes: [
        defineRoute({
          method: 'get',
          path: '/me',
          operationId: 'me',
          summary: 'who am I',
          tags: ['auth'],
          auth: true,
          responses: { 200: { description: 'me', schema: z.object({ user: z.string() }) } },
          handler: async (_input, { req }) => ({ status: 200, body: { user: String(req.headers['x-user']) } }),
        }),
      ],
      authenticate: (req) => {
        if (!req.headers['x-user']) throw new UnauthorizedError('token missing');
      },
    });
    try {
      expect((await fetch(`${app.url}/me`)).status).toBe(401);
      const ok = await fetch(`${app.url}/me`, { headers: { 'x-user': 'u1' } });
      expect(await readJson(ok)).toEqual({ user: 'u1' });

      const doc = app.http.openapi();
      expect(doc.paths?.['/me']?.get?.security).toEqual([{ bearerAuth: [] }]);
      expect(doc.components?.securitySchemes).toHaveProperty('bearerAuth');
      expect(doc.paths?.['/me']?.get?.responses).toHaveProperty('403');
    } finally {
      await app.close();
    }
  });
});

describe('createHttpApp secure by default', () => {
  const route = (auth?: boolean) =>
    defineRoute({
      method: 'get',
      path: '/thing',
      operationId: 'thing',
      summary: 'thing',
      tags: [],
      ...(auth === undefined ? {} : { auth }),
      responses: { 204: { description: 'none' } },
      handler: async () => ({ status: 204 }),
    });

  it('when a route says nothing about auth, then it is guarded by the hook', async () => {
    const app = await startTestApp({
      routes: [route()],
      authenticate: () => {
        throw new UnauthorizedError('no token');
      },
    });
    try {
      expect((await fetch(`${app.url}/thing`)).status).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('when guarded routes exist but no authenticate hook is configured, then the app refuses to start', () => {
    expect(() => createHttpApp({ service: { name: 't', title: 't', version: '1' }, logger: capturedLogger().logger, routes: [route()] })).toThrow(
      'no authenticate hook',
    );
  });

  it('when a route is declared auth: false, then it needs no hook', async () => {
    const app = await startTestApp({ routes: [route(false)], authenticate: undefined });
    try {
      expect((await fetch(`${app.url}/thing`)).status).toBe(204);
    } finally {
      await app.close();
    }
  });
});

describe('createHttpApp route table', () => {
  it('when two routes share a method and path, then the app refuses to start', async () => {
    const route = defineRoute({
      method: 'get',
      path: '/a',
      operationId: 'a',
      summary: 'a',
      tags: [],
      responses: { 204: { description: 'none' } },
      handler: async () => ({ status: 204 }),
    });
    await expect(startTestApp({ routes: [route, { ...route, operationId: 'b' }] })).rejects.toThrow('GET /a is defined twice');
  });
});
