import { randomUUID } from 'node:crypto';
import {
  CALL_OUTCOME_LABELS,
  CallbackRecorded,
  PhoneRevealed,
  type CallTaskView,
  type PhoneRevealLogView,
  type PhoneRevealView,
  type RecordCallOutcomeBody,
} from '@linli/contracts';
import { buildEvent } from '@linli/events';
import { ConflictError, ForbiddenError, NotFoundError, type Page } from '@linli/http';
import { scrubText } from '@linli/logger';
import type { CallTaskRecord } from '../data-access/call-task.repository';
import type { SupervisionWork } from '../data-access/unit-of-work';
import { nextStatus } from './activity-status';
import { verifyIfClear } from './activities.use-cases';
import { SOURCE, ownScope, resourceOf, visibleContracts, type Caller, type SupervisionDeps } from './context';
import { EMPTY_PAGE, decodeCursor, pageOf } from './pagination';
import { loadContract } from './views';

const toView = (task: CallTaskRecord): CallTaskView => ({ ...task, outcomeLabel: task.outcome ? CALL_OUTCOME_LABELS[task.outcome] : null });

async function loadTask(work: SupervisionWork, id: string) {
  const task = await work.callTasks.findById(id);
  if (!task) throw new NotFoundError('call task', id);
  return { task, ctx: await loadContract(work, task.contractId) };
}

/** The supervisor's work queue (电话回访任务): tasks of the contracts their agency is assigned to. */
export async function listCallTasks(
  deps: SupervisionDeps,
  query: { limit: number; cursor?: string; contractId?: string; activityId?: string; status?: 'pending' | 'done' },
  caller: Caller,
): Promise<Page<CallTaskView>> {
  caller.may(ownScope(caller.scope));
  const contracts = visibleContracts(caller.scope);
  if (!contracts) return EMPTY_PAGE;
  const { limit, cursor, ...filters } = query;
  const rows = await deps.uow.read.callTasks.list({ limit: limit + 1, after: decodeCursor(cursor), contracts, ...filters });
  return pageOf(rows, limit, (items) => items.map(toView));
}

export async function getCallTask(deps: SupervisionDeps, id: string, caller: Caller): Promise<CallTaskView> {
  const { task, ctx } = await loadTask(deps.uow.read, id);
  caller.may(resourceOf(ctx.contract));
  return toView(task);
}

/**
 * 记录回访结果. Each sampled call gets one outcome. The last one moves the activity to 已回访
 * (called_back), and — if no check blocks — straight on to 已核验 (verified).
 */
export async function recordCallOutcome(deps: SupervisionDeps, taskId: string, input: RecordCallOutcomeBody, caller: Caller): Promise<CallTaskView> {
  return deps.uow.run(async (work) => {
    const { task, ctx } = await loadTask(work, taskId);
    caller.may(resourceOf(ctx.contract));
    const activity = (await work.activities.lock(task.activityId))!;
    const recorded = await work.callTasks.recordOutcome(taskId, { outcome: input.outcome, note: scrubText(input.note), at: deps.now(), by: caller.actor });
    if (!recorded) {
      throw new ConflictError(`该回访已记录结果「${task.outcome ? CALL_OUTCOME_LABELS[task.outcome] : '—'}」(outcome already recorded)`);
    }
    const remaining = (await work.callTasks.outcomesOf([activity.id])).filter((o) => o.outcome === null).length;
    let status = activity.status;
    if (remaining === 0) {
      status = nextStatus(activity.status, 'complete_callbacks');
      await work.activities.setStatus(activity.id, status);
    }
    await work.outbox.append(
      'supervision',
      buildEvent(CallbackRecorded, {
        source: SOURCE,
        subject: activity.contractId,
        actor: caller.actor,
        data: {
          activityId: activity.id,
          contractId: activity.contractId,
          projectId: activity.projectId,
          organizationId: ctx.contract.organizationId,
          activityKey: activity.activityKey,
          status,
          callTaskId: taskId,
          outcome: input.outcome,
          remaining,
        },
      }),
    );
    if (remaining === 0) await verifyIfClear(work, deps, activity, ctx);
    return toView((await work.callTasks.findById(taskId))!);
  });
}

/**
 * 查看完整电话（回访）. The only way to see a participant's number in clear: for the supervisor whose
 * agency is assigned to the contract (checked by the policy against the contract's current agency), and
 * only for participants drawn for a call-back. Every reveal is logged (who, when, which participant) and
 * published (supervision.phone.revealed, without the number) for the audit trail.
 */
export async function revealPhone(deps: SupervisionDeps, taskId: string, caller: Caller): Promise<PhoneRevealView> {
  return deps.uow.run(async (work) => {
    const { task, ctx } = await loadTask(work, taskId);
    caller.may(resourceOf(ctx.contract));
    if (!ctx.contract.agencyId) throw new ForbiddenError('该合同尚未委托监督机构 (no agency is assigned to this contract)');
    const sealed = await work.activities.sealedParticipant(task.participant.id);
    if (!sealed) throw new NotFoundError('participant', task.participant.id);
    const phone = deps.vault.open({ ciphertext: sealed.phoneCiphertext, keyId: sealed.phoneKeyId }, sealed.id);
    const logged = await work.callTasks.logReveal({
      id: randomUUID(),
      participantId: sealed.id,
      callTaskId: task.id,
      activityId: task.activityId,
      contractId: task.contractId,
      agencyId: ctx.contract.agencyId,
      createdBy: caller.actor,
      at: deps.now(),
    });
    // The audit trail (operations) records every reveal from this event: who and which participant, never the number.
    await work.outbox.append(
      'supervision',
      buildEvent(PhoneRevealed, {
        source: SOURCE,
        subject: task.contractId,
        actor: caller.actor,
        data: {
          revealId: logged.id,
          callTaskId: task.id,
          participantId: sealed.id,
          activityId: task.activityId,
          contractId: task.contractId,
          projectId: ctx.contract.projectId,
          agencyId: ctx.contract.agencyId,
          revealedAt: logged.createdAt,
        },
      }),
    );
    return { callTaskId: task.id, participantId: sealed.id, name: sealed.name, phone, revealedAt: logged.createdAt };
  });
}

/** The reveal log of a contract, for whoever commissions its supervision (街道审核人员, admin). */
export async function listPhoneReveals(
  deps: SupervisionDeps,
  contractId: string,
  query: { limit: number; cursor?: string },
  caller: Caller,
): Promise<Page<PhoneRevealLogView>> {
  const ctx = await loadContract(deps.uow.read, contractId);
  caller.may(resourceOf(ctx.contract));
  const rows = await deps.uow.read.callTasks.listReveals({ contractId, limit: query.limit + 1, after: decodeCursor(query.cursor) });
  return pageOf(rows, query.limit, (items) => items.map(({ createdAt, createdBy, ...r }) => ({ ...r, revealedAt: createdAt, revealedBy: createdBy })));
}
