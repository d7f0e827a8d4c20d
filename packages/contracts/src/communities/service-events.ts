import { z } from 'zod';
import { Fen, IsoDate, ProjectLevel, ServiceCategory, TargetGroup } from '../common/domain';
import { defineEvent } from '../events/envelope';
import { ProposalApproved, ProposalSubmitted, ReviewDecisionRecorded } from './events';
import { ItemKind } from './prices';
import { SubDistrictActivated, SubDistrictRegistered } from './sub-districts';

/**
 * The communities service's own events, beside the pre-defined ones in ./events.ts and ./sub-districts.ts.
 * No event carries personal data: wishes travel as category/target group/votes, meetings without minutes.
 */
export const CommunityRegistered = defineEvent({
  type: 'communities.community.registered',
  version: 1,
  description: '社区已登记',
  data: z.object({ communityId: z.uuid(), subDistrictId: z.uuid(), name: z.string(), area: z.string().nullable() }),
});

const FundFigures = {
  fundId: z.uuid(),
  subDistrictId: z.uuid(),
  /** null: the sub-district's own line (for 街道级 projects). */
  communityId: z.uuid().nullable(),
  fiscalYear: z.number().int(),
  allocatedFen: Fen,
  committedFen: Fen,
  spentFen: Fen,
  remainingFen: z.number().int(),
};

export const ServiceFundAllocated = defineEvent({
  type: 'communities.fund.allocated',
  version: 1,
  description: '社区年度经费已下达（或调整）',
  data: z.object({ ...FundFigures, previousAllocatedFen: Fen }),
});

export const ServiceFundCommitted = defineEvent({
  type: 'communities.fund.committed',
  version: 1,
  description: '立项占用经费',
  data: z.object({ ...FundFigures, projectId: z.uuid(), amountFen: Fen }),
});

export const ServiceFundSpent = defineEvent({
  type: 'communities.fund.spent',
  version: 1,
  description: '拨付已计入经费支出',
  data: z.object({ ...FundFigures, projectId: z.uuid(), trancheId: z.uuid(), amountFen: Fen, releasedFromCommittedFen: Fen }),
});

export const ResidentMeetingRecorded = defineEvent({
  type: 'communities.meeting.recorded',
  version: 1,
  description: '居民代表会议已记录',
  data: z.object({ meetingId: z.uuid(), communityId: z.uuid(), subDistrictId: z.uuid(), heldOn: IsoDate, attendance: z.number().int(), wishCount: z.number().int() }),
});

export const WishRecorded = defineEvent({
  type: 'communities.wish.recorded',
  version: 1,
  description: '居民意愿已记录',
  data: z.object({
    wishId: z.uuid(),
    meetingId: z.uuid(),
    communityId: z.uuid(),
    subDistrictId: z.uuid(),
    category: ServiceCategory,
    targetGroup: TargetGroup,
    votes: z.number().int(),
  }),
});

export const FairCreated = defineEvent({
  type: 'communities.fair.created',
  version: 1,
  description: '推介会已发布',
  data: z.object({ fairId: z.uuid(), subDistrictId: z.uuid(), title: z.string(), venue: z.string(), heldOn: IsoDate }),
});

export const FairStallAdded = defineEvent({
  type: 'communities.fair.stall-added',
  version: 1,
  description: '推介会摊位已安排',
  data: z.object({ fairId: z.uuid(), stallId: z.uuid(), subDistrictId: z.uuid(), offeringId: z.uuid(), organizationId: z.uuid() }),
});

export const OfferingShortlisted = defineEvent({
  type: 'communities.offering.shortlisted',
  version: 1,
  description: '社区在推介会上登记意向',
  data: z.object({
    shortlistId: z.uuid(),
    fairId: z.uuid(),
    subDistrictId: z.uuid(),
    communityId: z.uuid(),
    offeringId: z.uuid(),
    organizationId: z.uuid(),
  }),
});

export const ProposalDrafted = defineEvent({
  type: 'communities.proposal.drafted',
  version: 1,
  description: '项目申请已起草',
  data: z.object({
    projectId: z.uuid(),
    level: ProjectLevel,
    subDistrictId: z.uuid(),
    communityId: z.uuid().nullable(),
    organizationId: z.uuid(),
    offeringId: z.uuid().nullable(),
    title: z.string(),
    fiscalYear: z.number().int(),
  }),
});

export const BudgetFlagAccepted = defineEvent({
  type: 'communities.budget-flag.accepted',
  version: 1,
  description: '评审人员接受超参考价预算行',
  data: z.object({
    projectId: z.uuid(),
    version: z.number().int().positive(),
    lineKey: z.string(),
    itemKind: ItemKind,
    unitPriceFen: Fen,
    referencePriceFen: Fen,
    reason: z.string(),
    acceptedBy: z.string(),
    acceptedAt: z.iso.datetime(),
  }),
});

/** Every event the communities service publishes (its contract test's registry, and its listeners'). */
export const COMMUNITIES_EVENTS = [
  SubDistrictRegistered,
  SubDistrictActivated,
  CommunityRegistered,
  ServiceFundAllocated,
  ServiceFundCommitted,
  ServiceFundSpent,
  ResidentMeetingRecorded,
  WishRecorded,
  FairCreated,
  FairStallAdded,
  OfferingShortlisted,
  ProposalDrafted,
  ProposalSubmitted,
  ReviewDecisionRecorded,
  ProposalApproved,
  BudgetFlagAccepted,
] as const;
