import { randomUUID } from 'node:crypto';
import { EventEnvelope, type Actor, type EventDefinition, type EventOf } from '@linli/contracts';
import { z } from 'zod';
import { describeIssues } from './describe-issues';

export interface BuildEventInput<D extends EventDefinition> {
  /** The service that emits the event, e.g. 'communities'. */
  source: string;
  /** The aggregate the event is about; also the Kafka partition key, so its events stay in order. */
  subject: string;
  data: z.input<D['data']>;
  actor?: Actor;
  correlationId?: string;
}

/** Thrown when a service tries to emit an event that breaks its own contract: a bug, never user input. */
export class InvalidEventError extends Error {
  override name = 'InvalidEventError';
  constructor(
    readonly eventType: string,
    readonly reason: string,
  ) {
    super(`refusing to emit ${eventType}: ${reason}`);
  }
}

/**
 * A complete envelope for `def`: new id, occurredAt = now, data checked against the definition.
 * It throws rather than emit a malformed event, because every consumer would dead-letter it.
 */
export function buildEvent<D extends EventDefinition>(def: D, input: BuildEventInput<D>, now: Date = new Date()): EventOf<D> {
  const data = def.data.safeParse(input.data);
  if (!data.success) throw new InvalidEventError(`${def.type}@${def.version}`, describeIssues(data.error, 'data'));
  const envelope = {
    id: randomUUID(),
    type: def.type,
    version: def.version,
    source: input.source,
    subject: input.subject,
    occurredAt: now.toISOString(),
    ...(input.actor ? { actor: input.actor } : {}),
    ...(input.correlationId ? { correlationId: input.correlationId } : {}),
    data: data.data,
  };
  const checked = EventEnvelope.safeParse(envelope);
  if (!checked.success) throw new InvalidEventError(`${def.type}@${def.version}`, describeIssues(checked.error));
  return envelope as EventOf<D>;
}
