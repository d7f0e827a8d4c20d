import { actorOf, principalOf } from '@linli/auth';
import { FreezePaymentsBody, FreezeStatusView, PaymentContractParams, UnfreezePaymentsBody } from '@linli/contracts';
import { defineRoute } from '@linli/http';
import { freezePayments, getFreezeStatus, unfreezePayments } from '../../domain/freezes.use-cases';
import type { PaymentsDeps } from '../../domain/payments.deps';
import { guardFor } from './access';

const tags = ['冻结 Freeze'];

export function freezeRoutes(deps: PaymentsDeps) {
  return [
    defineRoute({
      method: 'post',
      path: '/contracts/:contractId/freeze',
      operationId: 'freezePayments',
      policy: 'payment.freeze',
      summary: '冻结拨付 (freeze a contract’s payments; supervisor)',
      description: '冻结期间不能申请或审批拨付。严重问题会自动冻结，问题关闭后自动解除；人工冻结须人工解除。',
      tags,
      request: { params: PaymentContractParams, body: FreezePaymentsBody },
      responses: { 201: { description: '已冻结', schema: FreezeStatusView } },
      handler: async ({ params, body }, { res }) => {
        const principal = principalOf(res);
        return { status: 201, body: await freezePayments(deps, params.contractId, body.reason, actorOf(principal), guardFor(principal, 'payment.freeze')) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/contracts/:contractId/unfreeze',
      operationId: 'unfreezePayments',
      policy: 'payment.freeze',
      summary: '解除人工冻结 (lift the manual freeze; supervisor)',
      tags,
      request: { params: PaymentContractParams, body: UnfreezePaymentsBody },
      responses: { 200: { description: '已解除（可能仍有严重问题引起的冻结）', schema: FreezeStatusView } },
      handler: async ({ params, body }, { res }) => {
        const principal = principalOf(res);
        return { status: 200, body: await unfreezePayments(deps, params.contractId, body.reason, actorOf(principal), guardFor(principal, 'payment.freeze')) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/contracts/:contractId/freeze',
      operationId: 'getFreezeStatus',
      policy: 'payment.read',
      summary: '冻结状态及历史 (freeze status and history)',
      tags,
      request: { params: PaymentContractParams },
      responses: { 200: { description: '冻结状态', schema: FreezeStatusView } },
      handler: async ({ params }, { res }) => ({ status: 200, body: await getFreezeStatus(deps, params.contractId, guardFor(principalOf(res), 'payment.read')) }),
    }),
  ];
}
