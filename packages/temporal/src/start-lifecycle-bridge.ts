import { topicName, type EventDefinition, type LifecyclePolicy } from '@linli/contracts';
import { createEventRegistry, runConsumer, type KafkaClient, type SqlDatabase } from '@linli/events';
import { createTemporalClient, type TemporalSettings } from './connection';
import { forwardToLifecycle } from './lifecycle-bridge';
import { lifecycleClient } from './lifecycle-client';

/**
 * Runs a service's lifecycle bridge: a consumer of the service's own topic that turns its lifecycle steps
 * (tender steps, contract signed, activity progress, checks, tranche outcomes, freezes) into Updates on the
 * project's workflow. Deduplicated by event id in the service's own database, like every consumer.
 */
export async function startLifecycleBridge(opts: {
  service: 'communities' | 'organizations' | 'payments' | 'supervision';
  /** Deadline policy for lifecycles this bridge starts (communities); defaults to the workflow's own. */
  policy?: Partial<LifecyclePolicy>;
  kafka: KafkaClient;
  db: SqlDatabase;
  events: readonly EventDefinition[];
  topicPrefix: string;
  temporal: TemporalSettings;
  log: { debug(o: object, m?: string): void; info(o: object, m?: string): void; warn(o: object, m?: string): void; error(o: object, m?: string): void };
}) {
  const { client, connection } = await createTemporalClient(opts.temporal);
  const lifecycle = lifecycleClient(client);
  const consumer = await runConsumer({
    kafka: opts.kafka,
    groupId: `${opts.topicPrefix}${opts.service}.lifecycle-bridge`,
    consumerName: `${opts.service}.lifecycle-bridge`,
    topics: [topicName(opts.service, opts.topicPrefix)],
    registry: createEventRegistry([...opts.events]),
    db: opts.db,
    deadLetterTopic: topicName('deadLetter', opts.topicPrefix),
    log: opts.log,
    // A new bridge reads its topic from the start: steps already applied are recognised and skipped.
    fromBeginning: true,
    handle: async (event) => {
      const outcome = await forwardToLifecycle(lifecycle, event, { log: opts.log, policy: opts.policy });
      if (outcome === 'applied') opts.log.info({ type: event.type, subject: event.subject }, 'forwarded to the project lifecycle');
    },
  });
  return {
    joined: consumer.joined,
    async stop() {
      await consumer.stop();
      await connection.close();
    },
  };
}
