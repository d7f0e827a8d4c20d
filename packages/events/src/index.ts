export { buildEvent, InvalidEventError, type BuildEventInput } from './build-event';
export {
  classifyMessage,
  EventHandlingError,
  PROJECTION_BATCH_SIZE,
  runConsumer,
  UnprocessableEventError,
  type MessageContext,
  type RunConsumerOptions,
  type RunningConsumer,
} from './consumer-runner';
export { describeIssues } from './describe-issues';
export { errorMessage, silentLogger, type EventLogger } from './event-logger';
export { createEventRegistry, isEvent, type EventRegistry } from './event-registry';
export {
  createKafka,
  type ConsumerTuning,
  type CreateKafkaOptions,
  type EventConsumer,
  type EventProducer,
  type HeaderValue,
  type IncomingBatch,
  type IncomingMessage,
  type KafkaAdmin,
  type KafkaClient,
  type MessageHeaders,
  type OutgoingMessage,
  type StartConsumerOptions,
  type TopicSettings,
} from './kafka.client';
export { createOutboxRelay, type OutboxRelay, type OutboxRelayOptions } from './outbox-relay';
export { appendManyToOutbox, appendToOutbox, OUTBOX_TABLES_SQL, type OutboxEntry } from './outbox.repository';
export {
  fromPg,
  fromPrisma,
  openPgDatabase,
  type PgDatabase,
  type PrismaAdapterOptions,
  type PrismaClientLike,
  type PrismaTxLike,
  type PrismaTxOf,
  type SqlDatabase,
  type SqlExecutor,
} from './sql-executor';
