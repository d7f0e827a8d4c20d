/**
 * The world both consumer tests start from: a scratch database with the "applied" table, unique topics, a
 * connected producer, and a consumer of ThingRegistered events ('things.projector') with the test's handler.
 */
import { createEventRegistry, fromPg, runConsumer, type EventLogger, type RunConsumerOptions } from '../../src';
import { createScratchDatabase, createTestTopics, FAST_CONSUMER, randomName, testKafka } from './infra';
import { APPLIED_TABLE_SQL, ThingRegistered } from './test-events';

export const THINGS_CONSUMER = 'things.projector';

export async function startThingsProjector(log: EventLogger, options: Pick<RunConsumerOptions, 'handle' | 'batchSize' | 'keysConcurrently'>) {
  const scratch = await createScratchDatabase(APPLIED_TABLE_SQL);
  const db = fromPg(scratch.pool);
  const kafka = testKafka(log);
  const topics = await createTestTopics(kafka);
  const producer = kafka.producer();
  await producer.connect();
  const consumer = await runConsumer({
    kafka,
    groupId: `events-test-${randomName()}`,
    consumerName: THINGS_CONSUMER,
    topics: [topics.events],
    registry: createEventRegistry([ThingRegistered]),
    db,
    deadLetterTopic: topics.deadLetter,
    log,
    fromBeginning: true,
    tuning: FAST_CONSUMER,
    ...options,
  });
  return { scratch, db, kafka, topics, producer, consumer };
}
