import { EventEnvelope, LIFECYCLE_EVENTS, topicName } from '@linli/contracts';
import type { EventProducer } from '@linli/events';
import { ApplicationFailure } from '@temporalio/activity';

/**
 * Publishes a lifecycle event straight to Kafka. No outbox here: the workflow's history is the durable
 * record, the event id comes from the workflow (deterministic), so a retried activity re-sends the same
 * id and consumers deduplicate.
 */
export function createLifecycleEventPublisher({ producer, topicPrefix }: { producer: EventProducer; topicPrefix: string }) {
  const byType = new Map<string, (typeof LIFECYCLE_EVENTS)[number]>(LIFECYCLE_EVENTS.map((d) => [d.type, d]));
  return async function publishLifecycleEvent(input: { eventId: string; type: string; projectId: string; subject: string; data: Record<string, unknown> }): Promise<void> {
    const definition = byType.get(input.type);
    if (!definition) throw ApplicationFailure.nonRetryable(`unknown lifecycle event type ${input.type}`);
    const envelope = EventEnvelope.parse({
      id: input.eventId,
      type: definition.type,
      version: definition.version,
      source: 'lifecycle',
      subject: input.subject,
      occurredAt: new Date().toISOString(),
      correlationId: `project-${input.projectId}`,
      data: definition.data.parse({ ...input.data }),
    });
    await producer.send(topicName('lifecycle', topicPrefix), [
      {
        key: envelope.subject,
        value: JSON.stringify(envelope),
        headers: { 'event-id': envelope.id, 'event-type': envelope.type, 'event-version': String(envelope.version) },
      },
    ]);
  };
}
