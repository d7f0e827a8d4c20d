import path from 'node:path';
import { LIFECYCLE_EVENTS, topicName } from '@linli/contracts';
import { migrate } from '@linli/db';
import { createEventRegistry, createKafka, fromPrisma, runConsumer } from '@linli/events';
import { installProcessHandlers, startHttpServer } from '@linli/http';
import { createLogger } from '@linli/logger';
import { createTemporalClient, pingTemporal, temporalSettingsOf } from '@linli/temporal';
import { createApp } from './app';
import { loadOperationsConfig, type OperationsConfig } from './config';
import { createChangeListener } from './data-access/change-feed';
import { lifecyclesGateway } from './data-access/lifecycles.gateway';
import { createOperationsPrisma } from './data-access/prisma';
import { createUnitOfWork } from './data-access/unit-of-work';
import type { OperationsDeps } from './domain/projects.use-cases';
import { createReconciler } from './domain/reconcile.use-case';
import { lifecycleEventHandler } from './entry-points/consumers/lifecycle-events.consumer';
import { SERVICE_TOPICS, serviceEventDefinitions, serviceEventHandler } from './entry-points/consumers/service-events.consumer';
import { streamMiddleware } from './entry-points/http/stream.routes';

export const MIGRATIONS_DIR = path.join(__dirname, '..', 'prisma', 'migrations');
export const CONSOLE_DIST = path.join(__dirname, '..', 'web', 'dist');

/**
 * Starts the whole service: migrations, the read model's consumers (lifecycle events; the four
 * services' events), the reconciler, the change listener behind the live stream, the HTTP API and the
 * console. stop() shuts everything down in order (also wired to SIGTERM by startHttpServer).
 */
export async function startOperationsService(config: OperationsConfig = loadOperationsConfig()) {
  const logger = createLogger({ service: 'operations', level: config.LOG_LEVEL });
  await migrate({ databaseUrl: config.DATABASE_URL, migrationsDir: MIGRATIONS_DIR, log: (m: string) => logger.info(m) });

  const prisma = createOperationsPrisma(config.DATABASE_URL);
  const uow = createUnitOfWork(prisma);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'operations', log: logger });
  const temporalSettings = temporalSettingsOf(config);
  const { client: temporal, connection } = await createTemporalClient(temporalSettings);
  const deps: OperationsDeps = {
    uow,
    lifecycles: lifecyclesGateway(temporal, { taskQueue: config.LIFECYCLE_TASK_QUEUE, queryTimeoutMs: config.LIFECYCLE_QUERY_TIMEOUT_MS }),
    temporalUi: { url: config.TEMPORAL_UI_URL, namespace: config.TEMPORAL_NAMESPACE },
  };
  const changes = createChangeListener({ databaseUrl: config.DATABASE_URL, log: logger });
  const prefix = config.KAFKA_TOPIC_PREFIX;

  // New consumer groups read the topics' retained history: lifecycle events only trigger idempotent
  // refreshes, and service events are the only source of a project's service timeline.
  const lifecycleConsumer = await runConsumer({
    kafka,
    groupId: `${prefix}operations.read-model`,
    consumerName: 'operations.read-model',
    topics: [topicName('lifecycle', prefix)],
    registry: createEventRegistry([...LIFECYCLE_EVENTS]),
    db: fromPrisma(prisma),
    deadLetterTopic: topicName('deadLetter', prefix),
    log: logger,
    fromBeginning: true,
    handle: lifecycleEventHandler(deps, logger),
  });
  const serviceConsumer = await runConsumer({
    kafka,
    groupId: `${prefix}operations.project-events`,
    consumerName: 'operations.project-events',
    topics: SERVICE_TOPICS.map((s) => topicName(s, prefix)),
    registry: createEventRegistry(serviceEventDefinitions()),
    db: fromPrisma(prisma),
    deadLetterTopic: topicName('deadLetter', prefix),
    log: logger,
    fromBeginning: true,
    handle: serviceEventHandler(deps),
  });

  const reconciler = createReconciler(deps, logger);
  reconciler.start(config.RECONCILE_INTERVAL_MS, config.RECONCILE_AT_START);

  const stream = streamMiddleware({
    secret: config.AUTH_JWT_SECRET,
    heartbeatMs: config.STREAM_HEARTBEAT_MS,
    changes,
    supervisorOf: (projectId) => uow.read.events.supervisorOf(projectId),
    log: logger,
  });
  const { app } = createApp({
    deps,
    reconciler,
    logger,
    auth: { secret: config.AUTH_JWT_SECRET, devLogin: config.AUTH_DEV_LOGIN },
    stream: stream.middleware,
    consoleDir: config.CONSOLE_DIR || CONSOLE_DIST,
    codec: { codec: temporalSettings.codec, namespace: config.TEMPORAL_NAMESPACE, allowedOrigins: config.CODEC_ALLOWED_ORIGINS },
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
      () => reconciler.stop(),
      () => lifecycleConsumer.stop(),
      () => serviceConsumer.stop(),
      () => kafka.disconnect(),
      () => changes.stop(),
      () => connection.close(),
      () => prisma.$disconnect(),
    ],
  });
  logger.info({ port: server.port }, 'operations service listening');
  return {
    port: server.port,
    url: `http://127.0.0.1:${server.port}`,
    prisma,
    logger,
    /** Resolves when both consumers have joined their groups and the change listener is listening. */
    ready: Promise.all([lifecycleConsumer.joined, serviceConsumer.joined, changes.ready]).then(() => undefined),
    reconcile: (full = false) => reconciler.run(full),
    stop: async () => {
      // Live streams never finish by themselves: end them first so the drain does not wait for them.
      stream.closeAll();
      await server.close();
    },
  };
}

if (require.main === module) {
  const bootLogger = createLogger({ service: 'operations' });
  installProcessHandlers(bootLogger);
  startOperationsService().catch((error: unknown) => {
    bootLogger.fatal({ err: error }, 'operations service failed to start');
    process.exit(1);
  });
}
