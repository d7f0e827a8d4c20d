// Pure: no I/O and no imports beyond roles, so workflow code (Temporal's sandbox) can use it for its
// update validators. authorize(), which throws the HTTP error, lives in ./authorize.ts.
import { ROLE_LABELS, type Role } from './role-names';

/** What the table needs of a caller (a Principal, or a workflow update's `by`). */
export interface Caller {
  role: Role;
  scope: { kind: 'platform' | 'sub-district' | 'community' | 'organization' | 'agency'; id: string };
}

/**
 * THE authorization table: every action any service or workflow validator checks, who may do it, and
 * whether the principal's scope must contain the resource. Services call `authorize()`; nobody writes
 * role checks of their own. Rules that depend on state (a sealed bid before opening, a reviewer's declared
 * conflict) live in the owning domain and are checked there after this table allows the role.
 */
export interface ResourceScope {
  subDistrictId?: string | null;
  communityId?: string | null;
  organizationId?: string | null;
  agencyId?: string | null;
}

interface Rule {
  roles: readonly Role[];
  /** true: the principal's scope must contain the resource (platform roles always do). */
  scoped: boolean;
  label: string;
}

const PLATFORM: readonly Role[] = ['operator', 'admin', 'system'];
const SUBDISTRICT_STAFF: readonly Role[] = ['subdistrict_reviewer', 'committee_member', 'finance'];

