/** Removes what this run created (its databases and topics); the infrastructure itself stays up. */
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const runId = process.env.LINLI_TEST_RUN_ID;
  if (!runId) return;
  const pg = new Client({ connectionString: process.env.PG_ADMIN_URL });
  await pg.connect();
  try {
    const { rows } = await pg.query<{ datname: string }>('select datname from pg_database where datname like $1', [`t_${runId}_%`]);
    for (const { datname } of rows) await pg.query(`drop database if exists "${datname}" with (force)`);
  } finally {
    await pg.end();
  }
  const kafka = new Kafka({ clientId: 'linli-test-teardown', brokers: process.env.KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const prefix = process.env.KAFKA_TOPIC_PREFIX!;
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length) await admin.deleteTopics({ topics, timeout: 10_000 });
  } finally {
    await admin.disconnect();
  }
}
