import { randomUUID } from 'node:crypto';
import {
  FinalReductionApplied,
  TrancheApproved,
  TrancheFailed,
  TrancheRequested,
  TranchePaid,
  TRANCHE_KIND_LABELS,
  type Actor,
  type PaymentTrancheDetailView,
  type TrancheFilters,
  type TrancheKind,
  type PaymentTrancheView,
} from '@linli/contracts';
import { buildEvent } from '@linli/events';
import { ConflictError, DomainError, NotFoundError } from '@linli/http';
import type { IdempotencyRecord } from '../data-access/idempotency.repository';
import type { NewLedgerEntry } from '../data-access/ledger.repository';
import type { TrancheRecord } from '../data-access/payment-plan.repository';
import type { PaymentsWork } from '../data-access/unit-of-work';
import { finalTranchePayable } from './payment-plan.rules';
import { fundOf, scopeOf, type ListRestriction } from './payment-plans.use-cases';
import { clock, decodeCursor, encodeCursor, timeAndId, type Guard, type PaymentsDeps } from './payments.deps';
import { approveRefusal, awaitingReleaseFact, requestRefusal, type ContractFacts } from './tranche-state.rules';
import type { TransferResult } from './treasury.port';
import { trancheDetailView, trancheView } from './views';

/**
 * 拨付: request → approve (finance) → the treasury transfer → paid or failed.
 *
 * Idempotency (Idempotency-Key, required on request and approve): the key is claimed in the same
 * transaction as the work, with INSERT … ON CONFLICT DO NOTHING on (operation, key). A concurrent repeat
 * waits on that row until the first transaction ends, then replays its stored response (same status,
 * same body); if the first was refused (rolled back, nothing stored), the repeat is evaluated afresh.
 * Only successful results are stored: a refusal moved nothing, so repeating it after the cause is gone
 * (a freeze lifted) may succeed. The same key for another tranche is refused (409).
 *
 * Never twice: a tranche's status moves with an optimistic version (two requests with different keys:
 * one wins, the other 409); the treasury instruction key `<trancheId>:<attempt>` is recorded before
 * the treasury is called and reused on every retry (the treasury is idempotent by it); and
 * disbursements.paid_tranche_id is unique, so the database itself refuses a second payment.
 */

const SOURCE = 'payments';
/** The problem code of a request refused only because the releasing check has not arrived yet (retry later). */
export const RELEASE_CONDITION_PENDING = 'RELEASE_CONDITION_PENDING';
const REQUEST = 'tranche.request' as const;
const APPROVE = 'tranche.approve' as const;

export interface IdempotentResult<T> {
  status: number;
  body: T;
  /** true when this answer is the stored first result of an earlier request with the same key. */
  replayed: boolean;
}

async function contractFactsOf(work: PaymentsWork, contractId: string): Promise<ContractFacts> {
  const freezes = await work.freezes.active(contractId);
  const midTerm = await work.facts.latestEvaluation(contractId, 'mid_term');
  const yearEnd = await work.facts.latestEvaluation(contractId, 'year_end');
  const terminated = (await work.terminations.findByContractId(contractId)) !== null;
  return { frozenReasons: freezes.map((f) => f.reason), midTermPassed: midTerm ? midTerm.passed : null, yearEndGrade: yearEnd?.grade ?? null, terminated };
}

/** The stored first answer for a repeated key; the same key used for something else is refused (409). */
export function replayOf<T>(record: IdempotencyRecord | null, fingerprint: string): IdempotentResult<T> | null {
  if (!record) return null;
  if (record.fingerprint !== fingerprint) {
    throw new ConflictError('该幂等键已用于另一笔请求 (this Idempotency-Key was already used for a different request)');
  }
  if (record.state === 'completed') return { status: record.statusCode!, body: record.responseBody as T, replayed: true };
  return null;
}

const trancheRef = (t: TrancheRecord, attempt: number) => ({
  trancheId: t.id,
  contractId: t.contractId,
  projectId: t.projectId,
  organizationId: t.organizationId,
  subDistrictId: t.subDistrictId,
  communityId: t.communityId,
  kind: t.kind,
  attempt,
});

export const concurrentChange = () => new ConflictError('该笔款项刚被另一请求更改，请刷新后再试 (the tranche was changed by a concurrent request)');

/**
 * 申请拨付 a tranche of a contract. Allowed when the contract is not frozen, the tranche is pending (or
 * failed: a new attempt), the tranche before it is paid and its release condition holds. The final
 * tranche's amount is fixed here from the stored year-end grade — or, when the contract was terminated
 * early, it is the settlement owed (no grade, no ordering rule). 201 with the tranche.
 */
