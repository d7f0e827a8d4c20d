import { z } from 'zod';
import { Fen, ProjectLevel } from '../common/domain';
import { LifecycleStage } from '../workflows/project-lifecycle';

/**
 * HTTP bodies, queries and views of the operations service (运维). Operators watch project lifecycles
 * and admins unblock them. Everything here is a read model of the lifecycle workflows (the workflow is
 * the truth); the actions are forwarded to the workflow as Updates and audited.
 */

const Iso = z.iso.datetime({ offset: true });
const Uuid = z.uuid();
/** Query strings arrive as text: "true"/"1" are true. */
const QueryFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

export const OPERATIONS_ACTIONS = ['remind', 'escalate', 'reassign', 'retry', 'skip', 'terminate'] as const;
export const OperationsAction = z.enum(OPERATIONS_ACTIONS);
export type OperationsAction = z.infer<typeof OperationsAction>;
export const OPERATIONS_ACTION_LABELS: Record<OperationsAction, string> = {
  remind: '催办',
  escalate: '升级',
  reassign: '改派',
  retry: '重试',
  skip: '跳过',
  terminate: '提前终止',
};

// ——— filters ———

/** The filters of the project list; batch retry takes the same fields (as JSON) plus two of its own. */
export const ProjectFilter = z
  .object({
    stage: z
      .string()
      .trim()
      .min(1)
      .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
      .pipe(z.array(LifecycleStage).min(1))
      .optional()
      .describe('阶段（可用逗号分隔多个），如 joint_review,committee'),
    subDistrictId: Uuid.optional().describe('街道'),
    communityId: Uuid.optional().describe('社区'),
    organizationId: Uuid.optional().describe('社会组织'),
    fiscalYear: z.coerce.number().int().min(2000).max(2100).optional().describe('年度'),
    waitingOn: z.string().trim().min(1).max(40).optional().describe('待谁处理（角色），如 subdistrict_reviewer；admin = 停住等待管理员'),
    level: ProjectLevel.optional().describe('项目层级'),
    overdue: QueryFlag.describe('只看超过时限的'),
    needsAttention: QueryFlag.describe('只看需要处理的（停住或已升级）'),
    parked: QueryFlag.describe('只看停住（步骤失败）的'),
    q: z.string().trim().min(1).max(100).optional().describe('按项目名称搜索（或项目编号开头）'),
  })
  .strict();
export type ProjectFilter = z.infer<typeof ProjectFilter>;

export const ProjectSort = z.enum(['updatedAt', 'deadline']).describe('updatedAt：最近变化在前；deadline：时限最早在前');

export const ListProjectsQuery = ProjectFilter.extend({
  sort: ProjectSort.default('updatedAt'),
  cursor: z.string().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
}).strict();
export type ListProjectsQuery = z.infer<typeof ListProjectsQuery>;

/** Batch retry's filter: the list filters (JSON types) plus the parked step and since when. */
export const BatchFilter = z
  .object({
    stage: z.union([LifecycleStage, z.array(LifecycleStage).min(1)]).optional(),
    subDistrictId: Uuid.optional(),
    communityId: Uuid.optional(),
    organizationId: Uuid.optional(),
    fiscalYear: z.number().int().optional(),
    waitingOn: z.string().min(1).max(40).optional(),
    level: ProjectLevel.optional(),
    q: z.string().trim().min(1).max(100).optional(),
    parkedStepPrefix: z.string().min(1).max(100).optional().describe('停住步骤的前缀，如 "tranche:"（拨付步骤）'),
    parkedSince: Iso.optional().describe('只选此时刻及之后停住的'),
  })
  .strict();
export type BatchFilter = z.infer<typeof BatchFilter>;

// ——— views ———

const ActorRef = z.object({ userId: z.string(), role: z.string() });

