import { ForbiddenError, type Route } from '@linli/http';
import { ACTIONS, decide, type Action, type Caller, type Decision, type ResourceScope } from './policy';

// Routes name their actions as plain strings (@linli/http knows nothing of roles); this fills its registry
// so those strings are checked against the table at compile time.
declare module '@linli/http' {
  interface PolicyActionRegistry extends Record<Action, true> {}
}

/** The resource a caller's own scope names: it passes the scope check by construction, so only the role is tested. */
export function ownResource(caller: Caller): ResourceScope {
  const { kind, id } = caller.scope;
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
      return { agencyId: id };
  }
}

const KNOWN = new Set<string>(ACTIONS);

export function isAction(name: string): name is Action {
  return KNOWN.has(name);
}

/**
 * A route's role check (`policy` in defineRoute): allowed when any of its actions allows the caller's role
 * within the caller's own scope; refused with every action's reason otherwise. `'signed-in'` allows every
 * role. The use case checks the scope of the resource it loads afterwards.
 */
export function decideRoute(caller: Caller, policy: readonly string[] | 'signed-in'): Decision {
  if (policy === 'signed-in') return { allowed: true };
  const reasons: string[] = [];
  for (const action of policy) {
    // Fail closed: a name the table does not know is a programming error, never a way in.
    if (!isAction(action)) throw new Error(`route policy names an action the policy table lacks: ${action}`);
    const decision = decide(caller, action, ownResource(caller));
    if (decision.allowed) return decision;
    reasons.push(decision.reason);
  }
  if (reasons.length === 0) throw new Error('route policy lists no action');
  return { allowed: false, reason: reasons.join('；') };
}

/** Throws ForbiddenError (403 with the reason) unless the route's policy lets the caller's role through. */
export function authorizeRoute(caller: Caller, route: Pick<Route, 'policy'>): void {
  if (!route.policy) return;
  const decision = decideRoute(caller, route.policy);
  if (!decision.allowed) throw new ForbiddenError(decision.reason);
}