export async function requestTranche(
  deps: PaymentsDeps,
  input: { contractId: string; kind: TrancheKind; idempotencyKey: string },
  actor: Actor,
  guard: Guard,
): Promise<IdempotentResult<PaymentTrancheView>> {
  const { contractId, kind, idempotencyKey: key } = input;
  const fingerprint = `${contractId}/${kind}`;
  return deps.uow.run(async (work) => {
    const plan = await work.plans.findByContractId(contractId);
    if (!plan) throw new NotFoundError('payment plan', contractId);
    guard(scopeOf(plan, await work.facts.agencyOf(contractId)));

    if (!(await work.idempotency.claim({ operation: REQUEST, key, fingerprint, createdBy: actor }))) {
      const replay = replayOf<PaymentTrancheView>(await work.idempotency.find(REQUEST, key), fingerprint);
      if (replay) return replay;
      throw new ConflictError('同一幂等键的请求正在处理中 (a request with this Idempotency-Key is in progress)');
    }

    const index = plan.tranches.findIndex((t) => t.kind === kind);
    const tranche = plan.tranches[index];
    if (!tranche) throw new NotFoundError('tranche', `${contractId}/${kind}`);
    const facts = await contractFactsOf(work, contractId);
    const refusal = requestRefusal(tranche, plan.tranches[index - 1], facts);
    if (refusal) throw new ConflictError(refusal, undefined, awaitingReleaseFact(tranche, plan.tranches[index - 1], facts) ? { code: RELEASE_CONDITION_PENDING } : undefined);

    const settlement = facts.terminated ? (await work.terminations.findByContractId(contractId))!.owedFen : null;
    const final = kind === 'final' && settlement === null ? finalTranchePayable(tranche.plannedAmountFen, facts.yearEndGrade!, deps.policy.finalPercentByGrade) : null;
    const amountFen = settlement ?? (final ? final.payableFen : tranche.plannedAmountFen);
    const at = clock(deps);
    const attempt = tranche.attempts + 1;
    const changed = await work.tranches.change(
      tranche.id,
      tranche.version,
      { status: 'requested', attempts: attempt, payableFen: amountFen, reductionFen: final ? final.reductionFen : null, grade: final ? facts.yearEndGrade : null },
      at,
    );
    if (!changed) throw concurrentChange();
    await work.tranches.createDisbursement({ id: randomUUID(), trancheId: tranche.id, attempt, amountFen, requestKey: key, requestedBy: actor, requestedAt: at });
    await work.outbox.append(
      'payments',
      buildEvent(TrancheRequested, {
        source: SOURCE,
        subject: contractId,
        actor,
        data: { ...trancheRef(tranche, attempt), amountFen, plannedAmountFen: tranche.plannedAmountFen, grade: final ? facts.yearEndGrade : null, requestedAt: at.toISOString() },
      }),
    );
    const view = trancheView((await work.tranches.findById(tranche.id))!);
    await work.idempotency.complete(REQUEST, key, { statusCode: 201, body: view }, at);
    return { status: 201, body: view, replayed: false };
  });
}

/**
 * 审批拨付 (finance only — the route's policy check): approves the requested attempt, records the
 * treasury instruction, commits, then has the treasury execute it and records paid or failed. 200 with
 * the tranche (status paid, or failed with the reason). If the treasury cannot be reached the tranche
 * stays approved with its instruction recorded; approving again (same key, or another) resumes the same
 * instruction, and the service resumes in-flight instructions at start-up.
 */
