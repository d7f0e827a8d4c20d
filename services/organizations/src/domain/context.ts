import { actorOf, authorize, decide, type Action, type Principal, type ResourceScope } from '@linli/auth';
import type { Actor } from '@linli/contracts';
import type { UnitOfWork } from '../data-access/unit-of-work';

/** "Now", injectable: deadlines, bid windows and standstill periods are decided against this clock. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** What every use case gets: the unit of work and the clock. */
export interface Deps {
  uow: UnitOfWork;
  clock: Clock;
}

/**
 * Who is calling. Use cases whose permission depends on the stored resource (a tender's sub-district,
 * a bid's organization) check it with `can`/`must` after loading it, against the one policy table.
 */
export interface Caller {
  principal: Principal;
  actor: Actor;
  /** Throws 403 with the reason unless the policy allows it. */
  must(action: Action, resource?: ResourceScope): void;
  can(action: Action, resource?: ResourceScope): boolean;
  /** The organization an org_staff caller acts for, else null. */
  organizationId: string | null;
}

export function callerOf(principal: Principal): Caller {
  return {
    principal,
    actor: actorOf(principal),
    must: (action, resource) => authorize(principal, action, resource),
    can: (action, resource) => decide(principal, action, resource).allowed,
    organizationId: principal.scope.kind === 'organization' ? principal.scope.id : null,
  };
}
