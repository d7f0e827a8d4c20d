import { appendToOutbox, fromPrisma } from '@linli/events';
import type { EventEnvelope, TopicKey } from '@linli/contracts';
import { topicName } from '@linli/contracts';
import { communityRepository, type CommunityRepository } from './community.repository';
import { directoryRepository, type DirectoryRepository } from './directory.repository';
import { fairRepository, type FairRepository } from './fair.repository';
import { fundRepository, type FundRepository } from './fund.repository';
import { needsRepository, type NeedsRepository } from './needs.repository';
import type { CommunitiesPrisma, CommunitiesTx } from './prisma';
import { proposalRepository, type ProposalRepository } from './proposal.repository';
import { referencePriceRepository, type ReferencePriceRepository } from './reference-price.repository';
import { subDistrictRepository, type SubDistrictRepository } from './sub-district.repository';

/** What a use case may touch inside one transaction: repositories plus the outbox. */
export interface CommunitiesWork {
  subDistricts: SubDistrictRepository;
  communities: CommunityRepository;
  funds: FundRepository;
  needs: NeedsRepository;
  fairs: FairRepository;
  directory: DirectoryRepository;
  referencePrices: ReferencePriceRepository;
  proposals: ProposalRepository;
  outbox: { append(topic: TopicKey, event: EventEnvelope): Promise<void> };
}

export interface UnitOfWork {
  /** Runs `fn` in one database transaction: the state change and its events commit together or not at all. */
  run<T>(fn: (work: CommunitiesWork) => Promise<T>): Promise<T>;
  /** Runs `fn` inside a transaction someone else owns (a consumer's dedupe transaction). */
  within<T>(tx: unknown, fn: (work: CommunitiesWork) => Promise<T>): Promise<T>;
  /** Read-only access outside a transaction. */
  read: CommunitiesWork;
}

/** `topicPrefix` is the configured KAFKA_TOPIC_PREFIX: events go to the topics the service was told to use. */
export function createUnitOfWork(prisma: CommunitiesPrisma, onCommitted: () => void = () => {}, topicPrefix = ''): UnitOfWork {
  const workFor = (tx: CommunitiesTx): CommunitiesWork => ({
    subDistricts: subDistrictRepository(tx),
    communities: communityRepository(tx),
    funds: fundRepository(tx),
    needs: needsRepository(tx),
    fairs: fairRepository(tx),
    directory: directoryRepository(tx),
    referencePrices: referencePriceRepository(tx),
    proposals: proposalRepository(tx),
    outbox: { append: (topic, event) => appendToOutbox(fromPrisma(tx), topicName(topic, topicPrefix), event) },
  });
  return {
    async run(fn) {
      const result = await prisma.$transaction((tx) => fn(workFor(tx)));
      onCommitted();
      return result;
    },
    within: (tx, fn) => fn(workFor(tx as CommunitiesTx)),
    read: workFor(prisma as never),
  };
}
