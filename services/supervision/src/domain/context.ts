import type { ResourceScope, ScopeKind } from '@linli/auth';
import type { Actor } from '@linli/contracts';
import type { ContractFilter, ContractRecord } from '../data-access/contract.repository';
import type { PhoneVault } from '../data-access/phone-vault';
import type { UnitOfWork } from '../data-access/unit-of-work';
import type { CheckRules } from './checks';
import type { Sampler } from './sampling';

/** Policy numbers from configuration. */
export interface SupervisionRules extends CheckRules {
  /** Share of a sign-in sheet drawn for call-backs (default 0.1) … */
  sampleRate: number;
  /** … but at least this many, or everybody when fewer (default 3). */
  sampleMin: number;
}

/** Everything the use cases need, injected once at start-up (tests swap the sampler and the clock). */
export interface SupervisionDeps {
  uow: UnitOfWork;
  vault: PhoneVault;
  sampler: Sampler;
  now: () => Date;
  rules: SupervisionRules;
}

/**
 * Who is calling, and the permission check of the route's action. Use cases call `may(resource)` as soon as
 * they have loaded what the request is about (inside their transaction), so the decision is taken on the
 * same state the write is based on. The table behind it is @linli/auth's POLICY.
 */
export interface Caller {
  actor: Actor;
  scope: { kind: ScopeKind; id: string };
  may: (resource: ResourceScope) => void;
}

export const SOURCE = 'supervision';

/** Who automatic verification is recorded as. */
export const AUTO_VERIFIER: Actor = { userId: 'system:supervision-checks', role: 'system', scope: 'platform:linli' };

/** The scope fields policy checks compare against: a contract's place, organization and assigned agency. */
export function resourceOf(contract: Pick<ContractRecord, 'subDistrictId' | 'communityId' | 'organizationId' | 'agencyId'>): ResourceScope {
  return {
    subDistrictId: contract.subDistrictId,
    communityId: contract.communityId,
    organizationId: contract.organizationId,
    agencyId: contract.agencyId,
  };
}

/** The caller's own scope as a resource: lists check the role this way, then filter rows by scope. */
export function ownScope(scope: Caller['scope']): ResourceScope {
  switch (scope.kind) {
    case 'platform':
      return {};
    case 'sub-district':
      return { subDistrictId: scope.id };
    case 'community':
      return { communityId: scope.id };
    case 'organization':
      return { organizationId: scope.id };
    case 'agency':
      return { agencyId: scope.id };
  }
}

/**
 * The contracts a caller may list, narrowed by the user's own filters. null: the two contradict (e.g. a
 * supervisor asking for another agency's contracts), so the list is empty.
 */
export function visibleContracts(scope: Caller['scope'], wanted: ContractFilter = {}): ContractFilter | null {
  const mine = ownScope(scope) as ContractFilter;
  const merged: ContractFilter = { ...wanted };
  for (const [key, value] of Object.entries(mine) as [keyof ContractFilter, string][]) {
    if (merged[key] !== undefined && merged[key] !== value) return null;
    merged[key] = value;
  }
  return merged;
}
