import type { PaymentTrancheView } from '@linli/contracts';
import { callService } from './service-client';

/** Activities that reach the payments service, only through its HTTP API. */
export function createPaymentsActivities({ paymentsUrl, token }: { paymentsUrl: string; token: () => Promise<string> }) {
  return {
    /**
     * Asks payments to disburse a tranche. The idempotency key comes from the workflow (tranche + attempt):
     * a retried or replayed request returns the first result and moves no money.
     */
    async requestTranche(input: { projectId: string; contractId: string; kind: 'start_up' | 'mid_term' | 'final'; idempotencyKey: string }) {
      const view = await callService<PaymentTrancheView>({
        baseUrl: paymentsUrl,
        method: 'POST',
        path: `/contracts/${encodeURIComponent(input.contractId)}/tranches/${input.kind}/requests`,
        idempotencyKey: input.idempotencyKey,
        token,
      });
      const status: 'requested' | 'paid' | 'failed' = view.status === 'paid' ? 'paid' : view.status === 'failed' ? 'failed' : 'requested';
      return { trancheId: view.id, status, amountFen: view.paidAmountFen ?? view.payableFen ?? view.plannedAmountFen };
    },
  };
}
