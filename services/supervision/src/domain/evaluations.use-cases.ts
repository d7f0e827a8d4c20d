import { randomUUID } from 'node:crypto';
import {
  EVALUATION_KIND_LABELS,
  EvaluationCompleted,
  type EvaluationIndicator,
  type EvaluationKind,
  type EvaluationSheet,
  type EvaluationView,
  type RecordEvaluationBody,
} from '@linli/contracts';
import { buildEvent } from '@linli/events';
import { ConflictError, NotFoundError, type Page } from '@linli/http';
import { scrubText } from '@linli/logger';
import type { SupervisionWork } from '../data-access/unit-of-work';
import { poolCallbacks, summarizeCallbacks } from './checks';
import { SOURCE, resourceOf, type Caller, type SupervisionDeps } from './context';
import { beijingDate } from './dates';
import { computeEvaluation } from './evaluation-score';
import { decodeCursor, pageOf } from './pagination';
import { loadContract, requirePlan, type ContractContext } from './views';

/** Gathers what the evaluation is computed from — everything recorded so far for the contract. */
async function evaluate(
  work: SupervisionWork,
  deps: SupervisionDeps,
  ctx: ContractContext,
  input: { kind: EvaluationKind; finalReportReceived: boolean; indicatorScores: Partial<Record<EvaluationIndicator, number>> },
): Promise<EvaluationSheet> {
  const project = requirePlan(ctx);
  const activities = await work.activities.ofContract(ctx.contract.id);
  const ids = activities.map((a) => a.id);
  const [photos, invoices, outcomes, satisfaction, openFindings, closeOut] = await Promise.all([
    work.activities.photosOf(ids),
    work.activities.invoicesOfContract(ctx.contract.id),
    work.callTasks.outcomesOf(ids),
    work.surveys.summary(project.id),
    work.findings.openCounts(ctx.contract.id),
    work.closeOuts.findByContract(ctx.contract.id),
  ]);
  return computeEvaluation(
    {
      kind: input.kind,
      asOf: beijingDate(deps.now()),
      planned: project.planned,
      held: activities.map((a) => ({ activityKey: a.activityKey, signInCount: a.signInCount, photoCount: photos.filter((p) => p.activityId === a.id).length })),
      invoiceCount: invoices.length,
      // The report handed in with the close-out material, or one the supervisor attests it received otherwise.
      finalReport: closeOut ? { via: 'close_out', on: beijingDate(new Date(closeOut.submittedAt)) } : input.finalReportReceived ? { via: 'attested' } : null,
      satisfaction,
      callbacks: poolCallbacks(activities.map((a) => summarizeCallbacks(outcomes.filter((o) => o.activityId === a.id).map((o) => o.outcome)))),
      openSevereFindings: openFindings.severe,
    },
    input.indicatorScores,
  );
}

/** What the evaluation would say now, without recording it (the supervisor's working view). */
export async function previewEvaluation(deps: SupervisionDeps, contractId: string, kind: EvaluationKind, caller: Caller): Promise<EvaluationSheet> {
  const ctx = await loadContract(deps.uow.read, contractId);
  caller.may(resourceOf(ctx.contract));
  return evaluate(deps.uow.read, deps, ctx, { kind, finalReportReceived: false, indicatorScores: {} });
}

/**
 * 中期检查 / 结项评估: computed from the record (see evaluation-score.ts for the formula and the pass rule),
 * with the supervisor's own indicator scores where given; one of each kind per contract. The year-end
 * evaluation assesses the organization's close-out material, so it waits until that was submitted (the
 * lifecycle likewise enters 结项评估 only with it). Publishes the pre-defined supervision.evaluation.completed
 * (the lifecycle and payments act on `passed`).
 */
export async function recordEvaluation(deps: SupervisionDeps, contractId: string, input: RecordEvaluationBody, caller: Caller): Promise<EvaluationView> {
  return deps.uow.run(async (work) => {
    const ctx = await loadContract(work, contractId, { lock: true });
    caller.may(resourceOf(ctx.contract));
    if (await work.evaluations.findByKind(contractId, input.kind)) {
      throw new ConflictError(`该合同已完成${EVALUATION_KIND_LABELS[input.kind]} (this evaluation is already recorded)`);
    }
    if (input.kind === 'year_end' && !(await work.closeOuts.findByContract(contractId))) {
      throw new ConflictError('社会组织尚未提交结项材料，不能进行结项评估 (the close-out material has not been submitted yet)', { contractId }, { code: 'CLOSE_OUT_MISSING' });
    }
    const sheet = await evaluate(work, deps, ctx, input);
    const evaluation = await work.evaluations.create({
      id: randomUUID(),
      contractId,
      projectId: ctx.contract.projectId,
      kind: input.kind,
      score: sheet.score,
      grade: sheet.grade,
      passed: sheet.passed,
      sheet,
      note: scrubText(input.note),
      createdBy: caller.actor,
    });
    await work.outbox.append(
      'supervision',
      buildEvent(EvaluationCompleted, {
        source: SOURCE,
        subject: contractId,
        actor: caller.actor,
        data: {
          evaluationId: evaluation.id,
          contractId,
          projectId: ctx.contract.projectId,
          organizationId: ctx.contract.organizationId,
          kind: input.kind,
          score: sheet.score,
          grade: sheet.grade,
          passed: sheet.passed,
        },
      }),
    );
    return evaluation;
  });
}

export async function getEvaluation(deps: SupervisionDeps, id: string, caller: Caller): Promise<EvaluationView> {
  const evaluation = await deps.uow.read.evaluations.findById(id);
  if (!evaluation) throw new NotFoundError('evaluation', id);
  const { contract } = await loadContract(deps.uow.read, evaluation.contractId);
  caller.may(resourceOf(contract));
  return evaluation;
}

export async function listEvaluations(deps: SupervisionDeps, contractId: string, query: { limit: number; cursor?: string }, caller: Caller): Promise<Page<EvaluationView>> {
  const { contract } = await loadContract(deps.uow.read, contractId);
  caller.may(resourceOf(contract));
  const rows = await deps.uow.read.evaluations.list({ contractId, limit: query.limit + 1, after: decodeCursor(query.cursor) });
  return pageOf(rows, query.limit, (items) => items);
}
