import { randomUUID } from 'node:crypto';
import { PaymentsFrozen, PaymentsUnfrozen, type Actor, type FreezeStatusView } from '@linli/contracts';
import { buildEvent } from '@linli/events';
import { ConflictError, NotFoundError } from '@linli/http';
import { scrubText } from '@linli/logger';
import type { FreezeRecord } from '../data-access/freeze.repository';
import type { PaymentsWork } from '../data-access/unit-of-work';
import { scopeOf } from './payment-plans.use-cases';
import { clock, type Guard, type PaymentsDeps } from './payments.deps';
import { freezeView } from './views';

/**
 * 冻结拨付. A contract is frozen while any freeze is in force; requests and approvals are then refused.
 *   - manual: the supervisor (or the workflow engine) freezes with a reason and lifts it with a reason;
 *     at most one manual freeze in force per contract. Lifting it leaves automatic freezes in place.
 *   - finding: a severe finding (supervision.finding.raised, severity 'severe') freezes automatically,
 *     one freeze per finding; closing that finding (supervision.finding.closed) lifts it. The contract
 *     stays frozen while any other severe finding's freeze — or a manual one — is still in force.
 */

const SOURCE = 'payments';

async function statusOf(work: PaymentsWork, contractId: string): Promise<FreezeStatusView> {
  const all = await work.freezes.all(contractId);
  const active = all.filter((f) => !f.liftedAt);
  return { contractId, frozen: active.length > 0, activeFreezes: active.map(freezeView), history: all.filter((f) => f.liftedAt).map(freezeView) };
}

async function emitFrozen(work: PaymentsWork, freeze: FreezeRecord, actor: Actor): Promise<void> {
  await work.outbox.append(
    'payments',
    buildEvent(PaymentsFrozen, {
      source: SOURCE,
      subject: freeze.contractId,
      actor,
      data: { contractId: freeze.contractId, projectId: freeze.projectId, freezeId: freeze.id, kind: freeze.kind, findingId: freeze.findingId, reason: freeze.reason, frozenAt: freeze.frozenAt },
    }),
  );
}

async function emitUnfrozen(work: PaymentsWork, lifted: FreezeRecord, actor: Actor): Promise<void> {
  const stillFrozen = (await work.freezes.active(lifted.contractId)).length > 0;
  await work.outbox.append(
    'payments',
    buildEvent(PaymentsUnfrozen, {
      source: SOURCE,
      subject: lifted.contractId,
      actor,
      data: {
        contractId: lifted.contractId,
        projectId: lifted.projectId,
        freezeId: lifted.id,
        kind: lifted.kind,
        findingId: lifted.findingId,
        reason: lifted.liftReason ?? '',
        stillFrozen,
        unfrozenAt: lifted.liftedAt!,
      },
    }),
  );
}

/** 冻结 (manual). 409 if a manual freeze is already in force. */
export async function freezePayments(deps: PaymentsDeps, contractId: string, reason: string, actor: Actor, guard: Guard): Promise<FreezeStatusView> {
  return deps.uow.run(async (work) => {
    const plan = await work.plans.findByContractId(contractId);
    if (!plan) throw new NotFoundError('payment plan', contractId);
    guard(scopeOf(plan, await work.facts.agencyOf(contractId)));
    const active = await work.freezes.active(contractId);
    if (active.some((f) => f.kind === 'manual')) throw new ConflictError('该合同已被人工冻结 (payments of this contract are already frozen manually)');
    // The reason is free text and goes on to Kafka and the lifecycle: a mobile number in it is masked here.
    const freeze = await work.freezes.create({ id: randomUUID(), contractId, projectId: plan.projectId, kind: 'manual', findingId: null, reason: scrubText(reason), frozenBy: actor, frozenAt: clock(deps) });
    await emitFrozen(work, freeze, actor);
    return statusOf(work, contractId);
  });
}

/** 解冻 (manual). Lifts the manual freeze only; 409 if there is none (automatic ones go with their finding). */
export async function unfreezePayments(deps: PaymentsDeps, contractId: string, reason: string, actor: Actor, guard: Guard): Promise<FreezeStatusView> {
  return deps.uow.run(async (work) => {
    const plan = await work.plans.findByContractId(contractId);
    if (!plan) throw new NotFoundError('payment plan', contractId);
    guard(scopeOf(plan, await work.facts.agencyOf(contractId)));
    const manual = (await work.freezes.active(contractId)).find((f) => f.kind === 'manual');
    if (!manual) {
      throw new ConflictError('没有人工冻结可解除；严重问题引起的冻结在问题整改关闭后自动解除 (no manual freeze in force; finding freezes lift when the finding closes)');
    }
    const lifted = await work.freezes.lift(manual.id, { liftedBy: actor, liftReason: scrubText(reason), liftedAt: clock(deps) });
    if (!lifted) throw new ConflictError('冻结刚被解除 (the freeze was just lifted)');
    await emitUnfrozen(work, lifted, actor);
    return statusOf(work, contractId);
  });
}

export async function getFreezeStatus(deps: PaymentsDeps, contractId: string, guard: Guard): Promise<FreezeStatusView> {
  const plan = await deps.uow.read.plans.findByContractId(contractId);
  if (!plan) throw new NotFoundError('payment plan', contractId);
  guard(scopeOf(plan, await deps.uow.read.facts.agencyOf(contractId)));
  return statusOf(deps.uow.read, contractId);
}

/** supervision.finding.raised: a severe finding freezes the contract (once per finding); others change nothing. */
export async function applyFindingRaised(
  deps: PaymentsDeps,
  work: PaymentsWork,
  finding: { findingId: string; contractId: string; projectId: string; severity: string; summary: string },
  actor: Actor,
): Promise<void> {
  if (finding.severity !== 'severe') return;
  if (await work.freezes.findByFinding(finding.findingId)) return;
  const freeze = await work.freezes.create({
    id: randomUUID(),
    contractId: finding.contractId,
    projectId: finding.projectId,
    kind: 'finding',
    findingId: finding.findingId,
    reason: `严重问题「${finding.summary}」待整改 (severe finding ${finding.findingId})`,
    frozenBy: actor,
    frozenAt: clock(deps),
  });
  await emitFrozen(work, freeze, actor);
}

/** supervision.finding.closed: lifts that finding's automatic freeze; other freezes stay in force. */
export async function applyFindingClosed(deps: PaymentsDeps, work: PaymentsWork, finding: { findingId: string }, actor: Actor): Promise<void> {
  const freeze = await work.freezes.findByFinding(finding.findingId);
  if (!freeze || freeze.liftedAt) return;
  const lifted = await work.freezes.lift(freeze.id, { liftedBy: actor, liftReason: `问题已整改关闭 (finding ${finding.findingId} closed)`, liftedAt: clock(deps) });
  if (lifted) await emitUnfrozen(work, lifted, actor);
}
