import { TranchePaid, type EventEnvelope } from '@linli/contracts';
import { isEvent } from '@linli/events';
import type { Logger } from '@linli/logger';
import type { UnitOfWork } from '../../data-access/unit-of-work';
import { applyTranchePaid } from '../../domain/funds.use-cases';

/** Paid tranches move money from committed to spent on the project's fund line. */
export const FUNDS_EVENTS = [TranchePaid] as const;

export function fundsHandler(uow: UnitOfWork, log: Logger) {
  return async (event: EventEnvelope, txNative: unknown): Promise<void> => {
    await uow.within(txNative, async (work) => {
      if (isEvent(TranchePaid, event)) await applyTranchePaid(work, event, log);
    });
  };
}
