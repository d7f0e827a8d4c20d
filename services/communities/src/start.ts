import path from 'node:path';
import { COMMUNITIES_EVENTS, SubDistrictRegistered, topicName, type EventOf } from '@linli/contracts';
import { migrate } from '@linli/db';
import { startLifecycleBridge, temporalSettingsOf } from '@linli/temporal';
import { createEventRegistry, createKafka, createOutboxRelay, fromPrisma, PROJECTION_BATCH_SIZE, runConsumer } from '@linli/events';
import { installProcessHandlers, startHttpServer } from '@linli/http';
import { createLogger } from '@linli/logger';
import { createTemporalClient, pingTemporal } from '@linli/temporal';
import { createApp } from './app';
import { loadCommunitiesConfig, type CommunitiesConfig } from './config';
import { createCommunitiesPrisma } from './data-access/prisma';
import { createUnitOfWork } from './data-access/unit-of-work';
import type { Clock } from './domain/context';
import { DIRECTORY_EVENTS, directoryHandler } from './entry-points/consumers/directory.consumer';
import { FUNDS_EVENTS, fundsHandler } from './entry-points/consumers/funds.consumer';
import { onboardingHandler } from './entry-points/consumers/onboarding.consumer';

export const MIGRATIONS_DIR = path.join(__dirname, '..', 'prisma', 'migrations');

export interface StartOptions {
  /** "Now" for writes (tests may pin it). */
  clock?: Clock;
  /**
   * Appended to every consumer group name. Tests that start several instances in one run, each with its
   * own database, give each its own suffix so that every instance sees every event.
   */
  consumerGroupSuffix?: string;
  /**
   * Start the onboarding workflow for registered sub-districts (default true). Component tests that have no
   * lifecycle worker turn it off; the walking-skeleton test covers it.
   */
  onboarding?: boolean;
}

/**
 * Starts the whole service: migrations, HTTP API, outbox relay, consumers (onboarding; the organizations
 * directory; paid tranches). Returns a handle whose stop() shuts everything down in order (also wired to
 * SIGTERM by startHttpServer).
 */
export async function startCommunitiesService(config: CommunitiesConfig = loadCommunitiesConfig(), options: StartOptions = {}) {
  const logger = createLogger({ service: 'communities', level: config.LOG_LEVEL });
  await migrate({ databaseUrl: config.DATABASE_URL, migrationsDir: MIGRATIONS_DIR, log: (m: string) => logger.info(m) });

  const prisma = createCommunitiesPrisma(config.DATABASE_URL);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'communities', log: logger });
  const producer = kafka.producer();
  await producer.connect();
  const relay = createOutboxRelay({ databaseUrl: config.DATABASE_URL, producer, log: logger });
  const uow = createUnitOfWork(prisma, () => relay.wake(), config.KAFKA_TOPIC_PREFIX);
  const { client: temporal, connection } = await createTemporalClient(temporalSettingsOf(config));

  const group = (purpose: string) => `${config.KAFKA_TOPIC_PREFIX}communities.${purpose}${options.consumerGroupSuffix ?? ''}`;
  const common = { kafka, db: fromPrisma(prisma), deadLetterTopic: topicName('deadLetter', config.KAFKA_TOPIC_PREFIX), log: logger };
  const onboarding = options.onboarding === false ? { stop: async () => {}, joined: Promise.resolve() } : await runConsumer({
    ...common,
    groupId: group('onboarding'),
    consumerName: 'communities.onboarding',
    topics: [topicName('communities', config.KAFKA_TOPIC_PREFIX)],
    registry: createEventRegistry([SubDistrictRegistered]),
    handle: async (event) => {
      if (event.type === SubDistrictRegistered.type) {
        await onboardingHandler(temporal, config.ONBOARDING_ACTIVATION_DELAY_MS)(event as EventOf<typeof SubDistrictRegistered>);
      }
    },
  });
  const handleDirectory = directoryHandler(uow);
  const directory = await runConsumer({
    ...common,
    groupId: group('directory'),
    consumerName: 'communities.directory',
    topics: [topicName('organizations', config.KAFKA_TOPIC_PREFIX)],
    registry: createEventRegistry([...DIRECTORY_EVENTS]),
    // Organizations registered before this service first ran must be known too: read the topic from its start.
    fromBeginning: true,
    handle: (event, tx) => handleDirectory(event, tx.native),
    batchSize: PROJECTION_BATCH_SIZE,
  });
  const handleFunds = fundsHandler(uow, logger);
  const funds = await runConsumer({
    ...common,
    groupId: group('funds'),
    consumerName: 'communities.funds',
    topics: [topicName('payments', config.KAFKA_TOPIC_PREFIX)],
    registry: createEventRegistry([...FUNDS_EVENTS]),
    fromBeginning: true,
    handle: (event, tx) => handleFunds(event, tx.native),
  });
  relay.start();

  const { app } = createApp({
    uow,
    logger,
    clock: options.clock,
    auth: { secret: config.AUTH_JWT_SECRET, devLogin: config.AUTH_DEV_LOGIN },
    readiness: {
      database: () => prisma.$queryRaw`select 1`,
      broker: () => kafka.ping(),
      temporal: () => pingTemporal(connection, config.TEMPORAL_NAMESPACE),
    },
  });
  // Drafted proposals start their lifecycle; submissions and decisions are forwarded to it as Updates.
  const bridge = config.LIFECYCLE_BRIDGE
    ? await startLifecycleBridge({
        service: 'communities',
        kafka,
        databaseUrl: config.DATABASE_URL,
        events: COMMUNITIES_EVENTS,
        topicPrefix: config.KAFKA_TOPIC_PREFIX,
        temporal: temporalSettingsOf(config),
        policy: config.LIFECYCLE_POLICY_JSON,
        log: logger,
      })
    : null;
  const server = await startHttpServer(app, {
    port: config.PORT,
    logger,
    onShutdown: [
      async () => bridge?.stop(),
      () => onboarding.stop(),
      () => directory.stop(),
      () => funds.stop(),
      () => relay.stop(),
      () => producer.disconnect(),
      () => kafka.disconnect(),
      () => connection.close(),
      () => prisma.$disconnect(),
    ],
  });
  logger.info({ port: server.port }, 'communities service listening');
  return { port: server.port, url: `http://127.0.0.1:${server.port}`, stop: () => server.close(), prisma, logger, consumers: { onboarding, directory, funds } };
}

if (require.main === module) {
  const bootLogger = createLogger({ service: 'communities' });
  installProcessHandlers(bootLogger);
  startCommunitiesService().catch((error: unknown) => {
    bootLogger.fatal({ err: error }, 'communities service failed to start');
    process.exit(1);
  });
}
