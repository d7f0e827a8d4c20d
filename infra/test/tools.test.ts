import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresComponent } from '../src/components/postgres.component';
import { InfraError, MissingToolError, PortTakenError } from '../src/errors';
import { describeFailures } from '../src/lifecycle';
import { infraSettings } from '../src/settings';
import { assertPortFree, findExecutable, isPortFree, requireTool } from '../src/tools';

function listen(): Promise<{ server: Server; port: number }> {
  return new Promise((done) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => done({ server, port: (server.address() as { port: number }).port }));
  });
}

describe('port checks', () => {
  it('when a process of ours holds the port, then the message names the port, the variable to override and the holder', async () => {
    const { server, port } = await listen();
    try {
      expect(await isPortFree(port)).toBe(false);
      const err = await assertPortFree('postgres', 'postgres', port).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PortTakenError);
      const message = (err as PortTakenError).message;
      expect(message).toContain(`port ${port} is already taken`);
      expect(message).toContain('PG_PORT=<free port> pnpm infra up');
      // ss -ltnp can see our own process, so the holder is this very Jest worker (when ss is installed).
      if (findExecutable('ss')) expect(message).toContain(`pid ${process.pid}`);
      else expect(message).toContain('by another process');
      expect(message.split('\n')).toHaveLength(1);
    } finally {
      server.close();
    }
  });

  it('when the port is released, then it counts as free again', async () => {
    const { server, port } = await listen();
    await new Promise((done) => server.close(done));
    expect(await isPortFree(port)).toBe(true);
    await expect(assertPortFree('kafka', 'kafka', port)).resolves.toBeUndefined();
  });
});

describe('missing tools', () => {
  it('when java is not on PATH, then one line says so and how to install it', () => {
    let caught: unknown;
    try {
      requireTool('kafka', 'java', { PATH: '/nonexistent' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(MissingToolError);
    expect((caught as MissingToolError).component).toBe('kafka');
    expect((caught as MissingToolError).message).toBe('java not found — install it: apt-get install -y openjdk-17-jre-headless');
  });

  it('when the PostgreSQL binaries are missing, then preflight fails with the install hint before touching a port', async () => {
    const s = infraSettings({ PG_BIN: '/nonexistent/bin', LINLI_HOME: '/nonexistent/home' });
    await expect(postgresComponent.preflight(s)).rejects.toThrow(/PostgreSQL server binaries .* not found — install it: apt-get install -y postgresql-15/);
  });
});

describe('failure report', () => {
  it('when a component failed with a log file, then the report names it, the cause, the path and the tail', () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-infra-report-'));
    try {
      const log = join(dir, 'kafka.log');
      writeFileSync(log, `${Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join('\n')}\n`);
      const report = describeFailures([new InfraError('kafka', 'did not become healthy: no answer after 120s', log)], 5);
      expect(report).toContain('[kafka] did not become healthy: no answer after 120s');
      expect(report).toContain(`[kafka] log: ${log} (last 5 lines):`);
      expect(report).toContain('    line 40');
      expect(report).toContain('    line 36');
      expect(report).not.toContain('line 35\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
