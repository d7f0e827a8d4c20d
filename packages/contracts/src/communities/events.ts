import { z } from 'zod';
import { defineEvent } from '../events/envelope';
import { Fen, ProjectLevel, TargetGroup } from '../common/domain';

/**
 * Events of the communities service that other services consume (the service may add more beside these).
 * projectId is the proposal's id: a project is born as a proposal and keeps that id for life.
 */
export const ReviewGate = z.enum(['pre_review', 'joint_review', 'committee']).describe('评审环节：预审会 / 联审会 / 工委会');
export type ReviewGate = z.infer<typeof ReviewGate>;
export const ReviewOutcome = z.enum(['approve', 'return', 'reject']).describe('决定：通过 / 打回修改 / 否决');
export type ReviewOutcome = z.infer<typeof ReviewOutcome>;

export const PlannedActivity = z.object({
  activityKey: z.string().min(1).max(60).describe('计划活动编号（在项目内唯一）'),
  title: z.string().min(1).max(200),
  startsOn: z.iso.date(),
  endsOn: z.iso.date(),
  venue: z.string().min(1).max(200),
  targetHeadcount: z.number().int().positive(),
  targetGroup: TargetGroup,
});
export type PlannedActivity = z.infer<typeof PlannedActivity>;

export const ApprovedBudgetLine = z.object({
  lineId: z.string().min(1),
  activityKey: z.string().nullable().describe('null：人员经费等不属于某一活动的支出'),
  kind: z.enum(['item', 'staff']),
  description: z.string(),
  amountFen: Fen,
});

export const ProposalSubmitted = defineEvent({
  type: 'communities.proposal.submitted',
  version: 1,
  description: '项目申请已提交',
  data: z.object({
    projectId: z.uuid(),
    version: z.number().int().positive(),
    subDistrictId: z.uuid(),
    communityId: z.uuid().nullable(),
    organizationId: z.uuid(),
    level: ProjectLevel,
    title: z.string(),
    budgetTotalFen: Fen,
  }),
});

export const ReviewDecisionRecorded = defineEvent({
  type: 'communities.proposal.decision-recorded',
  version: 1,
  description: '评审决定已记录',
  data: z.object({
    projectId: z.uuid(),
    version: z.number().int().positive(),
    gate: ReviewGate,
    outcome: ReviewOutcome,
    reasons: z.string(),
    decidedBy: z.string(),
    decidedAt: z.iso.datetime(),
  }),
});

export const ProposalApproved = defineEvent({
  type: 'communities.proposal.approved',
  version: 1,
  description: '项目已立项（工委会通过）',
  data: z.object({
    projectId: z.uuid(),
    version: z.number().int().positive(),
    subDistrictId: z.uuid(),
    communityId: z.uuid().nullable(),
    organizationId: z.uuid(),
    offeringId: z.uuid().nullable(),
    level: ProjectLevel,
    title: z.string(),
    fiscalYear: z.number().int(),
    budgetTotalFen: Fen,
    plannedActivities: z.array(PlannedActivity),
    budgetLines: z.array(ApprovedBudgetLine),
  }),
});
