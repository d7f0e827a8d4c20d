import path from 'node:path';
import { topicName } from '@linli/contracts';
import { migrate } from '@linli/db';
import { startLifecycleBridge, temporalSettingsOf } from '@linli/temporal';
import { ORGANIZATIONS_EVENTS } from '@linli/contracts';
import { createEventRegistry, createKafka, createOutboxRelay, fromPrisma, PROJECTION_BATCH_SIZE, runConsumer } from '@linli/events';
import { installProcessHandlers, startHttpServer } from '@linli/http';
import { createLogger } from '@linli/logger';
import { createApp } from './app';
import { loadOrganizationsConfig, type OrganizationsConfig } from './config';
import { createOrganizationsPrisma } from './data-access/prisma';
import { createUnitOfWork } from './data-access/unit-of-work';
import { systemClock, type Clock } from './domain/context';
import { TRACK_RECORD_EVENTS, trackRecordHandler } from './entry-points/consumers/track-record.consumer';

export const MIGRATIONS_DIR = path.join(__dirname, '..', 'prisma', 'migrations');

/**
 * Starts the whole service: migrations, HTTP API, outbox relay, the track-record consumer. Returns a
 * handle whose stop() shuts everything down in order (also wired to SIGTERM by startHttpServer).
 */
export interface StartOptions {
  /** "Now" for deadlines and standstill periods (tests pass a clock they move). */
  clock?: Clock;
  /**
   * Overrides the consumer group (default `${KAFKA_TOPIC_PREFIX}organizations.track-record`). Tests that
   * start several instances in one run, each with its own database, give each its own group so that
   * every instance sees every event.
   */
  consumerGroup?: string;
}

export async function startOrganizationsService(config: OrganizationsConfig = loadOrganizationsConfig(), options: StartOptions = {}) {
  const logger = createLogger({ service: 'organizations', level: config.LOG_LEVEL });
  await migrate({ databaseUrl: config.DATABASE_URL, migrationsDir: MIGRATIONS_DIR, log: (m: string) => logger.info(m) });

  const prisma = createOrganizationsPrisma(config.DATABASE_URL);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'organizations', log: logger });
  const producer = kafka.producer();
  await producer.connect();
  const relay = createOutboxRelay({ databaseUrl: config.DATABASE_URL, producer, log: logger });
  const uow = createUnitOfWork(prisma, () => relay.wake());

  const handleTrackRecord = trackRecordHandler(uow);
  const consumer = await runConsumer({
    kafka,
    groupId: options.consumerGroup ?? `${config.KAFKA_TOPIC_PREFIX}organizations.track-record`,
    consumerName: 'organizations.track-record',
    topics: [topicName('supervision', config.KAFKA_TOPIC_PREFIX)],
    registry: createEventRegistry([...TRACK_RECORD_EVENTS]),
    db: fromPrisma(prisma),
    deadLetterTopic: topicName('deadLetter', config.KAFKA_TOPIC_PREFIX),
    log: logger,
    // Supervision may have evaluated projects before this service first ran: read the topic from its start.
    fromBeginning: true,
    handle: (event, tx) => handleTrackRecord(event, tx.native),
    batchSize: PROJECTION_BATCH_SIZE,
  });
  relay.start();
  // Forwards this service's lifecycle steps (its own outbox events) to the projects' workflows.
  const bridge = config.LIFECYCLE_BRIDGE
    ? await startLifecycleBridge({
        service: 'organizations',
        kafka,
        databaseUrl: config.DATABASE_URL,
        events: ORGANIZATIONS_EVENTS,
        topicPrefix: config.KAFKA_TOPIC_PREFIX,
        temporal: temporalSettingsOf(config),
        log: logger,
      })
    : null;

  const { app } = createApp({
    uow,
    logger,
    clock: options.clock ?? systemClock,
    auth: { secret: config.AUTH_JWT_SECRET, devLogin: config.AUTH_DEV_LOGIN },
    readiness: {
      database: () => prisma.$queryRaw`select 1`,
      broker: () => kafka.ping(),
    },
  });
  const server = await startHttpServer(app, {
    port: config.PORT,
    logger,
    onShutdown: [() => consumer.stop(), async () => bridge?.stop(), () => relay.stop(), () => producer.disconnect(), () => kafka.disconnect(), () => prisma.$disconnect()],
  });
  logger.info({ port: server.port }, 'organizations service listening');
  return { port: server.port, url: `http://127.0.0.1:${server.port}`, stop: () => server.close(), prisma, logger, consumer };
}

if (require.main === module) {
  const bootLogger = createLogger({ service: 'organizations' });
  installProcessHandlers(bootLogger);
  startOrganizationsService().catch((error: unknown) => {
    bootLogger.fatal({ err: error }, 'organizations service failed to start');
    process.exit(1);
  });
}
