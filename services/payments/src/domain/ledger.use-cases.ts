import type { LedgerEntryView, LedgerPageView, ReconciliationReport } from '@linli/contracts';
import { NotFoundError } from '@linli/http';
import type { AccountType, LedgerEntryRecord } from '../data-access/ledger.repository';
import { scopeOf } from './payment-plans.use-cases';
import { clock, decodeCursor, encodeCursor, timeAndSeq, type Guard, type PaymentsDeps } from './payments.deps';
import { reconcileContract } from './reconciliation.rules';

/**
 * Reading the ledger (台账) and reconciling it (对账). Nothing here writes: ledger rows are only ever
 * appended by the use cases that move money (plan created, tranche paid, contract terminated).
 */

function entryView(e: LedgerEntryRecord, balanceAfterFen: number): LedgerEntryView {
  return {
    id: e.id,
    accountType: e.accountType,
    accountId: e.accountId,
    contractId: e.contractId,
    projectId: e.projectId,
    fundKind: e.fundKind,
    fundId: e.fundId,
    entryType: e.entryType,
    amountFen: e.amountFen,
    balanceAfterFen,
    reference: e.reference,
    trancheId: e.trancheId,
    description: e.description,
    createdBy: { userId: e.createdBy.userId, role: e.createdBy.role, ...(e.createdBy.scope ? { scope: e.createdBy.scope } : {}) },
    createdAt: e.createdAt,
  };
}

/** One page of an account with each entry's running balance, derived from the entries before it. */
async function accountPage(deps: PaymentsDeps, accountType: AccountType, accountId: string, page: { limit: number; cursor?: string }): Promise<LedgerPageView> {
  const read = deps.uow.read;
  const after = page.cursor ? decodeCursor(page.cursor, timeAndSeq) : undefined;
  const rows = await read.ledger.listForAccount(accountType, accountId, { limit: page.limit + 1, after });
  const items = rows.slice(0, page.limit);
  let running = items[0] ? await read.ledger.balanceBefore(accountType, accountId, { createdAt: items[0].createdAt, seq: items[0].seq }) : 0;
  const views = items.map((e) => entryView(e, (running += e.amountFen)));
  const last = items[items.length - 1];
  return {
    items: views,
    nextCursor: rows.length > page.limit && last ? encodeCursor({ c: last.createdAt, s: last.seq }) : null,
    balanceFen: await read.ledger.balance(accountType, accountId),
  };
}

/** 合同台账. */
export async function listContractLedger(deps: PaymentsDeps, contractId: string, guard: Guard, page: { limit: number; cursor?: string }): Promise<LedgerPageView> {
  const plan = await deps.uow.read.plans.findByContractId(contractId);
  if (!plan) throw new NotFoundError('payment plan', contractId);
  guard(scopeOf(plan, await deps.uow.read.facts.agencyOf(contractId)));
  return accountPage(deps, 'contract', contractId, page);
}

/**
 * 经费台账: a community's yearly fund (fund id = community id), or a sub-district's for its own
 * purchases (fund id = sub-district id). The balance is the fund's net movement seen from payments
 * (commitments out, reductions back); the allocation itself is the communities service's.
 */
export async function listFundLedger(
  deps: PaymentsDeps,
  fundId: string,
  guard: (scope: { subDistrictId: string; communityId: string | null }) => void,
  page: { limit: number; cursor?: string },
): Promise<LedgerPageView> {
  const any = await deps.uow.read.ledger.anyFundEntry(fundId);
  if (!any) throw new NotFoundError('fund ledger', fundId);
  guard({ subDistrictId: any.subDistrictId, communityId: any.fundKind === 'community' ? any.fundId : null });
  return accountPage(deps, 'fund', fundId, page);
}

async function reconcilePlans(deps: PaymentsDeps, plans: Awaited<ReturnType<PaymentsDeps['uow']['read']['plans']['listForReconciliation']>>): Promise<ReconciliationReport> {
  const ids = plans.map((p) => p.contractId);
  const [entries, terminations] = await Promise.all([deps.uow.read.ledger.entriesForContracts(ids), deps.uow.read.terminations.findFor(ids)]);
  const mismatches = plans.flatMap((plan) =>
    reconcileContract({
      contractId: plan.contractId,
      amountFen: plan.amountFen,
      tranches: plan.tranches.map((t) => ({
        id: t.id,
        kind: t.kind,
        status: t.status,
        plannedAmountFen: t.plannedAmountFen,
        paidAmountFen: t.paidAmountFen,
        reductionFen: t.reductionFen,
        paidDisbursements: t.disbursements.filter((d) => d.status === 'paid').length,
      })),
      entries: entries.filter((e) => e.contractId === plan.contractId),
      terminationReleasedFen: terminations.find((t) => t.contractId === plan.contractId)?.releasedFen ?? null,
    }),
  );
  return { checkedAt: clock(deps).toISOString(), contractsChecked: plans.length, ok: mismatches.length === 0, mismatches };
}

/** 对账 for one contract. */
export async function reconcileOneContract(deps: PaymentsDeps, contractId: string, guard: Guard): Promise<ReconciliationReport> {
  const plan = await deps.uow.read.plans.findByContractId(contractId);
  if (!plan) throw new NotFoundError('payment plan', contractId);
  guard(scopeOf(plan, await deps.uow.read.facts.agencyOf(contractId)));
  return reconcilePlans(deps, [plan]);
}

/**
 * 对账 for every contract of a sub-district (or all, for platform roles). Reads everything in scope in
 * one go: fine for a sub-district's few hundred contracts a year; page by sub-district beyond that.
 */
export async function reconcileAll(deps: PaymentsDeps, subDistrictId: string | undefined): Promise<ReconciliationReport> {
  return reconcilePlans(deps, await deps.uow.read.plans.listForReconciliation(subDistrictId));
}
