import type { ProjectChangeView } from '@linli/contracts';
import { auditRepository, type AuditRepository } from './audit.repository';
import { notifyChange } from './change-feed';
import { projectEventRepository, type ProjectEventRepository } from './project-event.repository';
import { projectRepository, type ProjectRepository } from './project.repository';
import type { OperationsPrisma, OperationsTx } from './prisma';

/** What a use case may touch inside one transaction. */
export interface OperationsWork {
  projects: ProjectRepository;
  audit: AuditRepository;
  events: ProjectEventRepository;
  /** Announces a read-model change to every listening replica when (and only if) the transaction commits. */
  announce(change: ProjectChangeView): Promise<void>;
}

export interface UnitOfWork {
  /** Runs `fn` in one database transaction. */
  run<T>(fn: (work: OperationsWork) => Promise<T>): Promise<T>;
  /** Runs `fn` inside a transaction someone else opened (the event consumer's dedupe transaction). */
  within<T>(tx: unknown, fn: (work: OperationsWork) => Promise<T>): Promise<T>;
  /** Read-only access outside a transaction. */
  read: OperationsWork;
}

export function createUnitOfWork(prisma: OperationsPrisma): UnitOfWork {
  const workFor = (tx: OperationsTx): OperationsWork => ({
    projects: projectRepository(tx),
    audit: auditRepository(tx),
    events: projectEventRepository(tx),
    announce: (change) => notifyChange(tx, change),
  });
  return {
    // The lifecycle query happens inside some of these transactions (under the project's lock), hence the
    // wider limits than Prisma's 5 s default.
    run: (fn) => prisma.$transaction((tx) => fn(workFor(tx)), { maxWait: 10_000, timeout: 60_000 }),
    within: (tx, fn) => fn(workFor(tx as OperationsTx)),
    read: workFor(prisma as unknown as OperationsTx),
  };
}
