import type { EventEnvelope } from '@linli/contracts';
import type { Logger } from '@linli/logger';
import { refreshProject, type OperationsDeps } from '../../domain/projects.use-cases';

/**
 * Lifecycle events are notifications: on each one (deduplicated by runConsumer) the project's state is
 * read from its workflow — the truth — and its read-model row written, in the dedupe transaction.
 */
export function lifecycleEventHandler(deps: OperationsDeps, log: Logger) {
  return async (event: EventEnvelope, tx: { native: unknown }): Promise<void> => {
    const now = (deps.now ?? (() => new Date()))();
    const done = await deps.uow.within(tx.native, (work) => refreshProject(work, deps.lifecycles, event.subject, 'lifecycle-event', now));
    if (!done) log.warn({ projectId: event.subject, type: event.type }, 'lifecycle event for a project whose workflow does not exist; ignored');
  };
}
