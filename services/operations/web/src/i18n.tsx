import { createContext, useContext, useState, type ReactNode } from 'react';
// The Chinese labels come from the zod-free halves of the contracts, so the console bundle stays small.
import { ROLE_LABELS } from '@linli/auth/src/role-names';
import { STAGE_LABELS } from '@linli/contracts/src/workflows/project-lifecycle.constants';

export type Lang = 'zh' | 'en';

const EN: Record<string, string> = {
  运维控制台: 'Operations console',
  总览: 'Overview',
  项目列表: 'Projects',
  卡住的流程: 'Stalled work',
  批量重试: 'Batch retry',
  退出: 'Sign out',
  实时: 'Live',
  连接中: 'Connecting',
  '实时连接中断，正在重连': 'Live updates interrupted, reconnecting',
  登录: 'Sign in',
  选择演示身份: 'Choose a demo identity',
  '开发登录（仅限开发环境）': 'Development login (development only)',
  范围ID: 'Scope id',
  显示名: 'Display name',
  项目总数: 'Projects',
  进行中: 'Active',
  超时: 'Overdue',
  停住: 'Parked',
  需处理: 'Needs attention',
  按阶段: 'By stage',
  按街道: 'By sub-district',
  待谁处理: 'Waiting on',
  社区经费: 'Community funds',
  街道: 'Sub-district',
  社区: 'Community',
  社会组织: 'Organization',
  年度: 'Year',
  项目数: 'Projects',
  已承诺: 'Committed',
  已拨付: 'Paid',
  下达经费: 'Allocated',
  拨付比例: 'Paid %',
  项目: 'Project',
  阶段: 'Stage',
  自何时: 'Since',
  时限: 'Deadline',
  当前状态: 'Current state',
  更新于: 'Updated',
  全部阶段: 'All stages',
  全部: 'All',
  搜索项目名称: 'Search title',
  只看超时: 'Overdue only',
  只看需处理: 'Needs attention only',
  只看停住: 'Parked only',
  按最近变化: 'Recently changed',
  按时限: 'By deadline',
  清除筛选: 'Clear filters',
  下一页: 'Next page',
  第一页: 'First page',
  没有项目: 'No projects',
  原因: 'Reason',
  已多久: 'Age',
  类型: 'Kind',
  没有卡住的流程: 'Nothing is stalled',
  时间线: 'Timeline',
  款项: 'Tranches',
  预算与实际: 'Budget vs actual',
  拨付条件: 'Condition',
  状态: 'Status',
  金额: 'Amount',
  次数: 'Attempts',
  时间: 'Time',
  预算行: 'Budget line',
  说明: 'Description',
  预算: 'Budget',
  实际: 'Actual',
  差额: 'Variance',
  合计: 'Total',
  在Temporal中查看: 'Open in Temporal UI',
  操作: 'Actions',
  催办: 'Remind',
  升级: 'Escalate',
  改派: 'Reassign',
  重试: 'Retry',
  跳过: 'Skip',
  提前终止: 'Terminate',
  理由: 'Reason',
  '理由（必填）': 'Reason (required)',
  取消: 'Cancel',
  确认执行: 'Confirm',
  关闭: 'Close',
  执行中: 'Running…',
  已执行: 'Done',
  被拒绝: 'Refused',
  失败: 'Failed',
  改派给用户ID: 'Assignee user id',
  改派给姓名: 'Assignee name',
  停住的步骤: 'Parked step',
  错误: 'Error',
  谁: 'Who',
  结果: 'Outcome',
  预览: 'Preview',
  '停住步骤前缀（如 tranche:）': 'Parked step prefix (e.g. tranche:)',
  此时刻及之后停住: 'Parked at or after',
  将重试: 'Will retry',
  个停住的步骤: 'parked steps',
  执行批量重试: 'Run batch retry',
  已更新: 'Updated',
  加载中: 'Loading…',
  没有操作记录: 'No audit entries',
  项目ID: 'Project id',
  最近操作记录: 'Recent actions',
  审计记录: 'Audit trail',
  '之前 → 之后': 'Before → after',
  操作人: 'Actor (user id)',
  操作编码: 'Action code',
  校验审计链: 'Verify the chain',
  审计链完好: 'Chain intact',
  审计链断裂: 'Chain broken',
  条: 'entries',
  来源: 'Source',
  无法读取流程实时状态: 'Live workflow state unavailable',
  返回列表: 'Back to list',
  评审决定: 'Review decisions',
  活动: 'Activities',
  合同: 'Contract',
  '刷新（对账）': 'Refresh (reconcile)',
  查询: 'Search',
  流程当前: 'Workflow now',
  已执行批量重试: 'Batch retry done',
  成功: 'OK',
};

