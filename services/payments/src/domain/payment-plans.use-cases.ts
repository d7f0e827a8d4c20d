import { randomUUID } from 'node:crypto';
import {
  PaymentPlanAdjusted,
  PaymentPlanCreated,
  type Actor,
  type AdjustPaymentPlanBody,
  type CreatePaymentPlanBody,
  type PaymentPlanFilters,
  type PaymentPlanView,
  type ProjectLevel,
  type TrancheSpec,
} from '@linli/contracts';
import { buildEvent } from '@linli/events';
import { ConflictError, NotFoundError, ValidationError } from '@linli/http';
import { scrubText } from '@linli/logger';
import type { NewLedgerEntry } from '../data-access/ledger.repository';
import type { NewTranche, PlanRecord } from '../data-access/payment-plan.repository';
import type { PaymentsWork } from '../data-access/unit-of-work';
import { planView } from './views';
import { clock, decodeCursor, encodeCursor, timeAndId, type ContractScope, type Guard, type PaymentsDeps } from './payments.deps';
import { splitAmount, trancheSpecProblems } from './payment-plan.rules';

const SOURCE = 'payments';

/** The facts of a signed contract a plan is made from (the event's data, or the API body). */
export interface SignedContract {
  contractId: string;
  projectId: string;
  organizationId: string;
  subDistrictId: string;
  communityId: string | null;
  level: ProjectLevel;
  amountFen: number;
}

/** The fund a contract draws on: the community's yearly fund, or the sub-district's for its own purchases. */
export function fundOf(plan: { communityId: string | null; subDistrictId: string }) {
  return plan.communityId ? { fundKind: 'community' as const, fundId: plan.communityId } : { fundKind: 'sub_district' as const, fundId: plan.subDistrictId };
}

export function scopeOf(plan: { subDistrictId: string; communityId: string | null; organizationId: string }, agencyId: string | null): ContractScope {
  return { subDistrictId: plan.subDistrictId, communityId: plan.communityId, organizationId: plan.organizationId, agencyId };
}

function plannedTranches(specs: readonly TrancheSpec[], amountFen: number, path: string): NewTranche[] {
  const problems = trancheSpecProblems(specs, path);
  if (problems.length) throw new ValidationError('拨付计划不合规 (invalid payment plan)', problems);
  const amounts = splitAmount(amountFen, specs.map((s) => s.percent));
  return specs.map((spec, i) => ({
    id: randomUUID(),
    kind: spec.kind,
    position: i + 1,
    percent: spec.percent,
    conditionCode: spec.conditionCode,
    // Typed by a person: a mobile number in it is stored and shown masked, like every other free text.
    conditionText: scrubText(spec.conditionText),
    plannedAmountFen: amounts[i]!,
  }));
}

const eventTranches = (plan: PlanRecord) =>
  plan.tranches.map((t) => ({ trancheId: t.id, kind: t.kind, percent: t.percent, amountFen: t.plannedAmountFen, conditionCode: t.conditionCode }));

/** Whose contract it is, as events and ledger rows carry it. */
export const contractRef = (plan: PlanRecord) => ({
  contractId: plan.contractId,
  projectId: plan.projectId,
  organizationId: plan.organizationId,
  subDistrictId: plan.subDistrictId,
  communityId: plan.communityId,
});

/**
 * Makes the plan and commits its money in the ledger: the contract account receives the amount, the
 * fund it draws on gives it up. One transaction with the plan-created event.
 */
async function createPlanIn(
  work: PaymentsWork,
  input: { contract: SignedContract; tranches: readonly TrancheSpec[]; source: PlanRecord['source']; actor: Actor; at: Date; path: string },
): Promise<PlanRecord> {
  const { contract, actor, at } = input;
  const tranches = plannedTranches(input.tranches, contract.amountFen, input.path);
  const plan = await work.plans.create({ id: randomUUID(), ...contract, source: input.source, createdBy: actor, tranches });
  const fund = fundOf(plan);
  const common = { ...contractRef(plan), ...fund, entryType: 'plan_committed' as const, reference: plan.contractId, trancheId: null, createdBy: actor };
  const entries: NewLedgerEntry[] = [
    { id: randomUUID(), ...common, accountType: 'contract', accountId: plan.contractId, amountFen: plan.amountFen, description: '合同签订，拨付计划承诺 (plan committed)' },
    { id: randomUUID(), ...common, accountType: 'fund', accountId: fund.fundId, amountFen: -plan.amountFen, description: '经费承诺给合同 (committed to the contract)' },
  ];
  await work.ledger.append(entries, at);
  await work.outbox.append(
    'payments',
    buildEvent(PaymentPlanCreated, {
      source: SOURCE,
      subject: plan.contractId,
      actor,
      data: { planId: plan.id, ...contractRef(plan), amountFen: plan.amountFen, source: plan.source, tranches: eventTranches(plan) },
    }),
  );
  return plan;
}

/**
 * organizations.contract.signed → a plan with the default split. Idempotent: a plan that already exists
 * for the contract (made through the API, or by an earlier delivery) is left as it is.
 */
export async function createPlanFromContract(deps: PaymentsDeps, work: PaymentsWork, contract: SignedContract, actor: Actor): Promise<void> {
  const existing = await work.plans.findByContractId(contract.contractId);
  if (existing) {
    if (existing.amountFen !== contract.amountFen) {
      deps.log.warn({ contractId: contract.contractId, planAmountFen: existing.amountFen, contractAmountFen: contract.amountFen }, 'contract signed with another amount than its existing payment plan; plan kept');
    }
    return;
  }
  await createPlanIn(work, { contract, tranches: deps.policy.defaultTranches, source: 'contract_event', actor, at: clock(deps), path: 'policy.defaultTranches' });
}

