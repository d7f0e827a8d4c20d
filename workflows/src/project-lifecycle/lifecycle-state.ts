import type { LifecycleInput, LifecyclePolicy } from '@linli/contracts/src/workflows/project-lifecycle';
import { STAGE_LABELS, type LifecycleStage, type LifecycleState, type TrancheState } from '@linli/contracts/src/workflows/project-lifecycle.constants';
import { elapsedInWords } from './deadlines';

// Pure state helpers of the lifecycle: no Temporal imports, unit-tested on their own.

export const TERMINAL_STAGES: readonly LifecycleStage[] = ['closed', 'rejected', 'cancelled'];
export const REVIEW_STAGES = { pre_review: 'pre_review', joint_review: 'joint_review', committee: 'committee' } as const;
export const NEXT_GATE: Record<'pre_review' | 'joint_review' | 'committee', LifecycleStage> = {
  pre_review: 'joint_review',
  joint_review: 'committee',
  committee: 'approved',
};

/** Who must act next in each stage (a role of the policy table), for the operators' "waiting on" view. */
export function waitingOnFor(stage: LifecycleStage, level: LifecycleState['level']): string | null {
  switch (stage) {
    case 'draft':
    case 'returned':
      return level === 'community' ? 'community_secretary' : 'subdistrict_reviewer';
    case 'submitted':
    case 'pre_review':
    case 'joint_review':
    case 'tendering':
    case 'awarded':
    case 'standstill':
    case 'approved':
      return 'subdistrict_reviewer';
    case 'committee':
      return 'committee_member';
    case 'contracted':
      return 'finance';
    case 'in_delivery':
    case 'close_out':
      return 'org_staff';
    case 'evaluation':
      return 'supervisor';
    case 'settled':
    case 'terminated':
      return 'finance';
    default:
      return null;
  }
}

const WAITING_LABELS: Record<string, string> = {
  community_secretary: '社区书记',
  subdistrict_reviewer: '街道审核人员',
  committee_member: '工委会',
  finance: '财务',
  org_staff: '社会组织',
  supervisor: '第三方监督',
  admin: '管理员',
};

const STAGE_WAITING_TEXT: Partial<Record<LifecycleStage, string>> = {
  draft: '等待社区提交项目申请',
  returned: '等待社区修改后重新提交',
  pre_review: '等待预审会审议',
  joint_review: '等待联审会审议',
  committee: '等待工委会审议',
  approved: '等待签订合同',
  tendering: '招投标进行中',
  awarded: '已确定中标，等待公示',
  standstill: '中标公示期',
  contracted: '等待拨付启动资金',
  in_delivery: '服务实施中',
  close_out: '等待提交结项材料',
  evaluation: '等待结项评估',
  settled: '等待拨付尾款',
  terminated: '提前终止，等待结算',
};

export function initialTranches(): TrancheState[] {
  return [
    { kind: 'start_up', status: 'pending', amountFen: null, condition: '合同签订后拨付启动资金', attempts: 0 },
    { kind: 'mid_term', status: 'pending', amountFen: null, condition: '中期检查通过且无严重问题冻结', attempts: 0 },
    { kind: 'final', status: 'pending', amountFen: null, condition: '结项评估后按等级拨付尾款', attempts: 0 },
  ];
}

export function initialState(input: Required<Pick<LifecycleInput, 'projectId' | 'level' | 'title' | 'subDistrictId' | 'communityId' | 'organizationId' | 'fiscalYear'>> & { proposalVersion: number }, now: Date): LifecycleState {
  const stage: LifecycleStage = 'draft';
  return {
    projectId: input.projectId,
    level: input.level,
    title: input.title,
    subDistrictId: input.subDistrictId,
    communityId: input.communityId,
    organizationId: input.organizationId,
    fiscalYear: input.fiscalYear,
    stage,
    stageEnteredAt: now.toISOString(),
    deadline: null,
    waitingOn: waitingOnFor(stage, input.level),
    proposalVersion: input.proposalVersion,
    decisions: [],
    tender: { tenderId: null, attempts: 0, status: null },
    contract: null,
    tranches: initialTranches(),
    activities: {},
    paymentsFrozen: null,
    midTerm: null,
    yearEnd: null,
    escalations: [],
    parked: null,
    assignee: null,
    needsAttention: false,
    currentDetails: '',
    outcome: null,
    timeline: [],
    runs: 1,
  };
}

/** The sentence the Temporal UI shows, e.g. "等待联审会审议，已 6 天，时限 5 个工作日（已超时）". */
export function describeCurrent(state: LifecycleState, now: Date, allowance: string | null): string {
  const label = STAGE_LABELS[state.stage];
  if (state.parked) {
    return `【需处理】步骤「${state.parked.step}」失败：${state.parked.error}；已 ${elapsedInWords(state.parked.at, now)}，等待管理员重试或跳过`;
  }
  if (TERMINAL_STAGES.includes(state.stage)) return `${label}${state.outcome ? `：${state.outcome}` : ''}`;
  const waiting = STAGE_WAITING_TEXT[state.stage] ?? label;
  const who = state.assignee
    ? `（待 ${state.assignee.name ?? state.assignee.userId} 处理）`
    : state.waitingOn
      ? `（待${WAITING_LABELS[state.waitingOn] ?? state.waitingOn}处理）`
      : '';
  const since = `已 ${elapsedInWords(state.stageEnteredAt, now)}`;
  const limit = allowance ? `，时限 ${allowance}` : '';
  const overdue = state.deadline && Date.parse(state.deadline) < now.getTime() ? '（已超时）' : '';
  const frozen = state.paymentsFrozen ? `；拨付已冻结：${state.paymentsFrozen.reason}` : '';
  return `${waiting}${who}，${since}${limit}${overdue}${frozen}`;
}

/** Keep the timeline bounded: the newest entries matter to operators; continue-as-new carries it. */
export const TIMELINE_LIMIT = 200;

export function pushTimeline(state: LifecycleState, entry: LifecycleState['timeline'][number]): void {
  state.timeline.push(entry);
  if (state.timeline.length > TIMELINE_LIMIT) state.timeline.splice(0, state.timeline.length - TIMELINE_LIMIT);
}

/** Allowance of the current stage, from the policy. */
export function allowanceFor(stage: LifecycleStage, policy: LifecyclePolicy): LifecyclePolicy['reviewGate'] | null {
  switch (stage) {
    case 'pre_review':
    case 'joint_review':
    case 'committee':
      return policy.reviewGate;
    case 'returned':
      return policy.revision;
    case 'tendering':
    case 'awarded':
      return policy.tenderStep;
    case 'approved':
    case 'standstill':
      return policy.contract;
    case 'evaluation':
      return policy.evaluation;
    case 'contracted':
    case 'settled':
    case 'terminated':
      return policy.payment;
    default:
      return null;
  }
}