const STAGE_EN: Record<string, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  pre_review: 'Pre-review',
  joint_review: 'Joint review',
  committee: 'Working committee',
  returned: 'Returned',
  approved: 'Approved',
  tendering: 'Tendering',
  awarded: 'Awarded',
  standstill: 'Standstill',
  contracted: 'Contracted',
  in_delivery: 'In delivery',
  close_out: 'Close-out',
  evaluation: 'Evaluation',
  settled: 'Settled',
  closed: 'Closed',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  terminated: 'Terminated',
};
const WAITING_EN: Record<string, string> = {
  community_secretary: 'Community secretary',
  subdistrict_reviewer: 'Sub-district reviewer',
  committee_member: 'Working committee',
  finance: 'Finance',
  org_staff: 'Organization',
  supervisor: 'Supervisor',
  admin: 'Admin (parked step)',
  operator: 'Operator',
  resident_rep: 'Resident representative',
  none: 'Nobody',
};
const TRANCHE_EN: Record<string, string> = { start_up: 'Start-up (启动资金)', mid_term: 'Mid-term (中期款)', final: 'Final (尾款)' };

export const STAGES = Object.keys(STAGE_EN);
export const STAGE_ZH: Record<string, string> = STAGE_LABELS;
export const WAITING_ZH: Record<string, string> = {
  community_secretary: '社区书记',
  subdistrict_reviewer: '街道审核人员',
  committee_member: '工委会',
  finance: '财务',
  org_staff: '社会组织',
  supervisor: '第三方监督',
  admin: '管理员（步骤停住）',
  none: '无',
};

const ROLE_ZH: Record<string, string> = ROLE_LABELS;
const ROLE_EN: Record<string, string> = {
  resident_rep: 'Resident representative',
  community_secretary: 'Community secretary',
  subdistrict_reviewer: 'Sub-district reviewer',
  committee_member: 'Committee member',
  org_staff: 'Organization staff',
  supervisor: 'Supervisor',
  finance: 'Finance',
  operator: 'Operator',
  admin: 'Admin',
  system: 'System',
};

interface I18n {
  lang: Lang;
  /** A person's role (who did something), as opposed to `waiting` (who must act now). */
  role(code: string): string;
  setLang(lang: Lang): void;
  t(zh: string): string;
  stage(code: string, zhLabel?: string): string;
  waiting(code: string | null, zhLabel?: string | null): string;
  tranche(code: string, zhLabel: string): string;
}

const Ctx = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => (localStorage.getItem('linli.ops.lang') === 'en' ? 'en' : 'zh'));
  const setLang = (l: Lang) => {
    localStorage.setItem('linli.ops.lang', l);
    document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
    setLangState(l);
  };
  const value: I18n = {
    lang,
    setLang,
    t: (zh) => (lang === 'en' ? (EN[zh] ?? zh) : zh),
    stage: (code, zhLabel) => (lang === 'en' ? (STAGE_EN[code] ?? code) : (zhLabel ?? STAGE_ZH[code] ?? code)),
    waiting: (code, zhLabel) => (code === null ? '—' : lang === 'en' ? (WAITING_EN[code] ?? code) : (zhLabel ?? WAITING_ZH[code] ?? code)),
    tranche: (code, zhLabel) => (lang === 'en' ? (TRANCHE_EN[code] ?? code) : zhLabel),
    role: (code) => (lang === 'en' ? (ROLE_EN[code] ?? code) : (ROLE_ZH[code] ?? code)),
  };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('I18nProvider missing');
  return v;
}

/** "3 天前" / "in 2 h": relative time in the current language. */
export function ago(iso: string | null | undefined, lang: Lang, now = Date.now()): string {
  if (!iso) return '—';
  const ms = now - Date.parse(iso);
  const future = ms < 0;
  const s = Math.floor(Math.abs(ms) / 1000);
  const [n, zhUnit, enUnit] =
    s >= 86_400 ? [Math.floor(s / 86_400), '天', 'd'] : s >= 3_600 ? [Math.floor(s / 3_600), '小时', 'h'] : s >= 60 ? [Math.floor(s / 60), '分钟', 'min'] : [s, '秒', 's'];
  if (lang === 'en') return future ? `in ${n} ${enUnit}` : `${n} ${enUnit} ago`;
  return future ? `${n} ${zhUnit}后` : `${n} ${zhUnit}前`;
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