/** 制定拨付计划 through the API (a contract whose event never came, or another split). 409 if one exists. */
export async function createPlan(deps: PaymentsDeps, body: CreatePaymentPlanBody, actor: Actor, guard: Guard): Promise<PaymentPlanView> {
  guard(scopeOf(body, null));
  const plan = await deps.uow.run(async (work) => {
    if (await work.plans.findByContractId(body.contractId)) throw new ConflictError('该合同已有拨付计划 (the contract already has a payment plan)');
    const { tranches, ...contract } = body;
    return createPlanIn(work, { contract, tranches: tranches ?? deps.policy.defaultTranches, source: 'api', actor, at: clock(deps), path: 'body.tranches' });
  });
  return (await planViews(deps.uow.read, [plan]))[0]!;
}

/** 调整拨付计划: new percentages and conditions, only while no tranche has been requested. */
export async function adjustPlan(deps: PaymentsDeps, contractId: string, body: AdjustPaymentPlanBody, actor: Actor, guard: Guard): Promise<PaymentPlanView> {
  const plan = await deps.uow.run(async (work) => {
    const current = await work.plans.findByContractId(contractId);
    if (!current) throw new NotFoundError('payment plan', contractId);
    guard(scopeOf(current, await work.facts.agencyOf(contractId)));
    const locked = () => new ConflictError('已有款项申请拨付，拨付计划不能再调整 (a tranche has been requested; the plan can no longer change)');
    if (current.tranches.some((t) => t.status !== 'pending' || t.attempts > 0)) throw locked();
    if (await work.terminations.findByContractId(contractId)) throw new ConflictError('合同已提前终止结算，拨付计划不能再调整 (the contract was terminated early)');
    const tranches = plannedTranches(body.tranches, current.amountFen, 'body.tranches');
    const at = clock(deps);
    // A request that committed since we read the plan leaves its tranche in place: fewer rows go, we refuse.
    if ((await work.plans.deleteUnrequestedTranches(current.id)) !== current.tranches.length) throw locked();
    await work.plans.addTranches(current, tranches, at);
    await work.plans.markUpdated(current.id, actor, at);
    const adjusted = (await work.plans.findById(current.id))!;
    await work.outbox.append(
      'payments',
      buildEvent(PaymentPlanAdjusted, {
        source: SOURCE,
        subject: adjusted.contractId,
        actor,
        data: { planId: adjusted.id, ...contractRef(adjusted), amountFen: adjusted.amountFen, reason: scrubText(body.reason), tranches: eventTranches(adjusted) },
      }),
    );
    return adjusted;
  });
  return (await planViews(deps.uow.read, [plan]))[0]!;
}

/** Plan views with what they show beside the plan: freezes, the year-end grade, ledger sums, a termination. */
export async function planViews(work: PaymentsWork, plans: readonly PlanRecord[]): Promise<PaymentPlanView[]> {
  const ids = plans.map((p) => p.contractId);
  const [freezes, grades, sums, terminations] = await Promise.all([
    work.freezes.activeFor(ids),
    work.facts.latestYearEndGrades(ids),
    work.ledger.contractSums(ids),
    work.terminations.findFor(ids),
  ]);
  return plans.map((plan) =>
    planView(plan, {
      activeFreezes: freezes.filter((f) => f.contractId === plan.contractId),
      yearEndGrade: grades.get(plan.contractId) ?? null,
      ledgerSums: sums.get(plan.contractId) ?? {},
      termination: terminations.find((t) => t.contractId === plan.contractId) ?? null,
    }),
  );
}

export async function getPlan(deps: PaymentsDeps, contractId: string, guard: Guard): Promise<PaymentPlanView> {
  const plan = await deps.uow.read.plans.findByContractId(contractId);
  if (!plan) throw new NotFoundError('payment plan', contractId);
  guard(scopeOf(plan, await deps.uow.read.facts.agencyOf(contractId)));
  return (await planViews(deps.uow.read, [plan]))[0]!;
}

/** What a caller may list: their own scope (platform roles: everything). */
export interface ListRestriction {
  subDistrictId?: string;
  communityId?: string;
  organizationId?: string;
  agencyId?: string;
}

export async function listPlans(deps: PaymentsDeps, filters: PaymentPlanFilters, restriction: ListRestriction, page: { limit: number; cursor?: string }) {
  const read = deps.uow.read;
  const after = page.cursor ? decodeCursor(page.cursor, timeAndId) : undefined;
  const contractIds = restriction.agencyId ? await read.facts.contractsOfAgency(restriction.agencyId) : undefined;
  // The restriction is ANDed with the filters: asking for someone else's sub-district yields an empty page.
  const rows = await read.plans.list(
    {
      ...filters,
      contractIds,
      ...(restriction.subDistrictId ? { subDistrictId: restriction.subDistrictId } : {}),
      ...(restriction.communityId ? { communityId: restriction.communityId } : {}),
      ...(restriction.organizationId ? { organizationId: restriction.organizationId } : {}),
    },
    { limit: page.limit + 1, after },
  );
  const outOfScope = (key: 'subDistrictId' | 'communityId' | 'organizationId') => restriction[key] && filters[key] && filters[key] !== restriction[key];
  const visible = outOfScope('subDistrictId') || outOfScope('communityId') || outOfScope('organizationId') ? [] : rows;
  const items = visible.slice(0, page.limit);
  const last = items[items.length - 1];
  return { items: await planViews(read, items), nextCursor: visible.length > page.limit && last ? encodeCursor({ c: last.createdAt, i: last.id }) : null };
}
