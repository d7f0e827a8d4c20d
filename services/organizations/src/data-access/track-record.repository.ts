import type { EvaluationKind, Grade, Severity } from '@linli/contracts';
import type { OrganizationsTx } from './prisma';
import { iso } from './rows';

export interface EvaluationRow {
  evaluationId: string;
  contractId: string;
  projectId: string;
  organizationId: string;
  kind: EvaluationKind;
  score: number;
  grade: Grade;
  passed: boolean;
  evaluatedAt: string;
}

export interface FindingRow {
  findingId: string;
  contractId: string;
  projectId: string;
  organizationId: string;
  severity: Severity;
  summary: string;
  rectifyBy: string;
  raisedAt: string;
  closedAt: string | null;
}

/** The local projection of supervision's evaluations and findings (no other service's tables are read). */
export function trackRecordRepository(tx: OrganizationsTx) {
  return {
    /** Upsert: a re-delivered or re-published evaluation replaces the stored one. */
    async saveEvaluation(e: EvaluationRow): Promise<void> {
      const data = {
        contractId: e.contractId,
        projectId: e.projectId,
        organizationId: e.organizationId,
        kind: e.kind,
        score: e.score,
        grade: e.grade,
        passed: e.passed,
        evaluatedAt: new Date(e.evaluatedAt),
      };
      await tx.evaluationRecord.upsert({ where: { id: e.evaluationId }, create: { id: e.evaluationId, ...data }, update: data });
    },
    async saveFinding(f: Omit<FindingRow, 'closedAt'>): Promise<void> {
      const data = {
        contractId: f.contractId,
        projectId: f.projectId,
        organizationId: f.organizationId,
        severity: f.severity,
        summary: f.summary,
        rectifyBy: new Date(`${f.rectifyBy}T00:00:00Z`),
        raisedAt: new Date(f.raisedAt),
      };
      await tx.findingRecord.upsert({ where: { id: f.findingId }, create: { id: f.findingId, ...data }, update: data });
    },
    /** A close that overtakes its raise (different partitions) is kept as an update of nothing: ignored. */
    async closeFinding(findingId: string, at: string): Promise<number> {
      const result = await tx.findingRecord.updateMany({ where: { id: findingId }, data: { closedAt: new Date(at) } });
      return result.count;
    },
    async evaluationsOf(organizationId: string): Promise<EvaluationRow[]> {
      const rows = await tx.evaluationRecord.findMany({ where: { organizationId }, orderBy: [{ evaluatedAt: 'asc' }, { id: 'asc' }] });
      return rows.map((r) => ({
        evaluationId: r.id,
        contractId: r.contractId,
        projectId: r.projectId,
        organizationId: r.organizationId,
        kind: r.kind as EvaluationKind,
        score: r.score,
        grade: r.grade as Grade,
        passed: r.passed,
        evaluatedAt: iso(r.evaluatedAt),
      }));
    },
    async findingsOf(organizationId: string): Promise<{ severity: Severity; closed: boolean }[]> {
      const rows = await tx.findingRecord.findMany({ where: { organizationId }, select: { severity: true, closedAt: true } });
      return rows.map((r) => ({ severity: r.severity as Severity, closed: r.closedAt !== null }));
    },
  };
}
export type TrackRecordRepository = ReturnType<typeof trackRecordRepository>;
