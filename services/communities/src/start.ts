import path from 'node:path';
import { COMMUNITIES_EVENTS, SubDistrictRegistered, topicName, type EventOf } from '@linli/contracts';
import { migrate } from '@linli/db';
import { createEventRegistry, createKafka, createOutboxRelay, fromPrisma, runConsumer } from '@linli/events';
import { installProcessHandlers, startHttpServer } from '@linli/http';
import { createLogger } from '@linli/logger';
import { createTemporalClient, pingTemporal } from '@linli/temporal';
import { createApp } from './app';
import { loadCommunitiesConfig, type CommunitiesConfig } from './config';
import { createCommunitiesPrisma } from './data-access/prisma';
import { createUnitOfWork } from './data-access/unit-of-work';
import { onboardingHandler } from './entry-points/consumers/onboarding.consumer';

export const MIGRATIONS_DIR = path.join(__dirname, '..', 'prisma', 'migrations');

/**
 * Starts the whole service: migrations, HTTP API, outbox relay, consumers. Returns a handle whose
 * stop() shuts everything down in order (also wired to SIGTERM by startHttpServer).
 */
export async function startCommunitiesService(config: CommunitiesConfig = loadCommunitiesConfig()) {
  const logger = createLogger({ service: 'communities', level: config.LOG_LEVEL });
  await migrate({ databaseUrl: config.DATABASE_URL, migrationsDir: MIGRATIONS_DIR, log: (m: string) => logger.info(m) });

  const prisma = createCommunitiesPrisma(config.DATABASE_URL);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'communities', log: logger });
  const producer = kafka.producer();
  await producer.connect();
  const relay = createOutboxRelay({ db: fromPrisma(prisma), producer, log: logger });
  const uow = createUnitOfWork(prisma, () => relay.wake());
  const { client: temporal, connection } = await createTemporalClient({ address: config.TEMPORAL_ADDRESS, namespace: config.TEMPORAL_NAMESPACE });

  const consumer = await runConsumer({
    kafka,
    groupId: `${config.KAFKA_TOPIC_PREFIX}communities.onboarding`,
    consumerName: 'communities.onboarding',
    topics: [topicName('communities', config.KAFKA_TOPIC_PREFIX)],
    registry: createEventRegistry([...COMMUNITIES_EVENTS]),
    db: fromPrisma(prisma),
    deadLetterTopic: topicName('deadLetter', config.KAFKA_TOPIC_PREFIX),
    log: logger,
    handle: async (event) => {
      if (event.type === SubDistrictRegistered.type) {
        await onboardingHandler(temporal, config.ONBOARDING_ACTIVATION_DELAY_MS)(event as EventOf<typeof SubDistrictRegistered>);
      }
    },
  });
  relay.start();

  const { app } = createApp({
    uow,
    logger,
    auth: { secret: config.AUTH_JWT_SECRET, devLogin: config.AUTH_DEV_LOGIN },
    readiness: {
      database: () => prisma.$queryRaw`select 1`,
      broker: () => kafka.ping(),
      temporal: () => pingTemporal(connection, config.TEMPORAL_NAMESPACE),
    },
  });
  const server = await startHttpServer(app, {
    port: config.PORT,
    logger,
    onShutdown: [
      () => consumer.stop(),
      () => relay.stop(),
      () => producer.disconnect(),
      () => kafka.disconnect(),
      () => connection.close(),
      () => prisma.$disconnect(),
    ],
  });
  logger.info({ port: server.port }, 'communities service listening');
  return { port: server.port, url: `http://127.0.0.1:${server.port}`, stop: () => server.close(), prisma, logger };
}

if (require.main === module) {
  const bootLogger = createLogger({ service: 'communities' });
  installProcessHandlers(bootLogger);
  startCommunitiesService().catch((error: unknown) => {
    bootLogger.fatal({ err: error }, 'communities service failed to start');
    process.exit(1);
  });
}
