import path from 'node:path';
import { ContractSigned, topicName } from '@linli/contracts';
import { migrate } from '@linli/db';
import { startLifecycleBridge, temporalSettingsOf } from '@linli/temporal';
import { PAYMENTS_EVENTS } from '@linli/contracts';
import { createEventRegistry, createKafka, createOutboxRelay, fromPrisma, runConsumer, type RunningConsumer } from '@linli/events';
import { installProcessHandlers, startHttpServer } from '@linli/http';
import { createLogger } from '@linli/logger';
import { createApp } from './app';
import { loadPaymentsConfig, type PaymentsConfig } from './config';
import { createPaymentsPrisma, type PaymentsPrisma } from './data-access/prisma';
import { SimulatedTreasury } from './data-access/simulated-treasury.adapter';
import { createUnitOfWork } from './data-access/unit-of-work';
import { resumeInFlightTransfers } from './domain/disbursements.use-cases';
import type { PaymentsDeps } from './domain/payments.deps';
import type { TreasuryPort } from './domain/treasury.port';
import { contractSignedHandler } from './entry-points/consumers/contract-signed.consumer';
import { SUPERVISION_EVENTS_CONSUMED, supervisionHandler } from './entry-points/consumers/supervision.consumer';

export const MIGRATIONS_DIR = path.join(__dirname, '..', 'prisma', 'migrations');

export interface StartPaymentsOptions {
  /** Another treasury adapter (tests); default: the SimulatedTreasury. */
  treasury?: (prisma: PaymentsPrisma) => TreasuryPort;
}

/**
 * Starts the whole service: migrations, HTTP API, outbox relay, consumers, and the resumption of any
 * treasury instruction a crash left in flight. stop() shuts everything down in order (also on SIGTERM).
 */
export async function startPaymentsService(config: PaymentsConfig = loadPaymentsConfig(), options: StartPaymentsOptions = {}) {
  const logger = createLogger({ service: 'payments', level: config.LOG_LEVEL });
  await migrate({ databaseUrl: config.DATABASE_URL, migrationsDir: MIGRATIONS_DIR, log: (m: string) => logger.info(m) });

  const prisma = createPaymentsPrisma(config.DATABASE_URL);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'payments', log: logger });
  const producer = kafka.producer();
  await producer.connect();
  const relay = createOutboxRelay({ databaseUrl: config.DATABASE_URL, producer, log: logger });
  const uow = createUnitOfWork(prisma, () => relay.wake());
  const simulated = new SimulatedTreasury(prisma, { failureReason: config.TREASURY_SIMULATE_FAILURE });
  const treasury = options.treasury ? options.treasury(prisma) : simulated;
  if (treasury === simulated) logger.info('treasury: SimulatedTreasury — transfers are recorded and confirmed, no money moves');
  const deps: PaymentsDeps = {
    uow,
    treasury,
    policy: { finalPercentByGrade: config.FINAL_TRANCHE_PERCENT_BY_GRADE, defaultTranches: config.PAYMENT_PLAN_DEFAULT_PERCENTS },
    log: logger,
  };

  const consumers: RunningConsumer[] = [];
  if (config.PAYMENTS_CONSUMERS_ENABLED) {
    const common = { kafka, db: fromPrisma(prisma), deadLetterTopic: topicName('deadLetter', config.KAFKA_TOPIC_PREFIX), log: logger };
    consumers.push(
      await runConsumer({
        ...common,
        groupId: `${config.KAFKA_TOPIC_PREFIX}payments.plans`,
        consumerName: 'payments.plans',
        topics: [topicName('organizations', config.KAFKA_TOPIC_PREFIX)],
        registry: createEventRegistry([ContractSigned]),
        handle: contractSignedHandler(deps),
      }),
      await runConsumer({
        ...common,
        groupId: `${config.KAFKA_TOPIC_PREFIX}payments.supervision`,
        consumerName: 'payments.supervision',
        topics: [topicName('supervision', config.KAFKA_TOPIC_PREFIX)],
        registry: createEventRegistry([...SUPERVISION_EVENTS_CONSUMED]),
        handle: supervisionHandler(deps),
      }),
    );
  }
  relay.start();
  // Forwards this service's lifecycle steps (its own outbox events) to the projects' workflows.
  const bridge = config.LIFECYCLE_BRIDGE
    ? await startLifecycleBridge({
        service: 'payments',
        kafka,
        databaseUrl: config.DATABASE_URL,
        events: PAYMENTS_EVENTS,
        topicPrefix: config.KAFKA_TOPIC_PREFIX,
        temporal: temporalSettingsOf(config),
        log: logger,
      })
    : null;
  const resumed = await resumeInFlightTransfers(deps);
  if (resumed) logger.info({ resumed }, 'resumed in-flight treasury instructions');

  const { app } = createApp({
    deps,
    logger,
    auth: { secret: config.AUTH_JWT_SECRET, devLogin: config.AUTH_DEV_LOGIN },
    // Failure switches for demos and tests: only with the simulated treasury, and never in production.
    ...(treasury === simulated && config.NODE_ENV !== 'production' ? { treasurySimulation: simulated } : {}),
    readiness: {
      database: () => prisma.$queryRaw`select 1`,
      broker: () => kafka.ping(),
    },
  });
  const server = await startHttpServer(app, {
    port: config.PORT,
    logger,
    onShutdown: [
      ...consumers.map((c) => () => c.stop()),
      async () => bridge?.stop(),
      () => relay.stop(),
      () => producer.disconnect(),
      () => kafka.disconnect(),
      () => prisma.$disconnect(),
    ],
  });
  logger.info({ port: server.port }, 'payments service listening');
  return {
    port: server.port,
    url: `http://127.0.0.1:${server.port}`,
    stop: () => server.close(),
    prisma,
    logger,
    /** The shipped treasury adapter, for its failure switch (tests, demos). */
    treasury: simulated,
    /** Resolves once every consumer has joined its group (tests publish after this). */
    consumersJoined: Promise.all(consumers.map((c) => c.joined)).then(() => undefined),
  };
}

if (require.main === module) {
  const bootLogger = createLogger({ service: 'payments' });
  installProcessHandlers(bootLogger);
  startPaymentsService().catch((error: unknown) => {
    bootLogger.fatal({ err: error }, 'payments service failed to start');
    process.exit(1);
  });
}
