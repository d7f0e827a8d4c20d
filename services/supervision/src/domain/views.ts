import {
  ACTIVITY_STATUS_LABELS,
  type CallbackSummary,
  type CheckFlag,
  type HeldActivitySummary,
  type HeldActivityView,
  type SupervisedContractSummary,
  type SupervisedContractView,
  type SupervisionInvoiceView,
} from '@linli/contracts';
import { ConflictError, NotFoundError } from '@linli/http';
import type { ActivityRecord, InvoiceRecord, PhotoRecord } from '../data-access/activity.repository';
import type { ContractRecord, LineRecord, PlannedRecord, ProjectRecord } from '../data-access/contract.repository';
import type { SupervisionWork } from '../data-access/unit-of-work';
import {
  callbackFlags,
  headcountFlags,
  heldOutsidePeriodFlags,
  invoicePeriodFlags,
  lineSpending,
  overdueActivityFlags,
  overspendFlags,
  photoFlags,
  poolCallbacks,
  summarizeCallbacks,
  type CheckRules,
  type LineSpending,
} from './checks';
import { beijingDate } from './dates';

/**
 * Loading what a view or a check needs, and assembling the public views with their computed flags.
 * Everything here reads; nothing writes.
 */

export interface ContractContext {
  contract: ContractRecord;
  /** null until communities.proposal.approved has been received. */
  project: ProjectRecord | null;
}

export async function loadContract(work: SupervisionWork, id: string, opts: { lock?: boolean } = {}): Promise<ContractContext> {
  const contract = opts.lock ? await work.contracts.lockContract(id) : await work.contracts.findContract(id);
  if (!contract) throw new NotFoundError('contract', id);
  return { contract, project: await work.contracts.findProject(contract.projectId) };
}

export function requirePlan(ctx: ContractContext): ProjectRecord {
  if (!ctx.project) {
    throw new ConflictError('尚未收到该合同的立项计划，暂不能办理 (the approved project plan has not arrived yet)', { projectId: ctx.contract.projectId });
  }
  return ctx.project;
}

/** A planned activity of the project; a placeholder if a later plan version dropped it. */
export function plannedOf(project: ProjectRecord | null, activityKey: string): PlannedRecord {
  return (
    project?.planned.find((p) => p.activityKey === activityKey) ?? {
      activityKey,
      title: `（计划中已无 ${activityKey}）`,
      startsOn: '1970-01-01',
      endsOn: '1970-01-01',
      venue: '',
      targetHeadcount: 0,
      targetGroup: 'other',
    }
  );
}

function lineOf(lines: readonly LineRecord[], lineId: string): LineRecord | undefined {
  return lines.find((l) => l.lineId === lineId);
}

export function invoiceView(invoice: InvoiceRecord, ctx: ContractContext, spending: readonly LineSpending[]): SupervisionInvoiceView {
  const line = spending.find((l) => l.lineId === invoice.lineId);
  return {
    ...invoice,
    lineDescription: lineOf(ctx.project?.lines ?? [], invoice.lineId)?.description ?? invoice.lineId,
    flags: [...invoicePeriodFlags(invoice, ctx.contract), ...(line ? overspendFlags([line]) : [])],
  };
}

/** The checks of one held activity (pure). */
export function activityFlags(input: {
  activity: ActivityRecord;
  planned: PlannedRecord;
  contract: ContractRecord;
  photos: readonly PhotoRecord[];
  callbacks: CallbackSummary;
  invoices: readonly InvoiceRecord[];
  spending: readonly LineSpending[];
  rules: CheckRules;
}): CheckFlag[] {
  const { activity, planned, contract } = input;
  // Budget lines that concern this activity: its own planned lines, and any line its invoices charge.
  const lineIds = new Set([
    ...input.spending.filter((l) => l.activityKey === activity.activityKey).map((l) => l.lineId),
    ...input.invoices.map((i) => i.lineId),
  ]);
  return [
    ...headcountFlags({ headcount: activity.headcount, signInCount: activity.signInCount, targetHeadcount: planned.targetHeadcount }, input.rules),
    ...heldOutsidePeriodFlags(activity.heldOn, contract),
    ...photoFlags(input.photos, activity.heldOn),
    ...callbackFlags(input.callbacks, input.rules),
    ...input.invoices.flatMap((invoice) => invoicePeriodFlags(invoice, contract)),
    ...overspendFlags(input.spending.filter((l) => lineIds.has(l.lineId))),
  ];
}

/** Loads and checks one activity: the view, and the flags auto-verification looks at. */
export async function activityView(work: SupervisionWork, rules: CheckRules, activity: ActivityRecord, ctx: ContractContext): Promise<HeldActivityView> {
  const [photos, contractInvoices, outcomes] = await Promise.all([
    work.activities.photosOf([activity.id]),
    work.activities.invoicesOfContract(ctx.contract.id),
    work.callTasks.outcomesOf([activity.id]),
  ]);
  const planned = plannedOf(ctx.project, activity.activityKey);
  const spending = lineSpending(ctx.project?.lines ?? [], contractInvoices);
  const invoices = contractInvoices.filter((i) => i.activityId === activity.id);
  const callbacks = summarizeCallbacks(outcomes.map((o) => o.outcome));
  const flags = activityFlags({ activity, planned, contract: ctx.contract, photos, callbacks, invoices, spending, rules });
  return {
    id: activity.id,
    contractId: activity.contractId,
    projectId: activity.projectId,
    activityKey: activity.activityKey,
    planned: {
      title: planned.title,
      startsOn: planned.startsOn,
      endsOn: planned.endsOn,
      venue: planned.venue,
      targetHeadcount: planned.targetHeadcount,
      targetGroup: planned.targetGroup,
    },
    heldOn: activity.heldOn,
    venue: activity.venue,
    headcount: activity.headcount,
    description: activity.description,
    status: activity.status,
    statusLabel: ACTIVITY_STATUS_LABELS[activity.status],
    signIn:
      activity.signInCount !== null && activity.signInRecordedAt && activity.signInRecordedBy
        ? { count: activity.signInCount, recordedAt: activity.signInRecordedAt, recordedBy: activity.signInRecordedBy }
        : null,
    photos: { count: photos.length },
    invoices: invoices.map((i) => invoiceView(i, ctx, spending)),
    callbacks,
    verification:
      activity.verifiedAt && activity.verifiedBy && activity.verificationMode
        ? { mode: activity.verificationMode, note: activity.verificationNote ?? '', at: activity.verifiedAt, by: activity.verifiedBy }
        : null,
    flags,
    createdAt: activity.createdAt,
    createdBy: activity.createdBy,
  };
}

