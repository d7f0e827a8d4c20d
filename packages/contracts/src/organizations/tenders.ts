import { z } from 'zod';
import { Fen, WrittenBy } from '../common/domain';

/**
 * 招投标 (tenders) for purchases the sub-district makes itself. Bids are sealed: before the opening
 * nobody but the bidder reads a bid. Scoring happens at the topic meeting (专题会) on the rubric defined
 * on the tender; the award opens the standstill period (公示期) in which objections can be lodged.
 */
export const TenderStatus = z
  .enum(['draft', 'published', 'unsuccessful', 'opened', 'awarded', 'contracted', 'cancelled'])
  .describe('草稿 / 已发布（投标中） / 流标 / 已开标（评分中） / 已定标（公示期） / 已签约 / 已撤销');
export type TenderStatus = z.infer<typeof TenderStatus>;
export const TENDER_STATUS_LABELS: Record<TenderStatus, string> = {
  draft: '草稿',
  published: '已发布',
  unsuccessful: '流标',
  opened: '已开标',
  awarded: '已定标',
  contracted: '已签约',
  cancelled: '已撤销',
};

export const TenderCriterion = z
  .object({
    key: z.string().trim().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case key, e.g. technical_plan'),
    name: z.string().trim().min(1).max(100).describe('评分项，如 服务方案、团队配置、报价'),
    weight: z.number().int().min(1).max(100).describe('权重（所有评分项合计 100）'),
  })
  .strict();
export type TenderCriterion = z.infer<typeof TenderCriterion>;

export const TenderDocument = z
  .object({
    name: z.string().trim().min(1).max(200).describe('文件名称，如 招标文件、服务需求书'),
    url: z.url().max(1000).optional(),
    text: z.string().max(20_000).optional(),
  })
  .strict()
  .refine((d) => d.url !== undefined || d.text !== undefined, { message: '须提供链接或正文 (give a url or the text)', path: ['url'] });
export type TenderDocument = z.infer<typeof TenderDocument>;

const Instant = z.iso.datetime({ offset: true });

export const TenderPeriods = z
  .object({
    enquiryDeadline: Instant.describe('答疑截止时间'),
    bidDeadline: Instant.describe('投标截止时间'),
    openingAt: Instant.describe('开标时间'),
  })
  .strict();
export type TenderPeriods = z.infer<typeof TenderPeriods>;

/** enquiry deadline ≤ bid deadline ≤ opening. */
export function checkTenderPeriods(p: Partial<TenderPeriods>, ctx: z.RefinementCtx, prefix: (string | number)[] = []): void {
  const t = (v?: string) => (v === undefined ? undefined : Date.parse(v));
  const enquiry = t(p.enquiryDeadline);
  const bid = t(p.bidDeadline);
  const opening = t(p.openingAt);
  if (enquiry !== undefined && bid !== undefined && enquiry > bid) {
    ctx.addIssue({ code: 'custom', path: [...prefix, 'enquiryDeadline'], message: '答疑截止不得晚于投标截止 (enquiryDeadline must not be after bidDeadline)' });
  }
  if (bid !== undefined && opening !== undefined && bid > opening) {
    ctx.addIssue({ code: 'custom', path: [...prefix, 'openingAt'], message: '开标时间不得早于投标截止 (openingAt must not be before bidDeadline)' });
  }
}

export function checkCriteria(criteria: TenderCriterion[] | undefined, ctx: z.RefinementCtx): void {
  if (!criteria) return;
  const total = criteria.reduce((sum, c) => sum + c.weight, 0);
  if (total !== 100) ctx.addIssue({ code: 'custom', path: ['criteria'], message: `权重合计应为 100，实际为 ${total} (weights must sum to 100, got ${total})` });
  const seen = new Set<string>();
  criteria.forEach((c, i) => {
    if (seen.has(c.key)) ctx.addIssue({ code: 'custom', path: ['criteria', i, 'key'], message: `评分项「${c.key}」重复 (duplicate criterion key)` });
    seen.add(c.key);
  });
}

const TenderFields = z.object({
  title: z.string().trim().min(2).max(200),
  description: z.string().trim().min(1).max(10_000),
  budgetCeilingFen: Fen.describe('最高限价（分）'),
  minimumBids: z.number().int().min(1).max(50).default(3).describe('有效投标不足此数则流标（默认 3）'),
  documents: z.array(TenderDocument).max(50).default([]),
  criteria: z.array(TenderCriterion).min(1).max(20).describe('评分细则'),
});

