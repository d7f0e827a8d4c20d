import { z } from 'zod';
import { ROLES, SCOPE_KINDS } from './role-names';

export * from './role-names';

/** The role and scope-kind schemas (tokens, requests); the plain lists and tables are in ./role-names. */
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;
export const ScopeKind = z.enum(SCOPE_KINDS);
export type ScopeKind = z.infer<typeof ScopeKind>;
