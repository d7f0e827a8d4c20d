import { principalOf } from '@linli/auth';
import { ListProjectsQuery, OverviewView, ProjectDetailView, ProjectIdParams, ProjectSummaryView, StalledItemView, StalledQuery } from '@linli/contracts';
import { Page, defineRoute } from '@linli/http';
import { getOverview, getProjectDetail, listProjects, listStalled, type OperationsDeps } from '../../domain/projects.use-cases';

const tags = ['运维 Operations'];

export function projectRoutes(deps: OperationsDeps) {
  return [
    defineRoute({
      method: 'get',
      path: '/overview',
      operationId: 'getOverview',
      policy: 'lifecycle.read',
      summary: '总览：各阶段、各街道、待谁处理的项目数，社区经费的承诺与拨付，超时与停住的数量 (overview)',
      tags,
      responses: { 200: { description: '总览（只含调用者有权查看的项目）', schema: OverviewView } },
      handler: async (_input, { res }) => ({ status: 200, body: await getOverview(deps, principalOf(res)) }),
    }),
    defineRoute({
      method: 'get',
      path: '/projects',
      operationId: 'listProjects',
      policy: 'lifecycle.read',
      summary: '项目列表：按阶段、街道、社区、社会组织、年度、待谁处理、超时、需处理筛选 (list project lifecycles)',
      tags,
      request: { query: ListProjectsQuery },
      responses: { 200: { description: '一页项目', schema: Page(ProjectSummaryView) } },
      handler: async ({ query }, { res }) => ({ status: 200, body: await listProjects(deps, principalOf(res), query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/stalled',
      operationId: 'listStalled',
      policy: 'lifecycle.read',
      summary: '卡住的流程：停住（步骤失败）的在前，按停住时长；再按超时多久 (stalled lifecycles, parked first)',
      tags,
      request: { query: StalledQuery },
      responses: { 200: { description: '一页卡住的流程，附原因', schema: Page(StalledItemView) } },
      handler: async ({ query }, { res }) => ({ status: 200, body: await listStalled(deps, principalOf(res), query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/projects/:id',
      operationId: 'getProject',
      policy: 'lifecycle.read',
      summary: '项目详情：实时流程状态、时间线、预算与实际、各期款项及条件、Temporal 链接 (project page)',
      tags,
      request: { params: ProjectIdParams },
      responses: { 200: { description: '项目', schema: ProjectDetailView } },
      handler: async ({ params }, { res }) => ({ status: 200, body: await getProjectDetail(deps, principalOf(res), params.id) }),
    }),
  ];
}
