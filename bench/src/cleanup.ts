/**
 * Removes what an interrupted bench run left behind: its workflows, Kafka topics and databases.
 *   pnpm exec tsx bench/src/cleanup.ts <runId>     (the id `pnpm bench` printed, e.g. bmwzyqqk8)
 */
import { dropDatabase } from '@linli/db';
import { createKafka, silentLogger } from '@linli/events';
import { infraSettings } from '@linli/infra';
import { createTemporalClient, taskQueue, temporalSettingsFromEnv } from '@linli/temporal';
import { Client as PgClient } from 'pg';
import { log } from './context';
import { BARE_TASK_QUEUE } from './scenarios/lifecycle-throughput';
import { terminateRunWorkflows } from './temporal-cleanup';

async function main(): Promise<void> {
  const runId = process.argv[2];
  if (!runId || !/^b[0-9a-z]+$/.test(runId)) throw new Error('usage: cleanup.ts <runId>');
  const endpoints = infraSettings();
  const { client, connection } = await createTemporalClient(
    temporalSettingsFromEnv({ ...process.env, TEMPORAL_ADDRESS: endpoints.temporal.address, TEMPORAL_NAMESPACE: endpoints.temporal.namespace }),
  );
  await terminateRunWorkflows(client, [taskQueue('lifecycle', `${runId}-`), `${runId}-${BARE_TASK_QUEUE}`], log);
  await connection.close();
  const kafka = createKafka({ brokers: endpoints.kafka.brokers, clientId: 'linli-bench-cleanup', log: silentLogger });
  const admin = await kafka.admin();
  await admin.deleteTopics((await admin.listTopics()).filter((t) => t.startsWith(`${runId}.`)));
  await kafka.disconnect();
  const pg = new PgClient({ connectionString: endpoints.postgres.adminUrl });
  await pg.connect();
  const { rows } = await pg.query<{ datname: string }>('select datname from pg_database where datname like $1', [`bench_${runId}_%`]);
  await pg.end();
  for (const { datname } of rows) await dropDatabase(endpoints.postgres.adminUrl, datname);
  log(`removed run ${runId}: workflows, topics, ${rows.length} databases`);
}

main().catch((error: unknown) => {
  log(`cleanup failed: ${(error as Error).stack}`);
  process.exit(1);
});