export function activitySummary(activity: ActivityRecord, project: ProjectRecord | null): HeldActivitySummary {
  const planned = plannedOf(project, activity.activityKey);
  return {
    id: activity.id,
    contractId: activity.contractId,
    projectId: activity.projectId,
    activityKey: activity.activityKey,
    title: planned.title,
    heldOn: activity.heldOn,
    headcount: activity.headcount,
    targetHeadcount: planned.targetHeadcount,
    signInCount: activity.signInCount,
    status: activity.status,
    createdAt: activity.createdAt,
    createdBy: activity.createdBy,
  };
}

export function contractSummary(contract: ContractRecord, project: ProjectRecord | null): SupervisedContractSummary {
  return {
    id: contract.id,
    projectId: contract.projectId,
    projectTitle: project?.title ?? null,
    organizationId: contract.organizationId,
    subDistrictId: contract.subDistrictId,
    communityId: contract.communityId,
    level: contract.level,
    amountFen: contract.amountFen,
    startsOn: contract.startsOn,
    endsOn: contract.endsOn,
    agencyId: contract.agencyId,
    assignedAt: contract.assignedAt,
    createdAt: contract.createdAt,
  };
}

/** Planned vs held, budget vs invoices, call-backs pooled over the contract, satisfaction, open findings. */
export async function contractView(work: SupervisionWork, rules: CheckRules, ctx: ContractContext, now: Date): Promise<SupervisedContractView> {
  const { contract, project } = ctx;
  const [activities, invoices, assignments, openFindings, satisfaction] = await Promise.all([
    work.activities.ofContract(contract.id),
    work.activities.invoicesOfContract(contract.id),
    work.contracts.assignments(contract.id),
    work.findings.openCounts(contract.id),
    work.surveys.summary(contract.projectId),
  ]);
  const outcomes = await work.callTasks.outcomesOf(activities.map((a) => a.id));
  const agencies = await work.agencies.findMany([...new Set(assignments.map((a) => a.agencyId))]);
  const byKey = new Map(activities.map((a) => [a.activityKey, a]));
  const planned = project?.planned ?? [];
  const spending = lineSpending(project?.lines ?? [], invoices);
  const callbacks = poolCallbacks(activities.map((a) => summarizeCallbacks(outcomes.filter((o) => o.activityId === a.id).map((o) => o.outcome))));

  const flags: CheckFlag[] = [
    ...(project ? [] : [{ code: 'plan_not_received', level: 'warning' as const, message: '尚未收到立项计划（计划活动与预算）', figures: {} }]),
    ...(contract.agencyId ? [] : [{ code: 'no_agency_assigned', level: 'warning' as const, message: '尚未委托第三方监督机构', figures: {} }]),
    ...overdueActivityFlags(planned, new Set(byKey.keys()), beijingDate(now)),
    ...overspendFlags(spending),
    ...invoices.flatMap((invoice) => invoicePeriodFlags(invoice, contract)),
    ...callbackFlags(callbacks, rules),
  ];

  return {
    ...contractSummary(contract, project),
    fiscalYear: project?.fiscalYear ?? null,
    planReceived: project !== null,
    assignments: assignments.map((a) => ({
      agencyId: a.agencyId,
      agencyName: agencies.find((g) => g.id === a.agencyId)?.name ?? a.agencyId,
      assignedAt: a.createdAt,
      assignedBy: a.createdBy,
      endedAt: a.endedAt,
    })),
    activities: planned.map((p) => {
      const held = byKey.get(p.activityKey);
      return {
        ...p,
        status: held?.status ?? 'planned',
        heldActivityId: held?.id ?? null,
        heldOn: held?.heldOn ?? null,
        headcount: held?.headcount ?? null,
        signInCount: held?.signInCount ?? null,
      };
    }),
    budgetLines: spending.map((l) => ({ ...l, kind: lineOf(project?.lines ?? [], l.lineId)?.kind ?? 'item' })),
    totals: {
      plannedActivities: planned.length,
      heldActivities: activities.length,
      verifiedActivities: activities.filter((a) => a.status === 'verified').length,
      targetHeadcount: planned.reduce((sum, p) => sum + p.targetHeadcount, 0),
      headcount: activities.reduce((sum, a) => sum + a.headcount, 0),
      signIns: activities.reduce((sum, a) => sum + (a.signInCount ?? 0), 0),
      budgetFen: (project?.lines ?? []).reduce((sum, l) => sum + l.amountFen, 0),
      invoicedFen: invoices.reduce((sum, i) => sum + i.amountFen, 0),
    },
    callbacks,
    satisfaction: { responses: satisfaction.responses, average: satisfaction.average === null ? null : Math.round(satisfaction.average * 100) / 100 },
    openFindings,
    flags,
  };
}
