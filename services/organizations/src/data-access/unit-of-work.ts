import { appendToOutbox, fromPrisma } from '@linli/events';
import type { EventEnvelope, TopicKey } from '@linli/contracts';
import { topicName } from '@linli/contracts';
import { contractRepository, type ContractRepository } from './contract.repository';
import { offeringRepository, type OfferingRepository } from './offering.repository';
import { organizationRepository, type OrganizationRepository } from './organization.repository';
import type { OrganizationsPrisma, OrganizationsTx } from './prisma';
import { staffRepository, type StaffRepository } from './staff.repository';
import { tenderRepository, type TenderRepository } from './tender.repository';
import { trackRecordRepository, type TrackRecordRepository } from './track-record.repository';

/** What a use case may touch inside one transaction: repositories plus the outbox. */
export interface OrganizationsWork {
  organizations: OrganizationRepository;
  offerings: OfferingRepository;
  staff: StaffRepository;
  tenders: TenderRepository;
  contracts: ContractRepository;
  trackRecord: TrackRecordRepository;
  outbox: { append(topic: TopicKey, event: EventEnvelope): Promise<void> };
}

export interface UnitOfWork {
  /** Runs `fn` in one database transaction: the state change and its events commit together or not at all. */
  run<T>(fn: (work: OrganizationsWork) => Promise<T>): Promise<T>;
  /** Runs `fn` inside a transaction someone else owns (a consumer's dedupe transaction). */
  within<T>(tx: unknown, fn: (work: OrganizationsWork) => Promise<T>): Promise<T>;
  /** Read-only access outside a transaction. */
  read: OrganizationsWork;
}

export function createUnitOfWork(prisma: OrganizationsPrisma, onCommitted: () => void = () => {}): UnitOfWork {
  const workFor = (tx: OrganizationsTx): OrganizationsWork => ({
    organizations: organizationRepository(tx),
    offerings: offeringRepository(tx),
    staff: staffRepository(tx),
    tenders: tenderRepository(tx),
    contracts: contractRepository(tx),
    trackRecord: trackRecordRepository(tx),
    outbox: { append: (topic, event) => appendToOutbox(fromPrisma(tx), topicName(topic), event) },
  });
  return {
    async run(fn) {
      const result = await prisma.$transaction((tx) => fn(workFor(tx)));
      onCommitted();
      return result;
    },
    within: (tx, fn) => fn(workFor(tx as OrganizationsTx)),
    read: workFor(prisma as never),
  };
}
