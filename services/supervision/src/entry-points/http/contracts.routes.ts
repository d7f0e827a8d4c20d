import {
  AssignAgencyBody,
  AssignmentView,
  PhoneRevealLogView,
  SupervisedContractSummary,
  SupervisedContractView,
  SupervisionContractListQuery,
  SupervisionIdParams,
  SupervisionPageQuery,
} from '@linli/contracts';
import { Page, defineRoute } from '@linli/http';
import { listPhoneReveals } from '../../domain/call-backs.use-cases';
import type { SupervisionDeps } from '../../domain/context';
import { assignAgency, getContract, listContracts } from '../../domain/contracts.use-cases';
import { callerFor } from './caller';

const tags = ['合同 Contracts'];

export function contractRoutes(deps: SupervisionDeps) {
  return [
    defineRoute({
      method: 'get',
      path: '/contracts',
      operationId: 'listSupervisedContracts',
      policy: 'activity.read',
      summary: '受监督的合同列表 (list contracts under supervision)',
      description: '按调用者范围过滤：监督机构只见受委托的合同，社会组织只见自己的合同。',
      tags,
      request: { query: SupervisionContractListQuery },
      responses: { 200: { description: '一页合同', schema: Page(SupervisedContractSummary) } },
      handler: async ({ query }, { res }) => ({ status: 200, body: await listContracts(deps, query, callerFor(res, 'activity.read')) }),
    }),
    defineRoute({
      method: 'get',
      path: '/contracts/:id',
      operationId: 'getSupervisedContract',
      policy: 'activity.read',
      summary: '合同监督概况：计划与实际、预算与发票、回访、检查结果 (contract view: plan vs delivery, budget vs invoices, checks)',
      tags,
      request: { params: SupervisionIdParams },
      responses: { 200: { description: '合同', schema: SupervisedContractView } },
      handler: async ({ params }, { res }) => ({ status: 200, body: await getContract(deps, params.id, callerFor(res, 'activity.read')) }),
    }),
    defineRoute({
      method: 'post',
      path: '/contracts/:id/assignment',
      operationId: 'assignAgency',
      policy: 'supervision.assign',
      summary: '委托第三方机构监督合同 (assign a supervising agency)',
      description: '再次委托其他机构时，原委托结束（保留记录）。',
      tags,
      request: { params: SupervisionIdParams, body: AssignAgencyBody },
      responses: { 200: { description: '已委托', schema: AssignmentView } },
      handler: async ({ params, body }, { res }) => ({ status: 200, body: await assignAgency(deps, params.id, body, callerFor(res, 'supervision.assign')) }),
    }),
    defineRoute({
      method: 'get',
      path: '/contracts/:id/phone-reveals',
      operationId: 'listPhoneReveals',
      policy: 'supervision.assign',
      summary: '完整电话查看记录 (log of phone-number reveals)',
      description: '谁在何时查看了哪位参与人的完整电话；供委托方（街道审核人员、管理员）审计。',
      tags,
      request: { params: SupervisionIdParams, query: SupervisionPageQuery },
      responses: { 200: { description: '一页查看记录', schema: Page(PhoneRevealLogView) } },
      handler: async ({ params, query }, { res }) => ({
        status: 200,
        body: await listPhoneReveals(deps, params.id, query, callerFor(res, 'supervision.assign')),
      }),
    }),
  ];
}
