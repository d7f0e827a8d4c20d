import { z } from 'zod';
import { Fen, ProjectLevel, WrittenBy } from '../common/domain';
import { CreditStatus } from '../organizations/events';
import { PlannedActivity, ReviewGate, ReviewOutcome } from './events';
import { ItemKind } from './prices';

/**
 * 项目申请 (proposal). A proposal is the project's first form and keeps its id for life (projectId).
 * Its content lives in numbered versions: the working version is editable while the proposal is a draft
 * or returned; submitting freezes it (an immutable snapshot the reviewers decide on); a return opens the
 * next version as a copy to revise.
 */
export const ProposalStatus = z.enum(['draft', 'submitted', 'returned', 'approved', 'rejected']).describe('草稿 / 评审中 / 退回修改 / 已立项 / 已否决');
export type ProposalStatus = z.infer<typeof ProposalStatus>;
export const PROPOSAL_STATUS_LABELS: Record<ProposalStatus, string> = {
  draft: '草稿',
  submitted: '评审中',
  returned: '退回修改',
  approved: '已立项',
  rejected: '已否决',
};
export const REVIEW_GATE_LABELS: Record<ReviewGate, string> = { pre_review: '预审会', joint_review: '联审会', committee: '工委会' };
export const REVIEW_OUTCOME_LABELS: Record<ReviewOutcome, string> = { approve: '通过', return: '打回修改', reject: '否决' };
export const PROJECT_LEVEL_LABELS: Record<ProjectLevel, string> = { community: '社区级', sub_district: '街道级' };

const Key = z.string().trim().min(1).max(60);
const ProposalFiscalYear = z.number().int().min(2000).max(2100).describe('财年（自然年），经费从该年度社区经费中列支');

/** 物品/服务预算行: unit price × quantity. The amount is computed, never sent. */
export const ItemLineInput = z
  .object({
    lineKey: Key.describe('预算行编号（在项目内唯一，修订时保持不变以便比对）'),
    activityKey: Key.describe('所属计划活动编号'),
    itemKind: ItemKind,
    description: z.string().trim().min(1).max(500).describe('如 签字笔（一支笔两块钱）'),
    unit: z.string().trim().min(1).max(20).optional().describe('单位，如 支、天、块'),
    unitPriceFen: Fen.describe('单价（分）'),
    quantity: z.number().int().min(1).max(1_000_000),
  })
  .strict();
export type ItemLineInput = z.infer<typeof ItemLineInput>;

/** 人员经费行: hours × hourly rate; optionally attributed to one activity. */
export const StaffLineInput = z
  .object({
    lineKey: Key,
    person: z.string().trim().min(1).max(50).describe('人员姓名'),
    role: z.string().trim().min(1).max(50).describe('岗位，如 项目主管、社工'),
    hours: z.number().int().min(1).max(10_000),
    hourlyRateFen: Fen.describe('小时费率（分）'),
    activityKey: Key.nullable().default(null),
  })
  .strict();
export type StaffLineInput = z.input<typeof StaffLineInput>;

const ContentFields = {
  title: z.string().trim().min(2).max(200).describe('项目名称，如 延静里社区老兵俱乐部'),
  fiscalYear: ProposalFiscalYear,
  summary: z.string().trim().max(4000).describe('项目简介'),
  offeringId: z.uuid().nullable().describe('所选服务清单（推介会摊位）；与 organizationId 至少给一个'),
  organizationId: z.uuid().describe('承接的社会组织；给了 offeringId 时由服务清单决定'),
  activities: z.array(PlannedActivity).max(100).describe('活动计划'),
  itemLines: z.array(ItemLineInput).max(500).describe('物品/服务预算行'),
  staffLines: z.array(StaffLineInput).max(100).describe('人员经费行'),
};

