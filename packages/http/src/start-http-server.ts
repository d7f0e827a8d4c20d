import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Logger } from '@linli/logger';
import { SHUTTING_DOWN } from './create-http-app';

export type ShutdownHook = () => Promise<void>;

export interface StartHttpServerOptions {
  /** 0 picks a free port (tests); the real one is returned. */
  port: number;
  host?: string;
  logger: Logger;
  /** Run in order after the server has drained: close the database, disconnect Kafka, ... */
  onShutdown?: ShutdownHook[];
  /** How long in-flight requests get to finish before their connections are cut; default 10 000 ms. */
  shutdownTimeoutMs?: number;
  /** Install SIGTERM/SIGINT handlers that shut down and exit; default true. */
  handleSignals?: boolean;
  /** How the process ends after a signal; replaceable in tests. Default process.exit. */
  exit?: (code: number) => void;
}

export interface RunningHttpServer {
  server: http.Server;
  port: number;
  /** `http://<host>:<port>`, handy in tests. */
  url: string;
  /** Graceful shutdown without exiting the process: drain, run hooks, resolve. Safe to call twice. */
  close: () => Promise<void>;
}

const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
const IDLE_SWEEP_MS = 50;

export async function startHttpServer(app: Express, options: StartHttpServerOptions): Promise<RunningHttpServer> {
  const { logger } = options;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  const server = http.createServer(app);

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen({ port: options.port, host: options.host }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  logger.info({ port: address.port, host: options.host ?? '(all interfaces)' }, 'http server listening');

  let closing: Promise<boolean> | undefined;

  /** Resolves true when every shutdown hook succeeded (the exit code after a signal depends on it). */
  const shutdown = (): Promise<boolean> => {
    closing ??= (async () => {
      app.locals[SHUTTING_DOWN] = true;
      const drained = await drain(server, shutdownTimeoutMs, logger);
      let hooksOk = true;
      for (const [index, hook] of (options.onShutdown ?? []).entries()) {
        try {
          await hook();
        } catch (error) {
          hooksOk = false;
          logger.error({ err: error, hook: hook.name || `#${index}` }, 'shutdown hook failed');
        }
      }
      removeSignalHandlers();
      logger.info({ drained, hooksOk }, 'shutdown complete');
      return hooksOk;
    })();
    return closing;
  };

  const exit = options.exit ?? ((code: number) => process.exit(code));
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      // A second Ctrl-C means "now".
      logger.warn({ signal }, 'second signal during shutdown, exiting immediately');
      exit(1);
      return;
    }
    logger.info({ signal }, 'signal received, shutting down');
    // Hooks that hang (a broker that never answers) must not keep the process alive forever.
    const watchdog = setTimeout(() => {
      logger.error({ signal }, 'shutdown took too long, exiting');
      exit(1);
    }, shutdownTimeoutMs * 2);
    watchdog.unref();
    void shutdown().then((hooksOk) => {
      clearTimeout(watchdog);
      exit(hooksOk ? 0 : 1);
    });
  };
  const removeSignalHandlers = () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
  if (options.handleSignals ?? true) {
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }

  return {
    server,
    port: address.port,
    url,
    close: async () => {
      await shutdown();
    },
  };
}

/**
 * Stops accepting connections and waits for in-flight requests. Idle keep-alive connections are closed as
 * they become idle (otherwise `server.close` would wait for their keep-alive timeout); after the timeout the
 * rest are cut. Resolves false when it had to cut (logged; not a failure of the shutdown itself).
 */
function drain(server: http.Server, timeoutMs: number, logger: Logger): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    let settled = false;
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const deadline = setTimeout(() => {
      logger.warn({ timeoutMs }, 'in-flight requests did not finish in time, closing their connections');
      server.closeAllConnections();
      finish(false);
    }, timeoutMs);
    const finish = (clean: boolean) => {
      if (settled) return;
      settled = true;
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve(clean);
    };
    server.close((error) => {
      // ERR_SERVER_NOT_RUNNING: already closed by someone else, which is fine.
      if (error && (error as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING') {
        logger.error({ err: error }, 'error while closing the http server');
      }
      finish(true);
    });
    server.closeIdleConnections();
  });
}
