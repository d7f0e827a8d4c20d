import { z } from 'zod';
import { defineRoute, mapErrorToProblem } from '../src';
import { nulCharacterPaths } from '../src/define-route';
import { readJson, startTestApp } from './test-app';

// PostgreSQL text cannot hold U+0000: found by fuzzing (a fair titled "{8\u0000F…" was a 500). The edge
// refuses it for every route, naming each field, before any use case sees it.
describe('NUL characters in input', () => {
  it('when any string or key holds U+0000, then its path is reported', () => {
    expect(nulCharacterPaths({ title: 'a\u0000b', ok: 'fine', lines: [{ note: 'x' }, { note: '\u0000' }], ['k\u0000']: 1 }, 'body')).toEqual([
      'body.title',
      'body.lines[1].note',
      'body.k\\0',
    ]);
    expect(nulCharacterPaths({ a: [1, true, null, 'plain'] }, 'body')).toEqual([]);
  });

  it('when a request carries one, then 400 problem+json names the field and the handler never runs', async () => {
    let ran = false;
    const app = await startTestApp({
      routes: [
        defineRoute({
          method: 'post',
          path: '/fairs',
          operationId: 'createFair',
          summary: 'create',
          tags: [],
          auth: false,
          request: { body: z.object({ title: z.string() }), query: z.object({ tag: z.string().optional() }) },
          responses: { 204: { description: 'created' } },
          handler: async () => {
            ran = true;
            return { status: 204 };
          },
        }),
      ],
    });
    try {
      const res = await fetch(`${app.url}/fairs?tag=%00`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: '推介会\u0000' }) });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const problem = await readJson(res);
      expect(problem.errors.map((e: { path: string }) => e.path)).toEqual(['query.tag', 'body.title']);
      expect(ran).toBe(false);
    } finally {
      await app.close();
    }
  });
});

// Also found by fuzzing: `?round=29951107978` passed the schema and PostgreSQL refused it (integer out of
// range) — a 500. Whatever the schemas miss of that kind is the client's input: 400, never 500.
describe('values the database cannot store', () => {
  it('when PostgreSQL reports a data exception (SQLSTATE 22…), then 400; any other database error stays a 500', () => {
    const prismaError = (code: string, originalCode?: string) =>
      Object.assign(new Error('db'), { code, meta: originalCode ? { driverAdapterError: { cause: { originalCode } } } : {} });
    expect(mapErrorToProblem(prismaError('P2020', '22003'))).toMatchObject({ serverFault: false, problem: { status: 400, code: 'VALUE_NOT_STORABLE' } });
    expect(mapErrorToProblem(prismaError('P2039', '22021'))).toMatchObject({ serverFault: false, problem: { status: 400 } });
    expect(mapErrorToProblem(prismaError('P2020'))).toMatchObject({ problem: { status: 400 } });
    expect(mapErrorToProblem(prismaError('P1001', '08006'))).toMatchObject({ serverFault: true, problem: { status: 500 } });
  });
});
