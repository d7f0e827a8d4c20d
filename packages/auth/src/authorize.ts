import { ForbiddenError } from '@linli/http';
import { decide, type Action, type ResourceScope } from './policy';
import type { Principal } from './principal';

/** Throws ForbiddenError (403 with the reason) unless the policy table allows it. */
export function authorize(principal: Principal, action: Action, resource: ResourceScope = {}): void {
  const decision = decide(principal, action, resource);
  if (!decision.allowed) throw new ForbiddenError(decision.reason);
}
