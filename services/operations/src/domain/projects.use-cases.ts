import { authorize, type Principal } from '@linli/auth';
import {
  STAGE_LABELS,
  type LifecycleStage,
  type LifecycleState,
  type ListProjectsQuery,
  type OverviewView,
  type ProjectDetailView,
  type ProjectSummaryView,
  type StalledItemView,
} from '@linli/contracts';
import { NotFoundError, ValidationError } from '@linli/http';
import type { LifecycleSnapshot, LifecyclesGateway } from '../data-access/lifecycles.gateway';
import type { ListCursor, ProjectQueryFilter, StalledCursor } from '../data-access/project.repository';
import type { OperationsWork, UnitOfWork } from '../data-access/unit-of-work';
import { actionsAllowed, authorizeListing } from './access-scope';
import { decodeCursor, encodeCursor, isIsoOrNull, isString } from './cursor';
import { ACTIVITY_STATUS_LABELS, GATE_LABELS, OUTCOME_LABELS, budgetVsActual, mergeTimeline } from './project-story';
import {
  TERMINAL_STAGES,
  TRANCHE_LABELS,
  TRANCHE_STATUS_LABELS,
  eventAlreadyReflected,
  fieldsFromState,
  fieldsFromVisibility,
  stalledFacts,
  waitingOnLabel,
  type ProjectRecord,
} from './read-model';
import { changeOf, namesNeeded, toSummaryView, type Names } from './views';

export interface OperationsDeps {
  uow: UnitOfWork;
  lifecycles: LifecyclesGateway;
  temporalUi: { url: string; namespace: string };
  now?: () => Date;
}
const nowOf = (deps: { now?: () => Date }) => (deps.now ?? (() => new Date()))();

/**
 * Reads the lifecycle's state from the workflow (the truth) and writes its read-model row, under the
 * project's lock so concurrent refreshers (event consumer, reconciler, an action) apply in order. A
 * change is announced to the live streams. Null when no such lifecycle exists.
 */
export async function refreshProject(work: OperationsWork, lifecycles: LifecyclesGateway, projectId: string, cause: string, now: Date): Promise<Refreshed | null> {
  await work.projects.lock(projectId);
  return writeFromWorkflow(work, lifecycles, { projectId, existing: await work.projects.findById(projectId), cause, now });
}

/**
 * A lifecycle event's refresh: as refreshProject, unless the row already holds a read of the workflow made
 * after the event was written (eventAlreadyReflected) — then nothing is read and nothing changes.
 */
export async function refreshProjectForEvent(
  work: OperationsWork,
  lifecycles: LifecyclesGateway,
  event: { subject: string; occurredAt: string },
  now: Date,
): Promise<{ outcome: 'refreshed'; changed: boolean } | { outcome: 'already-reflected' } | { outcome: 'no-lifecycle' }> {
  await work.projects.lock(event.subject);
  const existing = await work.projects.findById(event.subject);
  if (eventAlreadyReflected(existing, event.occurredAt)) return { outcome: 'already-reflected' };
  const done = await writeFromWorkflow(work, lifecycles, { projectId: event.subject, existing, cause: 'lifecycle-event', now });
  return done ? { outcome: 'refreshed', changed: done.changed } : { outcome: 'no-lifecycle' };
}

type Refreshed = { record: ProjectRecord; changed: boolean; snapshot: LifecycleSnapshot };

/** The shared part, under the project's lock: `existing` is the row as read under it (read once). */
async function writeFromWorkflow(
  work: OperationsWork,
  lifecycles: LifecyclesGateway,
  { projectId, existing, cause, now }: { projectId: string; existing: ProjectRecord | null; cause: string; now: Date },
): Promise<Refreshed | null> {
  const snapshot = await lifecycles.fetch(projectId);
  if (!snapshot) return null;
  const fields = snapshot.kind === 'state' ? fieldsFromState(snapshot.state, snapshot.status) : fieldsFromVisibility(existing, projectId, snapshot.visibility, snapshot.error);
  if (!fields) return null;
  const { record, changed } = await work.projects.upsert(fields, existing, now);
  if (changed) await work.announce(changeOf(record, cause, now));
  return { record, changed, snapshot };
}

