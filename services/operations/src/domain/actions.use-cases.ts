import { randomUUID } from 'node:crypto';
import { actorOf, decide, type Principal } from '@linli/auth';
import { STAGE_LABELS, type BatchFilter, type LifecycleState, type OperationsAction, type ProjectSummaryView } from '@linli/contracts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@linli/http';
import { scrubText } from '@linli/logger';
import { LifecycleStepRefusedError } from '@linli/temporal';
import type { ProjectQueryFilter } from '../data-access/project.repository';
import { LIFECYCLE_UPDATE_OF, POLICY_ACTION, visibleScopeOf } from './access-scope';
import type { AuditOutcome, AuditState } from './audit-chain';
import { recordAudit } from './audit.use-cases';
import { loadProject, refreshProject, resourceOf, type OperationsDeps } from './projects.use-cases';
import { waitingOnOf, type ProjectRecord } from './read-model';
import { toSummaryView } from './views';

/** The most a batch may touch at once: larger sets are narrowed by filter first. */
export const BATCH_LIMIT = 200;
const BATCH_CONCURRENCY = 4;

export interface ActionInput {
  reason: string;
  assigneeUserId?: string;
  assigneeName?: string;
}

/** StepActor for the workflow's validators: the verified principal, never something the client sent. */
function stepActorOf(principal: Principal) {
  return { userId: principal.userId, role: principal.role, scope: { kind: principal.scope.kind, id: principal.scope.id } };
}