export const ProjectSummaryView = z.object({
  projectId: Uuid,
  title: z.string(),
  level: ProjectLevel,
  stage: LifecycleStage,
  stageLabel: z.string(),
  subDistrictId: Uuid,
  subDistrictName: z.string().nullable(),
  communityId: Uuid.nullable(),
  communityName: z.string().nullable(),
  organizationId: Uuid,
  organizationName: z.string().nullable(),
  fiscalYear: z.number().int(),
  waitingOn: z.string().nullable().describe('待谁处理（角色）；停住时为 admin'),
  waitingOnLabel: z.string().nullable(),
  assignee: z.object({ userId: z.string(), name: z.string().nullable() }).nullable(),
  stageEnteredAt: Iso,
  deadline: Iso.nullable(),
  overdue: z.boolean().describe('已超过时限（按当前时间计算）'),
  needsAttention: z.boolean(),
  parked: z.object({ step: z.string(), error: z.string(), since: Iso, attempts: z.number().int() }).nullable(),
  paymentsFrozen: z.string().nullable().describe('拨付冻结原因'),
  currentDetails: z.string().describe('流程给出的当前状态说明'),
  committedFen: Fen.nullable().describe('合同金额（已承诺）'),
  paidFen: Fen.describe('已拨付合计'),
  workflowStatus: z.string().describe('Temporal 执行状态：running / completed / terminated …'),
  stateAt: Iso.describe('读模型最近一次从流程读取状态的时间'),
  updatedAt: Iso,
});
export type ProjectSummaryView = z.infer<typeof ProjectSummaryView>;

export const StalledItemView = z.object({
  project: ProjectSummaryView,
  kind: z.enum(['parked', 'overdue']),
  reason: z.string().describe('原因（中文），如「联审」超过时限，或停住步骤的错误'),
  since: Iso.describe('停住时刻，或超时的截止时刻'),
  ageMs: z.number().int().describe('停住多久 / 超时多久（毫秒）'),
  ageText: z.string(),
  deadline: Iso.nullable(),
  waitingOn: z.string().nullable(),
  waitingOnLabel: z.string().nullable(),
});
export type StalledItemView = z.infer<typeof StalledItemView>;

