import { z } from 'zod';
import { Fen } from '../common/domain';
import { defineEvent } from '../events/envelope';
import { ContractSigned, OfferingPublished, OrganizationCreditChanged, OrganizationRegistered } from './events';
import { AnnualInspectionResult } from './registry';

/**
 * The organizations service's own events, beside the pre-defined ones in ./events.ts. Tender events
 * carry what the project lifecycle's `tenderStep` update needs (tenderId, bids, organizationId,
 * amountFen, standstillEndsAt). No event carries a bid's content, nor anything personal.
 */
export const AnnualInspectionRecorded = defineEvent({
  type: 'organizations.organization.inspection-recorded',
  version: 1,
  description: '社会组织年检结论已登记',
  data: z.object({ organizationId: z.uuid(), year: z.number().int(), result: AnnualInspectionResult }),
});

export const StaffChangeRequested = defineEvent({
  type: 'organizations.staff-change.requested',
  version: 1,
  description: '项目人员变更已申请（待街道审批）',
  data: z.object({
    changeId: z.uuid(),
    organizationId: z.uuid(),
    projectId: z.uuid(),
    contractId: z.uuid(),
    subDistrictId: z.uuid(),
    outStaffId: z.uuid(),
    inStaffId: z.uuid(),
    reason: z.string(),
  }),
});

export const StaffChangeDecided = defineEvent({
  type: 'organizations.staff-change.decided',
  version: 1,
  description: '项目人员变更已审批（批准即生效，或驳回）',
  data: z.object({
    changeId: z.uuid(),
    organizationId: z.uuid(),
    projectId: z.uuid(),
    subDistrictId: z.uuid(),
    outcome: z.enum(['approved', 'rejected']),
    reason: z.string(),
    /** After this decision: approved replacements on the project, and replacements ÷ initial team size. */
    replacements: z.number().int().min(0),
    turnoverRate: z.number().min(0).nullable(),
  }),
});

const TenderRef = { tenderId: z.uuid(), projectId: z.uuid(), subDistrictId: z.uuid(), communityId: z.uuid().nullable() };

export const TenderPublished = defineEvent({
  type: 'organizations.tender.published',
  version: 1,
  description: '招标公告已发布（round > 1：流标后重新招标）',
  data: z.object({
    ...TenderRef,
    round: z.number().int().positive(),
    title: z.string(),
    budgetCeilingFen: Fen,
    minimumBids: z.number().int().positive(),
    enquiryDeadline: z.iso.datetime(),
    bidDeadline: z.iso.datetime(),
    openingAt: z.iso.datetime(),
  }),
});

/** Deliberately without price, proposal or staff plan: bids are sealed until the opening. */
export const BidSubmitted = defineEvent({
  type: 'organizations.bid.submitted',
  version: 1,
  description: '已投标（不含投标内容）',
  data: z.object({ tenderId: z.uuid(), organizationId: z.uuid(), bidId: z.uuid(), submittedAt: z.iso.datetime() }),
});

export const BidsOpened = defineEvent({
  type: 'organizations.tender.bids-opened',
  version: 1,
  description: '已开标',
  data: z.object({ ...TenderRef, round: z.number().int().positive(), bids: z.number().int().min(0), openedAt: z.iso.datetime() }),
});

export const TenderUnsuccessful = defineEvent({
  type: 'organizations.tender.unsuccessful',
  version: 1,
  description: '流标（投标数不足）',
  data: z.object({ ...TenderRef, round: z.number().int().positive(), bids: z.number().int().min(0), minimumBids: z.number().int().positive() }),
});

export const TenderAwarded = defineEvent({
  type: 'organizations.tender.awarded',
  version: 1,
  description: '已定标，进入公示期',
  data: z.object({
    ...TenderRef,
    round: z.number().int().positive(),
    bidId: z.uuid(),
    organizationId: z.uuid(),
    amountFen: Fen,
    score: z.number(),
    awardedAt: z.iso.datetime(),
    standstillEndsAt: z.iso.datetime(),
  }),
});

export const TenderCancelled = defineEvent({
  type: 'organizations.tender.cancelled',
  version: 1,
  description: '招标已撤销',
  data: z.object({ ...TenderRef, reason: z.string() }),
});

export const ObjectionLodged = defineEvent({
  type: 'organizations.objection.lodged',
  version: 1,
  description: '公示期内提出异议',
  data: z.object({ objectionId: z.uuid(), tenderId: z.uuid(), projectId: z.uuid(), organizationId: z.uuid(), lodgedAt: z.iso.datetime() }),
});

export const ObjectionAnswered = defineEvent({
  type: 'organizations.objection.answered',
  version: 1,
  description: '异议已答复',
  data: z.object({ objectionId: z.uuid(), tenderId: z.uuid(), projectId: z.uuid(), organizationId: z.uuid(), answeredAt: z.iso.datetime() }),
});

/** Every event the organizations service publishes (the pre-defined ones included). */
export const ORGANIZATIONS_EVENTS = [
  OrganizationRegistered,
  OrganizationCreditChanged,
  AnnualInspectionRecorded,
  OfferingPublished,
  StaffChangeRequested,
  StaffChangeDecided,
  TenderPublished,
  BidSubmitted,
  BidsOpened,
  TenderUnsuccessful,
  TenderAwarded,
  TenderCancelled,
  ObjectionLodged,
  ObjectionAnswered,
  ContractSigned,
] as const;