function payloadFor(action: OperationsAction, input: ActionInput, principal: Principal): Record<string, unknown> {
  const by = stepActorOf(principal);
  switch (action) {
    case 'retry':
    case 'skip':
      return { action, reason: input.reason, by };
    case 'reassign':
      return { assigneeUserId: input.assigneeUserId, ...(input.assigneeName ? { assigneeName: scrubText(input.assigneeName) } : {}), reason: input.reason, by };
    default:
      return { reason: input.reason, by };
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** What an action can change of a lifecycle, for the audit's before and after. */
function lifecycleFacts(s: { stage: string; waitingOn: string | null; parkedStep: string | null; assigneeUserId: string | null; needsAttention: boolean; outcome: string | null }): AuditState {
  return { stage: s.stage, stageLabel: STAGE_LABELS[s.stage as ProjectRecord['stage']] ?? s.stage, waitingOn: s.waitingOn, parkedStep: s.parkedStep, assigneeUserId: s.assigneeUserId, needsAttention: s.needsAttention, outcome: s.outcome };
}
const factsOfState = (state: LifecycleState) =>
  lifecycleFacts({ stage: state.stage, waitingOn: waitingOnOf(state), parkedStep: state.parked?.step ?? null, assigneeUserId: state.assignee?.userId ?? null, needsAttention: state.needsAttention, outcome: state.outcome });

/** One operations action on the chain, in its own transaction (the Update has happened, or was refused, by now). */
async function auditAction(
  deps: OperationsDeps,
  principal: Principal,
  entry: { action: OperationsAction; projectId: string | null; reason: string; outcome: AuditOutcome; error: string | null; batchId: string | null; before: AuditState | null; after: AuditState | null },
) {
  const now = (deps.now ?? (() => new Date()))();
  const id = randomUUID();
  return deps.uow.run((work) =>
    recordAudit(work, { id, at: now.toISOString(), actor: actorOf(principal), ...entry, source: { service: 'operations', eventId: id, type: null } }),
  );
}

/**
 * One operator/admin action on a project: authorized by the policy table (403), sent to the workflow
 * as an Update (which checks again and may refuse: 409 with its reason), audited whatever the outcome,
 * and the read model refreshed from the workflow right after.
 */
export async function performAction(
  deps: OperationsDeps,
  principal: Principal,
  projectId: string,
  action: OperationsAction,
  input: ActionInput,
  opts: { batchId?: string } = {},
): Promise<{ auditId: string; project: ProjectSummaryView }> {
  // Free text: a mobile number in it is masked before it reaches the workflow's timeline, its events and the audit.
  const reason = scrubText(input.reason.trim());
  if (!reason) throw new ValidationError('须写明理由 (a reason is required)', [{ path: 'body.reason', message: 'required' }]);
  const row = await loadProject(deps, projectId);
  const before = lifecycleFacts(row);
  const audit = (outcome: AuditOutcome, error: string | null, after: AuditState | null = null) =>
    auditAction(deps, principal, { action, projectId, reason, outcome, error, batchId: opts.batchId ?? null, before, after });

  const decision = decide(principal, POLICY_ACTION[action], await resourceOf(deps.uow.read, row));
  if (!decision.allowed) {
    await audit('forbidden', decision.reason);
    throw new ForbiddenError(decision.reason);
  }

  let state: LifecycleState;
  try {
    state = await deps.lifecycles.update(projectId, LIFECYCLE_UPDATE_OF[action], payloadFor(action, { ...input, reason }, principal));
  } catch (error) {
    await audit(error instanceof LifecycleStepRefusedError ? 'refused' : 'failed', messageOf(error));
    throw error;
  }
  // After: the state the Update answered with (the read model catches up a moment later).
  const entry = await audit('ok', null, factsOfState(state));
  // The workflow may have moved on already (a retried step succeeding): read it rather than trust the Update's answer.
  const now = (deps.now ?? (() => new Date()))();
  const refreshed = await deps.uow.run((work) => refreshProject(work, deps.lifecycles, projectId, 'action', now));
  const record = refreshed?.record ?? row;
  const names = await deps.uow.read.events.names([record.subDistrictId, record.organizationId, record.communityId ?? '']);
  return { auditId: entry.id, project: toSummaryView(record, names, now) };
}

/**
 * An action refused by the route's role check, before its input was read: on record all the same, with the
 * project id only when it is one (the path is unvalidated there) and whatever reason the caller wrote.
 */
export async function auditRefusedAction(
  deps: OperationsDeps,
  principal: Principal,
  action: OperationsAction,
  attempt: { projectId: string | null; reason: unknown },
  refusal: string,
): Promise<void> {
  const reason = typeof attempt.reason === 'string' ? scrubText(attempt.reason.trim()).slice(0, 500) : '';
  await auditAction(deps, principal, { action, projectId: attempt.projectId, reason, outcome: 'forbidden', error: refusal, batchId: null, before: null, after: null });
}

function batchQueryFilter(filter: BatchFilter): ProjectQueryFilter {
  return {
    stage: filter.stage === undefined ? undefined : Array.isArray(filter.stage) ? filter.stage : [filter.stage],
    subDistrictId: filter.subDistrictId,
    communityId: filter.communityId,
    organizationId: filter.organizationId,
    fiscalYear: filter.fiscalYear,
    waitingOn: filter.waitingOn,
    level: filter.level,
    q: filter.q,
    parkedStepPrefix: filter.parkedStepPrefix,
    parkedSince: filter.parkedSince,
    parked: true,
  };
}

function authorizeBatch(principal: Principal) {
  // Retry is an admin's act (lifecycle.admin); the preview answers the same question, so it asks the same.
  const d = decide(principal, 'lifecycle.admin', {});
  if (!d.allowed) throw new ForbiddenError(d.reason);
  return visibleScopeOf(principal);
}

async function batchMatches(deps: OperationsDeps, principal: Principal, filter: BatchFilter): Promise<{ rows: ProjectRecord[]; count: number }> {
  const scope = authorizeBatch(principal);
  const now = (deps.now ?? (() => new Date()))();
  const qf = batchQueryFilter(filter);
  const [rows, count] = await Promise.all([deps.uow.read.projects.parkedMatching(scope, qf, BATCH_LIMIT, now), deps.uow.read.projects.count(scope, qf, now)]);
  return { rows, count };
}

/** 批量重试（预览）: how many parked lifecycles the filter selects, and which. */
export async function previewBatchRetry(deps: OperationsDeps, principal: Principal, filter: BatchFilter) {
  const { rows, count } = await batchMatches(deps, principal, filter);
  return {
    count,
    limit: BATCH_LIMIT,
    items: rows.map((r) => ({ projectId: r.projectId, title: r.title, stage: r.stage, stageLabel: STAGE_LABELS[r.stage], step: r.parkedStep ?? '', error: r.parkedError ?? '', since: r.parkedSince ?? r.updatedAt })),
  };
}

/**
 * 批量重试: refuses (409) when the selection no longer has the count the operator confirmed; otherwise
 * retries each parked step, and reports each outcome (ok / refused with the workflow's reason / failed).
 * Every attempt is audited under one batch id.
 */
export async function executeBatchRetry(deps: OperationsDeps, principal: Principal, input: { filter: BatchFilter; reason: string; expectedCount: number }) {
  const { rows, count } = await batchMatches(deps, principal, input.filter);
  if (count !== input.expectedCount) {
    throw new ConflictError(`选中的项目数量已变化：预览时 ${input.expectedCount} 个，现在 ${count} 个，请重新预览 (the selection changed since the preview: expected ${input.expectedCount}, now ${count})`);
  }
  if (count > BATCH_LIMIT) throw new ConflictError(`一次最多重试 ${BATCH_LIMIT} 个，请缩小筛选范围 (at most ${BATCH_LIMIT} per batch)`);
  const batchId = randomUUID();
  const results: { projectId: string; title: string; outcome: 'ok' | 'refused' | 'failed'; reason: string | null; stage: ProjectRecord['stage'] | null }[] = [];
  const queue = [...rows];
  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      try {
        const done = await performAction(deps, principal, row.projectId, 'retry', { reason: input.reason }, { batchId });
        results.push({ projectId: row.projectId, title: row.title, outcome: 'ok', reason: null, stage: done.project.stage });
      } catch (error) {
        const refused = error instanceof LifecycleStepRefusedError || error instanceof ForbiddenError || error instanceof NotFoundError;
        results.push({ projectId: row.projectId, title: row.title, outcome: refused ? 'refused' : 'failed', reason: messageOf(error), stage: row.stage });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, rows.length) }, worker));
  const order = new Map(rows.map((r, i) => [r.projectId, i]));
  results.sort((a, b) => order.get(a.projectId)! - order.get(b.projectId)!);
  return {
    batchId,
    count,
    ok: results.filter((r) => r.outcome === 'ok').length,
    refused: results.filter((r) => r.outcome === 'refused').length,
    failed: results.filter((r) => r.outcome === 'failed').length,
    results,
  };
}