export const CreateTenderBody = TenderFields.extend({
  subDistrictId: z.uuid(),
  communityId: z.uuid().nullable().default(null).describe('服务落地的社区（若只面向一个社区）'),
  projectId: z.uuid(),
  ...TenderPeriods.shape,
})
  .strict()
  .superRefine((v, ctx) => {
    checkTenderPeriods(v, ctx);
    checkCriteria(v.criteria, ctx);
  });
export type CreateTenderBody = z.infer<typeof CreateTenderBody>;

/** Only drafts can be edited; the periods are checked against the stored ones as well. */
export const UpdateTenderBody = z
  .object({
    title: TenderFields.shape.title.optional(),
    description: TenderFields.shape.description.optional(),
    budgetCeilingFen: Fen.optional(),
    minimumBids: z.number().int().min(1).max(50).optional(),
    documents: z.array(TenderDocument).max(50).optional(),
    criteria: z.array(TenderCriterion).min(1).max(20).optional(),
    enquiryDeadline: Instant.optional(),
    bidDeadline: Instant.optional(),
    openingAt: Instant.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    checkTenderPeriods(v, ctx);
    checkCriteria(v.criteria, ctx);
  });
export type UpdateTenderBody = z.infer<typeof UpdateTenderBody>;

export const RetenderBody = TenderPeriods.superRefine((v, ctx) => checkTenderPeriods(v, ctx));
export type RetenderBody = z.infer<typeof RetenderBody>;

export const CancelTenderBody = z.object({ reason: z.string().trim().min(2).max(1000) }).strict();
export type CancelTenderBody = z.infer<typeof CancelTenderBody>;

export const AwardTenderBody = z
  .object({
    standstillHours: z
      .number()
      .min(0)
      .max(24 * 30)
      .default(72)
      .describe('中标公示期（小时，默认 72 即 3 日；0 表示无公示期）'),
  })
  .strict();
export type AwardTenderBody = z.infer<typeof AwardTenderBody>;

export const TenderRoundView = z.object({
  round: z.number().int(),
  enquiryDeadline: z.iso.datetime(),
  bidDeadline: z.iso.datetime(),
  openingAt: z.iso.datetime(),
  publishedAt: z.iso.datetime(),
  publishedBy: WrittenBy,
  outcome: z.enum(['pending', 'unsuccessful', 'opened', 'cancelled']),
  /** Known once the round was opened (开标); null while bids are sealed. */
  bidCount: z.number().int().nullable(),
  closedAt: z.iso.datetime().nullable(),
});

export const TenderAwardView = z.object({
  bidId: z.uuid(),
  organizationId: z.uuid(),
  organizationName: z.string(),
  amountFen: Fen,
  score: z.number(),
  awardedAt: z.iso.datetime(),
  awardedBy: WrittenBy,
});

export const TenderView = z.object({
  id: z.uuid(),
  subDistrictId: z.uuid(),
  communityId: z.uuid().nullable(),
  projectId: z.uuid(),
  title: z.string(),
  description: z.string(),
  budgetCeilingFen: Fen,
  minimumBids: z.number().int(),
  documents: z.array(z.object({ name: z.string(), url: z.string().optional(), text: z.string().optional() })),
  criteria: z.array(TenderCriterion),
  status: TenderStatus,
  round: z.number().int().describe('第几轮（流标后重新招标加一）'),
  enquiryDeadline: z.iso.datetime(),
  bidDeadline: z.iso.datetime(),
  openingAt: z.iso.datetime(),
  rounds: z.array(TenderRoundView),
  award: TenderAwardView.nullable(),
  standstillEndsAt: z.iso.datetime().nullable(),
  openObjections: z.number().int(),
  contractId: z.uuid().nullable(),
  cancelReason: z.string().nullable(),
  createdAt: z.iso.datetime(),
  createdBy: WrittenBy,
  updatedAt: z.iso.datetime(),
  updatedBy: WrittenBy,
});
export type TenderView = z.infer<typeof TenderView>;

export const TenderIdParams = z.object({ id: z.uuid() });

export const ListTendersQuery = z.object({
  cursor: z.string().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  status: TenderStatus.optional(),
  subDistrictId: z.uuid().optional(),
  projectId: z.uuid().optional(),
});
export type ListTendersQuery = z.infer<typeof ListTendersQuery>;

// ── bids ──────────────────────────────────────────────────────────────────────────────────────────
export const StaffPlanEntry = z.object({ staffId: z.uuid(), projectRole: z.string().trim().min(1).max(50) }).strict();

