import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

// Docker cannot run on our machines, so this test is what keeps docker-compose.yml honest.
const root = path.join(__dirname, '..');
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { command?: string[]; environment?: Record<string, unknown>; healthcheck?: unknown; depends_on?: Record<string, unknown> }>;
};
const serviceDirs = readdirSync(path.join(root, 'services')).filter((d) => existsSync(path.join(root, 'services', d, 'package.json')));

describe('docker-compose.yml', () => {
  it('when parsed, then it has the infrastructure with health checks', () => {
    for (const name of ['postgres', 'temporal', 'temporal-ui', 'kafka']) {
      expect(compose.services[name]).toBeDefined();
      expect(compose.services[name]!.healthcheck).toBeDefined();
    }
  });

  it.each(serviceDirs)('when services/%s exists, then compose runs it with a health check and its start file exists', (dir) => {
    const svc = compose.services[dir];
    expect(svc).toBeDefined();
    expect(svc!.healthcheck).toBeDefined();
    const entry = svc!.command?.find((part) => part.endsWith('.ts'));
    expect(entry).toBeDefined();
    expect(existsSync(path.join(root, entry!))).toBe(true);
    expect(svc!.environment).toMatchObject({ KAFKA_BROKERS: expect.any(String), TEMPORAL_ADDRESS: expect.any(String), DATABASE_URL: expect.stringContaining(`linli_${dir}`) });
  });

  it('when parsed, then the worker runs the worker entry point and reaches every service by the variable the worker reads', () => {
    const worker = compose.services.worker;
    expect(worker?.command).toContain('workflows/src/worker.ts');
    const workerConfig = readFileSync(path.join(root, 'workflows/src/config.ts'), 'utf8');
    // Operations is the one service the worker never calls (it drives the workflows, not the other way).
    for (const dir of serviceDirs.filter((d) => d !== 'operations')) {
      const variable = `${dir.toUpperCase()}_URL`;
      expect(workerConfig).toContain(variable);
      expect(worker!.environment).toHaveProperty(variable);
    }
  });

  it('when parsed, then every environment name an app container sets is one the code reads', () => {
    const sources = [
      'packages/config/src',
      'packages/auth/src',
      'packages/temporal/src',
      'workflows/src/config.ts',
      ...serviceDirs.map((d) => `services/${d}/src/config.ts`),
    ]
      .map((p) => path.join(root, p))
      .map((p) =>
        !existsSync(p)
          ? ''
          : p.endsWith('.ts')
            ? readFileSync(p, 'utf8')
            : readdirSync(p)
                .filter((f) => f.endsWith('.ts'))
                .map((f) => readFileSync(path.join(p, f), 'utf8'))
                .join('\n'),
      )
      .join('\n');
    for (const name of [...serviceDirs, 'worker']) {
      for (const variable of Object.keys(compose.services[name]!.environment ?? {})) {
        expect({ variable, read: sources.includes(variable) }).toEqual({ variable, read: true });
      }
    }
  });
});
