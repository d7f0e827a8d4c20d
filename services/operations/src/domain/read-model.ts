import { createHash } from 'node:crypto';
import { ROLE_LABELS, type Role } from '@linli/auth';
import { STAGE_LABELS, type LifecycleStage, type LifecycleState, type TrancheState } from '@linli/contracts';

// Pure: how a lifecycle's state becomes a read-model row, and what operators read off a row (overdue,
// why it is stalled, how long). No I/O here; unit-tested on its own.

export const TERMINAL_STAGES: readonly LifecycleStage[] = ['closed', 'rejected', 'cancelled'];

/** One read-model row, as the domain sees it (dates as ISO strings, money as integer fen). */
export interface ProjectRecord {
  projectId: string;
  workflowId: string;
  workflowStatus: string;
  title: string;
  level: 'community' | 'sub_district';
  stage: LifecycleStage;
  subDistrictId: string;
  communityId: string | null;
  organizationId: string;
  fiscalYear: number;
  waitingOn: string | null;
  assigneeUserId: string | null;
  assigneeName: string | null;
  stageEnteredAt: string;
  deadline: string | null;
  needsAttention: boolean;
  parkedStep: string | null;
  parkedError: string | null;
  parkedSince: string | null;
  parkedAttempts: number | null;
  paymentsFrozen: string | null;
  currentDetails: string;
  outcome: string | null;
  committedFen: number | null;
  paidFen: number;
  tranches: TrancheState[];
  stateHash: string;
  visibilityPrint: string;
  stateAt: string;
  updatedAt: string;
}

/** The fields of a row that come from the workflow (everything but bookkeeping timestamps). */
export type ProjectFields = Omit<ProjectRecord, 'stateAt' | 'updatedAt'>;

/** What Temporal visibility shows of a lifecycle; the reconciler compares it with the row's. */
export interface VisibilityFacts {
  status: string;
  stage: string | null;
  waitingOn: string | null;
  deadline: string | null;
  needsAttention: boolean | null;
  stageEnteredAt: string | null;
}

const ms = (iso: string | null | undefined): number | null => (iso ? Date.parse(iso) : null);

/** A compact print of the visibility facts: equal prints mean the reconciler has nothing to refresh. */
export function visibilityPrint(f: VisibilityFacts): string {
  return JSON.stringify([f.status.toLowerCase(), f.stage, f.waitingOn, ms(f.deadline), f.needsAttention, ms(f.stageEnteredAt)]);
}

/** "who must act": the role the stage waits on, or the admin while a step is parked (as the workflow's search attribute says). */
export function waitingOnOf(state: Pick<LifecycleState, 'parked' | 'waitingOn'>): string | null {
  return state.parked ? 'admin' : state.waitingOn;
}

export function paidFenOf(tranches: readonly TrancheState[]): number {
  return tranches.reduce((sum, t) => sum + (t.status === 'paid' ? (t.amountFen ?? 0) : 0), 0);
}

/** The row for a lifecycle state (the workflow's query answer). */
export function fieldsFromState(state: LifecycleState, workflowStatus: string): ProjectFields {
  const status = workflowStatus.toLowerCase();
  const waitingOn = waitingOnOf(state);
  const fields: Omit<ProjectFields, 'stateHash' | 'visibilityPrint'> = {
    projectId: state.projectId,
    workflowId: `project-${state.projectId}`,
    workflowStatus: status,
    title: state.title,
    level: state.level,
    stage: state.stage,
    subDistrictId: state.subDistrictId,
    communityId: state.communityId,
    organizationId: state.organizationId,
    fiscalYear: state.fiscalYear,
    waitingOn,
    assigneeUserId: state.assignee?.userId ?? null,
    assigneeName: state.assignee?.name ?? null,
    stageEnteredAt: new Date(state.stageEnteredAt).toISOString(),
    deadline: state.deadline ? new Date(state.deadline).toISOString() : null,
    needsAttention: state.needsAttention,
    parkedStep: state.parked?.step ?? null,
    parkedError: state.parked?.error ?? null,
    parkedSince: state.parked ? new Date(state.parked.at).toISOString() : null,
    parkedAttempts: state.parked?.attempts ?? null,
    paymentsFrozen: state.paymentsFrozen?.reason ?? null,
    currentDetails: state.currentDetails,
    outcome: state.outcome,
    committedFen: state.contract?.amountFen ?? null,
    paidFen: paidFenOf(state.tranches),
    tranches: state.tranches.map((t) => ({ ...t })),
  };
  return {
    ...fields,
    stateHash: hashOf(fields),
    visibilityPrint: visibilityPrint({
      status,
      stage: state.stage,
      waitingOn: waitingOn ?? 'none',
      deadline: fields.deadline,
      needsAttention: state.needsAttention,
      stageEnteredAt: fields.stageEnteredAt,
    }),
  };
}

