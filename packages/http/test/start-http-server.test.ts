import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { defineRoute, startHttpServer, createHttpApp } from '../src';
import { capturedLogger, readJson, startTestApp } from './test-app';

/** A route that answers only when the test lets it, so a request can be held "in flight". */
function slowRoute(events: string[] = []) {
  let started!: () => void;
  const handlerStarted = new Promise<void>((resolve) => (started = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const route = defineRoute({
    method: 'get',
    path: '/slow',
    operationId: 'slow',
    summary: 'slow',
    tags: [],
    responses: { 200: { description: 'done', schema: z.object({ done: z.boolean() }) } },
    handler: async (_input, { res }) => {
      res.once('finish', () => events.push('slow response sent'));
      started();
      await released;
      return { status: 200, body: { done: true } };
    },
  });
  return { route, handlerStarted, release };
}

describe('startHttpServer', () => {
  it('when asked for port 0, then it listens on a real free port and reports it', async () => {
    const app = await startTestApp({ routes: [] });
    try {
      expect(app.server.port).toBeGreaterThan(0);
      expect(app.url).toBe(`http://127.0.0.1:${app.server.port}`);
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('when closed during a slow request, then that request finishes, new connections are refused, and hooks run in order after it', async () => {
    const events: string[] = [];
    const slow = slowRoute(events);
    const app = await startTestApp(
      { routes: [slow.route] },
      {
        onShutdown: [
          async () => {
            events.push('close database');
          },
          async () => {
            events.push('disconnect kafka');
          },
        ],
      },
    );

    const inFlight = fetch(`${app.url}/slow`).then(async (response) => ({ status: response.status, body: await readJson(response) }));
    await slow.handlerStarted;

    const closed = app.close().then(() => events.push('closed'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events).toEqual([]); // still waiting for the in-flight request
    await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();

    slow.release();
    expect(await inFlight).toEqual({ status: 200, body: { done: true } });
    await closed;
    expect(events).toEqual(['slow response sent', 'close database', 'disconnect kafka', 'closed']);
    expect(app.logs.lines().some((line) => line.msg === 'shutdown complete' && line.drained === true && line.hooksOk === true)).toBe(true);
  });

  it('when an in-flight request outlives the shutdown timeout, then its connection is cut and close still resolves', async () => {
    const slow = slowRoute();
    const app = await startTestApp({ routes: [slow.route] }, { shutdownTimeoutMs: 200 });
    const inFlight = fetch(`${app.url}/slow`).then(
      () => 'answered',
      () => 'cut',
    );
    await slow.handlerStarted;

    const startedAt = Date.now();
    await app.close();
    expect(Date.now() - startedAt).toBeLessThan(2000);
    expect(await inFlight).toBe('cut');
    expect(app.logs.lines().some((line) => line.msg === 'shutdown complete' && line.drained === false)).toBe(true);
    slow.release();
  });

  it('when shutting down, then /readyz turns 503 so load balancers stop sending traffic', async () => {
    const slow = slowRoute();
    const app = await startTestApp({ routes: [slow.route] });
    // The draining server accepts no new connections, so probe the same app through a second listener.
    const probe = http.createServer(app.http.app);
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const probeUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${probeUrl}/readyz`)).status).toBe(200);
      const inFlight = fetch(`${app.url}/slow`);
      await slow.handlerStarted;
      const closed = app.close();

      const response = await fetch(`${probeUrl}/readyz`);
      expect(response.status).toBe(503);
      expect(await readJson(response)).toMatchObject({ type: 'urn:linli:problem:not-ready', detail: 'shutting down' });
      slow.release();
      await inFlight;
      await closed;
    } finally {
      probe.closeAllConnections();
      await new Promise((resolve) => probe.close(resolve));
    }
  });

  it('when SIGTERM arrives, then it drains, runs the hooks and exits 0', async () => {
    const logs = capturedLogger();
    const { app } = createHttpApp({ service: { name: 't', title: 't', version: '1' }, logger: logs.logger, routes: [] });
    const hooks: string[] = [];
    let exitCode: number | undefined;
    const exited = new Promise<void>((resolve) => {
      void startHttpServer(app, {
        port: 0,
        host: '127.0.0.1',
        logger: logs.logger,
        onShutdown: [async () => void hooks.push('hook')],
        exit: (code) => {
          exitCode = code;
          resolve();
        },
      }).then(() => process.emit('SIGTERM', 'SIGTERM'));
    });

    await exited;
    expect(exitCode).toBe(0);
    expect(hooks).toEqual(['hook']);
    expect(logs.lines().some((line) => line.msg === 'signal received, shutting down' && line.signal === 'SIGTERM')).toBe(true);
  });

  it('when a shutdown hook fails, then the rest still run and the exit code is 1', async () => {
    const logs = capturedLogger();
    const { app } = createHttpApp({ service: { name: 't', title: 't', version: '1' }, logger: logs.logger, routes: [] });
    const hooks: string[] = [];
    const exitCode = await new Promise<number>((resolve) => {
      void startHttpServer(app, {
        port: 0,
        host: '127.0.0.1',
        logger: logs.logger,
        onShutdown: [
          async () => {
            throw new Error('kafka would not disconnect');
          },
          async () => void hooks.push('second'),
        ],
        exit: resolve,
      }).then(() => process.emit('SIGINT', 'SIGINT'));
    });

    expect(exitCode).toBe(1);
    expect(hooks).toEqual(['second']);
    expect(logs.lines().some((line) => line.msg === 'shutdown hook failed')).toBe(true);
  });

  it('when the port is taken, then start rejects instead of hanging', async () => {
    const first = await startTestApp({ routes: [] });
    try {
      const logs = capturedLogger();
      const { app } = createHttpApp({ service: { name: 't', title: 't', version: '1' }, logger: logs.logger, routes: [] });
      await expect(
        startHttpServer(app, { port: first.server.port, host: '127.0.0.1', logger: logs.logger, handleSignals: false }),
      ).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
