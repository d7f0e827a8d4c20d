import { CloseOutView, SubmitCloseOutBody, SupervisionIdParams } from '@linli/contracts';
import { defineRoute } from '@linli/http';
import { getCloseOut, submitCloseOut } from '../../domain/close-out.use-cases';
import type { SupervisionDeps } from '../../domain/context';
import { callerFor } from './caller';

const tags = ['结项 Close-out'];

/** 结项材料: the organization's close-out submission, which the year-end evaluation waits for. */
export function closeOutRoutes(deps: SupervisionDeps) {
  return [
    defineRoute({
      method: 'post',
      path: '/contracts/:id/close-out',
      operationId: 'submitCloseOut',
      policy: 'closeout.submit',
      summary: '社会组织提交结项材料 (the organization submits its close-out material)',
      description: '结项报告（正文或链接）、全年总结与其他材料；每个合同一次。提交后项目进入结项评估，监督机构方可完成结项评估。',
      tags,
      request: { params: SupervisionIdParams, body: SubmitCloseOutBody },
      responses: { 201: { description: '已提交', schema: CloseOutView } },
      handler: async ({ params, body }, { res }) => ({ status: 201, body: await submitCloseOut(deps, params.id, body, callerFor(res, 'closeout.submit')) }),
    }),
    defineRoute({
      method: 'get',
      path: '/contracts/:id/close-out',
      operationId: 'getCloseOut',
      policy: 'activity.read',
      summary: '合同的结项材料 (the close-out material of a contract)',
      tags,
      request: { params: SupervisionIdParams },
      responses: { 200: { description: '结项材料', schema: CloseOutView } },
      handler: async ({ params }, { res }) => ({ status: 200, body: await getCloseOut(deps, params.id, callerFor(res, 'activity.read')) }),
    }),
  ];
}
