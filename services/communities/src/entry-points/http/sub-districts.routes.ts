import { actorOf, authorize, principalOf } from '@linli/auth';
import { RegisterSubDistrictBody, SubDistrictIdParams, SubDistrictView } from '@linli/contracts';
import { Page, defineRoute, paginationQuery } from '@linli/http';
import { activateSubDistrict, getSubDistrict, listSubDistricts, registerSubDistrict } from '../../domain/sub-districts.use-cases';
import type { UnitOfWork } from '../../data-access/unit-of-work';

const tags = ['街道 Sub-districts'];

export function subDistrictRoutes(uow: UnitOfWork) {
  return [
    defineRoute({
      method: 'post',
      path: '/sub-districts',
      operationId: 'registerSubDistrict',
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
  ];
}
