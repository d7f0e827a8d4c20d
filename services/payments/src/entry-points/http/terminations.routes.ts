import { actorOf, principalOf } from '@linli/auth';
import { ContractTerminationView, PaymentContractParams, TerminateContractBody } from '@linli/contracts';
import { defineRoute } from '@linli/http';
import type { PaymentsDeps } from '../../domain/payments.deps';
import { getTermination, terminateContract } from '../../domain/terminations.use-cases';
import { IDEMPOTENCY_NOTE, guardFor, idempotencyKeyOf } from './access';

const tags = ['提前终止结算 Early termination'];

export function terminationRoutes(deps: PaymentsDeps) {
  return [
    defineRoute({
      method: 'post',
      path: '/contracts/:contractId/termination',
      operationId: 'terminateContract',
      policy: 'contract.terminate.settle',
      summary: '提前终止结算 (settle an early-terminated contract for what was delivered; workflow engine or admin)',
      description:
        '按已完成的千分比结算：应付 = max(0, 合同金额 × 千分比 / 1000（向下取整）− 已拨付)。未拨付的款项取消（已取消），未付部分退回经费；' +
        '应付大于 0 时尾款即为结算款，无需结项评估等级与前序款项即可申请，仍须财务审批；应付为 0 时尾款也取消。' +
        '有款项正在审批或转账中、尾款已拨付、或合同已终止过，则 409；冻结期间可以终止，但结算款在解冻前不能拨付。 ' +
        IDEMPOTENCY_NOTE,
      tags,
      request: { params: PaymentContractParams, body: TerminateContractBody },
      responses: { 201: { description: '已终止并结算', schema: ContractTerminationView } },
      handler: async ({ params, body }, { req, res }) => {
        const principal = principalOf(res);
        const key = idempotencyKeyOf(req);
        const result = await terminateContract(
          deps,
          { contractId: params.contractId, deliveredPermille: body.deliveredPermille, reason: body.reason, idempotencyKey: key },
          actorOf(principal),
          guardFor(principal, 'contract.terminate.settle'),
        );
        return { status: 201, body: result.body, headers: result.replayed ? { 'idempotent-replayed': 'true' } : undefined };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/contracts/:contractId/termination',
      operationId: 'getTermination',
      policy: 'payment.read',
      summary: '提前终止结算记录 (the settlement of a terminated contract; 404 if not terminated)',
      tags,
      request: { params: PaymentContractParams },
      responses: { 200: { description: '结算记录', schema: ContractTerminationView } },
      handler: async ({ params }, { res }) => ({ status: 200, body: await getTermination(deps, params.contractId, guardFor(principalOf(res), 'payment.read')) }),
    }),
  ];
}
