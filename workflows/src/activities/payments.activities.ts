import type { ContractTerminationView, PaymentTrancheView, TerminateContractBody } from '@linli/contracts';
import type { TerminationSettlement } from '../project-lifecycle/lifecycle.activities';
import { callService } from './service-client';

/**
 * The tranche request's "not yet" answers, retried with backoff instead of parking the lifecycle: payments
 * has not yet received the fact that releases the tranche (409 RELEASE_CONDITION_PENDING), or has not yet
 * heard of the contract at all (404: its payment plan is made from organizations.contract.signed, which
 * reaches payments through its own consumer while the lifecycle learns of the signature through the
 * organizations bridge — under load the lifecycle can be first, as CI once showed). A contract payments
 * never hears of still parks the step, once the retries run out.
 */
export function trancheRequestNotYet(status: number, problem: { code?: string } | undefined): boolean {
  return (status === 409 && problem?.code === 'RELEASE_CONDITION_PENDING') || status === 404;
}

/** Activities that reach the payments service, only through its HTTP API. */
export function createPaymentsActivities({ paymentsUrl, token }: { paymentsUrl: string; token: () => Promise<string> }) {
  return {
    /**
     * Asks payments to disburse a tranche. The idempotency key comes from the workflow (tranche + attempt):
     * a retried or replayed request returns the first result and moves no money. "Not yet" (payments
     * has not received the contract, or the mid-term or year-end result the lifecycle already has) is
     * retried with backoff (trancheRequestNotYet).
     */
    async requestTranche(input: { projectId: string; contractId: string; kind: 'start_up' | 'mid_term' | 'final'; idempotencyKey: string }) {
      const view = await callService<PaymentTrancheView>({
        baseUrl: paymentsUrl,
        method: 'POST',
        path: `/contracts/${encodeURIComponent(input.contractId)}/tranches/${input.kind}/requests`,
        idempotencyKey: input.idempotencyKey,
        token,
        notYet: trancheRequestNotYet,
      });
      const status: 'requested' | 'paid' | 'failed' = view.status === 'paid' ? 'paid' : view.status === 'failed' ? 'failed' : 'requested';
      return { trancheId: view.id, status, amountFen: view.paidAmountFen ?? view.payableFen ?? view.plannedAmountFen };
    },
    /**
     * Asks payments to settle an early-terminated contract. The key comes from the workflow
     * (`<workflow>/termination`): a retry or a replay gets the first settlement back; a contract already
     * settled under another key is a business rejection (409), which parks the step for an admin.
     */
    async settleTermination(input: { projectId: string; contractId: string; deliveredPermille: number; reason: string; idempotencyKey: string }): Promise<TerminationSettlement> {
      const body: TerminateContractBody = { deliveredPermille: input.deliveredPermille, reason: input.reason };
      const view = await callService<ContractTerminationView>({
        baseUrl: paymentsUrl,
        method: 'POST',
        path: `/contracts/${encodeURIComponent(input.contractId)}/termination`,
        body,
        idempotencyKey: input.idempotencyKey,
        token,
      });
      return { contractId: view.contractId, deliveredPermille: view.deliveredPermille, owedFen: view.owedFen, paidBeforeFen: view.paidBeforeFen, cancelledTranches: view.cancelledTranches };
    },
  };
}
