import { CallTaskListQuery, CallTaskView, PhoneRevealView, RecordCallOutcomeBody, SupervisionIdParams } from '@linli/contracts';
import { Page, defineRoute } from '@linli/http';
import { getCallTask, listCallTasks, recordCallOutcome, revealPhone } from '../../domain/call-backs.use-cases';
import type { SupervisionDeps } from '../../domain/context';
import { callerFor } from './caller';

const tags = ['电话回访 Call-backs'];

export function callBackRoutes(deps: SupervisionDeps) {
  return [
    defineRoute({
      method: 'get',
      path: '/call-tasks',
      operationId: 'listCallTasks',
      policy: 'callback.record',
      summary: '回访任务（监督机构的工作队列）(call-back tasks: the supervisor’s work queue)',
      description: '抽样名单只对受委托的监督机构可见，社会组织无法预知谁会被回访。',
      tags,
      request: { query: CallTaskListQuery },
      responses: { 200: { description: '一页回访任务', schema: Page(CallTaskView) } },
      handler: async ({ query }, { res }) => ({ status: 200, body: await listCallTasks(deps, query, callerFor(res, 'callback.record')) }),
    }),
    defineRoute({
      method: 'get',
      path: '/call-tasks/:id',
      operationId: 'getCallTask',
      policy: 'callback.record',
      summary: '回访任务详情 (a call-back task)',
      tags,
      request: { params: SupervisionIdParams },
      responses: { 200: { description: '回访任务', schema: CallTaskView } },
      handler: async ({ params }, { res }) => ({ status: 200, body: await getCallTask(deps, params.id, callerFor(res, 'callback.record')) }),
    }),
    defineRoute({
      method: 'post',
      path: '/call-tasks/:id/outcome',
      operationId: 'recordCallOutcome',
      policy: 'callback.record',
      summary: '记录回访结果 (record a call-back outcome)',
      description: '参加并领取礼品 / 参加未领礼品 / 未参加 / 无法联系。最后一个结果完成回访，无阻断项时活动自动核验。',
      tags,
      request: { params: SupervisionIdParams, body: RecordCallOutcomeBody },
      responses: { 200: { description: '已记录', schema: CallTaskView } },
      handler: async ({ params, body }, { res }) => ({ status: 200, body: await recordCallOutcome(deps, params.id, body, callerFor(res, 'callback.record')) }),
    }),
    defineRoute({
      method: 'post',
      path: '/call-tasks/:id/phone-reveal',
      operationId: 'revealParticipantPhone',
      policy: 'participant.phone.reveal',
      summary: '查看回访对象完整电话（留痕）(reveal the participant’s full number; logged)',
      description: '仅限受委托监督该合同的机构人员；每次查看都记录查看人与时间。',
      tags,
      request: { params: SupervisionIdParams },
      responses: { 200: { description: '完整电话', schema: PhoneRevealView } },
      handler: async ({ params }, { res }) => ({ status: 200, body: await revealPhone(deps, params.id, callerFor(res, 'participant.phone.reveal')) }),
    }),
  ];
}
