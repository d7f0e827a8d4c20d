import { authorize, principalOf } from '@linli/auth';
import {
  AnnualInspectionView,
  ListOrganizationsQuery,
  OrganizationDetailView,
  OrganizationIdParams,
  OrganizationView,
  RecordAnnualInspectionBody,
  RegisterOrganizationBody,
  TrackRecordView,
  UpdateCreditStatusBody,
} from '@linli/contracts';
import { Page, defineRoute } from '@linli/http';
import { callerOf, type Deps } from '../../domain/context';
import {
  getOrganization,
  listOrganizations,
  recordAnnualInspection,
  registerOrganization,
  updateCreditStatus,
} from '../../domain/organizations.use-cases';
import { getTrackRecord } from '../../domain/track-record.use-cases';

const tags = ['社会组织 Organizations'];

export function organizationRoutes(deps: Deps) {
  return [
    defineRoute({
      method: 'post',
      path: '/organizations',
      operationId: 'registerOrganization',
      policy: 'organization.register',
      summary: '登记社会组织 (register an organization)',
      description: '统一社会信用代码按 GB 32100-2015 逐位校验；有误时 400 指出哪一位错了、应为何值。',
      tags,
      request: { body: RegisterOrganizationBody },
      responses: { 201: { description: '已登记', schema: OrganizationView } },
      handler: async ({ body }, { res }) => {
        const principal = principalOf(res);
        authorize(principal, 'organization.register');
        return { status: 201, body: await registerOrganization(deps, body, callerOf(principal)) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/organizations',
      operationId: 'listOrganizations',
      policy: 'organization.read',
      summary: '社会组织列表 (list organizations: by credit status, registration type, name)',
      tags,
      request: { query: ListOrganizationsQuery },
      responses: { 200: { description: '一页社会组织', schema: Page(OrganizationView) } },
      handler: async ({ query }, { res }) => {
        authorize(principalOf(res), 'organization.read');
        return { status: 200, body: await listOrganizations(deps, query) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/organizations/:id',
      operationId: 'getOrganization',
      policy: 'organization.read',
      summary: '社会组织详情，含年检与信用变更记录 (get an organization with inspections and credit history)',
      tags,
      request: { params: OrganizationIdParams },
      responses: { 200: { description: '社会组织', schema: OrganizationDetailView } },
      handler: async ({ params }, { res }) => {
        authorize(principalOf(res), 'organization.read');
        return { status: 200, body: await getOrganization(deps, params.id) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/organizations/:id/credit-status',
      operationId: 'updateCreditStatus',
      policy: 'organization.credit.update',
      summary: '更新信用状况（须写明理由） (change the credit status, with a reason)',
      tags,
      request: { params: OrganizationIdParams, body: UpdateCreditStatusBody },
      responses: { 200: { description: '已更新', schema: OrganizationView } },
      handler: async ({ params, body }, { res }) => {
        const principal = principalOf(res);
        authorize(principal, 'organization.credit.update');
        return { status: 200, body: await updateCreditStatus(deps, params.id, body, callerOf(principal)) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/organizations/:id/annual-inspections',
      operationId: 'recordAnnualInspection',
      policy: 'organization.register',
      summary: '登记年检结论 (record an annual inspection result)',
      tags,
      request: { params: OrganizationIdParams, body: RecordAnnualInspectionBody },
      responses: { 201: { description: '已登记', schema: AnnualInspectionView } },
      handler: async ({ params, body }, { res }) => {
        const principal = principalOf(res);
        authorize(principal, 'organization.register');
        return { status: 201, body: await recordAnnualInspection(deps, params.id, body, callerOf(principal)) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/organizations/:id/track-record',
      operationId: 'getTrackRecord',
      policy: 'organization.read',
      summary: '履约记录：合同、结项评估等级、监督发现的问题 (track record: contracts, grades, findings)',
      tags,
      request: { params: OrganizationIdParams },
      responses: { 200: { description: '履约记录', schema: TrackRecordView } },
      handler: async ({ params }, { res }) => {
        authorize(principalOf(res), 'organization.read');
        return { status: 200, body: await getTrackRecord(deps, params.id) };
      },
    }),
  ];
}
