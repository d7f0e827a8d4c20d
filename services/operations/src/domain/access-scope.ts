import { authorize, decide, type Action, type Principal, type ResourceScope } from '@linli/auth';
import type { OperationsAction } from '@linli/contracts';

// Pure: what part of the read model a caller may see, and which policy action each operation needs.

/** The rows a principal may see: everything (platform), or one sub-district, community, organization or agency. */
export type VisibleScope =
  | { kind: 'all' }
  | { kind: 'subDistrict'; id: string }
  | { kind: 'community'; id: string }
  | { kind: 'organization'; id: string }
  | { kind: 'agency'; id: string };

export function visibleScopeOf(principal: Principal): VisibleScope {
  const { kind, id } = principal.scope;
  switch (kind) {
    case 'platform':
      return { kind: 'all' };
    case 'sub-district':
      return { kind: 'subDistrict', id };
    case 'community':
      return { kind: 'community', id };
    case 'organization':
      return { kind: 'organization', id };
    case 'agency':
      return { kind: 'agency', id };
  }
}

/** The resource a principal's own scope describes: authorizing lists against it checks the role only. */
export function ownScopeResource(principal: Principal): ResourceScope {
  const { kind, id } = principal.scope;
  if (kind === 'sub-district') return { subDistrictId: id };
  if (kind === 'community') return { communityId: id };
  if (kind === 'organization') return { organizationId: id };
  if (kind === 'agency') return { agencyId: id };
  return {};
}

/** Lists: the role must be one that may read lifecycles (403 otherwise); rows are then filtered to the scope. */
export function authorizeListing(principal: Principal): VisibleScope {
  authorize(principal, 'lifecycle.read', ownScopeResource(principal));
  return visibleScopeOf(principal);
}

/** Which row of the policy table each operation is checked against (the workflow checks it again). */
export const POLICY_ACTION: Record<OperationsAction, Action> = {
  remind: 'lifecycle.escalate',
  escalate: 'lifecycle.escalate',
  reassign: 'lifecycle.escalate',
  retry: 'lifecycle.admin',
  skip: 'lifecycle.admin',
  terminate: 'project.terminate',
};

export const LIFECYCLE_UPDATE_OF: Record<OperationsAction, 'remind' | 'escalate' | 'reassign' | 'admin' | 'terminate'> = {
  remind: 'remind',
  escalate: 'escalate',
  reassign: 'reassign',
  retry: 'admin',
  skip: 'admin',
  terminate: 'terminate',
};

/** The operations a principal's role allows on a project in its current state (the console shows these buttons). */
export function actionsAllowed(
  principal: Principal,
  resource: ResourceScope,
  row: { parked: boolean; terminal: boolean; stage: string },
): OperationsAction[] {
  const all: OperationsAction[] = ['remind', 'escalate', 'reassign', 'retry', 'skip', 'terminate'];
  return all.filter((action) => {
    if (!decide(principal, POLICY_ACTION[action], resource).allowed) return false;
    if (action === 'retry' || action === 'skip') return row.parked;
    if (action === 'terminate') return ['contracted', 'in_delivery', 'close_out', 'evaluation'].includes(row.stage);
    return !row.terminal;
  });
}