async function namesFor(work: OperationsWork, records: readonly ProjectRecord[]): Promise<Names> {
  return work.events.names(namesNeeded(records));
}

function filterOf(q: Partial<ListProjectsQuery> & { parkedStepPrefix?: string; parkedSince?: string }): ProjectQueryFilter {
  return {
    stage: q.stage,
    subDistrictId: q.subDistrictId,
    communityId: q.communityId,
    organizationId: q.organizationId,
    fiscalYear: q.fiscalYear,
    waitingOn: q.waitingOn,
    level: q.level,
    overdue: q.overdue,
    needsAttention: q.needsAttention,
    parked: q.parked,
    q: q.q,
    parkedStepPrefix: q.parkedStepPrefix,
    parkedSince: q.parkedSince,
  };
}

const isListCursor = (v: unknown): v is ListCursor => {
  const c = v as Record<string, unknown>;
  return (
    typeof c === 'object' &&
    c !== null &&
    isString(c.id) &&
    ((c.sort === 'updatedAt' && isString(c.updatedAt) && isIsoOrNull(c.updatedAt)) || (c.sort === 'deadline' && isIsoOrNull(c.deadline)))
  );
};

/** 项目列表: filters, scoped to what the caller may see, keyset-paged by updatedAt (newest first) or deadline (soonest first). */
export async function listProjects(deps: OperationsDeps, principal: Principal, query: ListProjectsQuery): Promise<{ items: ProjectSummaryView[]; nextCursor: string | null }> {
  const scope = authorizeListing(principal);
  const now = nowOf(deps);
  const after = query.cursor ? decodeCursor(query.cursor, isListCursor) : undefined;
  if (after && after.sort !== query.sort) {
    throw new ValidationError('游标与排序不符 (cursor belongs to another sort)', [{ path: 'query.cursor', message: `cursor was made for sort=${after.sort}` }]);
  }
  const rows = await deps.uow.read.projects.list(scope, filterOf(query), { sort: query.sort, after, limit: query.limit + 1, now });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const names = await namesFor(deps.uow.read, page);
  return {
    items: page.map((r) => toSummaryView(r, names, now)),
    nextCursor:
      rows.length > query.limit && last
        ? encodeCursor(query.sort === 'updatedAt' ? { sort: 'updatedAt', updatedAt: last.updatedAt, id: last.projectId } : { sort: 'deadline', deadline: last.deadline, id: last.projectId })
        : null,
  };
}

const isStalledCursor = (v: unknown): v is StalledCursor => {
  const c = v as Record<string, unknown>;
  return typeof c === 'object' && c !== null && (c.kind === 'parked' || c.kind === 'overdue') && isString(c.since) && isIsoOrNull(c.since) && isString(c.id);
};

/** 卡住的流程: parked first (longest parked first), then overdue (most overdue first), each with its reason in words. */
export async function listStalled(
  deps: OperationsDeps,
  principal: Principal,
  query: { subDistrictId?: string; communityId?: string; kind?: 'parked' | 'overdue'; cursor?: string; limit: number },
): Promise<{ items: StalledItemView[]; nextCursor: string | null }> {
  const scope = authorizeListing(principal);
  const now = nowOf(deps);
  const after = query.cursor ? decodeCursor(query.cursor, isStalledCursor) : undefined;
  const rows = await deps.uow.read.projects.stalled(
    scope,
    { subDistrictId: query.subDistrictId, communityId: query.communityId, kind: query.kind },
    { after, limit: query.limit + 1, now },
  );
  const page = rows.slice(0, query.limit);
  const names = await namesFor(deps.uow.read, page);
  const items = page.flatMap((r) => {
    const facts = stalledFacts(r, now);
    if (!facts) return [];
    return [{ project: toSummaryView(r, names, now), ...facts, ageMs: Math.round(facts.ageMs), deadline: r.deadline, waitingOn: r.waitingOn, waitingOnLabel: waitingOnLabel(r.waitingOn) }];
  });
  const last = page[page.length - 1];
  const lastFacts = last ? stalledFacts(last, now) : null;
  return {
    items,
    nextCursor: rows.length > query.limit && last && lastFacts ? encodeCursor({ kind: lastFacts.kind, since: lastFacts.since, id: last.projectId }) : null,
  };
}

