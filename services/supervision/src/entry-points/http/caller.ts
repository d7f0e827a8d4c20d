import { actorOf, authorize, principalOf, type Action } from '@linli/auth';
import type { Response } from '@linli/http';
import type { Caller } from '../../domain/context';

/**
 * The verified principal of the request, bound to the route's action: use cases call `may(resource)` with
 * the scope of what they loaded, and the policy table (POLICY in @linli/auth) answers — 403 with the reason.
 */
export function callerFor(res: Response, action: Action): Caller {
  const principal = principalOf(res);
  return { actor: actorOf(principal), scope: principal.scope, may: (resource) => authorize(principal, action, resource) };
}
