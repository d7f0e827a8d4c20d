import { appendToOutbox, fromPrisma } from '@linli/events';
import type { EventEnvelope, TopicKey } from '@linli/contracts';
import { topicName } from '@linli/contracts';
import type { CommunitiesPrisma } from './prisma';
import { subDistrictRepository, type SubDistrictRepository } from './sub-district.repository';

/** What a use case may touch inside one transaction: repositories plus the outbox. */
export interface CommunitiesWork {
  subDistricts: SubDistrictRepository;
  outbox: { append(topic: TopicKey, event: EventEnvelope): Promise<void> };
}

export interface UnitOfWork {
  /** Runs `fn` in one database transaction: the state change and its events commit together or not at all. */
  run<T>(fn: (work: CommunitiesWork) => Promise<T>): Promise<T>;
  /** Read-only access outside a transaction. */
  read: CommunitiesWork;
}

export function createUnitOfWork(prisma: CommunitiesPrisma, onCommitted: () => void = () => {}): UnitOfWork {
  const workFor = (tx: Parameters<typeof subDistrictRepository>[0]): CommunitiesWork => ({
    subDistricts: subDistrictRepository(tx),
    outbox: { append: (topic, event) => appendToOutbox(fromPrisma(tx), topicName(topic), event) },
  });
  return {
    async run(fn) {
      const result = await prisma.$transaction((tx) => fn(workFor(tx)));
      onCommitted();
      return result;
    },
    read: workFor(prisma as never),
  };
}
