import { STAGE_LABELS, type ProjectChangeView, type ProjectSummaryView } from '@linli/contracts';
import { isOverdue, waitingOnLabel, type ProjectRecord } from './read-model';

/** Names keyed `${kind}:${id}` (see the directory). */
export type Names = Map<string, string>;

export function namesNeeded(records: readonly ProjectRecord[]): string[] {
  return records.flatMap((r) => [r.subDistrictId, r.organizationId, ...(r.communityId ? [r.communityId] : [])]);
}

export function toSummaryView(r: ProjectRecord, names: Names, now: Date): ProjectSummaryView {
  return {
    projectId: r.projectId,
    title: r.title,
    level: r.level,
    stage: r.stage,
    stageLabel: STAGE_LABELS[r.stage] ?? r.stage,
    subDistrictId: r.subDistrictId,
    subDistrictName: names.get(`sub-district:${r.subDistrictId}`) ?? null,
    communityId: r.communityId,
    communityName: r.communityId ? (names.get(`community:${r.communityId}`) ?? null) : null,
    organizationId: r.organizationId,
    organizationName: names.get(`organization:${r.organizationId}`) ?? null,
    fiscalYear: r.fiscalYear,
    waitingOn: r.waitingOn,
    waitingOnLabel: waitingOnLabel(r.waitingOn),
    assignee: r.assigneeUserId ? { userId: r.assigneeUserId, name: r.assigneeName } : null,
    stageEnteredAt: r.stageEnteredAt,
    deadline: r.deadline,
    overdue: isOverdue(r, now),
    needsAttention: r.needsAttention,
    parked: r.parkedStep && r.parkedSince ? { step: r.parkedStep, error: r.parkedError ?? '', since: r.parkedSince, attempts: r.parkedAttempts ?? 0 } : null,
    paymentsFrozen: r.paymentsFrozen,
    currentDetails: r.currentDetails,
    committedFen: r.committedFen,
    paidFen: r.paidFen,
    workflowStatus: r.workflowStatus,
    stateAt: r.stateAt,
    updatedAt: r.updatedAt,
  };
}

export function changeOf(r: ProjectRecord, cause: string, now: Date): ProjectChangeView {
  return {
    projectId: r.projectId,
    title: r.title,
    stage: r.stage,
    stageLabel: STAGE_LABELS[r.stage] ?? r.stage,
    waitingOn: r.waitingOn,
    needsAttention: r.needsAttention,
    parked: r.parkedStep !== null,
    overdue: isOverdue(r, now),
    currentDetails: r.currentDetails,
    subDistrictId: r.subDistrictId,
    communityId: r.communityId,
    organizationId: r.organizationId,
    updatedAt: r.updatedAt,
    cause,
  };
}