export const CreateProposalBody = z
  .object({
    level: ProjectLevel,
    subDistrictId: z.uuid().optional().describe('街道级项目必填；社区级由社区决定'),
    communityId: z.uuid().optional().describe('社区级项目必填'),
    title: ContentFields.title,
    fiscalYear: ContentFields.fiscalYear,
    summary: ContentFields.summary.default(''),
    offeringId: z.uuid().optional(),
    organizationId: z.uuid().optional(),
    activities: ContentFields.activities.default([]),
    itemLines: ContentFields.itemLines.default([]),
    staffLines: ContentFields.staffLines.default([]),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.level === 'community' && !body.communityId) {
      ctx.addIssue({ code: 'custom', path: ['communityId'], message: '社区级项目须指定社区 (communityId is required for a community-level proposal)' });
    }
    if (body.level === 'sub_district') {
      if (!body.subDistrictId) ctx.addIssue({ code: 'custom', path: ['subDistrictId'], message: '街道级项目须指定街道 (subDistrictId is required)' });
      if (body.communityId) ctx.addIssue({ code: 'custom', path: ['communityId'], message: '街道级项目不属于某个社区 (a sub-district-level proposal has no community)' });
    }
    if (!body.offeringId && !body.organizationId) {
      ctx.addIssue({ code: 'custom', path: ['offeringId'], message: '须选择服务清单或社会组织 (offeringId or organizationId is required)' });
    }
  });
export type CreateProposalBody = z.infer<typeof CreateProposalBody>;

/** Any subset; arrays replace the stored ones whole. Organization staff may send only activities and lines. */
export const UpdateProposalBody = z
  .object({
    title: ContentFields.title.optional(),
    fiscalYear: ContentFields.fiscalYear.optional(),
    summary: ContentFields.summary.optional(),
    offeringId: ContentFields.offeringId.optional(),
    organizationId: ContentFields.organizationId.optional(),
    activities: ContentFields.activities.optional(),
    itemLines: ContentFields.itemLines.optional(),
    staffLines: ContentFields.staffLines.optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: '没有要修改的内容 (nothing to change)' });
export type UpdateProposalBody = z.infer<typeof UpdateProposalBody>;

export const SubmitProposalBody = z
  .object({ version: z.number().int().positive().optional().describe('提交时看到的版本号；若已被他人改成新版本则 409') })
  .strict()
  .optional();

export const RecordDecisionBody = z
  .object({
    decisionId: z.string().trim().min(1).max(100).optional().describe('幂等键：同一决定重复提交只记录一次（流程引擎传入）'),
    gate: ReviewGate,
    outcome: ReviewOutcome,
    version: z.number().int().positive().describe('所评审的版本号（须为当前送审版本）'),
    reasons: z.string().trim().max(4000).default('').describe('理由（打回、否决时必填）'),
    minutesRef: z.string().trim().min(1).max(200).optional().describe('会议纪要编号，如 工委会〔2026〕12号'),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.outcome !== 'approve' && body.reasons.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['reasons'], message: '打回或否决须写明理由 (reasons are required to return or reject)' });
    }
  });
export type RecordDecisionBody = z.infer<typeof RecordDecisionBody>;

export const AcceptFlagBody = z
  .object({
    version: z.number().int().positive().describe('所评审的版本号'),
    reason: z.string().trim().min(1).max(2000).describe('接受超参考价的理由，如 含专业讲解，价格合理'),
  })
  .strict();
export type AcceptFlagBody = z.infer<typeof AcceptFlagBody>;

/** 声明回避: a reviewer or committee member stands aside from one proposal, saying why. */
export const DeclareConflictBody = z
  .object({
    reason: z.string().trim().min(2).max(2000).describe('回避理由，如 申报组织负责人系本人近亲属'),
  })
  .strict();
export type DeclareConflictBody = z.infer<typeof DeclareConflictBody>;

export const ConflictDeclarationView = z.object({
  id: z.uuid(),
  proposalId: z.uuid(),
  userId: z.string(),
  reason: z.string(),
  declaredAt: z.iso.datetime(),
  declaredBy: WrittenBy,
});
export type ConflictDeclarationView = z.infer<typeof ConflictDeclarationView>;

export const ConflictDeclarationListView = z.object({ items: z.array(ConflictDeclarationView) });

