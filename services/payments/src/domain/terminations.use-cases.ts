import { createHash, randomUUID } from 'node:crypto';
import { ContractTerminated, type Actor, type ContractTerminationView } from '@linli/contracts';
import { buildEvent } from '@linli/events';
import { ConflictError, NotFoundError } from '@linli/http';
import { scrubText } from '@linli/logger';
import type { NewLedgerEntry } from '../data-access/ledger.repository';
import { concurrentChange, replayOf, type IdempotentResult } from './disbursements.use-cases';
import { contractRef, fundOf, scopeOf } from './payment-plans.use-cases';
import { clock, type Guard, type PaymentsDeps } from './payments.deps';
import { settleTermination, terminationRefusal } from './termination.rules';
import { terminationView } from './views';

const SOURCE = 'payments';
const TERMINATE = 'contract.terminate' as const;

/**
 * 提前终止结算 (the committee decided to end the purchase before term; the lifecycle workflow, or an
 * admin, asks for the settlement). In one transaction with its event: the termination is recorded with
 * the figures of termination.rules.ts, the unpaid tranches that will never be paid are cancelled, the
 * money that will never be paid goes back to the fund in the ledger (`termination_released`), and the
 * final tranche stays open for the owed amount when there is one — it is then requested and approved
 * like any tranche (four eyes, freeze, treasury, ledger, idempotency).
 *
 * Idempotency-Key as on the tranche routes: a repeat replays the first answer. One termination per
 * contract: another key → 409 (and the unique index on contract_id refuses a racing second one).
 */
export async function terminateContract(
  deps: PaymentsDeps,
  input: { contractId: string; deliveredPermille: number; reason: string; idempotencyKey: string },
  actor: Actor,
  guard: Guard,
): Promise<IdempotentResult<ContractTerminationView>> {
  const { contractId, deliveredPermille, idempotencyKey: key } = input;
  // The same key with another body is another request (409), not a replay (a hash: the reason as sent is not kept).
  const fingerprint = `${contractId}/${createHash('sha256').update(JSON.stringify([deliveredPermille, input.reason])).digest('hex').slice(0, 32)}`;
  // The reason is free text and goes on to Kafka: a mobile number in it is stored and sent masked.
  const reason = scrubText(input.reason);
  return deps.uow.run(async (work) => {
    const plan = await work.plans.findByContractId(contractId);
    if (!plan) throw new NotFoundError('payment plan', contractId);
    guard(scopeOf(plan, await work.facts.agencyOf(contractId)));

    if (!(await work.idempotency.claim({ operation: TERMINATE, key, fingerprint, createdBy: actor }))) {
      const replay = replayOf<ContractTerminationView>(await work.idempotency.find(TERMINATE, key), fingerprint);
      if (replay) return replay;
      throw new ConflictError('同一幂等键的请求正在处理中 (a request with this Idempotency-Key is in progress)');
    }
    if (await work.terminations.findByContractId(contractId)) {
      throw new ConflictError('该合同已提前终止并结算，不能再次终止 (the contract was already terminated and settled)');
    }
    const refusal = terminationRefusal(plan.tranches);
    if (refusal) throw new ConflictError(refusal);

    const settled = settleTermination({ contractAmountFen: plan.amountFen, deliveredPermille, tranches: plan.tranches });
    if (settled.owedFen > 0 && !settled.settlement) throw new Error(`contract ${contractId} owes ${settled.owedFen} fen but its plan has no open final tranche`);
    const at = clock(deps);
    for (const t of settled.cancel) {
      const version = plan.tranches.find((x) => x.id === t.id)!.version;
      if (!(await work.tranches.change(t.id, version, { status: 'cancelled' }, at))) throw concurrentChange();
    }
    const fund = fundOf(plan);
    if (settled.releasedFen > 0) {
      const base = { ...contractRef(plan), ...fund, entryType: 'termination_released' as const, reference: contractId, trancheId: null, createdBy: actor };
      const entries: NewLedgerEntry[] = [
        { id: randomUUID(), ...base, accountType: 'contract', accountId: contractId, amountFen: -settled.releasedFen, description: '提前终止，未付部分不再拨付 (terminated early: the unpaid rest is released)' },
        { id: randomUUID(), ...base, accountType: 'fund', accountId: fund.fundId, amountFen: settled.releasedFen, description: '提前终止，未付部分退回经费 (terminated early: returned to the fund)' },
      ];
      await work.ledger.append(entries, at);
    }
    const figures = {
      deliveredPermille,
      reason,
      contractAmountFen: plan.amountFen,
      deliveredValueFen: settled.deliveredValueFen,
      paidBeforeFen: settled.paidBeforeFen,
      owedFen: settled.owedFen,
      releasedFen: settled.releasedFen,
      cancelledTranches: settled.cancel.map((t) => t.kind),
      settlementTrancheId: settled.settlement?.id ?? null,
    };
    const termination = await work.terminations.create({ id: randomUUID(), contractId, projectId: plan.projectId, ...figures, terminatedBy: actor, terminatedAt: at });
    await work.outbox.append(
      'payments',
      buildEvent(ContractTerminated, {
        source: SOURCE,
        subject: contractId,
        actor,
        data: { ...contractRef(plan), ...figures, ...fund, terminatedAt: termination.terminatedAt },
      }),
    );
    const view = terminationView(termination);
    await work.idempotency.complete(TERMINATE, key, { statusCode: 201, body: view }, at);
    return { status: 201, body: view, replayed: false };
  });
}

/** The termination of a contract (404 when it was not terminated). */
export async function getTermination(deps: PaymentsDeps, contractId: string, guard: Guard): Promise<ContractTerminationView> {
  const plan = await deps.uow.read.plans.findByContractId(contractId);
  if (!plan) throw new NotFoundError('payment plan', contractId);
  guard(scopeOf(plan, await deps.uow.read.facts.agencyOf(contractId)));
  const termination = await deps.uow.read.terminations.findByContractId(contractId);
  if (!termination) throw new NotFoundError('contract termination', contractId);
  return terminationView(termination);
}
