import { actorOf, principalOf } from '@linli/auth';
import { AdjustPaymentPlanBody, CreatePaymentPlanBody, PaymentContractParams, PaymentPlanFilters, PaymentPlanView } from '@linli/contracts';
import { Page, defineRoute, paginationQuery } from '@linli/http';
import { adjustPlan, createPlan, getPlan, listPlans } from '../../domain/payment-plans.use-cases';
import type { PaymentsDeps } from '../../domain/payments.deps';
import { guardFor, listRestrictionFor } from './access';

const tags = ['拨付计划 Payment plans'];

export function paymentPlanRoutes(deps: PaymentsDeps) {
  return [
    defineRoute({
      method: 'post',
      path: '/payment-plans',
      operationId: 'createPaymentPlan',
      policy: 'payment.plan.manage',
      summary: '制定拨付计划 (create a payment plan for a contract)',
      description: '通常由合同签订事件自动生成（默认 30% 启动资金 / 40% 中期款 / 30% 尾款）；此接口用于另定比例。各阶段百分比合计须为 100，金额由合同金额计算，尾差计入最后一笔。',
      tags,
      request: { body: CreatePaymentPlanBody },
      responses: { 201: { description: '已制定', schema: PaymentPlanView } },
      handler: async ({ body }, { res }) => {
        const principal = principalOf(res);
        return { status: 201, body: await createPlan(deps, body, actorOf(principal), guardFor(principal, 'payment.plan.manage')) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/payment-plans',
      operationId: 'listPaymentPlans',
      policy: 'payment.read',
      summary: '拨付计划列表 (list payment plans by contract, project, community, status)',
      tags,
      request: { query: paginationQuery.extend(PaymentPlanFilters.shape) },
      responses: { 200: { description: '一页拨付计划', schema: Page(PaymentPlanView) } },
      handler: async ({ query }, { res }) => {
        const { cursor, limit, ...filters } = query;
        const restriction = listRestrictionFor(principalOf(res), 'payment.read');
        return { status: 200, body: await listPlans(deps, filters, restriction, { cursor, limit }) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/contracts/:contractId/payment-plan',
      operationId: 'getPaymentPlan',
      policy: 'payment.read',
      summary: '合同的拨付计划 (the payment plan of a contract)',
      tags,
      request: { params: PaymentContractParams },
      responses: { 200: { description: '拨付计划', schema: PaymentPlanView } },
      handler: async ({ params }, { res }) => ({ status: 200, body: await getPlan(deps, params.contractId, guardFor(principalOf(res), 'payment.read')) }),
    }),
    defineRoute({
      method: 'put',
      path: '/contracts/:contractId/payment-plan/tranches',
      operationId: 'adjustPaymentPlan',
      policy: 'payment.plan.manage',
      summary: '调整拨付计划 (adjust the tranches before any is requested)',
      description: '任何一笔款项申请之后不能再调整（409）。',
      tags,
      request: { params: PaymentContractParams, body: AdjustPaymentPlanBody },
      responses: { 200: { description: '已调整', schema: PaymentPlanView } },
      handler: async ({ params, body }, { res }) => {
        const principal = principalOf(res);
        return { status: 200, body: await adjustPlan(deps, params.contractId, body, actorOf(principal), guardFor(principal, 'payment.plan.manage')) };
      },
    }),
  ];
}
