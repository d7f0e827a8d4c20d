import { randomUUID } from 'node:crypto';
import {
  FindingClosed,
  FindingRaised,
  FindingRectified,
  SEVERITY_LABELS,
  type FindingStatus,
  type FindingView,
  type RaiseFindingBody,
  type Severity,
} from '@linli/contracts';
import { buildEvent } from '@linli/events';
import { ConflictError, NotFoundError, ValidationError, type Page } from '@linli/http';
import { scrubText } from '@linli/logger';
import type { FindingRecord } from '../data-access/finding.repository';
import type { SupervisionWork } from '../data-access/unit-of-work';
import { SOURCE, ownScope, resourceOf, visibleContracts, type Caller, type SupervisionDeps } from './context';
import { beijingDate } from './dates';
import { EMPTY_PAGE, decodeCursor, pageOf } from './pagination';
import { loadContract } from './views';

/**
 * 问题 (findings): open → rectified (the organization reports its rectification) → closed (the supervisor
 * accepts it). Overdue: still open — no rectification submitted — after the deadline (整改期限). Raising
 * and closing publish the pre-defined events payments listens to (a severe finding freezes payment).
 */
export function isOverdue(finding: Pick<FindingRecord, 'status' | 'rectifyBy'>, today: string): boolean {
  return finding.status === 'open' && finding.rectifyBy < today;
}

function toView(finding: FindingRecord, today: string): FindingView {
  return {
    id: finding.id,
    contractId: finding.contractId,
    projectId: finding.projectId,
    organizationId: finding.organizationId,
    activityId: finding.activityId,
    severity: finding.severity,
    severityLabel: SEVERITY_LABELS[finding.severity],
    summary: finding.summary,
    details: finding.details,
    rectifyBy: finding.rectifyBy,
    status: finding.status,
    overdue: isOverdue(finding, today),
    rectification:
      finding.rectification !== null && finding.rectifiedAt && finding.rectifiedBy
        ? { note: finding.rectification, at: finding.rectifiedAt, by: finding.rectifiedBy }
        : null,
    closure: finding.closingNote !== null && finding.closedAt && finding.closedBy ? { note: finding.closingNote, at: finding.closedAt, by: finding.closedBy } : null,
    createdAt: finding.createdAt,
    createdBy: finding.createdBy,
  };
}

async function loadFinding(work: SupervisionWork, id: string, opts: { lock?: boolean } = {}) {
  const finding = opts.lock ? await work.findings.lock(id) : await work.findings.findById(id);
  if (!finding) throw new NotFoundError('finding', id);
  return { finding, ctx: await loadContract(work, finding.contractId) };
}

export async function raiseFinding(deps: SupervisionDeps, contractId: string, input: RaiseFindingBody, caller: Caller): Promise<FindingView> {
  return deps.uow.run(async (work) => {
    const { contract } = await loadContract(work, contractId);
    caller.may(resourceOf(contract));
    const today = beijingDate(deps.now());
    const errors = [];
    if (input.rectifyBy < today) errors.push({ path: 'body.rectifyBy', message: '整改期限不能早于今天 (deadline is in the past)' });
    if (input.activityId) {
      const activity = await work.activities.findById(input.activityId);
      if (!activity || activity.contractId !== contractId) errors.push({ path: 'body.activityId', message: '不是本合同的活动 (not an activity of this contract)' });
    }
    if (errors.length) throw new ValidationError('问题信息有误 (invalid finding)', errors);
    const finding = await work.findings.create({
      id: randomUUID(),
      contractId,
      projectId: contract.projectId,
      organizationId: contract.organizationId,
      activityId: input.activityId ?? null,
      severity: input.severity,
      summary: scrubText(input.summary),
      details: scrubText(input.details),
      rectifyBy: input.rectifyBy,
      createdBy: caller.actor,
    });
    await work.outbox.append(
      'supervision',
      buildEvent(FindingRaised, {
        source: SOURCE,
        subject: contractId,
        actor: caller.actor,
        data: {
          findingId: finding.id,
          contractId,
          projectId: contract.projectId,
          organizationId: contract.organizationId,
          severity: finding.severity,
          summary: finding.summary,
          rectifyBy: finding.rectifyBy,
        },
      }),
    );
    return toView(finding, today);
  });
}

/** 整改: the organization (or the supervisor on its behalf) reports what was done. */
export async function rectifyFinding(deps: SupervisionDeps, id: string, input: { note: string }, caller: Caller): Promise<FindingView> {
  return deps.uow.run(async (work) => {
    const { finding, ctx } = await loadFinding(work, id, { lock: true });
    caller.may(resourceOf(ctx.contract));
    if (finding.status !== 'open') {
      throw new ConflictError(
        finding.status === 'closed' ? '问题已关闭 (the finding is closed)' : '已提交整改，等待监督机构确认 (rectification already submitted)',
        { status: finding.status },
      );
    }
    const updated = await work.findings.rectify(id, { note: scrubText(input.note), at: deps.now(), by: caller.actor });
    await work.outbox.append(
      'supervision',
      buildEvent(FindingRectified, {
        source: SOURCE,
        subject: finding.contractId,
        actor: caller.actor,
        data: { findingId: id, contractId: finding.contractId, projectId: finding.projectId, severity: finding.severity },
      }),
    );
    return toView(updated, beijingDate(deps.now()));
  });
}

/** 关闭: the supervisor accepts the rectification. */
export async function closeFinding(deps: SupervisionDeps, id: string, input: { note: string }, caller: Caller): Promise<FindingView> {
  return deps.uow.run(async (work) => {
    const { finding, ctx } = await loadFinding(work, id, { lock: true });
    caller.may(resourceOf(ctx.contract));
    if (finding.status !== 'rectified') {
      throw new ConflictError(
        finding.status === 'closed' ? '问题已关闭 (the finding is already closed)' : '社会组织尚未提交整改，不能关闭 (no rectification submitted yet)',
        { status: finding.status },
      );
    }
    const updated = await work.findings.close(id, { note: scrubText(input.note), at: deps.now(), by: caller.actor });
    await work.outbox.append(
      'supervision',
      buildEvent(FindingClosed, {
        source: SOURCE,
        subject: finding.contractId,
        actor: caller.actor,
        data: { findingId: id, contractId: finding.contractId, projectId: finding.projectId, severity: finding.severity },
      }),
    );
    return toView(updated, beijingDate(deps.now()));
  });
}

export async function getFinding(deps: SupervisionDeps, id: string, caller: Caller): Promise<FindingView> {
  const { finding, ctx } = await loadFinding(deps.uow.read, id);
  caller.may(resourceOf(ctx.contract));
  return toView(finding, beijingDate(deps.now()));
}

export async function listFindings(
  deps: SupervisionDeps,
  query: { limit: number; cursor?: string; contractId?: string; severity?: Severity; status?: FindingStatus; overdue?: boolean },
  caller: Caller,
): Promise<Page<FindingView>> {
  caller.may(ownScope(caller.scope));
  const contracts = visibleContracts(caller.scope);
  if (!contracts) return EMPTY_PAGE;
  const today = beijingDate(deps.now());
  const { limit, cursor, overdue, ...filters } = query;
  const rows = await deps.uow.read.findings.list({
    limit: limit + 1,
    after: decodeCursor(cursor),
    contracts,
    ...filters,
    ...(overdue === true ? { overdueBefore: today } : overdue === false ? { notOverdueFrom: today } : {}),
  });
  return pageOf(rows, limit, (items) => items.map((f) => toView(f, today)));
}
