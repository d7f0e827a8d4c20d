import { z } from 'zod';
import { ForbiddenError, defineRoute } from '../src';
import { readJson, startTestApp } from './test-app';

// The http package only carries a route's policy to the authenticate hook and into the API document;
// @linli/auth decides. Here a stand-in hook refuses whoever sends `x-role: guest`.
describe('route policy', () => {
  const refused: Array<{ reason: string; id: string }> = [];
  const route = defineRoute({
    method: 'post',
    path: '/things/:id',
    operationId: 'touchThing',
    summary: 'touch a thing',
    tags: [],
    policy: ['proposal.write', 'proposal.subdistrict.write'],
    onForbidden: async (refusal, { req }) => {
      refused.push({ reason: refusal.reason, id: String(req.params.id) });
    },
    request: { params: z.object({ id: z.uuid() }), body: z.object({ how: z.string() }) },
    responses: { 204: { description: 'touched' } },
    handler: async () => ({ status: 204 }),
  });
  const seen: unknown[] = [];

  it('when the hook refuses a role, then 403 comes before the input is parsed, and onForbidden hears of it', async () => {
    const app = await startTestApp({
      routes: [route],
      authenticate: (req, _res, r) => {
        seen.push(r.policy);
        if (req.headers['x-role'] === 'guest') throw new ForbiddenError('访客无权触碰');
      },
    });
    try {
      // A body that would be a 400 is still a 403 for a refused role: refusals reveal nothing about the input.
      const guest = await fetch(`${app.url}/things/not-a-uuid`, { method: 'POST', headers: { 'x-role': 'guest', 'content-type': 'application/json' }, body: '{}' });
      expect(guest.status).toBe(403);
      expect((await readJson(guest)).detail).toBe('访客无权触碰');
      expect(refused).toEqual([{ reason: '访客无权触碰', id: 'not-a-uuid' }]);
      expect(seen).toEqual([['proposal.write', 'proposal.subdistrict.write']]);

      const member = await fetch(`${app.url}/things/not-a-uuid`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(member.status).toBe(400);
      expect(refused).toHaveLength(1);
    } finally {
      await app.close();
    }
  });

  it('when the document is built, then each guarded operation carries its policy as x-linli-policy', async () => {
    const single = defineRoute({ method: 'get', path: '/one', operationId: 'one', summary: 'one', tags: [], policy: 'proposal.read', responses: { 204: { description: 'none' } }, handler: async () => ({ status: 204 }) });
    const open = defineRoute({ method: 'get', path: '/open', operationId: 'open', summary: 'open', tags: [], policy: 'signed-in', responses: { 204: { description: 'none' } }, handler: async () => ({ status: 204 }) });
    const app = await startTestApp({ routes: [route, single, open] });
    try {
      const doc = app.http.openapi() as unknown as { paths: Record<string, Record<string, Record<string, unknown>>> };
      expect(doc.paths['/things/{id}']!.post!['x-linli-policy']).toEqual(['proposal.write', 'proposal.subdistrict.write']);
      expect(doc.paths['/one']!.get!['x-linli-policy']).toEqual(['proposal.read']);
      expect(doc.paths['/open']!.get!['x-linli-policy']).toBe('signed-in');
    } finally {
      await app.close();
    }
  });
});
