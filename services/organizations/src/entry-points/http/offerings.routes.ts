import { authorize, principalOf } from '@linli/auth';
import { CreateOfferingBody, ListOfferingsQuery, OfferingIdParams, OfferingView, OrganizationIdParams, UpdateOfferingBody } from '@linli/contracts';
import { Page, defineRoute } from '@linli/http';
import { callerOf, type Deps } from '../../domain/context';
import { createOffering, getOffering, listOfferings, updateOffering } from '../../domain/offerings.use-cases';

const tags = ['服务清单 Offerings'];

export function offeringRoutes(deps: Deps) {
  return [
    defineRoute({
      method: 'post',
      path: '/organizations/:id/offerings',
      operationId: 'createOffering',
      policy: 'offering.manage',
      summary: '发布服务清单（摆摊） (publish an offering)',
      tags,
      request: { params: OrganizationIdParams, body: CreateOfferingBody },
      responses: { 201: { description: '已发布', schema: OfferingView } },
      handler: async ({ params, body }, { res }) => {
        const principal = principalOf(res);
        authorize(principal, 'offering.manage', { organizationId: params.id });
        return { status: 201, body: await createOffering(deps, params.id, body, callerOf(principal)) };
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/offerings/:id',
      operationId: 'updateOffering',
      policy: 'offering.manage',
      summary: '修改服务清单 (update an offering; republishes it)',
      tags,
      request: { params: OfferingIdParams, body: UpdateOfferingBody },
      responses: { 200: { description: '已更新', schema: OfferingView } },
      // offering.manage is checked in the use case against the offering's organization.
      handler: async ({ params, body }, { res }) => ({ status: 200, body: await updateOffering(deps, params.id, body, callerOf(principalOf(res))) }),
    }),
    defineRoute({
      method: 'get',
      path: '/offerings',
      operationId: 'listOfferings',
      policy: 'organization.read',
      summary: '服务清单列表：按类别、服务对象、组织 (list offerings by category, target group, organization)',
      tags,
      request: { query: ListOfferingsQuery },
      responses: { 200: { description: '一页服务', schema: Page(OfferingView) } },
      handler: async ({ query }, { res }) => {
        authorize(principalOf(res), 'organization.read');
        return { status: 200, body: await listOfferings(deps, query) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/offerings/:id',
      operationId: 'getOffering',
      policy: 'organization.read',
      summary: '服务详情 (get an offering)',
      tags,
      request: { params: OfferingIdParams },
      responses: { 200: { description: '服务', schema: OfferingView } },
      handler: async ({ params }, { res }) => {
        authorize(principalOf(res), 'organization.read');
        return { status: 200, body: await getOffering(deps, params.id) };
      },
    }),
  ];
}
