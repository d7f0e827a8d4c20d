/*
 * The project lifecycle's names, labels, state shape and input check in plain TypeScript, without zod.
 * Workflow code imports this file (not ./project-lifecycle, which holds the zod schemas): Temporal's
 * TypeScript SDK gives every workflow in a worker's cache its own module cache, so each module the
 * workflow imports is evaluated again for each cached workflow, and zod with the contracts' schemas
 * made a cached lifecycle cost 3.4 MB against 178 KB for a bare workflow (docs/benchmarks.md).
 * ./project-lifecycle re-exports everything here and builds its schemas on these lists and defaults.
 */

export const LIFECYCLE_STAGES = [
  'draft',
  'submitted',
  'pre_review',
  'joint_review',
  'committee',
  'returned',
  'approved',
  'tendering',
  'awarded',
  'standstill',
  'contracted',
  'in_delivery',
  'close_out',
  'evaluation',
  'settled',
  'closed',
  'rejected',
  'cancelled',
  'terminated',
] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export const STAGE_LABELS: Record<LifecycleStage, string> = {
  draft: '草稿',
  submitted: '已提交',
  pre_review: '预审',
  joint_review: '联审',
  committee: '工委会审议',
  returned: '退回修改',
  approved: '已立项',
  tendering: '招投标',
  awarded: '已中标',
  standstill: '中标公示期',
  contracted: '已签约',
  in_delivery: '服务实施中',
  close_out: '结项材料提交',
  evaluation: '结项评估',
  settled: '已结算',
  closed: '已关闭',
  rejected: '已否决',
  cancelled: '已撤销',
  terminated: '提前终止',
};

export const PROJECT_LEVELS = ['community', 'sub_district'] as const;
export type ProjectLevelCode = (typeof PROJECT_LEVELS)[number];

/** A policy duration: working days (Beijing calendar) or milliseconds (tests run a year in seconds). */
export type PolicyDuration = { workingDays: number } | { ms: number };

/** The deadline policy's defaults (one place: the zod schema uses them too). */
export const POLICY_DEFAULTS = {
  reviewGate: { workingDays: 5 },
  revision: { workingDays: 10 },
  tenderStep: { workingDays: 20 },
  contract: { workingDays: 10 },
  signInSheet: { ms: 3 * 24 * 3600 * 1000 },
  activityReport: { ms: 7 * 24 * 3600 * 1000 },
  evaluation: { workingDays: 15 },
  payment: { workingDays: 10 },
  continueAsNewAfterEvents: 5_000,
} as const;
export const MIN_CONTINUE_AS_NEW_AFTER_EVENTS = 100;

/** The policy's keys in the schema's order, but for continueAsNewAfterEvents (checked on its own). */
const POLICY_KEYS = ['reviewGate', 'revision', 'tenderStep', 'contract', 'signInSheet', 'activityReport', 'closeOutBy', 'evaluation', 'payment'] as const;

/** The policy with every default filled in (what the workflow works with). */
export type PolicyValues = Record<Exclude<(typeof POLICY_KEYS)[number], 'closeOutBy'>, PolicyDuration> & { closeOutBy?: string; continueAsNewAfterEvents: number };

/** The workflow's input with its defaults filled in. */
export interface LifecycleInputValues {
  projectId: string;
  level: ProjectLevelCode;
  title: string;
  subDistrictId: string;
  communityId: string | null;
  organizationId: string;
  fiscalYear: number;
  proposalVersion: number;
  policy: PolicyValues;
}

const UUID = /^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/;
const DATETIME_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

