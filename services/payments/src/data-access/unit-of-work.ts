import { appendToOutbox, fromPrisma } from '@linli/events';
import type { EventEnvelope, TopicKey } from '@linli/contracts';
import { topicName } from '@linli/contracts';
import { contractFactsRepository, type ContractFactsRepository } from './contract-facts.repository';
import { freezeRepository, type FreezeRepository } from './freeze.repository';
import { idempotencyRepository, type IdempotencyRepository } from './idempotency.repository';
import { ledgerRepository, type LedgerRepository } from './ledger.repository';
import { paymentPlanRepository, type PaymentPlanRepository } from './payment-plan.repository';
import type { PaymentsPrisma, PaymentsTx } from './prisma';
import { terminationRepository, type TerminationRepository } from './termination.repository';
import { trancheRepository, type TrancheRepository } from './tranche.repository';

/** What a use case may touch inside one transaction: repositories plus the outbox. */
export interface PaymentsWork {
  plans: PaymentPlanRepository;
  tranches: TrancheRepository;
  ledger: LedgerRepository;
  freezes: FreezeRepository;
  facts: ContractFactsRepository;
  terminations: TerminationRepository;
  idempotency: IdempotencyRepository;
  outbox: { append(topic: TopicKey, event: EventEnvelope): Promise<void> };
}

export interface UnitOfWork {
  /** Runs `fn` in one database transaction: the state change and its events commit together or not at all. */
  run<T>(fn: (work: PaymentsWork) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` inside a transaction someone else opened (a Kafka consumer's, which also holds the dedupe
   * mark), so the effect and the mark commit together.
   */
  within<T>(tx: PaymentsTx, fn: (work: PaymentsWork) => Promise<T>): Promise<T>;
  /** Read-only access outside a transaction. */
  read: PaymentsWork;
}

export function createUnitOfWork(prisma: PaymentsPrisma, onCommitted: () => void = () => {}): UnitOfWork {
  const workFor = (tx: PaymentsTx): PaymentsWork => ({
    plans: paymentPlanRepository(tx),
    tranches: trancheRepository(tx),
    ledger: ledgerRepository(tx),
    freezes: freezeRepository(tx),
    facts: contractFactsRepository(tx),
    terminations: terminationRepository(tx),
    idempotency: idempotencyRepository(tx),
    outbox: { append: (topic, event) => appendToOutbox(fromPrisma(tx), topicName(topic), event) },
  });
  return {
    async run(fn) {
      const result = await prisma.$transaction((tx) => fn(workFor(tx)), { maxWait: 10_000, timeout: 30_000 });
      onCommitted();
      return result;
    },
    async within(tx, fn) {
      const result = await fn(workFor(tx));
      onCommitted();
      return result;
    },
    read: workFor(prisma as never),
  };
}
