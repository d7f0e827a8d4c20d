import { RegisterSubDistrictBody, SubDistrictIdParams, SubDistrictView, type Actor } from '@linli/contracts';
import { Page, defineRoute, paginationQuery } from '@linli/http';
import type { Request } from '@linli/http';
import { activateSubDistrict, getSubDistrict, listSubDistricts, registerSubDistrict } from '../../domain/sub-districts.use-cases';
import type { UnitOfWork } from '../../data-access/unit-of-work';

const tags = ['街道 Sub-districts'];

/** Until signed tokens arrive (@linli/auth), the caller names itself; every write still records who. */
function actorOf(req: Request): Actor {
  return { userId: req.header('x-linli-user') ?? 'anonymous', role: req.header('x-linli-role') ?? 'unknown' };
}

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
      handler: async ({ body }, { req }) => ({ status: 201, body: await registerSubDistrict(uow, body, actorOf(req)) }),
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
      handler: async ({ params }, { req }) => ({ status: 200, body: await activateSubDistrict(uow, params.id, actorOf(req)) }),
    }),
  ];
}
