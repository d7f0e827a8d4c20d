import { authorize, principalOf } from '@linli/auth';
import {
  AnswerObjectionBody,
  AwardTenderBody,
  BidListView,
  BidView,
  CancelTenderBody,
  CreateTenderBody,
  ListBidsQuery,
  ListTendersQuery,
  LodgeObjectionBody,
  ObjectionIdParams,
  ObjectionView,
  RetenderBody,
  ScoreBidBody,
  ScoreSheetView,
  SubmitBidBody,
  TenderBidParams,
  TenderIdParams,
  TenderResultsView,
  TenderView,
  UpdateTenderBody,
} from '@linli/contracts';
import { Page, defineRoute } from '@linli/http';
import { callerOf, type Deps } from '../../domain/context';
import {
  answerObjection,
  awardTender,
  cancelTender,
  createTender,
  getBid,
  getResults,
  getTender,
  listBids,
  listObjections,
  listTenders,
  lodgeObjection,
  openBids,
  publishTender,
  retender,
  scoreBid,
  submitBid,
  updateTender,
} from '../../domain/tenders.use-cases';

const tags = ['招投标 Tenders'];
const bidTags = ['投标 Bids'];

/**
 * Routes whose permission depends on the stored tender (its sub-district) leave the check to the use
 * case, which makes it against the same policy table after loading the tender.
 */
