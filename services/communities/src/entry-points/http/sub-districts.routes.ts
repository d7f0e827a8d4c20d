import { actorOf, authorize, principalOf } from '@linli/auth';
import {
  AllocateFundBody,
  CommunityView,
  FundHolderParams,
  ItemKindParams,
  ReferencePriceListView,
  ReferencePriceView,
  RegisterCommunityBody,
  RegisterSubDistrictBody,
  ServiceFundView,
  SetPriceMarginBody,
  SetReferencePriceBody,
  SubDistrictIdParams,
  SubDistrictView,
} from '@linli/contracts';
import { Page, defineRoute, paginationQuery } from '@linli/http';
import { registerCommunity } from '../../domain/communities.use-cases';
import { callerOf, type Deps } from '../../domain/context';
import { allocateSubDistrictFund } from '../../domain/funds.use-cases';
import { listReferencePrices, setPriceMargin, setReferencePrice } from '../../domain/reference-prices.use-cases';
import { activateSubDistrict, getSubDistrict, listSubDistricts, registerSubDistrict } from '../../domain/sub-districts.use-cases';

const tags = ['街道 Sub-districts'];
const priceTags = ['参考价格 Reference prices'];

export function subDistrictRoutes(deps: Deps) {
  const { uow } = deps;
  return [
    defineRoute({
      method: 'post',
      path: '/sub-districts',
      operationId: 'registerSubDistrict',
      policy: 'subdistrict.manage',
      summary: '登记街道 (register a sub-district)',
      tags,
      request: { body: RegisterSubDistrictBody },
      responses: { 201: { description: '已登记', schema: SubDistrictView } },
      handler: async ({ body }, { res }) => {
        const principal = principalOf(res);
        authorize(principal, 'subdistrict.manage');
        return { status: 201, body: await registerSubDistrict(uow, body, actorOf(principal)) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/sub-districts',
      operationId: 'listSubDistricts',
      policy: 'signed-in',
      summary: '街道列表 (list sub-districts)',
      tags,
      request: { query: paginationQuery },
      responses: { 200: { description: '一页街道', schema: Page(SubDistrictView) } },
      handler: async ({ query }) => ({ status: 200, body: await listSubDistricts(uow, query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/sub-districts/:id',
      operationId: 'getSubDistrict',
      policy: 'signed-in',
      summary: '街道详情 (get a sub-district)',
      tags,
      request: { params: SubDistrictIdParams },
      responses: { 200: { description: '街道', schema: SubDistrictView } },
      handler: async ({ params }) => ({ status: 200, body: await getSubDistrict(uow, params.id) }),
    }),
    defineRoute({
      method: 'post',
      path: '/sub-districts/:id/activation',
      operationId: 'activateSubDistrict',
      policy: 'subdistrict.manage',
      summary: '完成街道开通 (complete onboarding; called by the onboarding workflow)',
      tags,
      request: { params: SubDistrictIdParams },
      responses: { 200: { description: '已开通', schema: SubDistrictView } },
      handler: async ({ params }, { res }) => {
        const principal = principalOf(res);
        authorize(principal, 'subdistrict.manage');
        return { status: 200, body: await activateSubDistrict(uow, params.id, actorOf(principal)) };
      },
    }),
      defineRoute({
      method: 'post',
      path: '/sub-districts/:id/communities',
      operationId: 'registerCommunity',
      policy: 'subdistrict.manage',
      summary: '登记社区 (register a community of the sub-district)',
      tags: ['社区 Communities'],
      request: { params: SubDistrictIdParams, body: RegisterCommunityBody },
      responses: { 201: { description: '已登记', schema: CommunityView } },
      handler: async ({ params, body }, { res }) => ({ status: 201, body: await registerCommunity(deps, params.id, body, callerOf(principalOf(res))) }),
    }),
    defineRoute({
      method: 'put',
      path: '/sub-districts/:id/funds/:fiscalYear',
      operationId: 'allocateSubDistrictFund',
      policy: 'fund.allocate',
      summary: '下达街道级项目经费 (set the sub-district’s own fund line for a fiscal year; drawn on by sub-district-level projects)',
      tags: ['经费 Funds'],
      request: { params: FundHolderParams, body: AllocateFundBody },
      responses: { 200: { description: '经费', schema: ServiceFundView } },
      handler: async ({ params, body }, { res }) => ({
        status: 200,
        body: await allocateSubDistrictFund(deps, params.id, params.fiscalYear, body, callerOf(principalOf(res))),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/sub-districts/:id/reference-prices',
      operationId: 'listReferencePrices',
      policy: 'signed-in',
      summary: '参考价格与允许上浮幅度 (reference prices per item kind and the margin)',
      tags: priceTags,
      request: { params: SubDistrictIdParams },
      responses: { 200: { description: '参考价格', schema: ReferencePriceListView } },
      handler: async ({ params }) => ({ status: 200, body: await listReferencePrices(deps, params.id) }),
    }),
    defineRoute({
      method: 'put',
      path: '/sub-districts/:id/reference-prices/:itemKind',
      operationId: 'setReferencePrice',
      policy: 'price.reference.manage',
      summary: '设定参考价格 (set the reference price of one item kind)',
      tags: priceTags,
      request: { params: ItemKindParams, body: SetReferencePriceBody },
      responses: { 200: { description: '参考价格', schema: ReferencePriceView } },
      handler: async ({ params, body }, { res }) => ({
        status: 200,
        body: await setReferencePrice(deps, params.id, params.itemKind, body, callerOf(principalOf(res))),
      }),
    }),
    defineRoute({
      method: 'put',
      path: '/sub-districts/:id/price-margin',
      operationId: 'setPriceMargin',
      policy: 'price.reference.manage',
      summary: '设定允许超出参考价的幅度 (set the margin above reference before a line is flagged; default 30%)',
      tags: priceTags,
      request: { params: SubDistrictIdParams, body: SetPriceMarginBody },
      responses: { 200: { description: '参考价格', schema: ReferencePriceListView } },
      handler: async ({ params, body }, { res }) => ({ status: 200, body: await setPriceMargin(deps, params.id, body, callerOf(principalOf(res))) }),
    }),
  ];
}
