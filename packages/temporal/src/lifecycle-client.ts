import { LIFECYCLE_QUERIES, LIFECYCLE_UPDATES, trancheWorkflowId, type LifecycleInput, type LifecycleState } from '@linli/contracts';
import { ConflictError, NotFoundError } from '@linli/http';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { taskQueue, workflowIds } from './task-queues';

/** The lifecycle refused a step (wrong stage, role or version): a 409 with the workflow's own reason. */
export class LifecycleStepRefusedError extends ConflictError {}

function translate(projectId: string, error: unknown): never {
  if (error instanceof WorkflowUpdateFailedError) {
    const reason = (error.cause as Error | undefined)?.message ?? error.message;
    throw new LifecycleStepRefusedError(`项目流程拒绝此操作：${reason}`);
  }
  if (error instanceof WorkflowNotFoundError) throw new NotFoundError('project lifecycle', projectId);
  throw error;
}

/**
 * How services drive a project's lifecycle: each human step is an Update on `project-<id>` that returns
 * the new state, or a 409 naming why the workflow refused it.
 */
export function lifecycleClient(client: Client) {
  const handle = (projectId: string) => client.workflow.getHandle(workflowIds.project(projectId));
  return {
    /** Starts the project's lifecycle; a second start for the same project is a no-op (business id). */
    async ensureStarted(input: LifecycleInput): Promise<'started' | 'existing'> {
      try {
        await client.workflow.start('projectLifecycle', { taskQueue: taskQueue('lifecycle'), workflowId: workflowIds.project(input.projectId), args: [input] });
        return 'started';
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) return 'existing';
        throw error;
      }
    },
    async update(projectId: string, name: keyof typeof LIFECYCLE_UPDATES, payload: unknown): Promise<LifecycleState> {
      try {
        return await handle(projectId).executeUpdate<LifecycleState, [unknown]>(LIFECYCLE_UPDATES[name], { args: [payload] });
      } catch (error) {
        return translate(projectId, error);
      }
    },
    async state(projectId: string): Promise<LifecycleState> {
      try {
        return await handle(projectId).query<LifecycleState>(LIFECYCLE_QUERIES.state);
      } catch (error) {
        return translate(projectId, error);
      }
    },
    /** Payments reports a tranche's outcome to the tranche's child workflow. */
    async reportTranche(projectId: string, kind: 'start_up' | 'mid_term' | 'final', outcome: { outcome: 'paid' | 'failed'; amountFen: number; reason?: string }): Promise<void> {
      try {
        await client.workflow.getHandle(trancheWorkflowId(workflowIds.project(projectId), kind)).executeUpdate('trancheSettled', { args: [outcome] });
      } catch (error) {
        translate(projectId, error);
      }
    },
  };
}
export type LifecycleClient = ReturnType<typeof lifecycleClient>;