export function tenderRoutes(deps: Deps) {
  return [
    defineRoute({
      method: 'post',
      path: '/tenders',
      operationId: 'createTender',
      policy: 'tender.manage',
      summary: '新建招标（草稿）：公告、时间、文件、评分细则 (create a tender draft)',
      tags,
      request: { body: CreateTenderBody },
      responses: { 201: { description: '草稿', schema: TenderView } },
      handler: async ({ body }, { res }) => {
        const principal = principalOf(res);
        authorize(principal, 'tender.manage', { subDistrictId: body.subDistrictId });
        return { status: 201, body: await createTender(deps, body, callerOf(principal)) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/tenders',
      operationId: 'listTenders',
      policy: 'tender.read',
      summary: '招标列表：按状态、街道、项目 (list tenders by status, sub-district, project)',
      tags,
      request: { query: ListTendersQuery },
      responses: { 200: { description: '一页招标', schema: Page(TenderView) } },
      handler: async ({ query }, { res }) => {
        authorize(principalOf(res), 'tender.read');
        return { status: 200, body: await listTenders(deps, query) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/tenders/:id',
      operationId: 'getTender',
      policy: 'tender.read',
      summary: '招标公告详情 (get a tender)',
      tags,
      request: { params: TenderIdParams },
      responses: { 200: { description: '招标', schema: TenderView } },
      handler: async ({ params }, { res }) => {
        authorize(principalOf(res), 'tender.read');
        return { status: 200, body: await getTender(deps, params.id) };
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/tenders/:id',
      operationId: 'updateTender',
      policy: 'tender.manage',
      summary: '修改招标草稿 (edit a draft tender)',
      tags,
      request: { params: TenderIdParams, body: UpdateTenderBody },
      responses: { 200: { description: '已修改', schema: TenderView } },
      handler: async ({ params, body }, { res }) => ({ status: 200, body: await updateTender(deps, params.id, body, callerOf(principalOf(res))) }),
    }),
    defineRoute({
      method: 'post',
      path: '/tenders/:id/publication',
      operationId: 'publishTender',
      policy: 'tender.manage',
      summary: '发布招标公告 (publish the tender)',
      tags,
      request: { params: TenderIdParams },
      responses: { 200: { description: '已发布', schema: TenderView } },
      handler: async ({ params }, { res }) => ({ status: 200, body: await publishTender(deps, params.id, callerOf(principalOf(res))) }),
    }),
    defineRoute({
      method: 'post',
      path: '/tenders/:id/opening',
      operationId: 'openBids',
      policy: 'tender.manage',
      summary: '开标（开标时间后）；投标不足最低数则流标 (open the bids at/after the opening time; too few bids → unsuccessful)',
      tags,
      request: { params: TenderIdParams },
      responses: { 200: { description: '已开标或流标', schema: TenderView } },
      handler: async ({ params }, { res }) => ({ status: 200, body: await openBids(deps, params.id, callerOf(principalOf(res))) }),
    }),
    defineRoute({
      method: 'post',
      path: '/tenders/:id/retender',
      operationId: 'retender',
      policy: 'tender.manage',
      summary: '流标后重新招标（新的时间，同一项目） (re-tender after an unsuccessful round)',
      tags,
      request: { params: TenderIdParams, body: RetenderBody },
      responses: { 200: { description: '已重新发布', schema: TenderView } },
      handler: async ({ params, body }, { res }) => ({ status: 200, body: await retender(deps, params.id, body, callerOf(principalOf(res))) }),
    }),
    defineRoute({
      method: 'post',
      path: '/tenders/:id/cancellation',
      operationId: 'cancelTender',
      policy: 'tender.manage',
      summary: '撤销招标 (cancel the tender)',
      tags,
      request: { params: TenderIdParams, body: CancelTenderBody },
      responses: { 200: { description: '已撤销', schema: TenderView } },
      handler: async ({ params, body }, { res }) => ({ status: 200, body: await cancelTender(deps, params.id, body, callerOf(principalOf(res))) }),
    }),
    defineRoute({
      method: 'get',
      path: '/tenders/:id/results',
      operationId: 'getTenderResults',
      policy: 'bid.read',
      summary: '专题会评分结果与排名（开标后，仅招标方） (scores and ranking, after opening)',
      tags,
      request: { params: TenderIdParams },
      responses: { 200: { description: '评分结果', schema: TenderResultsView } },
      handler: async ({ params }, { res }) => ({ status: 200, body: await getResults(deps, params.id, callerOf(principalOf(res))) }),
    }),
    defineRoute({
      method: 'post',
      path: '/tenders/:id/award',
      operationId: 'awardTender',
      policy: 'tender.award',
      summary: '定标：得分最高者中标（同分报价低者优先），进入公示期 (award to the top score; tie → lower price; standstill starts)',
      tags,
      request: { params: TenderIdParams, body: AwardTenderBody },
      responses: { 200: { description: '已定标', schema: TenderView } },
      handler: async ({ params, body }, { res }) => ({ status: 200, body: await awardTender(deps, params.id, body, callerOf(principalOf(res))) }),
    }),

    // ── bids ──
    defineRoute({
      method: 'post',
      path: '/tenders/:id/bids',
      operationId: 'submitBid',
      policy: 'bid.submit',
      summary: '投标（截止前；开标前密封） (submit a bid before the deadline; sealed until the opening)',
      tags: bidTags,
      request: { params: TenderIdParams, body: SubmitBidBody },
      responses: { 201: { description: '已投标', schema: BidView } },
      handler: async ({ params, body }, { res }) => {
        const principal = principalOf(res);
        authorize(principal, 'bid.submit', { organizationId: body.organizationId });
        return { status: 201, body: await submitBid(deps, params.id, body, callerOf(principal)) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/tenders/:id/bids',
      operationId: 'listBids',
      policy: 'tender.read',
      summary: '投标列表（开标前：只见本组织的投标；招标方只见数量） (bids: sealed until the opening)',
      tags: bidTags,
      request: { params: TenderIdParams, query: ListBidsQuery },
      responses: { 200: { description: '投标', schema: BidListView } },
      handler: async ({ params, query }, { res }) => {
        const principal = principalOf(res);
        authorize(principal, 'tender.read');
        return { status: 200, body: await listBids(deps, params.id, query, callerOf(principal)) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/tenders/:id/bids/:bidId',
      operationId: 'getBid',
      policy: 'bid.read',
      summary: '投标文件（开标前只有投标人可见） (a bid: before the opening only its bidder may read it)',
      tags: bidTags,
      request: { params: TenderBidParams },
      responses: { 200: { description: '投标文件', schema: BidView } },
      handler: async ({ params }, { res }) => ({ status: 200, body: await getBid(deps, params.id, params.bidId, callerOf(principalOf(res))) }),
    }),
    defineRoute({
      method: 'put',
      path: '/tenders/:id/bids/:bidId/scores',
      operationId: 'scoreBid',
      policy: 'tender.score',
      summary: '专题会评分：按评分细则逐项打分 (score a bid on every criterion)',
      tags: bidTags,
      request: { params: TenderBidParams, body: ScoreBidBody },
      responses: { 200: { description: '评分表', schema: ScoreSheetView } },
      handler: async ({ params, body }, { res }) => ({ status: 200, body: await scoreBid(deps, params.id, params.bidId, body, callerOf(principalOf(res))) }),
    }),

    // ── objections ──
    defineRoute({
      method: 'post',
      path: '/tenders/:id/objections',
      operationId: 'lodgeObjection',
      policy: 'objection.lodge',
      summary: '公示期内提出异议（本轮投标人） (lodge an objection during the standstill period)',
      tags,
      request: { params: TenderIdParams, body: LodgeObjectionBody },
      responses: { 201: { description: '已提出', schema: ObjectionView } },
      handler: async ({ params, body }, { res }) => {
        const principal = principalOf(res);
        authorize(principal, 'objection.lodge', { organizationId: body.organizationId });
        return { status: 201, body: await lodgeObjection(deps, params.id, body, callerOf(principal)) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/tenders/:id/objections',
      operationId: 'listObjections',
      policy: 'bid.read',
      summary: '异议列表（招标方见全部，组织见本组织的） (objections)',
      tags,
      request: { params: TenderIdParams },
      responses: { 200: { description: '异议', schema: Page(ObjectionView) } },
      handler: async ({ params }, { res }) => ({ status: 200, body: await listObjections(deps, params.id, callerOf(principalOf(res))) }),
    }),
    defineRoute({
      method: 'post',
      path: '/objections/:id/answer',
      operationId: 'answerObjection',
      policy: 'objection.answer',
      summary: '答复异议 (answer an objection)',
      tags,
      request: { params: ObjectionIdParams, body: AnswerObjectionBody },
      responses: { 200: { description: '已答复', schema: ObjectionView } },
      handler: async ({ params, body }, { res }) => ({ status: 200, body: await answerObjection(deps, params.id, body, callerOf(principalOf(res))) }),
    }),
  ];
}
