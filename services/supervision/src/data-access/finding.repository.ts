import type { Actor, FindingStatus, Severity } from '@linli/contracts';
import type { Finding, Prisma } from './generated/prisma/client';
import type { SupervisionTx } from './prisma';
import type { ContractFilter } from './contract.repository';
import { actorColumn, actorOf, afterWhere, dateColumn, isoDate, keysetOrder, optionalActor, optionalDateTime, type After } from './rows';

export interface FindingRecord {
  id: string;
  contractId: string;
  projectId: string;
  organizationId: string;
  activityId: string | null;
  severity: Severity;
  summary: string;
  details: string;
  rectifyBy: string;
  status: FindingStatus;
  rectification: string | null;
  rectifiedAt: string | null;
  rectifiedBy: Actor | null;
  closingNote: string | null;
  closedAt: string | null;
  closedBy: Actor | null;
  createdAt: string;
  createdBy: Actor;
}

const toFinding = (row: Finding): FindingRecord => ({
  id: row.id,
  contractId: row.contractId,
  projectId: row.projectId,
  organizationId: row.organizationId,
  activityId: row.activityId,
  severity: row.severity as Severity,
  summary: row.summary,
  details: row.details,
  rectifyBy: isoDate(row.rectifyBy),
  status: row.status as FindingStatus,
  rectification: row.rectification,
  rectifiedAt: optionalDateTime(row.rectifiedAt),
  rectifiedBy: optionalActor(row.rectifiedBy),
  closingNote: row.closingNote,
  closedAt: optionalDateTime(row.closedAt),
  closedBy: optionalActor(row.closedBy),
  createdAt: row.createdAt.toISOString(),
  createdBy: actorOf(row.createdBy),
});

export function findingRepository(tx: SupervisionTx) {
  const findById = async (id: string): Promise<FindingRecord | null> => {
    const row = await tx.finding.findUnique({ where: { id } });
    return row ? toFinding(row) : null;
  };
  return {
    findById,
    async lock(id: string): Promise<FindingRecord | null> {
      await tx.$queryRaw`SELECT id FROM findings WHERE id = ${id}::uuid FOR UPDATE`;
      return findById(id);
    },
    async create(input: Pick<FindingRecord, 'id' | 'contractId' | 'projectId' | 'organizationId' | 'activityId' | 'severity' | 'summary' | 'details' | 'rectifyBy' | 'createdBy'>): Promise<FindingRecord> {
      const row = await tx.finding.create({
        data: { ...input, status: 'open', rectifyBy: dateColumn(input.rectifyBy), createdBy: actorColumn(input.createdBy) },
      });
      return toFinding(row);
    },
    async rectify(id: string, input: { note: string; at: Date; by: Actor }): Promise<FindingRecord> {
      const row = await tx.finding.update({
        where: { id },
        data: { status: 'rectified', rectification: input.note, rectifiedAt: input.at, rectifiedBy: actorColumn(input.by) },
      });
      return toFinding(row);
    },
    async close(id: string, input: { note: string; at: Date; by: Actor }): Promise<FindingRecord> {
      const row = await tx.finding.update({
        where: { id },
        data: { status: 'closed', closingNote: input.note, closedAt: input.at, closedBy: actorColumn(input.by) },
      });
      return toFinding(row);
    },
    async openCounts(contractId: string): Promise<Record<Severity, number>> {
      const groups = await tx.finding.groupBy({ by: ['severity'], where: { contractId, status: { not: 'closed' } }, _count: { _all: true } });
      const counts: Record<Severity, number> = { minor: 0, major: 0, severe: 0 };
      for (const g of groups) counts[g.severity as Severity] = g._count._all;
      return counts;
    },
    /** `overdueBefore`: only findings not closed whose deadline is before that date (today). */
    async list({
      limit,
      after,
      contracts,
      contractId,
      severity,
      status,
      overdueBefore,
      notOverdueFrom,
    }: {
      limit: number;
      after?: After;
      contracts: ContractFilter;
      contractId?: string;
      severity?: Severity;
      status?: FindingStatus;
      overdueBefore?: string;
      notOverdueFrom?: string;
    }): Promise<FindingRecord[]> {
      const and: Prisma.FindingWhereInput[] = [{ contract: contracts }, afterWhere(after)];
      if (contractId) and.push({ contractId });
      if (severity) and.push({ severity });
      if (status) and.push({ status });
      if (overdueBefore) and.push({ status: { not: 'closed' }, rectifyBy: { lt: dateColumn(overdueBefore) } });
      if (notOverdueFrom) and.push({ OR: [{ status: 'closed' }, { rectifyBy: { gte: dateColumn(notOverdueFrom) } }] });
      return (await tx.finding.findMany({ where: { AND: and }, orderBy: keysetOrder, take: limit })).map(toFinding);
    },
  };
}
export type FindingRepository = ReturnType<typeof findingRepository>;