export const ProposalIdParams = z.object({ id: z.uuid() });
export const ProposalFlagParams = z.object({ id: z.uuid(), lineKey: Key });
export const ProposalVersionParams = z.object({ id: z.uuid(), version: z.coerce.number().int().positive() });
export const ProposalDiffQuery = z.object({ from: z.coerce.number().int().positive(), to: z.coerce.number().int().positive() });

export const ListProposalsQuery = z.object({
  cursor: z.string().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  status: ProposalStatus.optional(),
  gate: ReviewGate.optional(),
  level: ProjectLevel.optional(),
  fiscalYear: z.coerce.number().int().min(2000).max(2100).optional(),
  subDistrictId: z.uuid().optional(),
  communityId: z.uuid().optional(),
  organizationId: z.uuid().optional(),
});
export type ListProposalsQuery = z.infer<typeof ListProposalsQuery>;

// ——— views ———

export const BudgetFlagView = z.object({
  referencePriceFen: Fen,
  referenceUnit: z.string(),
  marginPercent: z.number().int(),
  /** The highest unit price that passes: reference × (100 + margin) / 100. */
  thresholdFen: Fen,
  /** How far above the reference, in whole percent. */
  overByPercent: z.number().int(),
  accepted: z.object({ reason: z.string(), acceptedAt: z.iso.datetime(), acceptedBy: WrittenBy }).nullable(),
});
export type BudgetFlagView = z.infer<typeof BudgetFlagView>;

export const ItemLineView = z.object({
  lineKey: z.string(),
  activityKey: z.string(),
  itemKind: ItemKind,
  itemKindLabel: z.string(),
  description: z.string(),
  unit: z.string().nullable(),
  unitPriceFen: Fen,
  quantity: z.number().int(),
  amountFen: Fen,
  /** Set when the unit price exceeds the sub-district's reference by more than its margin. */
  flag: BudgetFlagView.nullable(),
});
export type ItemLineView = z.infer<typeof ItemLineView>;

export const StaffLineView = z.object({
  lineKey: z.string(),
  person: z.string(),
  role: z.string(),
  hours: z.number().int(),
  hourlyRateFen: Fen,
  activityKey: z.string().nullable(),
  amountFen: Fen,
});
export type StaffLineView = z.infer<typeof StaffLineView>;

export const ProposalTotalsView = z.object({
  perActivity: z.array(z.object({ activityKey: z.string(), title: z.string(), itemTotalFen: Fen, staffTotalFen: Fen, totalFen: Fen })),
  /** Staff lines not attributed to one activity. */
  unassignedStaffFen: Fen,
  itemTotalFen: Fen,
  staffTotalFen: Fen,
  grandTotalFen: Fen,
});
export type ProposalTotalsView = z.infer<typeof ProposalTotalsView>;

export const ProposalVersionView = z.object({
  version: z.number().int(),
  /** true once submitted: the snapshot never changes again. */
  frozen: z.boolean(),
  frozenAt: z.iso.datetime().nullable(),
  frozenBy: WrittenBy.nullable(),
  title: z.string(),
  fiscalYear: z.number().int(),
  summary: z.string(),
  offeringId: z.uuid().nullable(),
  organizationId: z.uuid(),
  activities: z.array(PlannedActivity),
  itemLines: z.array(ItemLineView),
  staffLines: z.array(StaffLineView),
  totals: ProposalTotalsView,
  /** lineKeys of flagged lines not (yet) accepted by a reviewer. */
  openFlags: z.array(z.string()),
  createdAt: z.iso.datetime(),
  createdBy: WrittenBy,
  updatedAt: z.iso.datetime(),
  updatedBy: WrittenBy,
});
export type ProposalVersionView = z.infer<typeof ProposalVersionView>;

export const ReviewDecisionView = z.object({
  id: z.string(),
  gate: ReviewGate,
  gateLabel: z.string(),
  outcome: ReviewOutcome,
  outcomeLabel: z.string(),
  version: z.number().int(),
  reasons: z.string(),
  minutesRef: z.string().nullable(),
  decidedAt: z.iso.datetime(),
  decidedBy: WrittenBy,
});
export type ReviewDecisionView = z.infer<typeof ReviewDecisionView>;

