import { actorOf, principalOf } from '@linli/auth';
import { PaymentContractTrancheParams, PaymentTrancheParams, PaymentTrancheDetailView, TrancheFilters, PaymentTrancheView } from '@linli/contracts';
import { Page, defineRoute, paginationQuery } from '@linli/http';
import { approveTranche, getTranche, listTranches, requestTranche } from '../../domain/disbursements.use-cases';
import type { PaymentsDeps } from '../../domain/payments.deps';
import { IDEMPOTENCY_NOTE, guardFor, idempotencyKeyOf, listRestrictionFor } from './access';

const tags = ['拨付 Disbursements'];
const replayHeaders = (replayed: boolean) => (replayed ? { 'idempotent-replayed': 'true' } : undefined);

export function trancheRoutes(deps: PaymentsDeps) {
  return [
    defineRoute({
      method: 'post',
      path: '/contracts/:contractId/tranches/:kind/requests',
      operationId: 'requestTranche',
      policy: 'payment.request',
      summary: '申请拨付 (request a tranche: start_up 启动资金 / mid_term 中期款 / final 尾款)',
      description:
        '财务或流程引擎申请。须前一笔已拨付、满足拨付条件、合同未冻结；尾款按已记录的结项评估等级折算。' +
        '已申请/已拨付的款项用另一幂等键再申请则 409；拨付失败的款项可重新申请。 ' +
        IDEMPOTENCY_NOTE,
      tags,
      request: { params: PaymentContractTrancheParams },
      responses: { 201: { description: '已申请，等待财务审批', schema: PaymentTrancheView } },
      handler: async ({ params }, { req, res }) => {
        const principal = principalOf(res);
        const key = idempotencyKeyOf(req);
        const result = await requestTranche(deps, { contractId: params.contractId, kind: params.kind, idempotencyKey: key }, actorOf(principal), guardFor(principal, 'payment.request'));
        return { status: 201, body: result.body, headers: replayHeaders(result.replayed) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/tranches/:id/approval',
      operationId: 'approveTranche',
      policy: 'payment.approve',
      summary: '审批拨付 (approve a requested tranche; finance only) — executes the treasury transfer',
      description:
        '仅财务可审批，且审批人不能是申请人。审批后即执行国库转账：结果为已拨付，或拨付失败并写明原因（可重新申请）。合同冻结时 409。 ' + IDEMPOTENCY_NOTE,
      tags,
      request: { params: PaymentTrancheParams },
      responses: { 200: { description: '已审批并执行转账（status: paid 或 failed）', schema: PaymentTrancheView } },
      handler: async ({ params }, { req, res }) => {
        const principal = principalOf(res);
        const key = idempotencyKeyOf(req);
        const result = await approveTranche(deps, { trancheId: params.id, idempotencyKey: key }, actorOf(principal), guardFor(principal, 'payment.approve'));
        return { status: 200, body: result.body, headers: replayHeaders(result.replayed) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/tranches',
      operationId: 'listTranches',
      policy: 'payment.read',
      summary: '款项列表 (list tranches by contract, project, community, status, kind)',
      tags,
      request: { query: paginationQuery.extend(TrancheFilters.shape) },
      responses: { 200: { description: '一页款项', schema: Page(PaymentTrancheView) } },
      handler: async ({ query }, { res }) => {
        const { cursor, limit, ...filters } = query;
        return { status: 200, body: await listTranches(deps, filters, listRestrictionFor(principalOf(res), 'payment.read'), { cursor, limit }) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/tranches/:id',
      operationId: 'getTranche',
      policy: 'payment.read',
      summary: '款项详情及每次拨付记录 (a tranche with every disbursement attempt)',
      tags,
      request: { params: PaymentTrancheParams },
      responses: { 200: { description: '款项', schema: PaymentTrancheDetailView } },
      handler: async ({ params }, { res }) => ({ status: 200, body: await getTranche(deps, params.id, guardFor(principalOf(res), 'payment.read')) }),
    }),
  ];
}