/**
 * When the state cannot be read (no worker answers the query of a closed run), what visibility says is
 * still worth keeping: stage, who must act, deadline, attention. The rest stays as last known.
 */
export function fieldsFromVisibility(existing: ProjectFields | null, projectId: string, v: VisibilityFacts & {
  subDistrictId: string | null;
  communityId: string | null;
  organizationId: string | null;
  level: string | null;
  fiscalYear: number | null;
}, error: string): ProjectFields | null {
  const stage = (v.stage ?? existing?.stage) as LifecycleStage | undefined;
  const subDistrictId = v.subDistrictId ?? existing?.subDistrictId;
  const organizationId = v.organizationId ?? existing?.organizationId;
  if (!stage || !subDistrictId || !organizationId) return null;
  const waitingOn = v.waitingOn && v.waitingOn !== 'none' ? v.waitingOn : null;
  const fields: Omit<ProjectFields, 'stateHash' | 'visibilityPrint'> = {
    projectId,
    workflowId: `project-${projectId}`,
    workflowStatus: v.status.toLowerCase(),
    title: existing?.title ?? `项目 ${projectId.slice(0, 8)}`,
    level: ((v.level ?? existing?.level) as ProjectFields['level']) ?? 'community',
    stage,
    subDistrictId,
    communityId: v.communityId && v.communityId !== 'sub_district' ? v.communityId : (existing?.communityId ?? null),
    organizationId,
    fiscalYear: v.fiscalYear ?? existing?.fiscalYear ?? 0,
    waitingOn,
    assigneeUserId: existing?.assigneeUserId ?? null,
    assigneeName: existing?.assigneeName ?? null,
    stageEnteredAt: v.stageEnteredAt ?? existing?.stageEnteredAt ?? new Date(0).toISOString(),
    deadline: v.deadline,
    needsAttention: v.needsAttention ?? existing?.needsAttention ?? false,
    parkedStep: waitingOn === 'admin' ? (existing?.parkedStep ?? null) : null,
    parkedError: waitingOn === 'admin' ? (existing?.parkedError ?? null) : null,
    parkedSince: waitingOn === 'admin' ? (existing?.parkedSince ?? null) : null,
    parkedAttempts: waitingOn === 'admin' ? (existing?.parkedAttempts ?? null) : null,
    paymentsFrozen: existing?.paymentsFrozen ?? null,
    currentDetails: existing?.currentDetails ? existing.currentDetails : `未能读取流程状态：${error}`,
    outcome: existing?.outcome ?? null,
    committedFen: existing?.committedFen ?? null,
    paidFen: existing?.paidFen ?? 0,
    tranches: existing?.tranches ?? [],
  };
  // Marked, so a row pieced together from visibility is never taken for a read of the workflow's state.
  return { ...fields, stateHash: `${VISIBILITY_HASH_PREFIX}${hashOf(fields)}`, visibilityPrint: visibilityPrint({ ...v, waitingOn: v.waitingOn ?? 'none' }) };
}

