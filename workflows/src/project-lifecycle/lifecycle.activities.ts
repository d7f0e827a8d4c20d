/**
 * What the lifecycle needs from the world. Implemented in ../activities/lifecycle.activities.ts over the
 * services' HTTP APIs (and Kafka for lifecycle events); workflows import this file as types only.
 */
export interface LifecycleActivities {
  /** Persists an accepted review decision with the proposal (communities); idempotent by decisionId. */
  applyReviewDecision(input: {
    projectId: string;
    decisionId: string;
    gate: string;
    outcome: string;
    version: number;
    reasons: string;
    minutesRef?: string;
    by: { userId: string; role: string; scope: string };
  }): Promise<void>;
  /** Publishes to the lifecycle topic with a deterministic event id (consumers deduplicate). */
  publishLifecycleEvent(input: { eventId: string; type: string; projectId: string; subject: string; data: Record<string, unknown> }): Promise<void>;
  /** Asks payments to disburse one tranche; a repeat with the same key returns the first result. */
  requestTranche(input: { projectId: string; contractId: string; kind: 'start_up' | 'mid_term' | 'final'; idempotencyKey: string }): Promise<{
    trancheId: string;
    status: 'requested' | 'approved' | 'paid' | 'failed';
    amountFen: number;
  }>;
  /**
   * Settles an early-terminated contract for what was delivered (share in per-mille of planned activities):
   * payments cancels the tranches that will never be paid and owes max(0, floor(amount × permille / 1000)
   * − paid before), paid as the final tranche. A repeat with the same key returns the first result.
   */
  settleTermination(input: { projectId: string; contractId: string; deliveredPermille: number; reason: string; idempotencyKey: string }): Promise<TerminationSettlement>;
}

export interface TerminationSettlement {
  contractId: string;
  deliveredPermille: number;
  owedFen: number;
  paidBeforeFen: number;
  cancelledTranches: ('start_up' | 'mid_term' | 'final')[];
}