export const SubmitBidBody = z
  .object({
    organizationId: z.uuid().describe('投标的社会组织（须为本人所在组织）'),
    priceFen: Fen.describe('投标报价（分，不得超过最高限价）'),
    technicalProposal: z.string().trim().min(1).max(50_000).describe('技术方案'),
    staffPlan: z.array(StaffPlanEntry).min(1).max(50).describe('人员安排（名册中的人员）'),
  })
  .strict();
export type SubmitBidBody = z.infer<typeof SubmitBidBody>;

export const BidView = z.object({
  id: z.uuid(),
  tenderId: z.uuid(),
  round: z.number().int(),
  organizationId: z.uuid(),
  organizationName: z.string(),
  priceFen: Fen,
  technicalProposal: z.string(),
  staffPlan: z.array(z.object({ staffId: z.uuid(), staffName: z.string(), projectRole: z.string() })),
  submittedAt: z.iso.datetime(),
  submittedBy: WrittenBy,
});
export type BidView = z.infer<typeof BidView>;

export const TenderBidParams = z.object({ id: z.uuid(), bidId: z.uuid() });

/**
 * Bids of a tender as the caller may see them. While sealed, `items` holds only the caller's own
 * organization's bids, and `bidCount` is given only to the tender's managers (a count, never content).
 */
export const BidListView = z.object({
  sealed: z.boolean(),
  bidCount: z.number().int().nullable(),
  items: z.array(BidView),
  nextCursor: z.string().nullable(),
});
export type BidListView = z.infer<typeof BidListView>;

export const ListBidsQuery = z.object({
  cursor: z.string().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  round: z.coerce.number().int().min(1).max(1000).optional().describe('默认：当前轮'),
});
export type ListBidsQuery = z.infer<typeof ListBidsQuery>;

// ── scoring (专题会) ─────────────────────────────────────────────────────────────────────────────
export const ScoreBidBody = z
  .object({
    scores: z
      .array(z.object({ criterionKey: z.string().min(1), score: z.number().min(0).max(100) }).strict())
      .min(1)
      .max(20),
    comment: z.string().trim().max(2000).optional(),
  })
  .strict();
export type ScoreBidBody = z.infer<typeof ScoreBidBody>;

export const ScoreSheetView = z.object({
  bidId: z.uuid(),
  scorer: WrittenBy,
  scores: z.array(z.object({ criterionKey: z.string(), score: z.number() })),
  /** Σ weight × score / 100 over the criteria. */
  total: z.number(),
  comment: z.string().nullable(),
  scoredAt: z.iso.datetime(),
});
export type ScoreSheetView = z.infer<typeof ScoreSheetView>;

export const TenderResultsView = z.object({
  tenderId: z.uuid(),
  round: z.number().int(),
  status: TenderStatus,
  scorers: z.array(z.string()).describe('已评分的评委（用户编号）'),
  /** Everything still missing before an award is possible; empty when complete. */
  missing: z.array(z.string()),
  ranking: z.array(
    z.object({
      rank: z.number().int().nullable(),
      bidId: z.uuid(),
      organizationId: z.uuid(),
      organizationName: z.string(),
      priceFen: Fen,
      submittedAt: z.iso.datetime(),
      score: z.number().nullable().describe('各评委加权得分的平均'),
      sheets: z.array(ScoreSheetView),
      eligible: z.boolean(),
      ineligibleReason: z.string().nullable(),
    }),
  ),
});
export type TenderResultsView = z.infer<typeof TenderResultsView>;

// ── objections (异议) ─────────────────────────────────────────────────────────────────────────────
export const LodgeObjectionBody = z
  .object({ organizationId: z.uuid(), grounds: z.string().trim().min(2).max(5000).describe('异议事由') })
  .strict();
export type LodgeObjectionBody = z.infer<typeof LodgeObjectionBody>;

export const AnswerObjectionBody = z.object({ answer: z.string().trim().min(2).max(5000).describe('答复') }).strict();
export type AnswerObjectionBody = z.infer<typeof AnswerObjectionBody>;

export const ObjectionView = z.object({
  id: z.uuid(),
  tenderId: z.uuid(),
  organizationId: z.uuid(),
  grounds: z.string(),
  status: z.enum(['open', 'answered']),
  lodgedAt: z.iso.datetime(),
  lodgedBy: WrittenBy,
  answer: z.string().nullable(),
  answeredAt: z.iso.datetime().nullable(),
  answeredBy: WrittenBy.nullable(),
});
export type ObjectionView = z.infer<typeof ObjectionView>;

export const ObjectionIdParams = z.object({ id: z.uuid() });
