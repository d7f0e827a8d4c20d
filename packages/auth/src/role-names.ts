// Plain values, no zod: workflow code (Temporal's sandbox, a module cache per workflow) imports these
// through policy.ts, and every module it imports is evaluated again for every workflow in memory.

/** Who uses Linli (../shared/DOMAIN.md, "Actors"). Each role acts within one kind of scope. */
export const ROLES = [
  'resident_rep',
  'community_secretary',
  'subdistrict_reviewer',
  'committee_member',
  'org_staff',
  'supervisor',
  'finance',
  'operator',
  'admin',
  'system',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  resident_rep: '居民代表',
  community_secretary: '社区书记',
  subdistrict_reviewer: '街道审核人员',
  committee_member: '工委会成员',
  org_staff: '社会组织人员',
  supervisor: '第三方监督',
  finance: '财务',
  operator: '运维人员',
  admin: '管理员',
  system: '系统',
};

export const SCOPE_KINDS = ['platform', 'sub-district', 'community', 'organization', 'agency'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

/** The kind of scope each role is issued for; a token with another kind is refused. */
export const ROLE_SCOPE: Record<Role, ScopeKind> = {
  resident_rep: 'community',
  community_secretary: 'community',
  subdistrict_reviewer: 'sub-district',
  committee_member: 'sub-district',
  org_staff: 'organization',
  supervisor: 'agency',
  finance: 'sub-district',
  operator: 'platform',
  admin: 'platform',
  system: 'platform',
};