/** 总览: by stage, sub-district and who must act; money per community fund; overdue and parked counts. */
export async function getOverview(deps: OperationsDeps, principal: Principal): Promise<OverviewView> {
  const scope = authorizeListing(principal);
  const now = nowOf(deps);
  const o = await deps.uow.read.projects.overview(scope, now);
  // Allocations come from the communities service's fund events; operations computes committed and paid
  // from the lifecycles themselves. Fund-only rows (money allocated, no project yet) show for the scopes a
  // fund belongs to.
  const fundScope = scope.kind === 'all' ? null : scope.kind === 'subDistrict' ? { subDistrictId: scope.id } : scope.kind === 'community' ? { communityId: scope.id } : undefined;
  const fundRows = fundScope === undefined ? [] : await deps.uow.read.events.funds(fundScope);
  const keyOf = (f: { subDistrictId: string; communityId: string | null; fiscalYear: number }) => `${f.subDistrictId}:${f.communityId ?? ''}:${f.fiscalYear}`;
  const allocated = new Map(fundRows.map((f) => [keyOf(f), f.allocatedFen]));
  const funds = [
    ...o.funds,
    ...(fundScope === undefined ? [] : fundRows.filter((f) => !o.funds.some((g) => keyOf(g) === keyOf(f))).map((f) => ({ subDistrictId: f.subDistrictId, communityId: f.communityId, fiscalYear: f.fiscalYear, projects: 0, committedFen: 0, paidFen: 0 }))),
  ];
  const names = await deps.uow.read.events.names([...o.bySubDistrict.map((s) => s.subDistrictId), ...funds.flatMap((f) => [f.subDistrictId, f.communityId ?? ''])]);
  const stageOrder = Object.keys(STAGE_LABELS) as LifecycleStage[];
  return {
    generatedAt: now.toISOString(),
    total: o.total,
    active: o.active,
    overdue: o.overdue,
    parked: o.parked,
    needsAttention: o.needsAttention,
    byStage: o.byStage
      .sort((a, b) => stageOrder.indexOf(a.stage) - stageOrder.indexOf(b.stage))
      .map((s) => ({ stage: s.stage, label: STAGE_LABELS[s.stage] ?? s.stage, count: s.count })),
    bySubDistrict: o.bySubDistrict
      .map((s) => ({ ...s, name: names.get(`sub-district:${s.subDistrictId}`) ?? null }))
      .sort((a, b) => b.count - a.count || a.subDistrictId.localeCompare(b.subDistrictId)),
    byWaitingOn: o.byWaitingOn.map((w) => ({ ...w, label: waitingOnLabel(w.waitingOn) ?? w.waitingOn })).sort((a, b) => b.count - a.count),
    funds: funds
      .map((f) => ({
        ...f,
        subDistrictName: names.get(`sub-district:${f.subDistrictId}`) ?? null,
        communityName: f.communityId ? (names.get(`community:${f.communityId}`) ?? null) : null,
        allocatedFen: allocated.get(keyOf(f)) ?? null,
      }))
      .sort((a, b) => b.fiscalYear - a.fiscalYear || b.committedFen - a.committedFen),
    fundsNote:
      '已承诺 = 合同金额，已拨付 = 已拨付的款项合计，均按项目流程汇总（社区经费；街道级项目为街道经费）；下达经费来自社区服务的经费事件（communities.fund.*），尚未收到时为空 (committed = contract amounts, paid = tranches paid, from the lifecycles; allocated from the communities service\'s fund events, empty until one arrives)',
  };
}