export async function approveTranche(
  deps: PaymentsDeps,
  input: { trancheId: string; idempotencyKey: string },
  actor: Actor,
  guard: Guard,
): Promise<IdempotentResult<PaymentTrancheView>> {
  const { trancheId, idempotencyKey: key } = input;
  const fingerprint = trancheId;
  const step = await deps.uow.run(async (work): Promise<{ replay: IdempotentResult<PaymentTrancheView> } | { disbursementId: string; claimed: boolean }> => {
    const tranche = await work.tranches.findById(trancheId);
    if (!tranche) throw new NotFoundError('tranche', trancheId);
    guard(scopeOf(tranche, await work.facts.agencyOf(tranche.contractId)));

    if (!(await work.idempotency.claim({ operation: APPROVE, key, fingerprint, createdBy: actor }))) {
      const record = await work.idempotency.find(APPROVE, key);
      const replay = replayOf<PaymentTrancheView>(record, fingerprint);
      if (replay) return { replay };
      if (record?.targetId) return { disbursementId: record.targetId, claimed: false };
      throw new ConflictError('同一幂等键的请求正在处理中 (a request with this Idempotency-Key is in progress)');
    }
    const current = tranche.disbursements[tranche.disbursements.length - 1];
    if (tranche.status === 'approved' && current) {
      // In flight (the treasury's answer never arrived): resume that instruction, never issue another.
      await work.idempotency.setTarget(APPROVE, key, current.id);
      return { disbursementId: current.id, claimed: true };
    }
    const facts = await contractFactsOf(work, tranche.contractId);
    const refusal = approveRefusal(tranche, facts, current?.requestedBy.userId ?? null, actor.userId);
    if (refusal) throw new ConflictError(refusal);
    if (!current) throw concurrentChange();

    const at = clock(deps);
    if (!(await work.tranches.change(tranche.id, tranche.version, { status: 'approved' }, at))) throw concurrentChange();
    if (!(await work.tranches.approveDisbursement(current.id, { approvedBy: actor, approvedAt: at, transferKey: `${tranche.id}:${current.attempt}` }))) {
      throw concurrentChange();
    }
    await work.idempotency.setTarget(APPROVE, key, current.id);
    await work.outbox.append(
      'payments',
      buildEvent(TrancheApproved, {
        source: SOURCE,
        subject: tranche.contractId,
        actor,
        data: { ...trancheRef(tranche, current.attempt), amountFen: current.amountFen, approvedAt: at.toISOString() },
      }),
    );
    return { disbursementId: current.id, claimed: true };
  });
  if ('replay' in step) return step.replay;

  await settleDisbursement(deps, step.disbursementId);

  // The settlement completed every claim waiting on this disbursement — ours too, unless another caller
  // settled it first; then we store what the tranche looks like now.
  return deps.uow.run(async (work) => {
    const record = await work.idempotency.find(APPROVE, key);
    if (record?.state === 'completed') return { status: record.statusCode!, body: record.responseBody as PaymentTrancheView, replayed: !step.claimed };
    const view = trancheView((await work.tranches.findById(trancheId))!);
    await work.idempotency.complete(APPROVE, key, { statusCode: 200, body: view }, clock(deps));
    return { status: 200, body: view, replayed: !step.claimed };
  });
}

/**
 * Executes an approved disbursement's treasury instruction (by its recorded key) and records the
 * outcome. Safe to call any number of times, concurrently too: only the first outcome is recorded.
 */
