/**
 * Jest global setup for the whole workspace: makes sure the real infrastructure is up (the project
 * starts it itself — `pnpm infra up`), then gives this run its own names so test files, and test runs,
 * can go in parallel against one Temporal, one Kafka and one PostgreSQL:
 *   - Kafka topics prefixed with the run id (created here from the declared list),
 *   - Temporal task queues prefixed with the run id,
 *   - databases named t_<run>_<service>_<n> (created per test file by createTestDatabase).
 * Environment set here is inherited by the Jest workers.
 */
import { randomBytes } from 'node:crypto';
import { createTopics, infraSettings, up } from '@linli/infra';

export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const endpoints =
    process.env.LINLI_INFRA_EXTERNAL === '1'
      ? infraSettings()
      : await up({ log: (line: string) => process.stderr.write(`${line}\n`) });

  Object.assign(process.env, {
    LINLI_TEST_RUN_ID: runId,
    KAFKA_TOPIC_PREFIX: `t${runId}.`,
    TEMPORAL_TASK_QUEUE_PREFIX: `t${runId}-`,
    PG_ADMIN_URL: endpoints.postgres.adminUrl,
    KAFKA_BROKERS: endpoints.kafka.brokers.join(','),
    TEMPORAL_ADDRESS: endpoints.temporal.address,
    TEMPORAL_NAMESPACE: endpoints.temporal.namespace,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    NODE_ENV: 'test',
  });
  await createTopics(endpoints.kafka.brokers, process.env.KAFKA_TOPIC_PREFIX!);
}
