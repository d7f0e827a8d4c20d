import { appendToOutbox, fromPrisma } from '@linli/events';
import type { EventEnvelope, TopicKey } from '@linli/contracts';
import { topicName } from '@linli/contracts';
import { activityRepository, type ActivityRepository } from './activity.repository';
import { agencyRepository, type AgencyRepository } from './agency.repository';
import { callTaskRepository, type CallTaskRepository } from './call-task.repository';
import { closeOutRepository, type CloseOutRepository } from './close-out.repository';
import { contractRepository, type ContractRepository } from './contract.repository';
import { evaluationRepository, type EvaluationRepository } from './evaluation.repository';
import { findingRepository, type FindingRepository } from './finding.repository';
import { minutesRepository, type MinutesRepository } from './minutes.repository';
import type { SupervisionPrisma, SupervisionTx } from './prisma';
import { surveyRepository, type SurveyRepository } from './survey.repository';

/** What a use case may touch inside one transaction: repositories plus the outbox. */
export interface SupervisionWork {
  agencies: AgencyRepository;
  contracts: ContractRepository;
  activities: ActivityRepository;
  callTasks: CallTaskRepository;
  findings: FindingRepository;
  minutes: MinutesRepository;
  surveys: SurveyRepository;
  evaluations: EvaluationRepository;
  closeOuts: CloseOutRepository;
  outbox: { append(topic: TopicKey, event: EventEnvelope): Promise<void> };
}

export interface UnitOfWork {
  /** Runs `fn` in one database transaction: the state change and its events commit together or not at all. */
  run<T>(fn: (work: SupervisionWork) => Promise<T>): Promise<T>;
  /** Runs `fn` inside a transaction someone else owns (a consumer's dedupe transaction). */
  within<T>(tx: SupervisionTx, fn: (work: SupervisionWork) => Promise<T>): Promise<T>;
  /** Read-only access outside a transaction. */
  read: SupervisionWork;
}

/** `topicPrefix` comes from the service's config (KAFKA_TOPIC_PREFIX), like every other topic it uses. */
export function createUnitOfWork(prisma: SupervisionPrisma, onCommitted: () => void = () => {}, topicPrefix = ''): UnitOfWork {
  const workFor = (tx: SupervisionTx): SupervisionWork => ({
    agencies: agencyRepository(tx),
    contracts: contractRepository(tx),
    activities: activityRepository(tx),
    callTasks: callTaskRepository(tx),
    findings: findingRepository(tx),
    minutes: minutesRepository(tx),
    surveys: surveyRepository(tx),
    evaluations: evaluationRepository(tx),
    closeOuts: closeOutRepository(tx),
    outbox: { append: (topic, event) => appendToOutbox(fromPrisma(tx), topicName(topic, topicPrefix), event) },
  });
  return {
    async run(fn) {
      // Photos travel in the transaction as bytea; give large uploads room beyond Prisma's 5 s default.
      const result = await prisma.$transaction((tx) => fn(workFor(tx)), { maxWait: 10_000, timeout: 30_000 });
      onCommitted();
      return result;
    },
    async within(tx, fn) {
      return fn(workFor(tx));
    },
    read: workFor(prisma as never),
  };
}
