import { authorize, principalOf } from '@linli/auth';
import { LedgerPageView, PaymentContractParams, PaymentFundParams, ReconciliationQuery, ReconciliationReport } from '@linli/contracts';
import { defineRoute, paginationQuery } from '@linli/http';
import { listContractLedger, listFundLedger, reconcileAll, reconcileOneContract } from '../../domain/ledger.use-cases';
import type { PaymentsDeps } from '../../domain/payments.deps';
import { guardFor } from './access';

const tags = ['台账与对账 Ledger and reconciliation'];

export function ledgerRoutes(deps: PaymentsDeps) {
  return [
    defineRoute({
      method: 'get',
      path: '/contracts/:contractId/ledger',
      operationId: 'listContractLedger',
      policy: 'payment.read',
      summary: '合同台账 (ledger entries of a contract, oldest first, with running balance)',
      tags,
      request: { params: PaymentContractParams, query: paginationQuery },
      responses: { 200: { description: '一页台账', schema: LedgerPageView } },
      handler: async ({ params, query }, { res }) => ({
        status: 200,
        body: await listContractLedger(deps, params.contractId, guardFor(principalOf(res), 'payment.read'), query),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/funds/:fundId/ledger',
      operationId: 'listFundLedger',
      policy: 'payment.read',
      summary: '经费台账 (ledger of a community fund — fund id = community id; sub-district purchases: sub-district id)',
      tags,
      request: { params: PaymentFundParams, query: paginationQuery },
      responses: { 200: { description: '一页台账', schema: LedgerPageView } },
      handler: async ({ params, query }, { res }) => {
        const principal = principalOf(res);
        return { status: 200, body: await listFundLedger(deps, params.fundId, (scope) => authorize(principal, 'payment.read', scope), query) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/contracts/:contractId/reconciliation',
      operationId: 'reconcileContract',
      policy: 'ledger.reconcile',
      summary: '合同对账 (reconcile one contract: ledger vs tranche states)',
      tags,
      request: { params: PaymentContractParams },
      responses: { 200: { description: '对账结果（ok=false 时列出不符项）', schema: ReconciliationReport } },
      handler: async ({ params }, { res }) => ({ status: 200, body: await reconcileOneContract(deps, params.contractId, guardFor(principalOf(res), 'ledger.reconcile')) }),
    }),
    defineRoute({
      method: 'get',
      path: '/reconciliation',
      operationId: 'reconcile',
      policy: 'ledger.reconcile',
      summary: '对账 (reconcile every contract of a sub-district; platform roles: all)',
      tags,
      request: { query: ReconciliationQuery },
      responses: { 200: { description: '对账结果', schema: ReconciliationReport } },
      handler: async ({ query }, { res }) => {
        const principal = principalOf(res);
        // Finance reconciles its own sub-district unless it names one (which the policy then checks).
        const subDistrictId = query.subDistrictId ?? (principal.scope.kind === 'sub-district' ? principal.scope.id : undefined);
        authorize(principal, 'ledger.reconcile', { subDistrictId });
        return { status: 200, body: await reconcileAll(deps, subDistrictId) };
      },
    }),
  ];
}
