import type { Actor, EvaluationKind, EvaluationSheet, Grade } from '@linli/contracts';
import type { Evaluation } from './generated/prisma/client';
import type { SupervisionTx } from './prisma';
import { actorColumn, actorOf, afterWhere, keysetOrder, type After } from './rows';

export interface EvaluationRecord {
  id: string;
  contractId: string;
  projectId: string;
  kind: EvaluationKind;
  score: number;
  grade: Grade;
  passed: boolean;
  sheet: EvaluationSheet;
  note: string;
  createdAt: string;
  createdBy: Actor;
}

const toEvaluation = (row: Evaluation): EvaluationRecord => ({
  id: row.id,
  contractId: row.contractId,
  projectId: row.projectId,
  kind: row.kind as EvaluationKind,
  score: row.score,
  grade: row.grade as Grade,
  passed: row.passed,
  sheet: row.sheet as unknown as EvaluationSheet,
  note: row.note,
  createdAt: row.createdAt.toISOString(),
  createdBy: actorOf(row.createdBy),
});

export function evaluationRepository(tx: SupervisionTx) {
  return {
    async findById(id: string): Promise<EvaluationRecord | null> {
      const row = await tx.evaluation.findUnique({ where: { id } });
      return row ? toEvaluation(row) : null;
    },
    async findByKind(contractId: string, kind: EvaluationKind): Promise<EvaluationRecord | null> {
      const row = await tx.evaluation.findUnique({ where: { contractId_kind: { contractId, kind } } });
      return row ? toEvaluation(row) : null;
    },
    async create(input: Omit<EvaluationRecord, 'createdAt'>): Promise<EvaluationRecord> {
      const row = await tx.evaluation.create({
        data: { ...input, sheet: input.sheet as unknown as object, createdBy: actorColumn(input.createdBy) },
      });
      return toEvaluation(row);
    },
    async list({ contractId, limit, after }: { contractId: string; limit: number; after?: After }): Promise<EvaluationRecord[]> {
      return (await tx.evaluation.findMany({ where: { contractId, ...afterWhere(after) }, orderBy: keysetOrder, take: limit })).map(toEvaluation);
    },
  };
}
export type EvaluationRepository = ReturnType<typeof evaluationRepository>;
