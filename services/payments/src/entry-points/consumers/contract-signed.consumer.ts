import { ContractSigned, type Actor, type EventEnvelope } from '@linli/contracts';
import { isEvent, type SqlExecutor } from '@linli/events';
import type { PaymentsTx } from '../../data-access/prisma';
import { createPlanFromContract } from '../../domain/payment-plans.use-cases';
import type { PaymentsDeps } from '../../domain/payments.deps';

/** Who an event-driven write records: the event's actor, or the producing service. */
export const actorOfEvent = (event: EventEnvelope): Actor => event.actor ?? { userId: `system:${event.source}`, role: 'system' };

/**
 * organizations.contract.signed → a payment plan with the default split, in the consumer's transaction
 * (together with the dedupe mark). A plan that already exists for the contract is kept.
 */
export function contractSignedHandler(deps: PaymentsDeps) {
  return async (event: EventEnvelope, tx: SqlExecutor<PaymentsTx>): Promise<void> => {
    if (!isEvent(ContractSigned, event)) return;
    const { contractId, projectId, organizationId, subDistrictId, communityId, level, amountFen } = event.data;
    await deps.uow.within(tx.native, (work) =>
      createPlanFromContract(deps, work, { contractId, projectId, organizationId, subDistrictId, communityId, level, amountFen }, actorOfEvent(event)),
    );
  };
}
