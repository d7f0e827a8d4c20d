import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@linli/logger';
import { createHttpApp, startHttpServer, type CreateHttpAppOptions, type RunningHttpServer } from '../src';

/** A logger whose every line the test can read back. */
export function capturedLogger(level = 'info'): { logger: Logger; lines: () => Array<Record<string, unknown>>; text: () => string } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const logger = createLogger({ service: 'http-test', level, pretty: false, destination });
  return {
    logger,
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

export interface TestApp {
  url: string;
  server: RunningHttpServer;
  http: ReturnType<typeof createHttpApp>;
  logs: ReturnType<typeof capturedLogger>;
  close: () => Promise<void>;
}

/** The app as production runs it: real HTTP on port 0, no signal handlers (the test owns the process). */
export async function startTestApp(
  options: Partial<CreateHttpAppOptions> & Pick<CreateHttpAppOptions, 'routes'>,
  serverOptions: { onShutdown?: Array<() => Promise<void>>; shutdownTimeoutMs?: number } = {},
): Promise<TestApp> {
  const logs = capturedLogger();
  const http = createHttpApp({
    service: { name: 'test', title: 'Test service', version: '1.2.3', description: 'for tests' },
    logger: logs.logger,
    // Routes are guarded by default; tests not about auth let every caller through.
    authenticate: () => undefined,
    ...options,
  });
  const server = await startHttpServer(http.app, {
    port: 0,
    host: '127.0.0.1',
    logger: logs.logger,
    handleSignals: false,
    ...serverOptions,
  });
  return { url: server.url, server, http, logs, close: () => server.close() };
}

export async function readJson(response: Response): Promise<any> {
  return response.json();
}
