import type { Grade } from '@linli/contracts';
import type { PaymentsWork } from '../data-access/unit-of-work';

/**
 * Facts other services own, kept here as small projections of their events: the supervisor's
 * evaluations (they release the mid-term tranche and decide the final one) and the agency assigned to
 * supervise a contract (its supervisors' scope for freezing and reading).
 */

/** supervision.evaluation.completed: stored once per evaluation; the latest of a kind counts. */
export async function recordEvaluation(
  work: PaymentsWork,
  evaluation: { evaluationId: string; contractId: string; projectId: string; kind: 'mid_term' | 'year_end'; score: number; grade: Grade; passed: boolean },
  evaluatedAt: Date,
): Promise<void> {
  const { evaluationId, contractId, projectId, kind, score, grade, passed } = evaluation;
  await work.facts.recordEvaluation({ evaluationId, contractId, projectId, kind, score, grade, passed, evaluatedAt });
}

/** supervision.contract.assigned: the agency now supervising the contract. */
export async function recordAgencyAssignment(work: PaymentsWork, assignment: { contractId: string; projectId: string; agencyId: string }, assignedAt: Date): Promise<void> {
  const { contractId, projectId, agencyId } = assignment;
  await work.facts.assignAgency({ contractId, projectId, agencyId, assignedAt });
}
