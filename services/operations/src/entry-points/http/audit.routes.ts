import { principalOf } from '@linli/auth';
import { AuditEntryView, AuditQuery, AuditVerificationView, ProjectAuditQuery, ProjectIdParams } from '@linli/contracts';
import { Page, defineRoute } from '@linli/http';
import { listAudit, listProjectAudit, verifyAuditChain } from '../../domain/audit.use-cases';
import type { OperationsDeps } from '../../domain/projects.use-cases';

const tags = ['审计 Audit trail'];

export function auditRoutes(deps: OperationsDeps) {
  return [
    defineRoute({
      method: 'get',
      path: '/projects/:id/audit',
      operationId: 'listProjectAudit',
      policy: 'audit.read',
      summary: '项目审计记录：谁、以什么角色、何时、做了什么决定、理由、之前与之后 (a project’s audit trail)',
      description: '运维人员、管理员可查看全部项目；街道审核人员、工委会成员、财务只能查看本街道的项目。order=oldest 按发生顺序。',
      tags,
      request: { params: ProjectIdParams, query: ProjectAuditQuery },
      responses: { 200: { description: '一页审计记录', schema: Page(AuditEntryView) } },
      handler: async ({ params, query }, { res }) => ({ status: 200, body: await listProjectAudit(deps, principalOf(res), params.id, query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/audit',
      operationId: 'listAudit',
      policy: 'audit.read',
      summary: '审计记录：按项目、操作人、操作、时间筛选 (the audit trail: every decision and admin action)',
      description: '运维人员、管理员查看全部；街道工作人员须指定本街道的 projectId。',
      tags,
      request: { query: AuditQuery },
      responses: { 200: { description: '一页审计记录（默认新的在前）', schema: Page(AuditEntryView) } },
      handler: async ({ query }, { res }) => ({ status: 200, body: await listAudit(deps, principalOf(res), query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/audit/verification',
      operationId: 'verifyAuditChain',
      policy: 'audit.verify',
      summary: '校验审计链：逐条重算哈希，报告第一处断裂 (recompute the hash chain; the first broken entry)',
      description: '运维人员、管理员可用。ok=false 时 firstBroken 指出第一条缺失、错位或被改动的记录。',
      tags,
      responses: { 200: { description: '校验结果', schema: AuditVerificationView } },
      handler: async (_input, { res }) => ({ status: 200, body: await verifyAuditChain(deps, principalOf(res)) }),
    }),
  ];
}
