import { authorize, principalOf } from '@linli/auth';
import {
  AddStaffMemberBody,
  AssignStaffBody,
  DecideStaffChangeBody,
  ListStaffChangesQuery,
  OrganizationIdParams,
  ProjectTeamParams,
  ProjectTeamView,
  RequestStaffChangeBody,
  StaffAssignmentView,
  StaffChangeIdParams,
  StaffChangeView,
  StaffMemberParams,
  StaffMemberView,
  UpdateStaffMemberBody,
} from '@linli/contracts';
import { Page, defineRoute, paginationQuery } from '@linli/http';
import { callerOf, type Deps } from '../../domain/context';
import {
  addStaffMember,
  assignStaff,
  decideStaffChange,
  getProjectTeam,
  getStaffChange,
  listStaff,
  listStaffChanges,
  requestStaffChange,
  updateStaffMember,
} from '../../domain/staff.use-cases';

const tags = ['人员 Staff'];

export function staffRoutes(deps: Deps) {
  return [
    defineRoute({
      method: 'post',
      path: '/organizations/:id/staff',
      operationId: 'addStaffMember',
      policy: 'staff.manage',
      summary: '登记人员（名册） (add a person to the roster)',
      tags,
      request: { params: OrganizationIdParams, body: AddStaffMemberBody },
      responses: { 201: { description: '已登记', schema: StaffMemberView } },
      handler: async ({ params, body }, { res }) => {
        const principal = principalOf(res);
        authorize(principal, 'staff.manage', { organizationId: params.id });
        return { status: 201, body: await addStaffMember(deps, params.id, body, callerOf(principal)) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/organizations/:id/staff',
      operationId: 'listStaff',
      policy: 'organization.read',
      summary: '人员名册 (the roster)',
      tags,
      request: { params: OrganizationIdParams, query: paginationQuery },
      responses: { 200: { description: '一页人员', schema: Page(StaffMemberView) } },
      handler: async ({ params, query }, { res }) => {
        authorize(principalOf(res), 'organization.read');
        return { status: 200, body: await listStaff(deps, params.id, query) };
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/organizations/:id/staff/:staffId',
      operationId: 'updateStaffMember',
      policy: 'staff.manage',
      summary: '修改人员信息或登记离职 (update a person, or mark them as left)',
      tags,
      request: { params: StaffMemberParams, body: UpdateStaffMemberBody },
      responses: { 200: { description: '已更新', schema: StaffMemberView } },
      handler: async ({ params, body }, { res }) => {
        const principal = principalOf(res);
        authorize(principal, 'staff.manage', { organizationId: params.id });
        return { status: 200, body: await updateStaffMember(deps, params.id, params.staffId, body, callerOf(principal)) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/organizations/:id/projects/:projectId/assignments',
      operationId: 'assignStaff',
      policy: 'staff.manage',
      summary: '分派人员到已签约项目（初始团队） (assign a person to a contracted project: the initial team)',
      tags,
      request: { params: ProjectTeamParams, body: AssignStaffBody },
      responses: { 201: { description: '已分派', schema: StaffAssignmentView } },
      handler: async ({ params, body }, { res }) => {
        const principal = principalOf(res);
        authorize(principal, 'staff.manage', { organizationId: params.id });
        return { status: 201, body: await assignStaff(deps, params.id, params.projectId, body, callerOf(principal)) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/organizations/:id/projects/:projectId/team',
      operationId: 'getProjectTeam',
      policy: 'organization.read',
      summary: '项目团队：分派历史、替换次数、人员流动率 (project team: history, replacements, turnover rate)',
      tags,
      request: { params: ProjectTeamParams },
      responses: { 200: { description: '项目团队', schema: ProjectTeamView } },
      handler: async ({ params }, { res }) => {
        authorize(principalOf(res), 'organization.read');
        return { status: 200, body: await getProjectTeam(deps, params.id, params.projectId) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/organizations/:id/projects/:projectId/staff-changes',
      operationId: 'requestStaffChange',
      policy: 'staff.manage',
      summary: '申请项目人员变更（换下谁、换上谁、理由） (request a staff change: who out, who in, why)',
      tags,
      request: { params: ProjectTeamParams, body: RequestStaffChangeBody },
      responses: { 201: { description: '已申请，待街道审批', schema: StaffChangeView } },
      handler: async ({ params, body }, { res }) => {
        const principal = principalOf(res);
        authorize(principal, 'staff.manage', { organizationId: params.id });
        return { status: 201, body: await requestStaffChange(deps, params.id, params.projectId, body, callerOf(principal)) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/staff-changes',
      operationId: 'listStaffChanges',
      policy: 'organization.read',
      summary: '人员变更申请列表 (list staff change requests)',
      tags,
      request: { query: ListStaffChangesQuery },
      responses: { 200: { description: '一页变更申请', schema: Page(StaffChangeView) } },
      handler: async ({ query }, { res }) => {
        authorize(principalOf(res), 'organization.read');
        return { status: 200, body: await listStaffChanges(deps, query) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/staff-changes/:id',
      operationId: 'getStaffChange',
      policy: 'organization.read',
      summary: '人员变更申请详情 (get a staff change request)',
      tags,
      request: { params: StaffChangeIdParams },
      responses: { 200: { description: '变更申请', schema: StaffChangeView } },
      handler: async ({ params }, { res }) => {
        authorize(principalOf(res), 'organization.read');
        return { status: 200, body: await getStaffChange(deps, params.id) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/staff-changes/:id/decision',
      operationId: 'decideStaffChange',
      policy: 'staff.change.approve',
      summary: '审批人员变更（项目所在街道） (approve or reject a staff change: the project’s sub-district)',
      tags,
      request: { params: StaffChangeIdParams, body: DecideStaffChangeBody },
      responses: { 200: { description: '已审批', schema: StaffChangeView } },
      // staff.change.approve is checked in the use case against the project's sub-district.
      handler: async ({ params, body }, { res }) => ({ status: 200, body: await decideStaffChange(deps, params.id, body, callerOf(principalOf(res))) }),
    }),
  ];
}
