/**
 * Helpers for the project's own processes (services, worker) started beside the infrastructure: by
 * `pnpm dev`, by the system tests and by `pnpm bench`. One copy, so all three wait and pick ports alike.
 */
import { createServer } from 'node:net';

/** Free TCP ports on the loopback (bound and released; the caller's process binds them a moment later). */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    if (port && !ports.includes(port)) ports.push(port);
  }
  return ports;
}

/**
 * Resolves once `url/readyz` answers 200 (the service's database and broker reachable). Rejects with the
 * last answer after `timeoutMs`, or at once when `exited` reports that the process is gone.
 */
export async function waitServiceReady(
  name: string,
  url: string,
  { timeoutMs = 90_000, exited }: { timeoutMs?: number; exited?: () => string | null } = {},
): Promise<void> {
  const started = Date.now();
  let last = '';
  while (Date.now() - started < timeoutMs) {
    const gone = exited?.();
    if (gone) throw new Error(`${name} exited before it was ready (${gone})`);
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${name} did not become ready at ${url}/readyz within ${timeoutMs / 1000}s: ${last}`);
}
