import { AgencyView, RegisterAgencyBody, SupervisionIdParams } from '@linli/contracts';
import { Page, defineRoute, paginationQuery } from '@linli/http';
import { getAgency, listAgencies, registerAgency } from '../../domain/agencies.use-cases';
import type { SupervisionDeps } from '../../domain/context';
import { callerFor } from './caller';

const tags = ['机构 Agencies'];

export function agencyRoutes(deps: SupervisionDeps) {
  return [
    defineRoute({
      method: 'post',
      path: '/agencies',
      operationId: 'registerAgency',
      policy: 'supervision.assign',
      summary: '登记第三方监督机构 (register a supervising agency)',
      description: '管理员登记；机构名称唯一。',
      tags,
      request: { body: RegisterAgencyBody },
      responses: { 201: { description: '已登记', schema: AgencyView } },
      handler: async ({ body }, { res }) => ({ status: 201, body: await registerAgency(deps, body, callerFor(res, 'supervision.assign')) }),
    }),
    defineRoute({
      method: 'get',
      path: '/agencies',
      operationId: 'listAgencies',
      policy: 'signed-in',
      summary: '监督机构列表 (list agencies)',
      tags,
      request: { query: paginationQuery },
      responses: { 200: { description: '一页机构', schema: Page(AgencyView) } },
      handler: async ({ query }) => ({ status: 200, body: await listAgencies(deps, query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/agencies/:id',
      operationId: 'getAgency',
      policy: 'signed-in',
      summary: '监督机构详情 (get an agency)',
      tags,
      request: { params: SupervisionIdParams },
      responses: { 200: { description: '机构', schema: AgencyView } },
      handler: async ({ params }) => ({ status: 200, body: await getAgency(deps, params.id) }),
    }),
  ];
}
