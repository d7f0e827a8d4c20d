import { z } from 'zod';
import { Fen, Grade, ProjectLevel } from '../common/domain';
import { ReviewGate, ReviewOutcome } from '../communities/events';
import { TrancheKind } from '../payments/events';
import { LIFECYCLE_STAGES, MIN_CONTINUE_AS_NEW_AFTER_EVENTS, POLICY_DEFAULTS } from './project-lifecycle.constants';

export * from './project-lifecycle.constants';

/**
 * The project lifecycle workflow's public surface: its input (with the deadline policy), the Updates
 * that carry human steps (each returns the new state), and the state a query returns. Services call the
 * Updates by name (LIFECYCLE_UPDATES) through @temporalio/client; the workflow validates every one.
 */
export const LifecycleStage = z.enum(LIFECYCLE_STAGES);
export type LifecycleStage = z.infer<typeof LifecycleStage>;

/** Durations are policy, passed in at start: a year-long process runs in seconds in tests. */
export const Duration = z.union([
  z.object({ workingDays: z.number().int().positive() }),
  z.object({ ms: z.number().int().positive() }),
]);
export type Duration = z.infer<typeof Duration>;

export const LifecyclePolicy = z.object({
  /** Per review gate (预审/联审/工委会); default 5 working days. */
  reviewGate: Duration.default(POLICY_DEFAULTS.reviewGate),
  /** For the community to revise a returned proposal. */
  revision: Duration.default(POLICY_DEFAULTS.revision),
  /** Tender steps (publish → award → standstill → contract). */
  tenderStep: Duration.default(POLICY_DEFAULTS.tenderStep),
  /** Contract signature after approval (community-level) or after the standstill. */
  contract: Duration.default(POLICY_DEFAULTS.contract),
  /** Sign-in sheet (签到单) within this long after an activity is held; default 3 days. */
  signInSheet: Duration.default(POLICY_DEFAULTS.signInSheet),
  /** A planned activity not reported this long after its planned end escalates. */
  activityReport: Duration.default(POLICY_DEFAULTS.activityReport),
  /** Close-out material (结项材料) by this instant (ISO); default: Dec 20 of the fiscal year, 18:00 Beijing. */
  closeOutBy: z.iso.datetime({ offset: true }).optional(),
  /** Evaluation and finance steps. */
  evaluation: Duration.default(POLICY_DEFAULTS.evaluation),
  payment: Duration.default(POLICY_DEFAULTS.payment),
  /** Continue-as-new once the history holds this many events (Temporal suggests it near 4 MB / 10k events). */
  continueAsNewAfterEvents: z.number().int().min(MIN_CONTINUE_AS_NEW_AFTER_EVENTS).default(POLICY_DEFAULTS.continueAsNewAfterEvents),
});
export type LifecyclePolicy = z.infer<typeof LifecyclePolicy>;

export const LifecycleInput = z.object({
  projectId: z.uuid(),
  level: ProjectLevel,
  title: z.string(),
  subDistrictId: z.uuid(),
  communityId: z.uuid().nullable(),
  organizationId: z.uuid(),
  fiscalYear: z.number().int(),
  proposalVersion: z.number().int().positive().default(1),
  policy: LifecyclePolicy.default(LifecyclePolicy.parse({})),
});
export type LifecycleInput = z.input<typeof LifecycleInput>;

/** Who performs a human step (checked by the update validators against the policy table). */
export const StepActor = z.object({
  userId: z.string().min(1),
  role: z.string().min(1),
  scope: z.object({ kind: z.enum(['platform', 'sub-district', 'community', 'organization', 'agency']), id: z.string().min(1) }),
});
export type StepActor = z.infer<typeof StepActor>;

export const SubmitProposalUpdate = z.object({ version: z.number().int().positive(), by: StepActor });
export const ReviewDecisionUpdate = z.object({
  decisionId: z.string().min(1),
  gate: ReviewGate,
  outcome: ReviewOutcome,
  version: z.number().int().positive(),
  reasons: z.string().default(''),
  minutesRef: z.string().optional(),
  /** With the committee's approval: the approved plan's activities, whose reports the lifecycle expects. */
  plannedActivities: z.array(z.object({ activityKey: z.string().min(1), endsOn: z.iso.date() })).optional(),
  by: StepActor,
});
export type ReviewDecisionUpdate = z.input<typeof ReviewDecisionUpdate>;
export const TenderUpdate = z.discriminatedUnion('step', [
  z.object({ step: z.literal('published'), tenderId: z.uuid(), by: StepActor }),
  z.object({ step: z.literal('unsuccessful'), tenderId: z.uuid(), bids: z.number().int().min(0), by: StepActor }),
  z.object({ step: z.literal('retender'), tenderId: z.uuid(), by: StepActor }),
  z.object({ step: z.literal('cancel'), tenderId: z.uuid(), reason: z.string().min(1), by: StepActor }),
  z.object({ step: z.literal('awarded'), tenderId: z.uuid(), organizationId: z.uuid(), amountFen: Fen, standstillEndsAt: z.iso.datetime({ offset: true }), by: StepActor }),
]);
export type TenderUpdate = z.input<typeof TenderUpdate>;
export const ContractSignedUpdate = z.object({ contractId: z.uuid(), amountFen: Fen, startsOn: z.iso.date(), endsOn: z.iso.date(), by: StepActor });
export const ActivityUpdate = z.object({
  activityKey: z.string().min(1),
  step: z.enum(['held', 'signed_in', 'called_back', 'verified']),
  by: StepActor,
});
export const CheckUpdate = z.object({
  kind: z.enum(['mid_term', 'year_end']),
  score: z.number().min(0).max(100),
  grade: Grade,
  passed: z.boolean(),
  by: StepActor,
});
export const CloseOutUpdate = z.object({ by: StepActor });
export const PaymentsFreezeUpdate = z.object({ frozen: z.boolean(), reason: z.string().min(1), by: StepActor });
export const TrancheSettledUpdate = z.object({ kind: TrancheKind, outcome: z.enum(['paid', 'failed']), amountFen: Fen, reason: z.string().optional(), by: StepActor });
export const TerminateUpdate = z.object({ reason: z.string().min(1), by: StepActor });
export const AdminStepUpdate = z.object({ action: z.enum(['retry', 'skip']), reason: z.string().min(1), by: StepActor });
export const EscalateUpdate = z.object({ reason: z.string().min(1), by: StepActor });
export const RemindUpdate = z.object({ reason: z.string().min(1), by: StepActor });
/** Hands the current step to a named person (e.g. another reviewer); cleared when the stage moves on. */
export const ReassignUpdate = z.object({ assigneeUserId: z.string().min(1), assigneeName: z.string().optional(), reason: z.string().min(1), by: StepActor });
