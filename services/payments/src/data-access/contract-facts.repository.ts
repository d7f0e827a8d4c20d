import type { Grade } from '@linli/contracts';
import type { PaymentsTx } from './prisma';

/**
 * Local projections of other services' facts about a contract (from their events): the supervisor's
 * evaluations, and which agency supervises it. Keyed by contract id, independent of the plan, because
 * events from different topics may arrive in any order.
 */
export interface EvaluationRecord {
  evaluationId: string;
  contractId: string;
  kind: 'mid_term' | 'year_end';
  score: number;
  grade: Grade;
  passed: boolean;
  evaluatedAt: string;
}

export function contractFactsRepository(tx: PaymentsTx) {
  return {
    /** Records an evaluation once (a repeat of the same evaluation id changes nothing). */
    async recordEvaluation(input: Omit<EvaluationRecord, 'evaluatedAt'> & { projectId: string; evaluatedAt: Date }): Promise<void> {
      await tx.contractEvaluation.createMany({ data: [input], skipDuplicates: true });
    },
    /** The latest evaluation of a kind (a re-evaluation supersedes the earlier one). */
    async latestEvaluation(contractId: string, kind: EvaluationRecord['kind']): Promise<EvaluationRecord | null> {
      const row = await tx.contractEvaluation.findFirst({ where: { contractId, kind }, orderBy: [{ evaluatedAt: 'desc' }, { recordedAt: 'desc' }] });
      return row
        ? { evaluationId: row.evaluationId, contractId: row.contractId, kind: row.kind as EvaluationRecord['kind'], score: row.score, grade: row.grade as Grade, passed: row.passed, evaluatedAt: row.evaluatedAt.toISOString() }
        : null;
    },
    async latestYearEndGrades(contractIds: readonly string[]): Promise<Map<string, Grade>> {
      const out = new Map<string, Grade>();
      if (contractIds.length === 0) return out;
      const rows = await tx.contractEvaluation.findMany({ where: { contractId: { in: [...contractIds] }, kind: 'year_end' }, orderBy: [{ evaluatedAt: 'asc' }, { recordedAt: 'asc' }] });
      for (const row of rows) out.set(row.contractId, row.grade as Grade);
      return out;
    },
    /** The agency now supervising the contract; an older assignment event does not overwrite a newer one. */
    async assignAgency(input: { contractId: string; projectId: string; agencyId: string; assignedAt: Date }): Promise<void> {
      const current = await tx.contractAgency.findUnique({ where: { contractId: input.contractId } });
      if (!current) await tx.contractAgency.create({ data: input });
      else if (current.assignedAt <= input.assignedAt) await tx.contractAgency.update({ where: { contractId: input.contractId }, data: input });
    },
    async agencyOf(contractId: string): Promise<string | null> {
      return (await tx.contractAgency.findUnique({ where: { contractId } }))?.agencyId ?? null;
    },
    async contractsOfAgency(agencyId: string): Promise<string[]> {
      return (await tx.contractAgency.findMany({ where: { agencyId }, select: { contractId: true } })).map((r) => r.contractId);
    },
  };
}
export type ContractFactsRepository = ReturnType<typeof contractFactsRepository>;
