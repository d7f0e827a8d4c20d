/**
 * The baseline's worker, in its own process like the lifecycle worker, with the same tuning (the
 * worker's configuration defaults) and activities that do nothing.
 *   TEMPORAL_ADDRESS=... TEMPORAL_NAMESPACE=... BARE_TASK_QUEUE=... node --import tsx bench/src/bare/bare-worker.ts
 */
import { loadWorkerConfig } from '@linli/workflows';
import { DefaultLogger, NativeConnection, Runtime, Worker, makeTelemetryFilterString } from '@temporalio/worker';
import type { BareActivities } from './bare-lifecycle.workflow';

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }) } } });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const activities: BareActivities = { nothing: async () => undefined };
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: process.env.BARE_TASK_QUEUE!,
    workflowsPath: require.resolve('./bare-lifecycle.workflow'),
    activities,
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentWorkflowTaskExecutions: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    shutdownGraceTime: config.WORKER_SHUTDOWN_GRACE_MS,
  });
  process.stdout.write('bare worker running\n');
  await worker.run();
  await connection.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`bare worker failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
