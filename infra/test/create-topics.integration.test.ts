/**
 * createTopics against the real Kafka of this test run (KAFKA_BROKERS from the global setup), under a
 * prefix of its own so nothing else sees these topics; they are deleted at the end.
 */
import { randomBytes } from 'node:crypto';
import { ALL_TOPICS } from '@linli/contracts';
import { Kafka, logLevel, ConfigResourceTypes, type Admin } from 'kafkajs';
import { createTopics } from '../src/components/kafka.component';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

describe('createTopics (real Kafka)', () => {
  const prefix = `t-infra-${randomBytes(4).toString('hex')}.`;
  let admin: Admin;

  beforeAll(async () => {
    admin = new Kafka({ clientId: 'linli-infra-test', brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });

  afterAll(async () => {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length) await admin.deleteTopics({ topics, timeout: 10_000 });
    await admin.disconnect();
  });

  it('when run twice, then every declared topic exists once with its partitions and retention', async () => {
    const created = await createTopics(brokers, prefix);
    expect(created.sort()).toEqual(ALL_TOPICS.map((t) => `${prefix}${t.name}`).sort());

    // Second run: nothing to do, nothing changed.
    expect(await createTopics(brokers, prefix)).toEqual([]);

    const metadata = await admin.fetchTopicMetadata({ topics: ALL_TOPICS.map((t) => `${prefix}${t.name}`) });
    for (const spec of ALL_TOPICS) {
      const topic = metadata.topics.find((t) => t.name === `${prefix}${spec.name}`);
      expect(topic?.partitions).toHaveLength(spec.partitions);
    }
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: ALL_TOPICS.map((t) => ({ type: ConfigResourceTypes.TOPIC, name: `${prefix}${t.name}`, configNames: ['retention.ms'] })),
    });
    for (const spec of ALL_TOPICS) {
      const resource = configs.resources.find((r) => r.resourceName === `${prefix}${spec.name}`);
      expect(resource?.configEntries[0]?.configValue).toBe(String(spec.retentionMs));
    }
  });

  it('when one declared topic already exists, then only the others are created and it is left alone', async () => {
    const otherPrefix = `${prefix}b.`;
    const first = ALL_TOPICS[0]!;
    await admin.createTopics({ topics: [{ topic: `${otherPrefix}${first.name}`, numPartitions: 1 }] });

    const created = await createTopics(brokers, otherPrefix);
    expect(created).not.toContain(`${otherPrefix}${first.name}`);
    expect(created).toHaveLength(ALL_TOPICS.length - 1);
    const metadata = await admin.fetchTopicMetadata({ topics: [`${otherPrefix}${first.name}`] });
    expect(metadata.topics[0]?.partitions).toHaveLength(1);
  });
});
