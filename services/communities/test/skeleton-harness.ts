import { COMMUNITIES_EVENTS, topicName, type EventEnvelope } from '@linli/contracts';
import { createEventRegistry, createKafka, fromPrisma, runConsumer } from '@linli/events';
import { createTemporalClient, temporalSettingsFromEnv } from '@linli/temporal';
import type { Principal } from '@linli/auth';
import { TEST_ADMIN, createTestDatabase, tokenFor } from '@linli/testing';
import { createLifecycleWorker, loadWorkerConfig } from '@linli/workflows';
import { loadCommunitiesConfig } from '../src/config';
import { startCommunitiesService } from '../src/start';

/**
 * The walking skeleton on the real components: the communities service (in-process, port 0, its own
 * database), the lifecycle worker on this run's task queue, a Temporal client, and a listener that
 * records every event the service publishes through Kafka.
 */
export async function startSkeleton(opts: { activationDelayMs: number }) {
  const db = await createTestDatabase('communities');
  const service = await startCommunitiesService(
    loadCommunitiesConfig({ ...process.env, PORT: '0', DATABASE_URL: db.url, ONBOARDING_ACTIVATION_DELAY_MS: String(opts.activationDelayMs) }),
  );
  const { worker, close: closeWorker } = await createLifecycleWorker(loadWorkerConfig({ ...process.env, COMMUNITIES_URL: service.url, WORKER_METRICS_ADDRESS: '' }));
  const workerRun = worker.run();
  const { client: temporal, connection } = await createTemporalClient(temporalSettingsFromEnv());

  const received: EventEnvelope[] = [];
  const kafka = createKafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'skeleton-test', log: service.logger });
  const listener = await runConsumer({
    kafka,
    groupId: `${process.env.KAFKA_TOPIC_PREFIX}skeleton-listener-${Date.now()}`,
    consumerName: 'skeleton-test-listener',
    topics: [topicName('communities')],
    registry: createEventRegistry([...COMMUNITIES_EVENTS]),
    db: fromPrisma(service.prisma),
    deadLetterTopic: topicName('deadLetter'),
    log: service.logger,
    fromBeginning: true,
    handle: async (event) => {
      received.push(event as EventEnvelope);
    },
  });

  const api = async (method: string, path: string, body?: unknown, as: Principal | null = TEST_ADMIN) => {
    const res = await fetch(`${service.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(as ? { authorization: `Bearer ${await tokenFor(as)}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any, contentType: res.headers.get('content-type') };
  };

  return {
    api,
    temporal,
    received,
    service,
    async stop() {
      await listener.stop();
      await kafka.disconnect();
      worker.shutdown();
      await workerRun;
      await closeWorker();
      await connection.close();
      await service.stop();
      await db.drop();
    },
  };
}
