import * as contracts from '@linli/contracts';
import type { EventDefinition, EventEnvelope } from '@linli/contracts';
import type { OperationsDeps } from '../../domain/projects.use-cases';
import { recordDecisionOf } from '../../domain/audit.use-cases';
import { applyServiceEvent } from '../../domain/service-events.use-cases';

const SERVICES = ['communities', 'organizations', 'payments', 'supervision'] as const;

const isDefinition = (v: unknown): v is EventDefinition =>
  typeof v === 'object' && v !== null && typeof (v as EventDefinition).type === 'string' && typeof (v as EventDefinition).version === 'number' && typeof (v as { data?: { safeParse?: unknown } }).data?.safeParse === 'function';

/**
 * Every event definition the four services' contracts export, found at start-up: their contracts are
 * still growing, and whatever they define by the time this runs is understood (validated and stored);
 * types nobody defined are ignored by the consumer runner.
 */
export function serviceEventDefinitions(): EventDefinition[] {
  const seen = new Map<string, EventDefinition>();
  for (const value of Object.values(contracts)) {
    if (isDefinition(value) && SERVICES.some((s) => value.type.startsWith(`${s}.`))) seen.set(`${value.type}@${value.version}`, value);
  }
  return [...seen.values()];
}

export function serviceEventHandler(deps: OperationsDeps) {
  return async (event: EventEnvelope, tx: { native: unknown }, meta: { definition: EventDefinition }): Promise<void> => {
    const now = (deps.now ?? (() => new Date()))();
    await deps.uow.within(tx.native, async (work) => {
      await applyServiceEvent(work, event, meta.definition.description, now);
      // Last in the transaction: the audit chain's lock is held from here to the commit.
      await recordDecisionOf(work, event);
    });
  };
}

export const SERVICE_TOPICS = SERVICES;