export async function settleDisbursement(deps: PaymentsDeps, disbursementId: string): Promise<void> {
  const d = await deps.uow.read.tranches.findDisbursement(disbursementId);
  if (!d || d.status !== 'approved') return;
  const tranche = (await deps.uow.read.tranches.findById(d.trancheId))!;

  let result: TransferResult | { status: 'confirmed'; reference: null };
  if (d.amountFen === 0) {
    // 差: nothing to pay; the whole final tranche goes back to the fund. No instruction is sent.
    result = { status: 'confirmed', reference: null };
  } else {
    try {
      result = await deps.treasury.transfer({
        key: d.transferKey!,
        trancheId: tranche.id,
        contractId: tranche.contractId,
        payeeOrganizationId: tranche.organizationId,
        amountFen: d.amountFen,
        memo: `合同 ${tranche.contractId} ${TRANCHE_KIND_LABELS[tranche.kind]} 第${d.attempt}次拨付`,
      });
    } catch (error) {
      deps.log.error({ err: error, disbursementId, trancheId: tranche.id }, 'treasury transfer did not answer; the instruction stays recorded for a retry');
      throw new DomainError(
        'TREASURY_UNAVAILABLE',
        '国库支付系统暂时无法确认转账；指令已记录，用同一幂等键重试即可，不会重复付款 (treasury unavailable; retry with the same Idempotency-Key — it cannot pay twice)',
      );
    }
  }

  await deps.uow.run(async (work) => {
    const at = clock(deps);
    const current = (await work.tranches.findById(d.trancheId))!;
    const actor = d.approvedBy!;
    const ref = trancheRef(current, d.attempt);
    if (result.status === 'confirmed') {
      if (!(await work.tranches.markPaid(d.id, { trancheId: current.id, reference: result.reference, paidAt: at }))) return; // settled by another caller
      if (!(await work.tranches.change(current.id, current.version, { status: 'paid', paidAmountFen: d.amountFen, paidAt: at }, at))) throw concurrentChange();
      const fund = fundOf(current);
      const base = { contractId: current.contractId, projectId: current.projectId, subDistrictId: current.subDistrictId, communityId: current.communityId, organizationId: current.organizationId, ...fund, trancheId: current.id, reference: current.id, createdBy: actor };
      const reduction = current.kind === 'final' ? (current.reductionFen ?? 0) : 0;
      const entries: NewLedgerEntry[] = [
        { id: randomUUID(), ...base, accountType: 'contract', accountId: current.contractId, entryType: 'tranche_paid', amountFen: -d.amountFen, description: `${TRANCHE_KIND_LABELS[current.kind]}已拨付 (tranche paid)` },
      ];
      if (reduction > 0) {
        entries.push(
          { id: randomUUID(), ...base, accountType: 'contract', accountId: current.contractId, entryType: 'reduction_released', amountFen: -reduction, description: `尾款按评估等级扣减 (final tranche reduced by grade ${current.grade})` },
          { id: randomUUID(), ...base, accountType: 'fund', accountId: fund.fundId, entryType: 'reduction_released', amountFen: reduction, description: '尾款扣减部分退回经费 (reduction returned to the fund)' },
        );
      }
      await work.ledger.append(entries, at);
      await work.outbox.append(
        'payments',
        buildEvent(TranchePaid, {
          source: SOURCE,
          subject: current.contractId,
          actor,
          data: { contractId: current.contractId, projectId: current.projectId, trancheId: current.id, kind: current.kind, amountFen: d.amountFen, subDistrictId: current.subDistrictId, communityId: current.communityId, paidAt: at.toISOString() },
        }),
      );
      if (reduction > 0) {
        await work.outbox.append(
          'payments',
          buildEvent(FinalReductionApplied, {
            source: SOURCE,
            subject: current.contractId,
            actor,
            data: {
              trancheId: current.id,
              contractId: current.contractId,
              projectId: current.projectId,
              organizationId: current.organizationId,
              subDistrictId: current.subDistrictId,
              communityId: current.communityId,
              grade: current.grade!,
              percentPaid: deps.policy.finalPercentByGrade[current.grade!],
              plannedAmountFen: current.plannedAmountFen,
              paidAmountFen: d.amountFen,
              reductionFen: reduction,
              ...fund,
            },
          }),
        );
      }
    } else {
      const reason = result.reason ?? '国库拒绝转账 (rejected by the treasury)';
      if (!(await work.tranches.markFailed(d.id, { reference: result.reference, reason, failedAt: at }))) return;
      if (!(await work.tranches.change(current.id, current.version, { status: 'failed' }, at))) throw concurrentChange();
      await work.outbox.append(
        'payments',
        buildEvent(TrancheFailed, { source: SOURCE, subject: current.contractId, actor, data: { ...ref, amountFen: d.amountFen, reason, failedAt: at.toISOString() } }),
      );
    }
    const view = trancheView((await work.tranches.findById(current.id))!);
    await work.idempotency.completeForTarget(APPROVE, d.id, { statusCode: 200, body: view }, at);
  });
}

/** At start-up: finish instructions a crash or an unreachable treasury left approved but unsettled. */
export async function resumeInFlightTransfers(deps: PaymentsDeps): Promise<number> {
  const ids = await deps.uow.read.tranches.listInFlightDisbursementIds();
  for (const id of ids) {
    try {
      await settleDisbursement(deps, id);
    } catch (error) {
      deps.log.warn({ err: error, disbursementId: id }, 'could not resume an in-flight transfer; it stays approved');
    }
  }
  return ids.length;
}

export async function getTranche(deps: PaymentsDeps, id: string, guard: Guard): Promise<PaymentTrancheDetailView> {
  const tranche = await deps.uow.read.tranches.findById(id);
  if (!tranche) throw new NotFoundError('tranche', id);
  guard(scopeOf(tranche, await deps.uow.read.facts.agencyOf(tranche.contractId)));
  return trancheDetailView(tranche);
}

export async function listTranches(deps: PaymentsDeps, filters: TrancheFilters, restriction: ListRestriction, page: { limit: number; cursor?: string }) {
  const read = deps.uow.read;
  const after = page.cursor ? decodeCursor(page.cursor, timeAndId) : undefined;
  const outOfScope = (key: 'subDistrictId' | 'communityId' | 'organizationId') => restriction[key] && filters[key] && filters[key] !== restriction[key];
  if (outOfScope('subDistrictId') || outOfScope('communityId') || outOfScope('organizationId')) return { items: [], nextCursor: null };
  const contractIds = restriction.agencyId ? await read.facts.contractsOfAgency(restriction.agencyId) : undefined;
  const rows = await read.tranches.list(
    {
      ...filters,
      contractIds,
      ...(restriction.subDistrictId ? { subDistrictId: restriction.subDistrictId } : {}),
      ...(restriction.communityId ? { communityId: restriction.communityId } : {}),
      ...(restriction.organizationId ? { organizationId: restriction.organizationId } : {}),
    },
    { limit: page.limit + 1, after },
  );
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return { items: items.map(trancheView), nextCursor: rows.length > page.limit && last ? encodeCursor({ c: last.createdAt, i: last.id }) : null };
}
