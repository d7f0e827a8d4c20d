import type { LifecycleStage, TrancheState } from '@linli/contracts';
import { TERMINAL_STAGES, type ProjectFields, type ProjectRecord } from '../domain/read-model';
import type { VisibleScope } from '../domain/access-scope';
import type { OperationsTx } from './prisma';
import { Prisma, type ProjectLifecycle } from './generated/prisma/client';

/** The list filters, already parsed (stage may be several). */
export interface ProjectQueryFilter {
  stage?: LifecycleStage[];
  subDistrictId?: string;
  communityId?: string;
  organizationId?: string;
  fiscalYear?: number;
  waitingOn?: string;
  level?: 'community' | 'sub_district';
  overdue?: boolean;
  needsAttention?: boolean;
  parked?: boolean;
  q?: string;
  parkedStepPrefix?: string;
  parkedSince?: string;
}

export type ListCursor = { sort: 'updatedAt'; updatedAt: string; id: string } | { sort: 'deadline'; deadline: string | null; id: string };
export type StalledCursor = { kind: 'parked'; since: string; id: string } | { kind: 'overdue'; since: string; id: string };

function toRecord(row: ProjectLifecycle): ProjectRecord {
  return {
    projectId: row.projectId,
    workflowId: row.workflowId,
    workflowStatus: row.workflowStatus,
    title: row.title,
    level: row.level as ProjectRecord['level'],
    stage: row.stage as LifecycleStage,
    subDistrictId: row.subDistrictId,
    communityId: row.communityId,
    organizationId: row.organizationId,
    fiscalYear: row.fiscalYear,
    waitingOn: row.waitingOn,
    assigneeUserId: row.assigneeUserId,
    assigneeName: row.assigneeName,
    stageEnteredAt: row.stageEnteredAt.toISOString(),
    deadline: row.deadline?.toISOString() ?? null,
    needsAttention: row.needsAttention,
    parkedStep: row.parkedStep,
    parkedError: row.parkedError,
    parkedSince: row.parkedSince?.toISOString() ?? null,
    parkedAttempts: row.parkedAttempts,
    paymentsFrozen: row.paymentsFrozen,
    currentDetails: row.currentDetails,
    outcome: row.outcome,
    committedFen: row.committedFen === null ? null : Number(row.committedFen),
    paidFen: Number(row.paidFen),
    tranches: row.tranches as unknown as TrancheState[],
    stateHash: row.stateHash,
    visibilityPrint: row.visibilityPrint,
    stateAt: row.stateAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function columnsOf(f: ProjectFields) {
  return {
    workflowId: f.workflowId,
    workflowStatus: f.workflowStatus,
    title: f.title,
    level: f.level,
    stage: f.stage,
    subDistrictId: f.subDistrictId,
    communityId: f.communityId,
    organizationId: f.organizationId,
    fiscalYear: f.fiscalYear,
    waitingOn: f.waitingOn,
    assigneeUserId: f.assigneeUserId,
    assigneeName: f.assigneeName,
    stageEnteredAt: new Date(f.stageEnteredAt),
    deadline: f.deadline ? new Date(f.deadline) : null,
    needsAttention: f.needsAttention,
    parkedStep: f.parkedStep,
    parkedError: f.parkedError,
    parkedSince: f.parkedSince ? new Date(f.parkedSince) : null,
    parkedAttempts: f.parkedAttempts,
    paymentsFrozen: f.paymentsFrozen,
    currentDetails: f.currentDetails,
    outcome: f.outcome,
    committedFen: f.committedFen === null ? null : BigInt(f.committedFen),
    paidFen: BigInt(f.paidFen),
    tranches: f.tranches as unknown as Prisma.InputJsonValue,
    stateHash: f.stateHash,
    visibilityPrint: f.visibilityPrint,
  };
}

const overdueWhere = (now: Date): Prisma.ProjectLifecycleWhereInput => ({ deadline: { lt: now }, stage: { notIn: [...TERMINAL_STAGES] } });

/** One row of the overview's grouping-sets query. */
interface OverviewRow {
  grouping: number;
  stage: string | null;
  subDistrictId: string | null;
  communityId: string | null;
  fiscalYear: number | null;
  waitingOn: string | null;
  total: number;
  active: number;
  overdue: number;
  parked: number;
  attention: number;
  committedFen: string;
  paidFen: string;
}

export function projectRepository(tx: OperationsTx) {
  async function scopeWhere(scope: VisibleScope): Promise<Prisma.ProjectLifecycleWhereInput> {
    switch (scope.kind) {
      case 'all':
        return {};
      case 'subDistrict':
        return { subDistrictId: scope.id };
      case 'community':
        return { communityId: scope.id };
      case 'organization':
        return { organizationId: scope.id };
      case 'agency': {
        const supervised = await tx.projectSupervisor.findMany({ where: { agencyId: scope.id }, select: { projectId: true } });
        return { projectId: { in: supervised.map((s) => s.projectId) } };
      }
    }
  }

  /** scopeWhere in SQL, for the overview's single query. */
  function scopeSql(scope: VisibleScope): Prisma.Sql {
    switch (scope.kind) {
      case 'all':
        return Prisma.sql`TRUE`;
      case 'subDistrict':
        return Prisma.sql`sub_district_id = ${scope.id}::uuid`;
      case 'community':
        return Prisma.sql`community_id = ${scope.id}::uuid`;
      case 'organization':
        return Prisma.sql`organization_id = ${scope.id}::uuid`;
      case 'agency':
        return Prisma.sql`project_id IN (SELECT project_id FROM project_supervisors WHERE agency_id = ${scope.id}::uuid)`;
    }
  }

  function filterWhere(f: ProjectQueryFilter, now: Date): Prisma.ProjectLifecycleWhereInput[] {
    const and: Prisma.ProjectLifecycleWhereInput[] = [];
    if (f.stage?.length) and.push({ stage: { in: f.stage } });
    if (f.subDistrictId) and.push({ subDistrictId: f.subDistrictId });
    if (f.communityId) and.push({ communityId: f.communityId });
    if (f.organizationId) and.push({ organizationId: f.organizationId });
    if (f.fiscalYear !== undefined) and.push({ fiscalYear: f.fiscalYear });
    if (f.waitingOn) and.push({ waitingOn: f.waitingOn });
    if (f.level) and.push({ level: f.level });
    if (f.overdue === true) and.push(overdueWhere(now));
    if (f.overdue === false) and.push({ NOT: overdueWhere(now) });
    if (f.needsAttention !== undefined) and.push({ needsAttention: f.needsAttention });
    if (f.parked === true) and.push({ parkedStep: { not: null } });
    if (f.parked === false) and.push({ parkedStep: null });
    if (f.parkedStepPrefix) and.push({ parkedStep: { startsWith: f.parkedStepPrefix } });
    if (f.parkedSince) and.push({ parkedSince: { gte: new Date(f.parkedSince) } });
    if (f.q) {
      const byId = /^[0-9a-f-]{4,36}$/i.test(f.q) ? [{ workflowId: { startsWith: `project-${f.q.toLowerCase()}` } }] : [];
      and.push({ OR: [{ title: { contains: f.q, mode: 'insensitive' } }, ...byId] });
    }
    return and;
  }

  return {
    /** Serializes refreshes of one project (event consumer, reconciler, actions) until the transaction ends. */
    async lock(projectId: string): Promise<void> {
      await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`operations:project:${projectId}`}))`;
    },
    async findById(projectId: string): Promise<ProjectRecord | null> {
      const row = await tx.projectLifecycle.findUnique({ where: { projectId } });
      return row ? toRecord(row) : null;
    },
    async prints(projectIds: string[]): Promise<Map<string, string>> {
      const rows = await tx.projectLifecycle.findMany({ where: { projectId: { in: projectIds } }, select: { projectId: true, visibilityPrint: true } });
      return new Map(rows.map((r) => [r.projectId, r.visibilityPrint]));
    },
    /**
     * Writes the fields over `existing` (the row as the caller read it under the project's lock); `changed` is
     * false when the row already held exactly this (only state_at moves then).
     */
    async upsert(fields: ProjectFields, existing: Pick<ProjectRecord, 'stateHash' | 'visibilityPrint'> | null, now: Date): Promise<{ changed: boolean; record: ProjectRecord }> {
      if (existing && existing.stateHash === fields.stateHash && existing.visibilityPrint === fields.visibilityPrint) {
        const row = await tx.projectLifecycle.update({ where: { projectId: fields.projectId }, data: { stateAt: now } });
        return { changed: false, record: toRecord(row) };
      }
      const data = { ...columnsOf(fields), stateAt: now, updatedAt: now };
      const row = existing
        ? await tx.projectLifecycle.update({ where: { projectId: fields.projectId }, data })
        : await tx.projectLifecycle.create({ data: { projectId: fields.projectId, ...data } });
      return { changed: true, record: toRecord(row) };
    },
    async list(scope: VisibleScope, filter: ProjectQueryFilter, opts: { sort: 'updatedAt' | 'deadline'; after?: ListCursor; limit: number; now: Date }): Promise<ProjectRecord[]> {
      const and = [await scopeWhere(scope), ...filterWhere(filter, opts.now)];
      const a = opts.after;
      if (a?.sort === 'updatedAt') {
        const u = new Date(a.updatedAt);
        and.push({ OR: [{ updatedAt: { lt: u } }, { updatedAt: u, projectId: { lt: a.id } }] });
      } else if (a?.sort === 'deadline') {
        if (a.deadline === null) and.push({ deadline: null, projectId: { gt: a.id } });
        else {
          const d = new Date(a.deadline);
          and.push({ OR: [{ deadline: { gt: d } }, { deadline: d, projectId: { gt: a.id } }, { deadline: null }] });
        }
      }
      const orderBy: Prisma.ProjectLifecycleOrderByWithRelationInput[] =
        opts.sort === 'updatedAt' ? [{ updatedAt: 'desc' }, { projectId: 'desc' }] : [{ deadline: { sort: 'asc', nulls: 'last' } }, { projectId: 'asc' }];
      const rows = await tx.projectLifecycle.findMany({ where: { AND: and }, orderBy, take: opts.limit });
      return rows.map(toRecord);
    },
    /**
     * Stalled work: parked lifecycles first (longest parked first), then overdue ones (most overdue
     * first). Keyset pages walk the parked part, then the overdue part.
     */
    async stalled(scope: VisibleScope, filter: ProjectQueryFilter & { kind?: 'parked' | 'overdue' }, opts: { after?: StalledCursor; limit: number; now: Date }): Promise<ProjectRecord[]> {
      const base = [await scopeWhere(scope), ...filterWhere(filter, opts.now)];
      const out: ProjectRecord[] = [];
      const a = opts.after;
      if ((!a || a.kind === 'parked') && filter.kind !== 'overdue') {
        const and = [...base, { parkedSince: { not: null } }];
        if (a) and.push({ OR: [{ parkedSince: { gt: new Date(a.since) } }, { parkedSince: new Date(a.since), projectId: { gt: a.id } }] });
        const rows = await tx.projectLifecycle.findMany({ where: { AND: and }, orderBy: [{ parkedSince: 'asc' }, { projectId: 'asc' }], take: opts.limit });
        out.push(...rows.map(toRecord));
      }
      if (out.length < opts.limit && filter.kind !== 'parked') {
        const and = [...base, { parkedSince: null }, overdueWhere(opts.now)];
        if (a?.kind === 'overdue') and.push({ OR: [{ deadline: { gt: new Date(a.since) } }, { deadline: new Date(a.since), projectId: { gt: a.id } }] });
        const rows = await tx.projectLifecycle.findMany({ where: { AND: and }, orderBy: [{ deadline: 'asc' }, { projectId: 'asc' }], take: opts.limit - out.length });
        out.push(...rows.map(toRecord));
      }
      return out;
    },
    async count(scope: VisibleScope, filter: ProjectQueryFilter, now: Date): Promise<number> {
      return tx.projectLifecycle.count({ where: { AND: [await scopeWhere(scope), ...filterWhere(filter, now)] } });
    },
    /** Parked lifecycles matching a batch filter, oldest parked first. */
    async parkedMatching(scope: VisibleScope, filter: ProjectQueryFilter, limit: number, now: Date): Promise<ProjectRecord[]> {
      const rows = await tx.projectLifecycle.findMany({
        where: { AND: [await scopeWhere(scope), ...filterWhere(filter, now), { parkedStep: { not: null } }] },
        orderBy: [{ parkedSince: 'asc' }, { projectId: 'asc' }],
        take: limit,
      });
      return rows.map(toRecord);
    },
    /**
     * The overview's figures in one scan of the table (grouping sets with filtered counts), not eleven:
     * at 100,000 rows the separate counts and group-bys took seconds, each reading the whole table.
     */
    async overview(scope: VisibleScope, now: Date) {
      const terminal = Prisma.join([...TERMINAL_STAGES]);
      const rows = await tx.$queryRaw<OverviewRow[]>`
        WITH scoped AS (
          SELECT stage, sub_district_id, community_id, fiscal_year, waiting_on, committed_fen, paid_fen,
                 needs_attention, parked_step IS NOT NULL AS parked,
                 stage NOT IN (${terminal}) AS active,
                 deadline < ${now} AND stage NOT IN (${terminal}) AS overdue
          FROM project_lifecycles
          WHERE ${scopeSql(scope)}
        )
        SELECT GROUPING(stage, sub_district_id, community_id, fiscal_year, waiting_on)::int AS "grouping",
               stage, sub_district_id::text AS "subDistrictId", community_id::text AS "communityId",
               fiscal_year AS "fiscalYear", waiting_on AS "waitingOn",
               count(*)::int AS total,
               (count(*) FILTER (WHERE active))::int AS active,
               (count(*) FILTER (WHERE overdue))::int AS overdue,
               (count(*) FILTER (WHERE parked))::int AS parked,
               (count(*) FILTER (WHERE needs_attention))::int AS attention,
               coalesce(sum(committed_fen), 0)::text AS "committedFen",
               coalesce(sum(paid_fen), 0)::text AS "paidFen"
        FROM scoped
        GROUP BY GROUPING SETS ((), (stage), (sub_district_id), (waiting_on), (sub_district_id, community_id, fiscal_year))`;
      // GROUPING(...) is a bit mask over the five columns (stage 16, sub-district 8, community 4, fiscal year 2,
      // waiting-on 1), a column's bit set when the row is not grouped by it: () 31, (stage) 15, (sub-district)
      // 23, (waiting-on) 30, (sub-district, community, fiscal year) 17.
      const set = (mask: number) => rows.filter((r) => r.grouping === mask);
      const [all] = set(31);
      const bySub = set(23);
      return {
        total: all?.total ?? 0,
        active: all?.active ?? 0,
        overdue: all?.overdue ?? 0,
        parked: all?.parked ?? 0,
        needsAttention: all?.attention ?? 0,
        byStage: set(15).map((r) => ({ stage: r.stage as LifecycleStage, count: r.total })),
        bySubDistrict: bySub.map((r) => ({ subDistrictId: r.subDistrictId!, count: r.total, overdue: r.overdue, parked: r.parked })),
        byWaitingOn: set(30).filter((r) => r.active > 0).map((r) => ({ waitingOn: r.waitingOn ?? 'none', count: r.active })),
        funds: set(17).map((r) => ({
          subDistrictId: r.subDistrictId!,
          communityId: r.communityId,
          fiscalYear: r.fiscalYear!,
          projects: r.total,
          committedFen: Number(r.committedFen),
          paidFen: Number(r.paidFen),
        })),
      };
    },
  };
}
export type ProjectRepository = ReturnType<typeof projectRepository>;
