import { GRADE_LABELS, STAGE_LABELS, type Grade, type LifecycleDecision, type LifecycleEvent, type LifecycleStage, type TimelineEntryView } from '@linli/contracts';
import { TRANCHE_LABELS } from './read-model';

// Pure: the story of one project for people — service events in words, one timeline merged from the
// workflow and the services, and the budget against what was actually invoiced.

export const GATE_LABELS: Record<string, string> = { pre_review: '预审', joint_review: '联审', committee: '工委会' };
export const OUTCOME_LABELS: Record<string, string> = { approve: '通过', return: '打回修改', reject: '否决' };
export const ACTIVITY_STATUS_LABELS: Record<string, string> = {
  planned: '计划中',
  held: '已开展',
  signed_in: '签到单已提交',
  called_back: '电话回访完成',
  verified: '已核验',
};
const SEVERITY_LABELS: Record<string, string> = { minor: '一般', major: '较重', severe: '严重' };
const CALL_OUTCOME_LABELS: Record<string, string> = {
  attended_received_gift: '参加并领取礼品',
  attended_no_gift: '参加未领礼品',
  did_not_attend: '未参加',
  unreachable: '无法联系',
};

/** ¥1,234.56 from integer fen. */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}¥${whole}.${String(abs % 100).padStart(2, '0')}`;
}

type Data = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const tranche = (v: unknown) => TRANCHE_LABELS[v as keyof typeof TRANCHE_LABELS] ?? str(v);
const grade = (v: unknown) => GRADE_LABELS[v as Grade] ?? str(v);

/** One sentence per service event, in the users' words; unknown types fall back to the event's description. */
export function summarizeServiceEvent(type: string, data: Data, description: string): string {
  switch (type) {
    case 'communities.proposal.submitted':
      return `提交项目申请（第 ${num(data.version)} 版，预算 ${yuan(num(data.budgetTotalFen))}）`;
    case 'communities.proposal.decision-recorded':
      return `${GATE_LABELS[str(data.gate)] ?? str(data.gate)}${OUTCOME_LABELS[str(data.outcome)] ?? str(data.outcome)}${data.reasons ? `：${str(data.reasons)}` : ''}`;
    case 'communities.proposal.approved':
      return `立项：${Array.isArray(data.plannedActivities) ? data.plannedActivities.length : 0} 项活动，预算 ${yuan(num(data.budgetTotalFen))}`;
    case 'organizations.tender.published':
      return `发布招标公告（第 ${num(data.round)} 轮）：${str(data.title)}，最高限价 ${yuan(num(data.budgetCeilingFen))}`;
    case 'organizations.tender.bids-opened':
      return `开标：收到 ${num(data.bids)} 份投标`;
    case 'organizations.tender.unsuccessful':
      return `流标：仅 ${num(data.bids)} 份投标（至少 ${num(data.minimumBids)} 份）`;
    case 'organizations.tender.awarded':
      return `定标：中标金额 ${yuan(num(data.amountFen))}，公示至 ${str(data.standstillEndsAt).slice(0, 10)}`;
    case 'organizations.tender.cancelled':
      return `招标撤销：${str(data.reason)}`;
    case 'organizations.objection.lodged':
      return '公示期内提出异议';
    case 'organizations.objection.answered':
      return '异议已答复';
    case 'organizations.contract.signed':
      return `签订合同：${yuan(num(data.amountFen))}，${str(data.startsOn)} 至 ${str(data.endsOn)}`;
    case 'organizations.staff-change.requested':
      return `申请变更项目人员：${str(data.reason)}`;
    case 'organizations.staff-change.decided':
      return `项目人员变更${data.outcome === 'approved' ? '已批准' : '被驳回'}：${str(data.reason)}`;
    case 'payments.plan.created':
      return `制定拨付计划：合同金额 ${yuan(num(data.amountFen))}`;
    case 'payments.plan.adjusted':
      return `调整拨付计划：${str(data.reason)}`;
    case 'payments.tranche.requested':
      return `申请拨付${tranche(data.kind)} ${yuan(num(data.amountFen))}`;
    case 'payments.tranche.approved':
      return `财务已审批${tranche(data.kind)} ${yuan(num(data.amountFen))}`;
    case 'payments.tranche.paid':
      return `${tranche(data.kind)}已拨付 ${yuan(num(data.amountFen))}`;
    case 'payments.tranche.failed':
      return `${tranche(data.kind)}拨付失败：${str(data.reason)}`;
    case 'payments.tranche.reduction-applied':
      return `尾款按评估等级（${grade(data.grade)}）拨付 ${num(data.percentPaid)}%，扣减 ${yuan(num(data.reductionFen))}`;
    case 'payments.contract.frozen':
      return `拨付冻结：${str(data.reason)}`;
    case 'payments.contract.unfrozen':
      return `冻结解除：${str(data.reason)}${data.stillFrozen ? '（仍有其他冻结）' : ''}`;
    case 'supervision.contract.assigned':
      return '已委托第三方机构监督';
    case 'supervision.activity.reported':
      return `活动 ${str(data.activityKey)} 已开展：${num(data.headcount)} 人（计划 ${num(data.targetHeadcount)} 人）`;
    case 'supervision.sign-in-sheet.recorded':
      return `活动 ${str(data.activityKey)} 签到单：${num(data.participantCount)} 人，抽取 ${num(data.sampledCount)} 人回访`;
    case 'supervision.callback.recorded':
      return `活动 ${str(data.activityKey)} 电话回访：${CALL_OUTCOME_LABELS[str(data.outcome)] ?? str(data.outcome)}（还剩 ${num(data.remaining)} 个）`;
    case 'supervision.activity.verified':
      return `活动 ${str(data.activityKey)} 已核验（${data.mode === 'manual' ? '人工' : '自动'}）`;
    case 'supervision.invoice.recorded': {
      const flags = Array.isArray(data.flags) && data.flags.length ? `；提示：${data.flags.join('、')}` : '';
      return `登记发票 ${yuan(num(data.amountFen))}（预算行 ${str(data.lineId)}：已开票 ${yuan(num(data.lineInvoicedFen))} / 预算 ${yuan(num(data.lineBudgetFen))}）${flags}`;
    }
    case 'supervision.finding.raised':
      return `发现问题（${SEVERITY_LABELS[str(data.severity)] ?? str(data.severity)}）：${str(data.summary)}，限 ${str(data.rectifyBy)} 前整改`;
    case 'supervision.finding.rectified':
      return '社会组织已提交整改';
    case 'supervision.finding.closed':
      return '问题已整改关闭';
    case 'supervision.minutes.recorded':
      return `例会纪要：${num(data.attendeeCount)} 人参加`;
    case 'supervision.evaluation.completed':
      return `${data.kind === 'mid_term' ? '中期检查' : '结项评估'}：${num(data.score)} 分（${grade(data.grade)}），${data.passed ? '通过' : '未通过'}`;
    default:
      return description;
  }
}

type Category = TimelineEntryView['category'];

export function categoryOfServiceEvent(type: string): Category {
  if (type.includes('.proposal.')) return type.endsWith('decision-recorded') || type.endsWith('approved') ? 'decision' : 'stage';
  if (type.includes('.tender.') || type.includes('.bid') || type.includes('.objection.') || type.endsWith('contract.signed')) return 'tender';
  if (type.startsWith('payments.')) return 'payment';
  if (type.includes('.callback.')) return 'callback';
  if (type.includes('.finding.')) return 'finding';
  if (type.includes('.evaluation.')) return 'evaluation';
  if (type.includes('.activity.') || type.includes('sign-in-sheet') || type.includes('.invoice.') || type.includes('.minutes.')) return 'activity';
  return 'other';
}

const WORKFLOW_CATEGORY: Record<string, Category> = {
  started: 'stage',
  stage: 'stage',
  submitted: 'stage',
  resubmitted: 'stage',
  tender: 'tender',
  tranche: 'payment',
  freeze: 'payment',
  activity: 'activity',
  check: 'evaluation',
  parked: 'admin',
  skipped: 'admin',
  admin: 'admin',
  reminder: 'escalation',
  escalated: 'escalation',
  reassigned: 'admin',
};

export interface StoredServiceEvent {
  source: string;
  type: string;
  occurredAt: string;
  actor: { userId: string; role: string } | null;
  summary: string;
  data: Data;
}

/** The workflow's "reason" part of a summary like "管理员重试「x」：理由" or "催办：理由". */
function reasonOf(kind: string, summary: string): string | null {
  if (!['admin', 'reminder', 'escalated', 'reassigned', 'skipped'].includes(kind)) return null;
  const at = summary.indexOf('：');
  return at >= 0 ? summary.slice(at + 1) : null;
}

/**
 * One timeline, oldest first: the workflow's own timeline (stages, tender steps, tranches, activities,
 * admin actions), its review decisions with their reasons, and the services' events about the project.
 */
export function mergeTimeline(input: { timeline: readonly LifecycleEvent[]; decisions: readonly LifecycleDecision[]; serviceEvents: readonly StoredServiceEvent[] }): TimelineEntryView[] {
  const entries: TimelineEntryView[] = [
    ...input.timeline.map((t) => ({
      at: t.at,
      source: 'workflow' as const,
      kind: t.kind,
      category: WORKFLOW_CATEGORY[t.kind] ?? ('other' as const),
      summary: t.summary,
      by: t.by ? { userId: t.by.userId, role: t.by.role } : null,
      reason: reasonOf(t.kind, t.summary),
    })),
    ...input.decisions.map((d) => ({
      at: d.at,
      source: 'workflow' as const,
      kind: 'decision',
      category: 'decision' as const,
      summary: `${GATE_LABELS[d.gate] ?? d.gate}决定：${OUTCOME_LABELS[d.outcome] ?? d.outcome}（第 ${d.version} 版${d.minutesRef ? `，纪要 ${d.minutesRef}` : ''}）`,
      by: { userId: d.by.userId, role: d.by.role },
      reason: d.reasons ? d.reasons : null,
    })),
    ...input.serviceEvents.map((e) => ({
      at: e.occurredAt,
      source: (['communities', 'organizations', 'payments', 'supervision'].includes(e.source) ? e.source : 'communities') as TimelineEntryView['source'],
      kind: e.type,
      category: categoryOfServiceEvent(e.type),
      summary: e.summary,
      by: e.actor,
      reason: typeof e.data.reason === 'string' ? e.data.reason : typeof e.data.reasons === 'string' && e.data.reasons ? e.data.reasons : null,
    })),
  ];
  return entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

export interface BudgetLineInput {
  lineId: string;
  activityKey: string | null;
  kind: string;
  description: string;
  amountFen: number;
}

/**
 * Approved budget lines (from the latest communities.proposal.approved) against invoiced amounts per line
 * (supervision.invoice.recorded, each invoice counted once). Totals are sums of the lines.
 */
export function budgetVsActual(serviceEvents: readonly StoredServiceEvent[]) {
  const approved = [...serviceEvents].reverse().find((e) => e.type === 'communities.proposal.approved');
  const lines = (approved?.data.budgetLines as BudgetLineInput[] | undefined) ?? [];
  const invoices = new Map<string, { lineId: string; amountFen: number }>();
  for (const e of serviceEvents) {
    if (e.type !== 'supervision.invoice.recorded') continue;
    invoices.set(str(e.data.invoiceId), { lineId: str(e.data.lineId), amountFen: num(e.data.amountFen) });
  }
  const actualAvailable = invoices.size > 0;
  const actualByLine = new Map<string, number>();
  for (const inv of invoices.values()) actualByLine.set(inv.lineId, (actualByLine.get(inv.lineId) ?? 0) + inv.amountFen);
  const views = lines.map((l) => {
    const actual = actualAvailable ? (actualByLine.get(l.lineId) ?? 0) : null;
    return {
      lineId: l.lineId,
      activityKey: l.activityKey,
      kind: l.kind,
      description: l.description,
      budgetFen: l.amountFen,
      actualFen: actual,
      varianceFen: actual === null ? null : actual - l.amountFen,
    };
  });
  const note = !approved
    ? '尚未收到立项（communities.proposal.approved）事件，没有预算明细 (no approved budget yet)'
    : actualAvailable
      ? '预算来自立项事件；实际为第三方监督登记的发票（supervision.invoice.recorded）按预算行合计 (actual = invoices per budget line)'
      : '尚无发票登记（supervision.invoice.recorded），只显示预算 (budget only: no invoices recorded yet)';
  return {
    budgetAvailable: Boolean(approved),
    actualAvailable,
    note,
    lines: views,
    totalBudgetFen: views.reduce((s, l) => s + l.budgetFen, 0),
    totalActualFen: actualAvailable ? views.reduce((s, l) => s + (l.actualFen ?? 0), 0) + [...invoices.values()].filter((i) => !lines.some((l) => l.lineId === i.lineId)).reduce((s, i) => s + i.amountFen, 0) : null,
  };
}

export function stageLabel(stage: string): string {
  return STAGE_LABELS[stage as LifecycleStage] ?? stage;
}