export const StalledQuery = z
  .object({
    subDistrictId: Uuid.optional(),
    communityId: Uuid.optional(),
    kind: z.enum(['parked', 'overdue']).optional(),
    cursor: z.string().min(1).max(500).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict();

const Count = z.number().int().min(0);
export const OverviewView = z.object({
  generatedAt: Iso,
  total: Count,
  active: Count.describe('未结束的项目'),
  overdue: Count,
  parked: Count,
  needsAttention: Count,
  byStage: z.array(z.object({ stage: LifecycleStage, label: z.string(), count: Count })),
  bySubDistrict: z.array(z.object({ subDistrictId: Uuid, name: z.string().nullable(), count: Count, overdue: Count, parked: Count })),
  byWaitingOn: z.array(z.object({ waitingOn: z.string(), label: z.string(), count: Count })),
  funds: z.array(
    z.object({
      subDistrictId: Uuid,
      subDistrictName: z.string().nullable(),
      communityId: Uuid.nullable().describe('null：街道级项目（街道经费）'),
      communityName: z.string().nullable(),
      fiscalYear: z.number().int(),
      projects: Count,
      committedFen: Fen,
      paidFen: Fen,
      allocatedFen: Fen.nullable().describe('年度下达经费；尚无社区经费事件时为 null'),
    }),
  ),
  fundsNote: z.string(),
});
export type OverviewView = z.infer<typeof OverviewView>;

export const TimelineEntryView = z.object({
  at: Iso,
  source: z.enum(['workflow', 'communities', 'organizations', 'payments', 'supervision']),
  kind: z.string(),
  category: z.enum(['stage', 'decision', 'tender', 'payment', 'activity', 'callback', 'finding', 'admin', 'escalation', 'evaluation', 'other']),
  summary: z.string(),
  by: ActorRef.nullable(),
  reason: z.string().nullable(),
});
export type TimelineEntryView = z.infer<typeof TimelineEntryView>;

export const BudgetLineView = z.object({
  lineId: z.string(),
  activityKey: z.string().nullable(),
  kind: z.string(),
  description: z.string(),
  budgetFen: Fen,
  actualFen: Fen.nullable(),
  varianceFen: z.number().int().nullable().describe('实际 − 预算（正数为超支）'),
});
export const BudgetView = z.object({
  budgetAvailable: z.boolean(),
  actualAvailable: z.boolean(),
  note: z.string(),
  lines: z.array(BudgetLineView),
  totalBudgetFen: Fen,
  totalActualFen: Fen.nullable(),
});

export const TrancheView = z.object({
  kind: z.enum(['start_up', 'mid_term', 'final']),
  label: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  amountFen: Fen.nullable(),
  condition: z.string(),
  attempts: z.number().int(),
  at: Iso.nullable(),
});

export const ProjectDetailView = z.object({
  project: ProjectSummaryView,
  live: z.object({
    available: z.boolean().describe('是否读到了流程的实时状态'),
    error: z.string().nullable(),
    decisions: z.array(
      z.object({ decisionId: z.string(), gate: z.string(), gateLabel: z.string(), outcome: z.string(), outcomeLabel: z.string(), version: z.number().int(), reasons: z.string(), minutesRef: z.string().nullable(), by: ActorRef, at: Iso }),
    ),
    contract: z.object({ contractId: z.string(), amountFen: Fen, startsOn: z.string(), endsOn: z.string() }).nullable(),
    tender: z.object({ tenderId: z.string().nullable(), attempts: z.number().int(), status: z.string().nullable() }).nullable(),
    activities: z.array(z.object({ activityKey: z.string(), status: z.string(), statusLabel: z.string() })),
    escalations: z.array(z.object({ at: Iso, stage: z.string(), reason: z.string(), level: z.number().int() })),
    midTerm: z.object({ score: z.number(), grade: z.string(), passed: z.boolean() }).nullable(),
    yearEnd: z.object({ score: z.number(), grade: z.string(), passed: z.boolean() }).nullable(),
    outcome: z.string().nullable(),
  }),
  timeline: z.array(TimelineEntryView),
  tranches: z.array(TrancheView),
  budget: BudgetView,
  temporalUrl: z.string(),
  actions: z.array(OperationsAction).describe('此用户在当前状态下可以尝试的操作'),
});
export type ProjectDetailView = z.infer<typeof ProjectDetailView>;

// ——— actions ———

const Reason = z.string().trim().min(1, '须写明理由 (a reason is required)').max(500).describe('理由（必填，记入审计与流程时间线）');
export const ActionBody = z.object({ reason: Reason }).strict();
export const ReassignBody = z
  .object({ reason: Reason, assigneeUserId: z.string().trim().min(1).max(100), assigneeName: z.string().trim().min(1).max(100).optional() })
  .strict();
export const ProjectIdParams = z.object({ id: Uuid });

export const ActionResultView = z.object({
  action: OperationsAction,
  outcome: z.literal('ok'),
  auditId: Uuid,
  project: ProjectSummaryView,
});
export type ActionResultView = z.infer<typeof ActionResultView>;

export const BatchPreviewBody = z.object({ filter: BatchFilter.default({}) }).strict();
export const BatchRetryBody = z
  .object({ filter: BatchFilter.default({}), reason: Reason, expectedCount: z.number().int().min(0).describe('预览时看到的数量；数量变化则拒绝（409）') })
  .strict();
export const BatchPreviewView = z.object({
  count: z.number().int(),
  limit: z.number().int(),
  items: z.array(z.object({ projectId: Uuid, title: z.string(), stage: LifecycleStage, stageLabel: z.string(), step: z.string(), error: z.string(), since: Iso })),
});
export const BatchOutcome = z.enum(['ok', 'refused', 'failed']);
export const BatchRetryView = z.object({
  batchId: Uuid,
  count: z.number().int(),
  ok: z.number().int(),
  refused: z.number().int(),
  failed: z.number().int(),
  results: z.array(z.object({ projectId: Uuid, title: z.string(), outcome: BatchOutcome, reason: z.string().nullable(), stage: LifecycleStage.nullable() })),
});

// ——— audit trail (审计记录) ———

export const AuditOutcome = z.enum(['ok', 'refused', 'forbidden', 'failed']).describe('ok：已生效；refused：流程拒绝（409）；forbidden：无权（403）；failed：失败');
export const AUDIT_OUTCOME_LABELS: Record<z.infer<typeof AuditOutcome>, string> = { ok: '已生效', refused: '被流程拒绝', forbidden: '无权', failed: '失败' };
/** before/after: what the decision changed; integers, strings, booleans and null only (decimals travel as strings). */
const AuditState = z.record(z.string(), z.unknown()).nullable();

export const AuditEntryView = z.object({
  seq: z.number().int().positive().describe('链上序号（连续，无缺号）'),
  id: Uuid,
  at: Iso.describe('发生时间'),
  recordedAt: Iso.describe('记入审计链的时间'),
  projectId: Uuid.nullable().describe('null：不属于某个项目的操作（如下达经费、登记社会组织）'),
  actor: z.object({ userId: z.string(), role: z.string(), roleLabel: z.string(), scope: z.string() }).describe('谁、以什么角色、在哪个范围'),
  action: z.string().describe('操作编码（稳定），多为权限表中的动作名，如 payment.approve'),
  actionLabel: z.string(),
  reason: z.string(),
  outcome: AuditOutcome,
  outcomeLabel: z.string(),
  error: z.string().nullable(),
  batchId: Uuid.nullable(),
  before: AuditState.describe('之前'),
  after: AuditState.describe('之后'),
  source: z.object({ service: z.string(), eventId: Uuid, type: z.string().nullable() }).describe('来源：发布事件的服务与事件编号（运维操作：本条编号）'),
  prevHash: z.string(),
  hash: z.string().describe('sha256(prevHash + 本条内容的规范 JSON)'),
});
export type AuditEntryView = z.infer<typeof AuditEntryView>;

const AuditOrder = z.enum(['newest', 'oldest']).default('newest').describe('newest：新的在前；oldest：按发生顺序');
const AuditPage = { cursor: z.string().min(1).max(500).optional(), limit: z.coerce.number().int().min(1).max(100).default(50), order: AuditOrder };
export const AuditQuery = z
  .object({
    projectId: Uuid.optional(),
    actorUserId: z.string().trim().min(1).max(100).optional().describe('谁'),
    action: z.string().trim().min(1).max(60).optional().describe('操作编码，如 payment.approve'),
    from: Iso.optional().describe('发生时间不早于'),
    to: Iso.optional().describe('发生时间早于'),
    ...AuditPage,
  })
  .strict();
export type AuditQuery = z.infer<typeof AuditQuery>;
export const ProjectAuditQuery = z.object(AuditPage).strict();
export type ProjectAuditQuery = z.infer<typeof ProjectAuditQuery>;

export const AuditVerificationView = z.object({
  ok: z.boolean(),
  entries: z.number().int().describe('校验了多少条'),
  checkedAt: Iso,
  head: z.object({ seq: z.number().int(), hash: z.string() }).nullable().describe('链头：最后一条的序号与哈希（可另行保存，作为外部锚点）'),
  firstBroken: z
    .object({
      seq: z.number().int(),
      expectedHash: z.string().nullable().describe('按链重新计算应得的哈希（缺失的条目：null）'),
      storedHash: z.string().nullable().describe('库中保存的哈希（缺失的条目：null）'),
      reason: z.string(),
    })
    .nullable(),
});
export type AuditVerificationView = z.infer<typeof AuditVerificationView>;

export const StreamTicketView = z.object({ ticket: z.string(), expiresAt: Iso, url: z.string().describe('打开 EventSource 的地址（含票据）') });

export const ReconcileView = z.object({ seen: z.number().int(), refreshed: z.number().int(), unchanged: z.number().int(), failed: z.number().int(), durationMs: z.number().int() });
export const ReconcileQuery = z.object({ full: QueryFlag.describe('true：逐个重新读取全部流程状态') }).strict();

/** What /stream pushes whenever the read model changes (event name `project`). */
export const ProjectChangeView = z.object({
  projectId: Uuid,
  title: z.string(),
  stage: LifecycleStage,
  stageLabel: z.string(),
  waitingOn: z.string().nullable(),
  needsAttention: z.boolean(),
  parked: z.boolean(),
  overdue: z.boolean(),
  currentDetails: z.string(),
  subDistrictId: Uuid,
  communityId: Uuid.nullable(),
  organizationId: Uuid,
  updatedAt: Iso,
  cause: z.string().describe('lifecycle-event / reconcile / action / service-event'),
});
export type ProjectChangeView = z.infer<typeof ProjectChangeView>;
