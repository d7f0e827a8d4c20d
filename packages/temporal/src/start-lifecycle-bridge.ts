import { topicName, type EventDefinition, type LifecyclePolicy } from '@linli/contracts';
import { createEventRegistry, openPgDatabase, runConsumer, type KafkaClient } from '@linli/events';
import { createTemporalClient, type TemporalSettings } from './connection';
import { forwardToLifecycle } from './lifecycle-bridge';
import { lifecycleClient } from './lifecycle-client';

/** Projects whose steps one bridge forwards at the same time (and its pool's connections). */
const KEYS_AT_ONCE = 8;

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
  /** The service's database, where the bridge's dedupe marks live (processed_events). */
  databaseUrl: string;
  events: readonly EventDefinition[];
  topicPrefix: string;
  temporal: TemporalSettings;
  log: { debug(o: object, m?: string): void; info(o: object, m?: string): void; warn(o: object, m?: string): void; error(o: object, m?: string): void };
}) {
  const { client, connection } = await createTemporalClient(opts.temporal);
  const lifecycle = lifecycleClient(client);
  // Its own pool: each forwarding holds its dedupe transaction while the Update runs (0.2–0.5 s), and
  // with projects forwarded at once that must not take the connections the service's requests need.
  const db = openPgDatabase(opts.databaseUrl, {
    max: KEYS_AT_ONCE,
    onIdleError: (error) => opts.log.warn({ err: error.message }, 'lifecycle bridge: a pooled connection broke while idle; it reconnects'),
  });
  let consumer: Awaited<ReturnType<typeof runConsumer>>;
  try {
    consumer = await runConsumer({
      kafka: opts.kafka,
      groupId: `${opts.topicPrefix}${opts.service}.lifecycle-bridge`,
      consumerName: `${opts.service}.lifecycle-bridge`,
      topics: [topicName(opts.service, opts.topicPrefix)],
      registry: createEventRegistry([...opts.events]),
      db,
      // Projects on one partition are forwarded at once, each project's steps in order: the bridge waits for
      // every Update to complete, and one at a time per partition a queue built up (docs/benchmarks.md).
      keysConcurrently: KEYS_AT_ONCE,
      deadLetterTopic: topicName('deadLetter', opts.topicPrefix),
      log: opts.log,
      // A new bridge reads its topic from the start: steps already applied are recognised and skipped.
      fromBeginning: true,
      handle: async (event) => {
        const outcome = await forwardToLifecycle(lifecycle, event, { log: opts.log, policy: opts.policy });
        if (outcome === 'applied') opts.log.info({ type: event.type, subject: event.subject }, 'forwarded to the project lifecycle');
      },
    });
  } catch (error) {
    // Not started: what was opened for it is closed again.
    await Promise.allSettled([connection.close(), db.close()]);
    throw error;
  }
  return {
    joined: consumer.joined,
    async stop() {
      await consumer.stop();
      await connection.close();
      await db.close();
    },
  };
}
