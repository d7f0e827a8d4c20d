import { ContractAssigned, EvaluationCompleted, FindingClosed, FindingRaised, type EventEnvelope } from '@linli/contracts';
import { isEvent, type SqlExecutor } from '@linli/events';
import type { PaymentsTx } from '../../data-access/prisma';
import { recordAgencyAssignment, recordEvaluation } from '../../domain/contract-facts.use-cases';
import { applyFindingClosed, applyFindingRaised } from '../../domain/freezes.use-cases';
import type { PaymentsDeps } from '../../domain/payments.deps';
import { actorOfEvent } from './contract-signed.consumer';

/** The supervision events payments acts on; other types on the topic are ignored by the runner. */
export const SUPERVISION_EVENTS_CONSUMED = [FindingRaised, FindingClosed, EvaluationCompleted, ContractAssigned] as const;

/**
 * supervision → payments, each in the consumer's transaction with its dedupe mark:
 *   finding.raised (severe) → automatic freeze; finding.closed → lift that finding's freeze;
 *   evaluation.completed → stored (mid-term releases 中期款, year-end grade decides 尾款);
 *   contract.assigned → which agency's supervisors may freeze and read this contract.
 */
export function supervisionHandler(deps: PaymentsDeps) {
  return async (event: EventEnvelope, tx: SqlExecutor<PaymentsTx>): Promise<void> => {
    const actor = actorOfEvent(event);
    await deps.uow.within(tx.native, async (work) => {
      if (isEvent(FindingRaised, event)) await applyFindingRaised(deps, work, event.data, actor);
      else if (isEvent(FindingClosed, event)) await applyFindingClosed(deps, work, event.data, actor);
      else if (isEvent(EvaluationCompleted, event)) await recordEvaluation(work, event.data, new Date(event.occurredAt));
      else if (isEvent(ContractAssigned, event)) await recordAgencyAssignment(work, event.data, new Date(event.occurredAt));
    });
  };
}