export const POLICY = {
  // 社区 communities
  'subdistrict.manage': { roles: ['admin', 'system'], scoped: false, label: '登记街道与社区' },
  'community.read': { roles: ['community_secretary', 'resident_rep', ...SUBDISTRICT_STAFF, ...PLATFORM], scoped: true, label: '查看社区' },
  'fund.allocate': { roles: ['finance', 'admin'], scoped: true, label: '下达社区年度经费' },
  'meeting.record': { roles: ['community_secretary'], scoped: true, label: '记录居民代表会议' },
  'wish.record': { roles: ['community_secretary', 'resident_rep'], scoped: true, label: '记录居民意愿' },
  'fair.manage': { roles: ['subdistrict_reviewer', 'admin'], scoped: true, label: '组织推介会' },
  'fair.shortlist': { roles: ['community_secretary'], scoped: true, label: '推介会意向登记' },
  'price.reference.manage': { roles: ['subdistrict_reviewer', 'admin'], scoped: true, label: '维护参考价格' },
  'proposal.read': { roles: ['community_secretary', 'org_staff', ...SUBDISTRICT_STAFF, ...PLATFORM], scoped: true, label: '查看项目申请' },
  'proposal.write': { roles: ['community_secretary', 'org_staff'], scoped: true, label: '编写项目申请' },
  'proposal.submit': { roles: ['community_secretary'], scoped: true, label: '提交项目申请' },
  'proposal.subdistrict.write': { roles: ['subdistrict_reviewer'], scoped: true, label: '起草并提交街道级项目申请' },
  'proposal.review.pre': { roles: ['subdistrict_reviewer'], scoped: true, label: '预审' },
  'proposal.review.joint': { roles: ['subdistrict_reviewer'], scoped: true, label: '联审' },
  'proposal.review.committee': { roles: ['committee_member'], scoped: true, label: '工委会审议' },
  'budget.flag.accept': { roles: ['subdistrict_reviewer'], scoped: true, label: '接受超参考价预算行' },
  'proposal.conflict.declare': { roles: ['subdistrict_reviewer', 'committee_member'], scoped: true, label: '声明回避（利益冲突）' },
  'proposal.conflict.read': { roles: ['subdistrict_reviewer', 'committee_member', ...PLATFORM], scoped: true, label: '查看回避声明' },
  // 社会组织 organizations
  'organization.register': { roles: ['admin', 'subdistrict_reviewer'], scoped: false, label: '登记社会组织' },
  'organization.read': { roles: ['community_secretary', 'resident_rep', 'org_staff', 'supervisor', ...SUBDISTRICT_STAFF, ...PLATFORM], scoped: false, label: '查看社会组织' },
  'organization.credit.update': { roles: ['admin', 'subdistrict_reviewer'], scoped: false, label: '更新信用状况' },
  'offering.manage': { roles: ['org_staff'], scoped: true, label: '维护服务清单' },
  'staff.manage': { roles: ['org_staff'], scoped: true, label: '维护人员名册' },
  'staff.change.approve': { roles: ['subdistrict_reviewer'], scoped: true, label: '审批项目人员变更' },
  'tender.manage': { roles: ['subdistrict_reviewer', 'admin'], scoped: true, label: '发布与管理招标' },
  'tender.read': { roles: ['community_secretary', 'org_staff', 'supervisor', ...SUBDISTRICT_STAFF, ...PLATFORM], scoped: false, label: '查看招标公告' },
  'bid.submit': { roles: ['org_staff'], scoped: true, label: '投标' },
  'bid.read': { roles: ['org_staff', 'subdistrict_reviewer', 'committee_member', ...PLATFORM], scoped: true, label: '查看投标文件' },
  'tender.score': { roles: ['committee_member', 'subdistrict_reviewer'], scoped: true, label: '专题会评分' },
  'tender.award': { roles: ['committee_member', 'subdistrict_reviewer', 'system'], scoped: true, label: '确定中标' },
  'objection.lodge': { roles: ['org_staff'], scoped: true, label: '提出异议' },
  'objection.answer': { roles: ['subdistrict_reviewer'], scoped: true, label: '答复异议' },
  'contract.sign': { roles: ['subdistrict_reviewer', 'admin', 'system'], scoped: true, label: '签订合同' },
  // 资金 payments
  'payment.plan.manage': { roles: ['finance', 'system', 'admin'], scoped: true, label: '制定拨付计划' },
  'payment.request': { roles: ['finance', 'system'], scoped: true, label: '申请拨付' },
  'payment.approve': { roles: ['finance'], scoped: true, label: '审批拨付' },
  'treasury.simulate': { roles: ['admin'], scoped: false, label: '模拟国库故障（仅开发与演示）' },
  'payment.freeze': { roles: ['supervisor', 'system'], scoped: true, label: '冻结/解冻拨付' },
  'payment.read': { roles: ['finance', 'subdistrict_reviewer', 'committee_member', 'community_secretary', 'org_staff', 'supervisor', ...PLATFORM], scoped: true, label: '查看资金' },
  'ledger.reconcile': { roles: ['finance', 'operator', 'admin', 'system'], scoped: true, label: '对账' },
  'contract.terminate.settle': { roles: ['system', 'admin'], scoped: true, label: '提前终止结算' },
  // 第三方监督 supervision
  'supervision.assign': { roles: ['subdistrict_reviewer', 'admin', 'system'], scoped: true, label: '委托第三方监督' },
  'activity.report': { roles: ['org_staff', 'supervisor'], scoped: true, label: '上报活动' },
  'activity.read': { roles: ['org_staff', 'supervisor', 'community_secretary', ...SUBDISTRICT_STAFF, ...PLATFORM], scoped: true, label: '查看活动' },
  'participant.phone.reveal': { roles: ['supervisor'], scoped: true, label: '查看参与人完整电话（回访）' },
  'callback.record': { roles: ['supervisor'], scoped: true, label: '记录电话回访' },
  'activity.verify': { roles: ['supervisor', 'system'], scoped: true, label: '核验活动（回访完成后人工核验）' },
  'finding.raise': { roles: ['supervisor'], scoped: true, label: '提出问题' },
  'finding.rectify': { roles: ['org_staff', 'supervisor'], scoped: true, label: '整改问题' },
  'meeting.minutes.record': { roles: ['supervisor'], scoped: true, label: '记录例会纪要' },
  'closeout.submit': { roles: ['org_staff'], scoped: true, label: '提交结项材料' },
  'evaluation.record': { roles: ['supervisor'], scoped: true, label: '中期检查与结项评估' },
  'survey.record': { roles: ['supervisor', 'resident_rep', 'community_secretary'], scoped: true, label: '满意度调查' },
  // 项目生命周期 lifecycle (workflow updates and operations)
  'project.terminate': { roles: ['committee_member', 'admin'], scoped: true, label: '提前终止项目' },
  'lifecycle.admin': { roles: ['admin'], scoped: false, label: '处理卡住的流程（重试/跳过）' },
  'lifecycle.escalate': { roles: ['operator', 'admin', 'system'], scoped: false, label: '催办与升级' },
  'lifecycle.read': { roles: ['community_secretary', 'org_staff', 'supervisor', ...SUBDISTRICT_STAFF, ...PLATFORM], scoped: true, label: '查看项目进度' },
  // 审计 audit trail: the sub-district's own staff read their projects' record; the platform reads and verifies all of it.
  'audit.read': { roles: [...SUBDISTRICT_STAFF, 'operator', 'admin'], scoped: true, label: '查看审计记录' },
  'audit.verify': { roles: ['operator', 'admin'], scoped: false, label: '校验审计链（防篡改）' },
  // Temporal's payloads are sealed (the lifecycle's inputs may hold personal data); the codec endpoint opens them for the Temporal UI.
  'temporal.payload.codec': { roles: ['operator', 'admin'], scoped: false, label: '在 Temporal 界面中解密查看流程数据' },
} as const satisfies Record<string, Rule>;

export type Action = keyof typeof POLICY;
export const ACTIONS = Object.keys(POLICY) as Action[];

export type Decision = { allowed: true } | { allowed: false; reason: string };

function scopeContains(principal: Caller, resource: ResourceScope): boolean {
  const { kind, id } = principal.scope;
  switch (kind) {
    case 'platform':
      return true;
    case 'sub-district':
      return resource.subDistrictId === id;
    case 'community':
      return resource.communityId === id;
    case 'organization':
      return resource.organizationId === id;
    case 'agency':
      return resource.agencyId === id;
  }
}

/** Pure decision: allowed, or the reason in words (Chinese first, as users read it). */
export function decide(principal: Caller, action: Action, resource: ResourceScope = {}): Decision {
  const rule: Rule = POLICY[action];
  if (!rule.roles.includes(principal.role)) {
    return { allowed: false, reason: `${ROLE_LABELS[principal.role]}无权「${rule.label}」(role ${principal.role} may not ${action})` };
  }
  if (rule.scoped && !scopeContains(principal, resource)) {
    return { allowed: false, reason: `不在您的管辖范围内：${rule.label} (${action} is outside your ${principal.scope.kind} scope)` };
  }
  return { allowed: true };
}
