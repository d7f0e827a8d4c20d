import { principalOf } from '@linli/auth';
import {
  AllocateFundBody,
  CommunityIdParams,
  CommunityView,
  FundHolderParams,
  FundIdParams,
  ItemKindListView,
  ListCommunitiesQuery,
  ListFundsQuery,
  ServiceFundDetailView,
  ServiceFundView,
} from '@linli/contracts';
import { Page, defineRoute } from '@linli/http';
import { getCommunity, listCommunities } from '../../domain/communities.use-cases';
import { callerOf, type Deps } from '../../domain/context';
import { allocateCommunityFund, getFund, listFunds } from '../../domain/funds.use-cases';
import { itemKinds } from '../../domain/reference-prices.use-cases';

const tags = ['社区 Communities'];
const fundTags = ['经费 Funds'];

export function communityRoutes(deps: Deps) {
  return [
    defineRoute({
      method: 'get',
      path: '/communities',
      operationId: 'listCommunities',
      policy: 'community.read',
      summary: '社区列表 (list communities you may see; filter by sub-district or area)',
      tags,
      request: { query: ListCommunitiesQuery },
      responses: { 200: { description: '一页社区', schema: Page(CommunityView) } },
      handler: async ({ query }, { res }) => ({ status: 200, body: await listCommunities(deps, query, callerOf(principalOf(res))) }),
    }),
    defineRoute({
      method: 'get',
      path: '/communities/:id',
      operationId: 'getCommunity',
      policy: 'community.read',
      summary: '社区详情 (get a community)',
      tags,
      request: { params: CommunityIdParams },
      responses: { 200: { description: '社区', schema: CommunityView } },
      handler: async ({ params }, { res }) => ({ status: 200, body: await getCommunity(deps, params.id, callerOf(principalOf(res))) }),
    }),
    defineRoute({
      method: 'put',
      path: '/communities/:id/funds/:fiscalYear',
      operationId: 'allocateCommunityFund',
      policy: 'fund.allocate',
      summary: '下达社区年度经费 (set a community’s service fund for a fiscal year: 党组织服务群众项目经费)',
      description: '设定（不是追加）本财年下达总额；低于已占用与已支出之和时 409。The amount is the total, not an increment.',
      tags: fundTags,
      request: { params: FundHolderParams, body: AllocateFundBody },
      responses: { 200: { description: '经费', schema: ServiceFundView } },
      handler: async ({ params, body }, { res }) => ({
        status: 200,
        body: await allocateCommunityFund(deps, params.id, params.fiscalYear, body, callerOf(principalOf(res))),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/funds',
      operationId: 'listFunds',
      policy: 'community.read',
      summary: '经费列表 (fund lines you may see: allocated, committed, spent, remaining)',
      tags: fundTags,
      request: { query: ListFundsQuery },
      responses: { 200: { description: '一页经费', schema: Page(ServiceFundView) } },
      handler: async ({ query }, { res }) => ({ status: 200, body: await listFunds(deps, query, callerOf(principalOf(res))) }),
    }),
    defineRoute({
      method: 'get',
      path: '/funds/:id',
      operationId: 'getFund',
      policy: 'community.read',
      summary: '经费详情与流水 (a fund line with its movements)',
      tags: fundTags,
      request: { params: FundIdParams },
      responses: { 200: { description: '经费', schema: ServiceFundDetailView } },
      handler: async ({ params }, { res }) => ({ status: 200, body: await getFund(deps, params.id, callerOf(principalOf(res))) }),
    }),
    defineRoute({
      method: 'get',
      path: '/budget-item-kinds',
      operationId: 'listItemKinds',
      policy: 'signed-in',
      summary: '预算科目 (budget item kinds with their Chinese labels)',
      tags: ['参考价格 Reference prices'],
      responses: { 200: { description: '预算科目', schema: ItemKindListView } },
      handler: async () => ({ status: 200, body: itemKinds() }),
    }),
  ];
}
