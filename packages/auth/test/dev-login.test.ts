import { startTestApp, type TestApp } from '../../http/test/test-app';
import { LOGIN_RATE_LIMITS, createAuthenticator, devLoginRoute, type Principal } from '../src';

const secret = 'test-secret-that-is-long-enough-1234567890';
const who = (userId: string): Principal => ({ userId, role: 'community_secretary', scope: { kind: 'community', id: 'c-1' } });

// The http package's test app: the real app factory and server on port 0.
const start = (rateLimits?: Parameters<typeof devLoginRoute>[0]['rateLimits']): Promise<TestApp> =>
  startTestApp({ routes: [devLoginRoute({ secret, ...(rateLimits ? { rateLimits } : {}) })], authenticate: createAuthenticator({ secret }) });

const login = (server: TestApp, body: unknown) =>
  fetch(`${server.url}/auth/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('dev login rate limits', () => {
  it(`when one user logs in more than ${LOGIN_RATE_LIMITS.perUser.limit} times a minute from one address, then 429 problem+json with Retry-After; other users still get in`, async () => {
    const server = await start();
    try {
      for (let i = 0; i < LOGIN_RATE_LIMITS.perUser.limit; i++) expect((await login(server, who('u-guess'))).status).toBe(200);
      const refused = await login(server, who('u-guess'));
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      const problem = (await refused.json()) as { detail: string };
      expect(problem).toMatchObject({ status: 429, type: 'urn:linli:problem:too-many-requests', code: 'TOO_MANY_REQUESTS' });
      expect(problem.detail).toContain('登录尝试过于频繁');
      expect((await login(server, who('u-other'))).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('when one address sends more attempts than its limit, even bad ones, then it is refused before the body is read', async () => {
    const server = await start({ perAddress: { limit: 5, windowMs: 60_000 }, perUser: { limit: 100, windowMs: 60_000 } });
    try {
      for (let i = 0; i < 3; i++) expect((await login(server, { nonsense: true })).status).toBe(400);
      for (let i = 0; i < 2; i++) expect((await login(server, who(`u-${i}`))).status).toBe(200);
      const refused = await login(server, who('u-new'));
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(((await refused.json()) as { detail: string }).detail).toContain('请求过于频繁');
    } finally {
      await server.close();
    }
  });

  it('when the window has passed, then the address may log in again', async () => {
    const server = await start({ perAddress: { limit: 2, windowMs: 300 }, perUser: { limit: 100, windowMs: 300 } });
    try {
      expect((await login(server, who('u-a'))).status).toBe(200);
      expect((await login(server, who('u-a'))).status).toBe(200);
      expect((await login(server, who('u-a'))).status).toBe(429);
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect((await login(server, who('u-a'))).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
