import { FindingListQuery, FindingNoteBody, FindingView, RaiseFindingBody, SupervisionIdParams } from '@linli/contracts';
import { Page, defineRoute } from '@linli/http';
import type { SupervisionDeps } from '../../domain/context';
import { closeFinding, getFinding, listFindings, raiseFinding, rectifyFinding } from '../../domain/findings.use-cases';
import { callerFor } from './caller';

const tags = ['问题 Findings'];

export function findingRoutes(deps: SupervisionDeps) {
  return [
    defineRoute({
      method: 'post',
      path: '/contracts/:id/findings',
      operationId: 'raiseFinding',
      policy: 'finding.raise',
      summary: '提出问题并限期整改 (raise a finding with a rectification deadline)',
      description: '严重问题（severe）会使资金服务冻结拨付。',
      tags,
      request: { params: SupervisionIdParams, body: RaiseFindingBody },
      responses: { 201: { description: '已提出', schema: FindingView } },
      handler: async ({ params, body }, { res }) => ({ status: 201, body: await raiseFinding(deps, params.id, body, callerFor(res, 'finding.raise')) }),
    }),
    defineRoute({
      method: 'get',
      path: '/findings',
      operationId: 'listFindings',
      policy: 'activity.read',
      summary: '问题列表（按严重程度、状态、是否逾期）(list findings by severity / status / overdue)',
      tags,
      request: { query: FindingListQuery },
      responses: { 200: { description: '一页问题', schema: Page(FindingView) } },
      handler: async ({ query }, { res }) => ({ status: 200, body: await listFindings(deps, query, callerFor(res, 'activity.read')) }),
    }),
    defineRoute({
      method: 'get',
      path: '/findings/:id',
      operationId: 'getFinding',
      policy: 'activity.read',
      summary: '问题详情 (a finding)',
      tags,
      request: { params: SupervisionIdParams },
      responses: { 200: { description: '问题', schema: FindingView } },
      handler: async ({ params }, { res }) => ({ status: 200, body: await getFinding(deps, params.id, callerFor(res, 'activity.read')) }),
    }),
    defineRoute({
      method: 'post',
      path: '/findings/:id/rectification',
      operationId: 'rectifyFinding',
      policy: 'finding.rectify',
      summary: '提交整改情况 (report the rectification)',
      tags,
      request: { params: SupervisionIdParams, body: FindingNoteBody },
      responses: { 200: { description: '已提交整改', schema: FindingView } },
      handler: async ({ params, body }, { res }) => ({ status: 200, body: await rectifyFinding(deps, params.id, body, callerFor(res, 'finding.rectify')) }),
    }),
    defineRoute({
      method: 'post',
      path: '/findings/:id/closure',
      operationId: 'closeFinding',
      policy: 'finding.raise',
      summary: '确认整改并关闭问题 (accept the rectification and close)',
      tags,
      request: { params: SupervisionIdParams, body: FindingNoteBody },
      responses: { 200: { description: '已关闭', schema: FindingView } },
      handler: async ({ params, body }, { res }) => ({ status: 200, body: await closeFinding(deps, params.id, body, callerFor(res, 'finding.raise')) }),
    }),
  ];
}
