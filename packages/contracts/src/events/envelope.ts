import { z } from 'zod';

/**
 * Every event on Kafka travels in this envelope. `type` + `version` pick the payload schema from the
 * registry (./registry.ts); consumers deduplicate by `id`; the partition key is `subject`, so events
 * about one aggregate stay in order.
 */
export const Actor = z.object({
  userId: z.string().min(1),
  role: z.string().min(1),
  scope: z.string().min(1).optional(),
});
export type Actor = z.infer<typeof Actor>;

export const EventEnvelope = z.object({
  id: z.uuid(),
  type: z.string().regex(/^[a-z]+(\.[a-z-]+)+$/, 'type looks like <service>.<aggregate>.<what-happened>'),
  version: z.number().int().positive(),
  source: z.string().min(1),
  subject: z.string().min(1),
  occurredAt: z.iso.datetime({ offset: true }),
  actor: Actor.optional(),
  /** The request or workflow that caused this event, for tracing across services. */
  correlationId: z.string().optional(),
  data: z.unknown(),
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;

/** Declares one versioned event: its type name, version and payload schema. */
export interface EventDefinition<T extends string = string, S extends z.ZodType = z.ZodType> {
  type: T;
  version: number;
  data: S;
  description: string;
}

export function defineEvent<T extends string, S extends z.ZodType>(def: EventDefinition<T, S>): EventDefinition<T, S> {
  return def;
}

export type EventOf<D extends EventDefinition> = Omit<EventEnvelope, 'data' | 'type' | 'version'> & {
  type: D['type'];
  version: D['version'];
  data: z.infer<D['data']>;
};
