import { z } from 'zod';
import { ROLE_SCOPE, Role, ScopeKind } from './roles';

/** The verified caller of a request: who, in which role, over which scope. */
export const Principal = z
  .object({
    userId: z.string().min(1).max(100),
    name: z.string().max(100).optional(),
    role: Role,
    scope: z.object({ kind: ScopeKind, id: z.string().min(1).max(100) }),
    /** The sub-district a community-scoped principal belongs to (lets rules compare without a lookup). */
    subDistrictId: z.string().max(100).optional(),
  })
  .refine((p) => ROLE_SCOPE[p.role] === p.scope.kind, { message: 'scope kind does not match the role', path: ['scope', 'kind'] });
export type Principal = z.infer<typeof Principal>;

/** How a principal is recorded on writes and events: `{ userId, role, scope: 'community:<id>' }`. */
export function actorOf(principal: Principal): { userId: string; role: string; scope: string } {
  return { userId: principal.userId, role: principal.role, scope: `${principal.scope.kind}:${principal.scope.id}` };
}

/** The principal the workflows use when they call services. */
export const SYSTEM_PRINCIPAL: Principal = { userId: 'system:workflow', name: '流程引擎', role: 'system', scope: { kind: 'platform', id: 'linli' } };
