import path from 'node:path';
import { topicName } from '@linli/contracts';
import { migrate } from '@linli/db';
import { startLifecycleBridge, temporalSettingsOf } from '@linli/temporal';
import { SUPERVISION_EVENTS } from '@linli/contracts';
import { createEventRegistry, createKafka, createOutboxRelay, fromPrisma, PROJECTION_BATCH_SIZE, runConsumer } from '@linli/events';
import { installProcessHandlers, startHttpServer } from '@linli/http';
import { createLogger, type Logger } from '@linli/logger';
import { createApp } from './app';
import { loadSupervisionConfig, type SupervisionConfig } from './config';
import { phoneVaultFromConfig } from './data-access/phone-vault';
import { createSupervisionPrisma } from './data-access/prisma';
import { createUnitOfWork } from './data-access/unit-of-work';
import type { SupervisionDeps } from './domain/context';
import { randomSampler, type Sampler } from './domain/sampling';
import { PROJECTED_EVENTS, projectionHandler } from './entry-points/consumers/projection.consumer';

export const MIGRATIONS_DIR = path.join(__dirname, '..', 'prisma', 'migrations');

/** What tests may replace: the call-back draw, the clock, where log lines go. */
export interface SupervisionOverrides {
  sampler?: Sampler;
  now?: () => Date;
  logger?: Logger;
}

/**
 * Starts the whole service: migrations, HTTP API, outbox relay, the projection consumer. Returns a handle
 * whose stop() shuts everything down in order (also wired to SIGTERM by startHttpServer).
 */
export async function startSupervisionService(config: SupervisionConfig = loadSupervisionConfig(), overrides: SupervisionOverrides = {}) {
  const logger = overrides.logger ?? createLogger({ service: 'supervision', level: config.LOG_LEVEL });
  await migrate({ databaseUrl: config.DATABASE_URL, migrationsDir: MIGRATIONS_DIR, log: (m: string) => logger.info(m) });

  const prisma = createSupervisionPrisma(config.DATABASE_URL);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'supervision', log: logger });
  const producer = kafka.producer();
  await producer.connect();
  const relay = createOutboxRelay({ databaseUrl: config.DATABASE_URL, producer, log: logger });
  const uow = createUnitOfWork(prisma, () => relay.wake(), config.KAFKA_TOPIC_PREFIX);
  const deps: SupervisionDeps = {
    uow,
    vault: phoneVaultFromConfig(config),
    sampler: overrides.sampler ?? randomSampler,
    now: overrides.now ?? (() => new Date()),
    rules: {
      sampleRate: config.CALLBACK_SAMPLE_RATE,
      sampleMin: config.CALLBACK_SAMPLE_MIN,
      headcountMinRatio: config.HEADCOUNT_MIN_RATIO,
      discrepancyMaxRate: config.DISCREPANCY_MAX_RATE,
    },
  };

  const consumer = await runConsumer({
    kafka,
    groupId: `${config.KAFKA_TOPIC_PREFIX}supervision.projection`,
    consumerName: 'supervision.projection',
    topics: [topicName('communities', config.KAFKA_TOPIC_PREFIX), topicName('organizations', config.KAFKA_TOPIC_PREFIX)],
    registry: createEventRegistry([...PROJECTED_EVENTS]),
    db: fromPrisma(prisma),
    deadLetterTopic: topicName('deadLetter', config.KAFKA_TOPIC_PREFIX),
    log: logger,
    handle: projectionHandler(uow),
    batchSize: PROJECTION_BATCH_SIZE,
  });
  relay.start();
  // Forwards this service's lifecycle steps (its own outbox events) to the projects' workflows.
  const bridge = config.LIFECYCLE_BRIDGE
    ? await startLifecycleBridge({
        service: 'supervision',
        kafka,
        databaseUrl: config.DATABASE_URL,
        events: SUPERVISION_EVENTS,
        topicPrefix: config.KAFKA_TOPIC_PREFIX,
        temporal: temporalSettingsOf(config),
        log: logger,
      })
    : null;

  const { app } = createApp({
    deps,
    logger,
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
  logger.info({ port: server.port }, 'supervision service listening');
  return {
    port: server.port,
    url: `http://127.0.0.1:${server.port}`,
    stop: () => server.close(),
    prisma,
    logger,
    /** Resolves once the projection consumer has joined its group (tests publish after this). */
    consumerJoined: consumer.joined,
  };
}

if (require.main === module) {
  const bootLogger = createLogger({ service: 'supervision' });
  installProcessHandlers(bootLogger);
  startSupervisionService().catch((error: unknown) => {
    bootLogger.fatal({ err: error }, 'supervision service failed to start');
    process.exit(1);
  });
}