function isCalendarDate(year: number, month: number, day: number): boolean {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

function durationOf(value: unknown, path: string, problems: string[]): PolicyDuration {
  // As the union does: the first form that fits wins, and only its own key is kept.
  if (isObject(value) && isInt(value.workingDays) && value.workingDays > 0) return { workingDays: value.workingDays };
  if (isObject(value) && isInt(value.ms) && value.ms > 0) return { ms: value.ms };
  problems.push(`${path}: expected { workingDays } or { ms }, a positive integer`);
  return { ms: 1 };
}

function policyOf(raw: unknown, problems: string[]): PolicyValues {
  if (raw === undefined) raw = {};
  if (!isObject(raw)) {
    problems.push('policy: expected an object');
    raw = {};
  }
  const given = raw as Record<string, unknown>;
  const policy = {} as PolicyValues;
  // In the schema's order, so the object is the schema's output key for key.
  for (const key of POLICY_KEYS) {
    if (key === 'closeOutBy') {
      if (given.closeOutBy === undefined) continue;
      const m = typeof given.closeOutBy === 'string' ? DATETIME_WITH_OFFSET.exec(given.closeOutBy) : null;
      if (m && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) policy.closeOutBy = given.closeOutBy as string;
      else problems.push('policy.closeOutBy: expected an ISO date-time with an offset');
      continue;
    }
    policy[key] = given[key] === undefined ? { ...POLICY_DEFAULTS[key] } : durationOf(given[key], `policy.${key}`, problems);
  }
  const after = given.continueAsNewAfterEvents === undefined ? POLICY_DEFAULTS.continueAsNewAfterEvents : given.continueAsNewAfterEvents;
  if (isInt(after) && after >= MIN_CONTINUE_AS_NEW_AFTER_EVENTS) policy.continueAsNewAfterEvents = after;
  else problems.push(`policy.continueAsNewAfterEvents: expected an integer of at least ${MIN_CONTINUE_AS_NEW_AFTER_EVENTS}`);
  return policy;
}

/**
 * Checks the workflow's input and fills in its defaults: the same result as the `LifecycleInput` zod
 * schema's parse (a test holds the two to it, input by input), without zod. Throws naming every
 * failing field. Unknown keys are dropped.
 */
export function lifecycleInputOf(raw: unknown): LifecycleInputValues {
  const problems: string[] = [];
  const input = isObject(raw) ? raw : (problems.push('input: expected an object'), {} as Record<string, unknown>);
  const uuidAt = (key: string, nullable = false): string | null => {
    const v = input[key];
    if (nullable && v === null) return null;
    if (isUuid(v)) return v;
    problems.push(`${key}: expected a UUID${nullable ? ' or null' : ''}`);
    return '';
  };
  const projectId = uuidAt('projectId') as string;
  const level = input.level;
  if (!PROJECT_LEVELS.includes(level as never)) problems.push(`level: expected one of ${PROJECT_LEVELS.join(', ')}`);
  if (typeof input.title !== 'string') problems.push('title: expected a string');
  const subDistrictId = uuidAt('subDistrictId') as string;
  const communityId = uuidAt('communityId', true);
  const organizationId = uuidAt('organizationId') as string;
  if (!isInt(input.fiscalYear)) problems.push('fiscalYear: expected an integer');
  const proposalVersion = input.proposalVersion === undefined ? 1 : input.proposalVersion;
  if (!isInt(proposalVersion) || proposalVersion <= 0) problems.push('proposalVersion: expected a positive integer');
  const policy = policyOf(input.policy, problems);
  if (problems.length > 0) throw new TypeError(`invalid lifecycle input: ${problems.join('; ')}`);
  return {
    projectId,
    level: level as LifecycleInputValues['level'],
    title: input.title as string,
    subDistrictId,
    communityId,
    organizationId,
    fiscalYear: input.fiscalYear as number,
    proposalVersion: proposalVersion as number,
    policy,
  };
}

export const LIFECYCLE_UPDATES = {
  submit: 'submitProposal',
  resubmit: 'resubmitRevision',
  reviewDecision: 'recordReviewDecision',
  tender: 'tenderStep',
  contractSigned: 'contractSigned',
  activity: 'activityProgress',
  check: 'recordCheck',
  closeOut: 'submitCloseOut',
  paymentsFreeze: 'setPaymentsFrozen',
  terminate: 'terminateEarly',
  admin: 'adminStep',
  escalate: 'escalate',
  remind: 'remind',
  reassign: 'reassign',
} as const;
export const LIFECYCLE_QUERIES = { state: 'state' } as const;
export const TRANCHE_UPDATES = { settled: 'trancheSettled' } as const;
/** Deterministic child workflow id of a tranche, so the payments service can report to it. */
export const trancheWorkflowId = (projectWorkflowId: string, kind: 'start_up' | 'mid_term' | 'final'): string => `${projectWorkflowId}-tranche-${kind}`;

export interface LifecycleDecision {
  decisionId: string;
  gate: string;
  outcome: string;
  version: number;
  reasons: string;
  minutesRef?: string;
  by: { userId: string; role: string };
  at: string;
}
export interface LifecycleEvent {
  at: string;
  kind: string;
  summary: string;
  by?: { userId: string; role: string };
}
export interface TrancheState {
  kind: 'start_up' | 'mid_term' | 'final';
  status: 'pending' | 'requested' | 'paid' | 'failed' | 'skipped';
  amountFen: number | null;
  condition: string;
  attempts: number;
  at?: string;
}
export interface ParkedStep {
  step: string;
  error: string;
  at: string;
  attempts: number;
}
export interface LifecycleState {
  projectId: string;
  level: ProjectLevelCode;
  title: string;
  subDistrictId: string;
  communityId: string | null;
  organizationId: string;
  fiscalYear: number;
  stage: LifecycleStage;
  stageEnteredAt: string;
  deadline: string | null;
  waitingOn: string | null;
  proposalVersion: number;
  decisions: LifecycleDecision[];
  tender: { tenderId: string | null; attempts: number; status: string | null };
  contract: { contractId: string; amountFen: number; startsOn: string; endsOn: string } | null;
  tranches: TrancheState[];
  activities: Record<string, 'planned' | 'held' | 'signed_in' | 'called_back' | 'verified'>;
  paymentsFrozen: { reason: string; since: string } | null;
  midTerm: { score: number; grade: string; passed: boolean } | null;
  yearEnd: { score: number; grade: string; passed: boolean } | null;
  escalations: { at: string; stage: LifecycleStage; reason: string; level: number }[];
  parked: ParkedStep | null;
  /** The person the current step is assigned to, when an operator reassigned it. */
  assignee?: { userId: string; name?: string; since: string } | null;
  needsAttention: boolean;
  currentDetails: string;
  outcome: string | null;
  timeline: LifecycleEvent[];
  runs: number;
}