/** Loads a row for a single-project request, reading the workflow when the read model has not seen it yet. */
export async function loadProject(deps: OperationsDeps, projectId: string): Promise<ProjectRecord> {
  const row = await deps.uow.read.projects.findById(projectId);
  if (row) return row;
  const refreshed = await deps.uow.run((work) => refreshProject(work, deps.lifecycles, projectId, 'lookup', nowOf(deps)));
  if (!refreshed) throw new NotFoundError('project lifecycle', projectId);
  return refreshed.record;
}

export async function resourceOf(work: OperationsWork, row: ProjectRecord) {
  return { subDistrictId: row.subDistrictId, communityId: row.communityId, organizationId: row.organizationId, agencyId: await work.events.supervisorOf(row.projectId) };
}

/**
 * 项目详情: the read-model row refreshed from the live workflow, the merged timeline, tranches with
 * their conditions, budget against invoices, the link to the Temporal UI and the actions the caller may try.
 */
export async function getProjectDetail(deps: OperationsDeps, principal: Principal, projectId: string): Promise<ProjectDetailView> {
  const now = nowOf(deps);
  let row = await loadProject(deps, projectId);
  const resource = await resourceOf(deps.uow.read, row);
  authorize(principal, 'lifecycle.read', resource);

  let state: LifecycleState | null = null;
  let liveError: string | null = null;
  try {
    const refreshed = await deps.uow.run((work) => refreshProject(work, deps.lifecycles, projectId, 'lookup', now));
    if (refreshed) {
      row = refreshed.record;
      if (refreshed.snapshot.kind === 'state') state = refreshed.snapshot.state;
      else liveError = refreshed.snapshot.error;
    } else liveError = '流程已不存在 (workflow not found)';
  } catch (error) {
    liveError = `无法连接流程引擎：${(error as Error).message}`;
  }

  const serviceEvents = await deps.uow.read.events.forProject(projectId);
  const names = await deps.uow.read.events.names(namesNeeded([row]));
  const tranches = state?.tranches ?? row.tranches;
  return {
    project: toSummaryView(row, names, now),
    live: {
      available: state !== null,
      error: liveError,
      decisions: (state?.decisions ?? []).map((d) => ({
        decisionId: d.decisionId,
        gate: d.gate,
        gateLabel: GATE_LABELS[d.gate] ?? d.gate,
        outcome: d.outcome,
        outcomeLabel: OUTCOME_LABELS[d.outcome] ?? d.outcome,
        version: d.version,
        reasons: d.reasons,
        minutesRef: d.minutesRef ?? null,
        by: { userId: d.by.userId, role: d.by.role },
        at: d.at,
      })),
      contract: state?.contract ?? null,
      tender: state ? state.tender : null,
      activities: Object.entries(state?.activities ?? {}).map(([activityKey, status]) => ({ activityKey, status, statusLabel: ACTIVITY_STATUS_LABELS[status] ?? status })),
      escalations: state?.escalations ?? [],
      midTerm: state?.midTerm ?? null,
      yearEnd: state?.yearEnd ?? null,
      outcome: state?.outcome ?? row.outcome,
    },
    timeline: mergeTimeline({ timeline: state?.timeline ?? [], decisions: state?.decisions ?? [], serviceEvents }),
    tranches: tranches.map((t) => ({
      kind: t.kind,
      label: TRANCHE_LABELS[t.kind],
      status: t.status,
      statusLabel: TRANCHE_STATUS_LABELS[t.status] ?? t.status,
      amountFen: t.amountFen,
      condition: t.condition,
      attempts: t.attempts,
      at: t.at ?? null,
    })),
    budget: budgetVsActual(serviceEvents),
    temporalUrl: `${deps.temporalUi.url.replace(/\/$/, '')}/namespaces/${encodeURIComponent(deps.temporalUi.namespace)}/workflows/${encodeURIComponent(row.workflowId)}`,
    actions: actionsAllowed(principal, resource, { parked: row.parkedStep !== null, terminal: TERMINAL_STAGES.includes(row.stage), stage: row.stage }),
  };
}