/** The decisions recorded with a proposal, oldest first (what the lifecycle checks before it moves on). */
export const ReviewDecisionListView = z.object({ items: z.array(ReviewDecisionView) });
export type ReviewDecisionListView = z.infer<typeof ReviewDecisionListView>;

/** The fund the proposal would draw on (its community's, or the sub-district's own line), as of now. */
export const ProposalFundView = z.object({
  fundId: z.uuid().nullable(),
  fiscalYear: z.number().int(),
  allocatedFen: Fen,
  committedFen: Fen,
  spentFen: Fen,
  remainingFen: z.number().int(),
  /** Whether the current version's grand total fits in what remains (for an approved proposal: it was committed). */
  fits: z.boolean(),
});

export const ProposalView = ProposalVersionView.omit({ version: true }).extend({
  id: z.uuid(),
  level: ProjectLevel,
  levelLabel: z.string(),
  status: ProposalStatus,
  statusLabel: z.string(),
  currentGate: ReviewGate.nullable(),
  currentGateLabel: z.string().nullable(),
  subDistrictId: z.uuid(),
  subDistrictName: z.string(),
  communityId: z.uuid().nullable(),
  communityName: z.string().nullable(),
  organizationName: z.string().nullable(),
  organizationCreditStatus: CreditStatus.nullable(),
  offeringTitle: z.string().nullable(),
  /** The version shown (the latest; editable unless frozen). */
  version: z.number().int(),
  /** The frozen version under review, null unless submitted. */
  reviewVersion: z.number().int().nullable(),
  decisions: z.array(ReviewDecisionView),
  fund: ProposalFundView,
  commitmentFen: Fen.nullable(),
  submittedAt: z.iso.datetime().nullable(),
  submittedBy: WrittenBy.nullable(),
  approvedAt: z.iso.datetime().nullable(),
});
export type ProposalView = z.infer<typeof ProposalView>;

export const ProposalSummaryView = z.object({
  id: z.uuid(),
  level: ProjectLevel,
  status: ProposalStatus,
  statusLabel: z.string(),
  currentGate: ReviewGate.nullable(),
  title: z.string(),
  fiscalYear: z.number().int(),
  subDistrictId: z.uuid(),
  communityId: z.uuid().nullable(),
  communityName: z.string().nullable(),
  organizationId: z.uuid(),
  organizationName: z.string().nullable(),
  offeringId: z.uuid().nullable(),
  version: z.number().int(),
  reviewVersion: z.number().int().nullable(),
  grandTotalFen: Fen,
  openFlagCount: z.number().int(),
  createdAt: z.iso.datetime(),
  createdBy: WrittenBy,
  updatedAt: z.iso.datetime(),
});
export type ProposalSummaryView = z.infer<typeof ProposalSummaryView>;

export const ProposalVersionListView = z.object({
  items: z.array(
    z.object({ version: z.number().int(), frozen: z.boolean(), frozenAt: z.iso.datetime().nullable(), title: z.string(), grandTotalFen: Fen, createdAt: z.iso.datetime(), createdBy: WrittenBy }),
  ),
});

const HeaderValue = z.union([z.string(), z.number(), z.null()]);
const changes = <T extends z.ZodType>(item: T) =>
  z.object({
    added: z.array(item),
    removed: z.array(item),
    changed: z.array(z.object({ key: z.string(), fields: z.array(z.string()), before: item, after: item, deltaFen: z.number().int() })),
  });

/** What changed from one version to another: per activity and line (by key), with before/after and money deltas. */
export const ProposalDiffView = z.object({
  proposalId: z.uuid(),
  from: z.number().int(),
  to: z.number().int(),
  header: z.array(z.object({ field: z.string(), before: HeaderValue, after: HeaderValue })),
  activities: changes(PlannedActivity),
  itemLines: changes(ItemLineView),
  staffLines: changes(StaffLineView),
  totals: z.object({
    before: ProposalTotalsView,
    after: ProposalTotalsView,
    deltaFen: z.object({ item: z.number().int(), staff: z.number().int(), grand: z.number().int() }),
  }),
});
export type ProposalDiffView = z.infer<typeof ProposalDiffView>;
