import { LIFECYCLE_QUERIES, type LifecycleState } from '@linli/contracts';
import { SEARCH_ATTRIBUTES, lifecycleClient, workflowIds } from '@linli/temporal';
import { WorkflowNotFoundError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import { SearchAttributeType, defineSearchAttributeKey, type TypedSearchAttributes } from '@temporalio/common';
import type { VisibilityFacts } from '../domain/read-model';

/**
 * The lifecycle workflows, as operations reads and drives them: describe + query a project's state,
 * list lifecycles from Temporal visibility (the reconciler), and send Updates (the actions).
 */
export interface VisibilityRecord extends VisibilityFacts {
  projectId: string;
  subDistrictId: string | null;
  communityId: string | null;
  organizationId: string | null;
  level: string | null;
  fiscalYear: number | null;
}

export type LifecycleSnapshot =
  | { kind: 'state'; status: string; state: LifecycleState }
  /** The workflow exists but its state could not be read (e.g. a closed run with no worker to replay it). */
  | { kind: 'visibility'; status: string; visibility: VisibilityRecord; error: string };

const key = {
  stage: defineSearchAttributeKey(SEARCH_ATTRIBUTES.stage.name, SearchAttributeType.KEYWORD),
  subDistrict: defineSearchAttributeKey(SEARCH_ATTRIBUTES.subDistrict.name, SearchAttributeType.KEYWORD),
  community: defineSearchAttributeKey(SEARCH_ATTRIBUTES.community.name, SearchAttributeType.KEYWORD),
  organization: defineSearchAttributeKey(SEARCH_ATTRIBUTES.organization.name, SearchAttributeType.KEYWORD),
  level: defineSearchAttributeKey(SEARCH_ATTRIBUTES.projectLevel.name, SearchAttributeType.KEYWORD),
  waitingOn: defineSearchAttributeKey(SEARCH_ATTRIBUTES.waitingOn.name, SearchAttributeType.KEYWORD),
  fiscalYear: defineSearchAttributeKey(SEARCH_ATTRIBUTES.fiscalYear.name, SearchAttributeType.INT),
  stageEnteredAt: defineSearchAttributeKey(SEARCH_ATTRIBUTES.stageEnteredAt.name, SearchAttributeType.DATETIME),
  deadline: defineSearchAttributeKey(SEARCH_ATTRIBUTES.deadline.name, SearchAttributeType.DATETIME),
  needsAttention: defineSearchAttributeKey(SEARCH_ATTRIBUTES.needsAttention.name, SearchAttributeType.BOOL),
};

const PROJECT_PREFIX = 'project-';

function visibilityOf(projectId: string, status: string, sa: TypedSearchAttributes): VisibilityRecord {
  const date = (d: Date | undefined) => (d ? d.toISOString() : null);
  return {
    projectId,
    status: status.toLowerCase(),
    stage: sa.get(key.stage) ?? null,
    subDistrictId: sa.get(key.subDistrict) ?? null,
    communityId: sa.get(key.community) ?? null,
    organizationId: sa.get(key.organization) ?? null,
    level: sa.get(key.level) ?? null,
    waitingOn: sa.get(key.waitingOn) ?? 'none',
    fiscalYear: sa.get(key.fiscalYear) ?? null,
    stageEnteredAt: date(sa.get(key.stageEnteredAt)),
    deadline: date(sa.get(key.deadline)),
    needsAttention: sa.get(key.needsAttention) ?? null,
  };
}

export interface LifecyclesGatewayOptions {
  /** Only lifecycles on this task queue are listed (the deployment's lifecycle queue; a test's own queue). */
  taskQueue: string;
  /** A query that no worker answers must not hold a consumer forever. */
  queryTimeoutMs: number;
}

export function lifecyclesGateway(client: Client, { taskQueue, queryTimeoutMs }: LifecyclesGatewayOptions) {
  const lifecycles = lifecycleClient(client);
  const withTimeout = <T>(fn: () => Promise<T>) => client.withDeadline(Date.now() + queryTimeoutMs, fn);

  return {
    /** The project's state now; null when no such lifecycle exists. Throws only when Temporal itself fails. */
    async fetch(projectId: string): Promise<LifecycleSnapshot | null> {
      const handle = client.workflow.getHandle(workflowIds.project(projectId));
      let description;
      try {
        description = await withTimeout(() => handle.describe());
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return null;
        throw error;
      }
      const status = description.status.name.toLowerCase();
      try {
        const state =
          status === 'completed'
            ? await withTimeout(() => handle.result() as Promise<LifecycleState>)
            : await withTimeout(() => handle.query<LifecycleState>(LIFECYCLE_QUERIES.state));
        return { kind: 'state', status, state };
      } catch (error) {
        return { kind: 'visibility', status, visibility: visibilityOf(projectId, status, description.typedSearchAttributes), error: (error as Error).message };
      }
    },
    /** Every lifecycle in visibility (Temporal pages through them), newest first. */
    async *list(pageSize = 500): AsyncGenerator<VisibilityRecord> {
      const query = `WorkflowType = 'projectLifecycle' AND TaskQueue = '${taskQueue.replace(/'/g, "''")}'`;
      for await (const info of client.workflow.list({ query, pageSize }) as AsyncIterable<WorkflowExecutionInfo>) {
        if (!info.workflowId.startsWith(PROJECT_PREFIX)) continue;
        yield visibilityOf(info.workflowId.slice(PROJECT_PREFIX.length), info.status.name, info.typedSearchAttributes);
      }
    },
    /** Sends an Update; the workflow's refusal becomes LifecycleStepRefusedError (409 with its reason). */
    update: lifecycles.update,
  };
}
export type LifecyclesGateway = ReturnType<typeof lifecyclesGateway>;
