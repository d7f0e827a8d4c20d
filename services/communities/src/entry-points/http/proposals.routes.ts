import { principalOf } from '@linli/auth';
import {
  AcceptFlagBody,
  CreateProposalBody,
  ListProposalsQuery,
  ProposalDiffQuery,
  ProposalDiffView,
  ProposalFlagParams,
  ProposalIdParams,
  ProposalSummaryView,
  ProposalVersionListView,
  ProposalVersionParams,
  ProposalVersionView,
  ProposalView,
  RecordDecisionBody,
  SubmitProposalBody,
  UpdateProposalBody,
} from '@linli/contracts';
import { Page, defineRoute } from '@linli/http';
import { callerOf, type Deps } from '../../domain/context';
import {
  acceptBudgetFlag,
  createProposal,
  diffProposalVersions,
  getProposal,
  getVersion,
  listProposals,
  listVersions,
  recordReviewDecision,
  submitProposal,
  updateProposal,
} from '../../domain/proposals.use-cases';

const tags = ['项目申请 Proposals'];
const reviewTags = ['评审 Review'];

export function proposalRoutes(deps: Deps) {
  return [
    defineRoute({
      method: 'post',
      path: '/proposals',
      operationId: 'createProposal',
      summary: '起草项目申请 (draft a proposal: offering/organization, activity plan, line-item budget)',
      description: '社区级由社区书记起草；街道级（communityId 为空）由街道审核人员起草。金额由单价×数量计算，超参考价的行被标记。',
      tags,
      request: { body: CreateProposalBody },
      responses: { 201: { description: '已起草', schema: ProposalView } },
      handler: async ({ body }, { res }) => ({ status: 201, body: await createProposal(deps, body, callerOf(principalOf(res))) }),
    }),
    defineRoute({
      method: 'get',
      path: '/proposals',
      operationId: 'listProposals',
      summary: '项目申请列表 (proposals you may see; filter by status, gate, level, fiscal year, community, organization)',
      tags,
      request: { query: ListProposalsQuery },
      responses: { 200: { description: '一页项目申请', schema: Page(ProposalSummaryView) } },
      handler: async ({ query }, { res }) => ({ status: 200, body: await listProposals(deps, query, callerOf(principalOf(res))) }),
    }),
    defineRoute({
      method: 'get',
      path: '/proposals/:id',
      operationId: 'getProposal',
      summary: '项目申请详情 (the proposal: latest version, totals, price flags, decisions, fund)',
      tags,
      request: { params: ProposalIdParams },
      responses: { 200: { description: '项目申请', schema: ProposalView } },
      handler: async ({ params }, { res }) => ({ status: 200, body: await getProposal(deps, params.id, callerOf(principalOf(res))) }),
    }),
    defineRoute({
      method: 'patch',
      path: '/proposals/:id',
      operationId: 'updateProposal',
      summary: '修改项目申请 (edit the working version; organization staff: plan and budget only)',
      tags,
      request: { params: ProposalIdParams, body: UpdateProposalBody },
      responses: { 200: { description: '项目申请', schema: ProposalView } },
      handler: async ({ params, body }, { res }) => ({ status: 200, body: await updateProposal(deps, params.id, body, callerOf(principalOf(res))) }),
    }),
    defineRoute({
      method: 'post',
      path: '/proposals/:id/submission',
      operationId: 'submitProposal',
      summary: '提交项目申请 (submit: freezes the version and enters 预审)',
      tags,
      request: { params: ProposalIdParams, body: SubmitProposalBody },
      responses: { 200: { description: '已提交', schema: ProposalView } },
      handler: async ({ params, body }, { res }) => ({ status: 200, body: await submitProposal(deps, params.id, body, callerOf(principalOf(res))) }),
    }),
    defineRoute({
      method: 'post',
      path: '/proposals/:id/decisions',
      operationId: 'recordReviewDecision',
      summary: '记录评审决定 (record a decision at the current gate: 预审 → 联审 → 工委会; approve / return / reject)',
      description: '决定须针对当前环节与送审版本，否则 409。工委会通过即立项并占用经费。decisionId 可作幂等键（重复提交返回 200）。',
      tags: reviewTags,
      request: { params: ProposalIdParams, body: RecordDecisionBody },
      responses: {
        201: { description: '已记录', schema: ProposalView },
        200: { description: '同一 decisionId 已记录过，未重复写入', schema: ProposalView },
      },
      handler: async ({ params, body }, { res }) => {
        const result = await recordReviewDecision(deps, params.id, body, callerOf(principalOf(res)));
        return result.replayed ? { status: 200, body: result.proposal } : { status: 201, body: result.proposal };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/proposals/:id/budget-flags/:lineKey/acceptance',
      operationId: 'acceptBudgetFlag',
      summary: '接受超参考价预算行 (a reviewer accepts a flagged line with a reason, at 预审)',
      tags: reviewTags,
      request: { params: ProposalFlagParams, body: AcceptFlagBody },
      responses: { 200: { description: '已接受', schema: ProposalView } },
      handler: async ({ params, body }, { res }) => ({ status: 200, body: await acceptBudgetFlag(deps, params.id, params.lineKey, body, callerOf(principalOf(res))) }),
    }),
    defineRoute({
      method: 'get',
      path: '/proposals/:id/versions',
      operationId: 'listProposalVersions',
      summary: '版本列表 (the proposal’s versions)',
      tags,
      request: { params: ProposalIdParams },
      responses: { 200: { description: '版本', schema: ProposalVersionListView } },
      handler: async ({ params }, { res }) => ({ status: 200, body: await listVersions(deps, params.id, callerOf(principalOf(res))) }),
    }),
    defineRoute({
      method: 'get',
      path: '/proposals/:id/versions/:version',
      operationId: 'getProposalVersion',
      summary: '某一版本 (one version, as frozen at submission)',
      tags,
      request: { params: ProposalVersionParams },
      responses: { 200: { description: '版本', schema: ProposalVersionView } },
      handler: async ({ params }, { res }) => ({ status: 200, body: await getVersion(deps, params.id, params.version, callerOf(principalOf(res))) }),
    }),
    defineRoute({
      method: 'get',
      path: '/proposals/:id/diff',
      operationId: 'diffProposalVersions',
      summary: '版本比对 (what changed between two versions: activities and lines added/removed/changed, total delta)',
      tags,
      request: { params: ProposalIdParams, query: ProposalDiffQuery },
      responses: { 200: { description: '比对', schema: ProposalDiffView } },
      handler: async ({ params, query }, { res }) => ({
        status: 200,
        body: await diffProposalVersions(deps, params.id, query.from, query.to, callerOf(principalOf(res))),
      }),
    }),
  ];
}
