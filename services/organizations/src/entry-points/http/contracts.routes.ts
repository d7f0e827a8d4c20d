import { authorize, principalOf } from '@linli/auth';
import { ListPurchaseContractsQuery, PurchaseContractIdParams, PurchaseContractView, SignPurchaseContractBody } from '@linli/contracts';
import { Page, defineRoute } from '@linli/http';
import { callerOf, type Deps } from '../../domain/context';
import { getContract, listContracts, signContract } from '../../domain/contracts.use-cases';

const tags = ['合同 Contracts'];

export function contractRoutes(deps: Deps) {
  return [
    defineRoute({
      method: 'post',
      path: '/contracts',
      operationId: 'signContract',
      policy: 'contract.sign',
      summary: '签订合同（街道级：按中标结果，公示期满且异议已答复；社区级：直接签约） (sign a contract)',
      tags,
      request: { body: SignPurchaseContractBody },
      responses: { 201: { description: '已签约', schema: PurchaseContractView } },
      // contract.sign is checked in the use case against the (tender's) sub-district.
      handler: async ({ body }, { res }) => ({ status: 201, body: await signContract(deps, body, callerOf(principalOf(res))) }),
    }),
    defineRoute({
      method: 'get',
      path: '/contracts',
      operationId: 'listContracts',
      policy: 'organization.read',
      summary: '合同列表 (list contracts by organization, project, sub-district, level)',
      tags,
      request: { query: ListPurchaseContractsQuery },
      responses: { 200: { description: '一页合同', schema: Page(PurchaseContractView) } },
      handler: async ({ query }, { res }) => {
        authorize(principalOf(res), 'organization.read');
        return { status: 200, body: await listContracts(deps, query) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/contracts/:id',
      operationId: 'getContract',
      policy: 'organization.read',
      summary: '合同详情 (get a contract)',
      tags,
      request: { params: PurchaseContractIdParams },
      responses: { 200: { description: '合同', schema: PurchaseContractView } },
      handler: async ({ params }, { res }) => {
        authorize(principalOf(res), 'organization.read');
        return { status: 200, body: await getContract(deps, params.id) };
      },
    }),
  ];
}
