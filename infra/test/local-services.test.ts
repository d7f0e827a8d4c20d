/** Ports and readiness of the project's own processes (no infrastructure needed). */
import { createServer, type Server } from 'node:http';
import { freePorts, waitServiceReady } from '../src/local-services';

describe('freePorts', () => {
  it('when asked for several, then they are distinct and can be bound', async () => {
    const ports = await freePorts(4);
    expect(new Set(ports).size).toBe(4);
    for (const port of ports) {
      const server = createServer();
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('waitServiceReady', () => {
  let server: Server;
  let url: string;
  let answers: number[];
  beforeEach(async () => {
    answers = [];
    const [port] = await freePorts(1);
    url = `http://127.0.0.1:${port}`;
    server = createServer((req, res) => {
      const status = answers.length < 2 ? 503 : 200; // not ready twice, then ready
      answers.push(status);
      res.writeHead(req.url === '/readyz' ? status : 404).end(status === 503 ? 'kafka: unreachable' : 'ok');
    });
    await new Promise<void>((resolve) => server.listen(port!, '127.0.0.1', resolve));
  });
  afterEach(() => new Promise((resolve) => server.close(resolve)));

  it('when /readyz answers 503 and then 200, then it resolves after the 200', async () => {
    await waitServiceReady('communities', url, { timeoutMs: 10_000 });
    expect(answers).toEqual([503, 503, 200]);
  });

  it('when nothing answers until the time runs out, then the error names the service and its last failure', async () => {
    const [dead] = await freePorts(1);
    await expect(waitServiceReady('payments', `http://127.0.0.1:${dead}`, { timeoutMs: 700 })).rejects.toThrow(
      /payments did not become ready at http:\/\/127\.0\.0\.1:\d+\/readyz within 0\.7s: .*fetch failed/,
    );
  });

  it('when the process exits first, then it stops at once with the exit', async () => {
    const started = Date.now();
    await expect(waitServiceReady('worker', url, { timeoutMs: 60_000, exited: () => 'exit code 1' })).rejects.toThrow('worker exited before it was ready (exit code 1)');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
