import { actorOf, authorize, decide, ownResource, type Action, type Principal, type ResourceScope } from '@linli/auth';
import type { Actor } from '@linli/contracts';
import type { Visibility } from '../data-access/rows';
import type { UnitOfWork } from '../data-access/unit-of-work';

export const SOURCE = 'communities';

/** "Now", injectable so tests can pin it. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** What every use case gets: the unit of work and the clock. */
export interface Deps {
  uow: UnitOfWork;
  clock: Clock;
}

/**
 * Who is calling. Use cases whose permission depends on the stored resource (a proposal's community, a
 * fund's sub-district) check it with `must`/`can` after loading it, against the one policy table.
 */
export interface Caller {
  principal: Principal;
  actor: Actor;
  /** Throws 403 with the reason unless the policy allows it. */
  must(action: Action, resource?: ResourceScope): void;
  can(action: Action, resource?: ResourceScope): boolean;
  /**
   * What of `action`'s resources the caller may see, as a filter for lists: 403 if the role may not do
   * `action` at all; else everything (platform) or only their own sub-district / community / organization.
   */
  visibility(action: Action): Visibility;
}

export function callerOf(principal: Principal): Caller {
  return {
    principal,
    actor: actorOf(principal),
    must: (action, resource) => authorize(principal, action, resource),
    can: (action, resource) => decide(principal, action, resource).allowed,
    visibility(action) {
      authorize(principal, action, ownResource(principal));
      const { kind, id } = principal.scope;
      switch (kind) {
        case 'platform':
          return {};
        case 'sub-district':
          return { subDistrictId: id };
        case 'community':
          return { communityId: id };
        case 'organization':
          return { organizationId: id };
        case 'agency':
          return { nothing: true };
      }
    },
  };
}
