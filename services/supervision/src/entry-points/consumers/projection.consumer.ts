import { ContractSigned, ProposalApproved, type EventEnvelope } from '@linli/contracts';
import { isEvent, type SqlExecutor } from '@linli/events';
import type { SupervisionTx } from '../../data-access/prisma';
import type { UnitOfWork } from '../../data-access/unit-of-work';
import { projectApprovedProposal, projectSignedContract } from '../../domain/contracts.use-cases';

/** The events this service keeps a local projection of (its consumer's registry). */
export const PROJECTED_EVENTS = [ProposalApproved, ContractSigned] as const;

/**
 * Keeps the local projection of contracts and their approved plans: supervision checks delivery against
 * them without calling the communities or organizations services. Runs inside the consumer's dedupe
 * transaction, so a redelivered event is applied once and a failed one leaves nothing behind.
 */
export function projectionHandler(uow: UnitOfWork) {
  return async (event: EventEnvelope, tx: SqlExecutor<SupervisionTx>): Promise<void> => {
    await uow.within(tx.native, async (work) => {
      if (isEvent(ProposalApproved, event)) await projectApprovedProposal(work, event);
      else if (isEvent(ContractSigned, event)) await projectSignedContract(work, event);
    });
  };
}
