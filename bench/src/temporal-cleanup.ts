import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { inParallel, sleep } from './context';

/**
 * Terminates every workflow this run left running (its task queues all start with the run's prefix), so
 * the shared Temporal server does not keep thousands of bench lifecycles with timers. One server-side
 * batch operation per task queue (visibility cannot match a queue prefix, so the run names its queues);
 * if the server refuses batches, one by one.
 */
/** temporal.api.enums.v1.BatchOperationState.BATCH_OPERATION_STATE_RUNNING */
const BATCH_RUNNING = 1;

export async function terminateRunWorkflows(client: Client, queues: readonly string[], log: (line: string) => void): Promise<number> {
  const namespace = client.options.namespace;
  let total = 0;
  for (const queue of queues) {
    const query = `TaskQueue = '${queue}' AND ExecutionStatus = 'Running'`;
    const { count } = await client.workflowService.countWorkflowExecutions({ namespace, query });
    const n = Number(count ?? 0);
    if (n === 0) continue;
    total += n;
    log(`terminating ${n} workflows left on ${queue} ...`);
    try {
      const jobId = randomUUID();
      await client.workflowService.startBatchOperation({ namespace, jobId, visibilityQuery: query, reason: 'bench run finished', terminationOperation: {} });
      for (let i = 0; i < 600; i++) {
        const d = await client.workflowService.describeBatchOperation({ namespace, jobId });
        if (d.state !== BATCH_RUNNING) break;
        await sleep(1_000);
      }
    } catch (error) {
      log(`batch termination refused (${(error as Error).message}); terminating one by one`);
      const ids: string[] = [];
      for await (const info of client.workflow.list({ query, pageSize: 1000 })) ids.push(info.workflowId);
      await inParallel(ids, 20, (id) => client.workflow.getHandle(id).terminate('bench run finished').catch(() => undefined));
    }
  }
  return total;
}
