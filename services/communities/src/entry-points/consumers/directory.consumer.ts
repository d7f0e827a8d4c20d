import { OfferingPublished, OrganizationCreditChanged, OrganizationRegistered, type EventEnvelope } from '@linli/contracts';
import { isEvent } from '@linli/events';
import type { UnitOfWork } from '../../data-access/unit-of-work';
import { projectCreditChanged, projectOfferingPublished, projectOrganizationRegistered } from '../../domain/directory.use-cases';

/** The organizations events the directory projection is built from. */
export const DIRECTORY_EVENTS = [OrganizationRegistered, OrganizationCreditChanged, OfferingPublished] as const;

/** Applies them inside the consumer's dedupe transaction (`txNative`), so each takes effect once. */
export function directoryHandler(uow: UnitOfWork) {
  return async (event: EventEnvelope, txNative: unknown): Promise<void> => {
    await uow.within(txNative, async (work) => {
      if (isEvent(OrganizationRegistered, event)) await projectOrganizationRegistered(work, event);
      else if (isEvent(OrganizationCreditChanged, event)) await projectCreditChanged(work, event);
      else if (isEvent(OfferingPublished, event)) await projectOfferingPublished(work, event);
    });
  };
}
