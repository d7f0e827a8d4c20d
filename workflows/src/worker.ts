import { createLogger, type Logger } from '@linli/logger';
import { TASK_QUEUES, linliDataConverter, payloadCodecFromConfig } from '@linli/temporal';
import { DefaultLogger, NativeConnection, Runtime, Worker, makeTelemetryFilterString, type LogLevel } from '@temporalio/worker';
import { createCommunitiesActivities } from './activities/communities.activities';
import { systemTokenProvider } from './activities/system-token';
import { createLifecycleEventPublisher } from './activities/lifecycle-events.activity';
import { createPaymentsActivities } from './activities/payments.activities';
import { createKafka } from '@linli/events';
import { loadWorkerConfig, type WorkerConfig } from './config';
import type { LifecycleActivities } from './project-lifecycle/lifecycle.activities';

let runtimeInstalled = false;

const SDK_LEVELS: Record<string, LogLevel> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR', fatal: 'ERROR' };

/**
 * The SDK's runtime is process-wide and installed once: its log lines go through our logger (so the
 * same redaction applies), and its metrics are served for Prometheus when an address is configured.
 */
function installRuntime(config: WorkerConfig, logger: Logger): void {
  if (runtimeInstalled) return;
  const level = SDK_LEVELS[config.LOG_LEVEL] ?? 'INFO';
  Runtime.install({
    logger: new DefaultLogger(level, ({ level: l, message, meta }) => {
      const method = l === 'ERROR' ? 'error' : l === 'WARN' ? 'warn' : l === 'INFO' ? 'info' : 'debug';
      logger[method]({ sdk: meta }, message);
    }),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: level === 'TRACE' ? 'DEBUG' : 'WARN' }) },
      ...(config.WORKER_METRICS_ADDRESS ? { metrics: { prometheus: { bindAddress: config.WORKER_METRICS_ADDRESS } } } : {}),
    },
  });
  runtimeInstalled = true;
}

/** Builds the lifecycle worker (not yet running). Tests create it in-process with their own task queue. */
export async function createLifecycleWorker(config: WorkerConfig, logger: Logger = createLogger({ service: 'worker', level: config.LOG_LEVEL })) {
  installRuntime(config, logger);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'lifecycle-worker', log: logger });
  const producer = kafka.producer();
  const token = systemTokenProvider(config.AUTH_JWT_SECRET);
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: `${config.TEMPORAL_TASK_QUEUE_PREFIX}${TASK_QUEUES.lifecycle}`,
    workflowsPath: require.resolve('./workflows'),
    dataConverter: linliDataConverter(payloadCodecFromConfig(config)),
    // `satisfies`: every activity the workflows declare has an implementation here, or this does not compile
    // (an unregistered activity would only show at run time, as a lifecycle parked for ever).
    activities: {
      ...createCommunitiesActivities({ communitiesUrl: config.COMMUNITIES_URL, token }),
      ...createPaymentsActivities({ paymentsUrl: config.PAYMENTS_URL, token }),
      publishLifecycleEvent: createLifecycleEventPublisher({ producer, topicPrefix: config.KAFKA_TOPIC_PREFIX }),
    } satisfies LifecycleActivities,
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentWorkflowTaskExecutions: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    shutdownGraceTime: config.WORKER_SHUTDOWN_GRACE_MS,
  });
  /** Closes what the worker opened besides the worker itself (call after worker.run() resolves). */
  const close = async () => {
    await producer.disconnect().catch(() => undefined);
    await kafka.disconnect().catch(() => undefined);
    await connection.close();
  };
  return { worker, connection, close };
}

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const logger = createLogger({ service: 'worker', level: config.LOG_LEVEL });
  const { worker, close } = await createLifecycleWorker(config, logger);
  logger.info({ taskQueue: worker.options.taskQueue, metrics: config.WORKER_METRICS_ADDRESS || 'off' }, 'lifecycle worker running');
  // Worker.run() resolves after SIGINT/SIGTERM: the SDK stops polling and lets running tasks finish
  // within shutdownGraceTime before the process exits.
  await worker.run();
  await close();
  logger.info('lifecycle worker stopped');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    // eslint-disable-next-line no-console
    console.error('lifecycle worker failed:', error);
    process.exit(1);
  });
}
