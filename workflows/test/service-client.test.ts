import { createServer, type Server } from 'node:http';
import { ApplicationFailure } from '@temporalio/activity';
import { trancheRequestNotYet } from '../src/activities/payments.activities';
import { callService } from '../src/activities/service-client';

/**
 * How an activity's HTTP call fails decides what the lifecycle does: retried with backoff (a plain Error)
 * or parked for an admin (a non-retryable ApplicationFailure). A real HTTP server answers each case.
 */
describe('callService failure classification', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const [status, code] = (req.url ?? '/').slice(1).split('/');
      res.writeHead(Number(status), { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ title: 'x', detail: `answered ${status}`, ...(code ? { code } : {}) }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const call = (path: string, notYet?: Parameters<typeof callService>[0]['notYet']) =>
    callService({ baseUrl: base, method: 'POST', path, token: async () => 't', ...(notYet ? { notYet } : {}) }).then(
      () => 'ok',
      (e: unknown) => (e instanceof ApplicationFailure ? `park:${e.type}:${e.nonRetryable}` : 'retry'),
    );

  it('when a service answers 5xx, 408 or 429, then the call is retried; any other 4xx parks', async () => {
    expect(await call('/503')).toBe('retry');
    expect(await call('/408')).toBe('retry');
    expect(await call('/429')).toBe('retry');
    expect(await call('/409')).toBe('park:http-409:true');
    expect(await call('/400')).toBe('park:http-400:true');
    expect(await call('/200')).toBe('ok');
  });

  it('when a rejection is marked "not yet" by the caller, then it is retried; other rejections still park', async () => {
    const pending = (status: number, problem: { code?: string } | undefined) => status === 409 && problem?.code === 'RELEASE_CONDITION_PENDING';
    expect(await call('/409/RELEASE_CONDITION_PENDING', pending)).toBe('retry');
    expect(await call('/409/CONFLICT', pending)).toBe('park:http-409:true');
    expect(await call('/400/RELEASE_CONDITION_PENDING', pending)).toBe('park:http-400:true');
  });

  it('when payments answers a tranche request with "not yet" (release fact or contract not received), then it is retried; a refusal parks', async () => {
    expect(await call('/409/RELEASE_CONDITION_PENDING', trancheRequestNotYet)).toBe('retry');
    expect(await call('/404/NOT_FOUND', trancheRequestNotYet)).toBe('retry');
    expect(await call('/409/TRANCHE_FROZEN', trancheRequestNotYet)).toBe('park:http-409:true');
    expect(await call('/422/BUSINESS_RULE', trancheRequestNotYet)).toBe('park:http-422:true');
  });
});
