import { z } from 'zod';
import { defineEvent } from '../events/envelope';
import { Fen, IsoDate, Severity } from '../common/domain';
import { CloseOutSubmitted, EvaluationCompleted, FindingClosed, FindingRaised } from './events';
import { ActivityStatus, CallOutcome } from './http';

/**
 * The supervision service's own events, beside the pre-defined cross-service ones in ./events.ts.
 * None of them carries personal data: sign-in sheets travel as counts, call-backs as outcomes, minutes
 * as an attendee count. The subject is the contract id (agency events: the agency id), so everything
 * about one contract stays in order on one partition.
 */

export const AgencyRegistered = defineEvent({
  type: 'supervision.agency.registered',
  version: 1,
  description: '第三方监督机构已登记',
  data: z.object({ agencyId: z.uuid(), name: z.string() }),
});

export const ContractAssigned = defineEvent({
  type: 'supervision.contract.assigned',
  version: 1,
  description: '已委托第三方机构监督该合同',
  data: z.object({ contractId: z.uuid(), projectId: z.uuid(), agencyId: z.uuid(), previousAgencyId: z.uuid().nullable() }),
});

/** Shared by the activity events: which activity, and the status it reached (the lifecycle's activity step). */
const activityRef = {
  activityId: z.uuid(),
  contractId: z.uuid(),
  projectId: z.uuid(),
  organizationId: z.uuid(),
  activityKey: z.string(),
  status: ActivityStatus,
};

export const ActivityReported = defineEvent({
  type: 'supervision.activity.reported',
  version: 1,
  description: '活动已上报（已开展）',
  data: z.object({ ...activityRef, heldOn: IsoDate, headcount: z.number().int(), targetHeadcount: z.number().int() }),
});

export const SignInSheetRecorded = defineEvent({
  type: 'supervision.sign-in-sheet.recorded',
  version: 1,
  description: '签到单已录入（仅人数，不含姓名电话）',
  data: z.object({ ...activityRef, participantCount: z.number().int(), sampledCount: z.number().int() }),
});

export const CallbackRecorded = defineEvent({
  type: 'supervision.callback.recorded',
  version: 1,
  description: '电话回访结果已记录（不含电话）',
  data: z.object({ ...activityRef, callTaskId: z.uuid(), outcome: CallOutcome, remaining: z.number().int() }),
});

export const ActivityVerified = defineEvent({
  type: 'supervision.activity.verified',
  version: 1,
  description: '活动已核验',
  data: z.object({ ...activityRef, mode: z.enum(['auto', 'manual']), discrepancyRate: z.number().nullable() }),
});

export const InvoiceRecorded = defineEvent({
  type: 'supervision.invoice.recorded',
  version: 1,
  description: '发票已登记',
  data: z.object({
    invoiceId: z.uuid(),
    contractId: z.uuid(),
    projectId: z.uuid(),
    activityId: z.uuid().nullable(),
    lineId: z.string(),
    amountFen: Fen,
    lineInvoicedFen: Fen,
    lineBudgetFen: Fen,
    flags: z.array(z.string()).describe('检查项编码，如 budget_line_overspent'),
  }),
});

export const FindingRectified = defineEvent({
  type: 'supervision.finding.rectified',
  version: 1,
  description: '社会组织已提交整改',
  data: z.object({ findingId: z.uuid(), contractId: z.uuid(), projectId: z.uuid(), severity: Severity }),
});

export const MinutesRecorded = defineEvent({
  type: 'supervision.minutes.recorded',
  version: 1,
  description: '例会纪要已记录',
  data: z.object({ minutesId: z.uuid(), contractId: z.uuid(), projectId: z.uuid(), heldOn: IsoDate, attendeeCount: z.number().int() }),
});

/**
 * 查看完整电话: the assigned supervisor opened one participant's number for a call-back. Which participant
 * and who, never the number or the name; the audit trail records every reveal from it.
 */
export const PhoneRevealed = defineEvent({
  type: 'supervision.phone.revealed',
  version: 1,
  description: '监督人员查看了回访对象的完整电话（不含电话）',
  data: z.object({
    revealId: z.uuid(),
    callTaskId: z.uuid(),
    participantId: z.uuid(),
    activityId: z.uuid(),
    contractId: z.uuid(),
    projectId: z.uuid(),
    agencyId: z.uuid(),
    revealedAt: z.iso.datetime(),
  }),
});

/** Every event the supervision service publishes (the registry for its contract tests and listeners). */
export const SUPERVISION_EVENTS = [
  AgencyRegistered,
  ContractAssigned,
  ActivityReported,
  SignInSheetRecorded,
  CallbackRecorded,
  ActivityVerified,
  InvoiceRecorded,
  FindingRaised,
  FindingRectified,
  FindingClosed,
  MinutesRecorded,
  CloseOutSubmitted,
  EvaluationCompleted,
  PhoneRevealed,
] as const;
