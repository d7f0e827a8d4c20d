import type { OperationsTx } from './prisma';
import type { Prisma } from './generated/prisma/client';

export interface ProjectEventRecord {
  eventId: string;
  projectId: string;
  type: string;
  version: number;
  source: string;
  occurredAt: string;
  actor: { userId: string; role: string } | null;
  summary: string;
  data: Record<string, unknown>;
}

export type DirectoryKind = 'sub-district' | 'community' | 'organization' | 'agency';

export interface FundFigures {
  fundId: string;
  subDistrictId: string;
  communityId: string | null;
  fiscalYear: number;
  allocatedFen: number;
  committedFen: number;
  spentFen: number;
  asOf: string;
}

/** Service events that name a project, who supervises which project, and the names directory. */
export function projectEventRepository(tx: OperationsTx) {
  return {
    /** Idempotent by event id (a redelivered event changes nothing). */
    async record(e: ProjectEventRecord): Promise<boolean> {
      const created = await tx.projectEvent.createMany({
        data: [{
          eventId: e.eventId,
          projectId: e.projectId,
          type: e.type,
          version: e.version,
          source: e.source,
          occurredAt: new Date(e.occurredAt),
          actorUserId: e.actor?.userId ?? null,
          actorRole: e.actor?.role ?? null,
          summary: e.summary,
          data: e.data as Prisma.InputJsonValue,
        }],
        skipDuplicates: true,
      });
      return created.count > 0;
    },
    async forProject(projectId: string, limit = 500): Promise<ProjectEventRecord[]> {
      const rows = await tx.projectEvent.findMany({ where: { projectId }, orderBy: [{ occurredAt: 'asc' }, { eventId: 'asc' }], take: limit });
      return rows.map((r) => ({
        eventId: r.eventId,
        projectId: r.projectId,
        type: r.type,
        version: r.version,
        source: r.source,
        occurredAt: r.occurredAt.toISOString(),
        actor: r.actorUserId ? { userId: r.actorUserId, role: r.actorRole ?? '' } : null,
        summary: r.summary,
        data: r.data as Record<string, unknown>,
      }));
    },
    async assignSupervisor(input: { projectId: string; agencyId: string; contractId: string; assignedAt: string }): Promise<void> {
      const data = { agencyId: input.agencyId, contractId: input.contractId, assignedAt: new Date(input.assignedAt) };
      await tx.projectSupervisor.upsert({ where: { projectId: input.projectId }, create: { projectId: input.projectId, ...data }, update: data });
    },
    async supervisorOf(projectId: string): Promise<string | null> {
      return (await tx.projectSupervisor.findUnique({ where: { projectId } }))?.agencyId ?? null;
    },
    async name(kind: DirectoryKind, id: string, name: string): Promise<void> {
      await tx.directoryEntry.upsert({ where: { kind_id: { kind, id } }, create: { kind, id, name }, update: { name } });
    },
    /** Keeps the newest figures of a fund (an older event arriving late changes nothing). */
    async fund(f: FundFigures): Promise<void> {
      const data = {
        subDistrictId: f.subDistrictId,
        communityId: f.communityId,
        fiscalYear: f.fiscalYear,
        allocatedFen: BigInt(f.allocatedFen),
        committedFen: BigInt(f.committedFen),
        spentFen: BigInt(f.spentFen),
        asOf: new Date(f.asOf),
      };
      const existing = await tx.communityFund.findUnique({ where: { fundId: f.fundId } });
      if (!existing) await tx.communityFund.create({ data: { fundId: f.fundId, ...data } });
      else if (existing.asOf <= data.asOf) await tx.communityFund.update({ where: { fundId: f.fundId }, data });
    },
    /** Funds within a sub-district or a community (null scope: all of them). */
    async funds(scope: { subDistrictId?: string; communityId?: string } | null): Promise<FundFigures[]> {
      const rows = await tx.communityFund.findMany({ where: scope ?? {} });
      return rows.map((r) => ({
        fundId: r.fundId,
        subDistrictId: r.subDistrictId,
        communityId: r.communityId,
        fiscalYear: r.fiscalYear,
        allocatedFen: Number(r.allocatedFen),
        committedFen: Number(r.committedFen),
        spentFen: Number(r.spentFen),
        asOf: r.asOf.toISOString(),
      }));
    },
    /** Names for the given ids (any kind), keyed `${kind}:${id}`. */
    async names(ids: string[]): Promise<Map<string, string>> {
      const unique = [...new Set(ids.filter(Boolean))];
      if (unique.length === 0) return new Map();
      const rows = await tx.directoryEntry.findMany({ where: { id: { in: unique } } });
      return new Map(rows.map((r) => [`${r.kind}:${r.id}`, r.name]));
    },
  };
}
export type ProjectEventRepository = ReturnType<typeof projectEventRepository>;
