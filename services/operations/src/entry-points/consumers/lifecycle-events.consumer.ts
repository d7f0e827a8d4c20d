import type { EventEnvelope } from '@linli/contracts';
import type { Logger } from '@linli/logger';
import { refreshProjectForEvent, type OperationsDeps } from '../../domain/projects.use-cases';

/**
 * Lifecycle events are notifications: on each one (deduplicated by runConsumer) the project's state is
 * read from its workflow — the truth — and its read-model row written, in the dedupe transaction; unless
 * the row already holds a read made after the event was written (a lagging consumer's older events).
 */
export function lifecycleEventHandler(deps: OperationsDeps, log: Logger) {
  return async (event: EventEnvelope, tx: { native: unknown }): Promise<void> => {
    const now = (deps.now ?? (() => new Date()))();
    const done = await deps.uow.within(tx.native, (work) => refreshProjectForEvent(work, deps.lifecycles, event, now));
    if (done.outcome === 'no-lifecycle') log.warn({ projectId: event.subject, type: event.type }, 'lifecycle event for a project whose workflow does not exist; ignored');
    else if (done.outcome === 'already-reflected') log.debug({ projectId: event.subject, type: event.type }, 'lifecycle event already reflected by a later read of the workflow');
  };
}