const VISIBILITY_HASH_PREFIX = 'visibility:';

/**
 * Allowance for the clocks of the worker (which stamps a lifecycle event) and of operations (which stamps
 * its reads) differing.
 */
export const EVENT_CLOCK_MARGIN_MS = 2_000;

/**
 * Whether a lifecycle event needs no new read of the workflow: the row was last written from the workflow's
 * own state, read after the event was written (with the clock margin). A lifecycle event is written by an
 * activity the workflow scheduled after the change it announces, so any read begun later includes that
 * change. When the consumer lags (thousands of lifecycles, escalations arriving in bursts), this turns
 * a project's queued events into one read instead of one each — every read of an evicted workflow is a
 * replay on the worker.
 */
export function eventAlreadyReflected(row: Pick<ProjectRecord, 'stateAt' | 'stateHash'> | null, occurredAt: string): boolean {
  if (!row || row.stateHash.startsWith(VISIBILITY_HASH_PREFIX)) return false;
  return Date.parse(row.stateAt) >= Date.parse(occurredAt) + EVENT_CLOCK_MARGIN_MS;
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 22);
}

/** Past its deadline and not finished. Computed at read time: time passes without any event. */
export function isOverdue(row: Pick<ProjectRecord, 'deadline' | 'stage'>, now: Date): boolean {
  return row.deadline !== null && Date.parse(row.deadline) < now.getTime() && !TERMINAL_STAGES.includes(row.stage);
}

export const WAITING_ON_LABELS: Record<string, string> = {
  ...(ROLE_LABELS as Record<Role, string>),
  committee_member: '工委会',
  org_staff: '社会组织',
  admin: '管理员（步骤停住）',
  none: '无',
};
export function waitingOnLabel(waitingOn: string | null): string | null {
  return waitingOn ? (WAITING_ON_LABELS[waitingOn] ?? waitingOn) : null;
}

export const TRANCHE_LABELS: Record<TrancheState['kind'], string> = { start_up: '启动资金', mid_term: '中期款', final: '尾款' };
export const TRANCHE_STATUS_LABELS: Record<TrancheState['status'], string> = {
  pending: '未到拨付条件',
  requested: '已申请，等待财务',
  paid: '已拨付',
  failed: '拨付失败',
  skipped: '已跳过',
};

/** "3 天 4 小时" / "5 小时 12 分钟" / "40 秒": how long, in words. */
export function durationText(msSpan: number): string {
  const s = Math.max(0, Math.floor(msSpan / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  if (d > 0) return h > 0 ? `${d} 天 ${h} 小时` : `${d} 天`;
  if (h > 0) return m > 0 ? `${h} 小时 ${m} 分钟` : `${h} 小时`;
  if (m > 0) return `${m} 分钟`;
  return `${s} 秒`;
}

export interface StalledFacts {
  kind: 'parked' | 'overdue';
  reason: string;
  since: string;
  ageMs: number;
  ageText: string;
}

/** Why a lifecycle is stalled, in words: the parked step's error, or "「联审」超过时限". Null when it is not stalled. */
export function stalledFacts(row: Pick<ProjectRecord, 'parkedStep' | 'parkedError' | 'parkedSince' | 'deadline' | 'stage'>, now: Date): StalledFacts | null {
  if (row.parkedStep && row.parkedSince) {
    const ageMs = now.getTime() - Date.parse(row.parkedSince);
    return { kind: 'parked', reason: `步骤「${row.parkedStep}」失败：${row.parkedError ?? '未知错误'}`, since: row.parkedSince, ageMs, ageText: `停住 ${durationText(ageMs)}` };
  }
  if (isOverdue(row, now)) {
    const ageMs = now.getTime() - Date.parse(row.deadline!);
    return { kind: 'overdue', reason: `「${STAGE_LABELS[row.stage]}」超过时限`, since: row.deadline!, ageMs, ageText: `超时 ${durationText(ageMs)}` };
  }
  return null;
}
