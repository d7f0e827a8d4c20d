/**
 * `pnpm dev`: the whole system on this machine with demo data.
 *   1. the infrastructure (Temporal, Kafka, PostgreSQL) — `pnpm infra up`, idempotent;
 *   2. every service and the lifecycle worker as child processes, logs prefixed with their name;
 *   3. demo data through the services' public APIs (a second run adds no duplicates: 409s are expected);
 *   4. every URL printed. Ctrl-C stops the services and the worker; the infrastructure keeps running
 *      (`pnpm infra down` stops it).
 * `pnpm dev --check` does the same, verifies every service is ready, and exits (used by tests and CI).
 */
import { up } from '@linli/infra';
import { seedDemoData, type DemoUrls } from './demo-data';
import { startSystem, type RunningSystem } from './system';

const check = process.argv.includes('--check');

let system: RunningSystem | undefined;
let stopping = false;
async function stopAll(code: number): Promise<never> {
  stopping = true;
  await system?.stop();
  process.exit(code);
}

async function main(): Promise<void> {
  const endpoints = await up({ log: (line: string) => process.stderr.write(`${line}\n`) });
  system = startSystem({
    endpoints,
    output: { kind: 'terminal' },
    onUnexpectedExit: (name, how) => {
      if (stopping) return;
      process.stderr.write(`${name.padEnd(12)}| exited (${how}); stopping everything\n`);
      void stopAll(1);
    },
  });
  const { urls, procs } = system;
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  await system.ready();
  process.stderr.write('[dev] seeding demo data ...\n');
  const seeded = await seedDemoData(urls as unknown as DemoUrls, (line) => process.stderr.write(`${line}\n`));
  process.stderr.write(`[dev] demo data: ${seeded.created} created, ${seeded.existing} already there\n`);

  const lines = [
    '',
    '邻里 Linli is running:',
    `  Temporal UI               ${endpoints.temporal.uiUrl}/namespaces/${endpoints.temporal.namespace}/workflows`,
    ...procs.filter((p) => p.spec.port).map((p) => `  ${`${p.spec.name} API docs`.padEnd(26)}http://127.0.0.1:${p.spec.port}/docs`),
    `  Temporal                  ${endpoints.temporal.address} (namespace ${endpoints.temporal.namespace})`,
    `  Kafka                     ${endpoints.kafka.brokers.join(',')}`,
    `  PostgreSQL                ${endpoints.postgres.adminUrl}`,
    '',
    check ? '[dev] --check: everything answered; stopping.' : 'Ctrl-C stops the services and the worker; `pnpm infra down` stops the infrastructure.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (check) await stopAll(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`[dev] ${(error as Error).message}\n`);
  void stopAll(1);
});
