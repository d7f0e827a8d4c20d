import {
  EvaluationPreviewQuery,
  EvaluationSheet,
  EvaluationView,
  MinutesView,
  RecordEvaluationBody,
  RecordMinutesBody,
  RecordSurveyResponseBody,
  SupervisionIdParams,
  SupervisionPageQuery,
  SupervisionProjectParams,
  SurveyResponseView,
} from '@linli/contracts';
import { Page, defineRoute } from '@linli/http';
import type { SupervisionDeps } from '../../domain/context';
import { getEvaluation, listEvaluations, previewEvaluation, recordEvaluation } from '../../domain/evaluations.use-cases';
import { listMinutes, recordMinutes } from '../../domain/minutes.use-cases';
import { listSurveyResponses, recordSurveyResponse } from '../../domain/surveys.use-cases';
import { callerFor } from './caller';

/** 例会纪要, 满意度调查, 中期检查与结项评估. */
export function recordRoutes(deps: SupervisionDeps) {
  return [
    defineRoute({
      method: 'post',
      path: '/contracts/:id/minutes',
      operationId: 'recordMinutes',
      policy: 'meeting.minutes.record',
      summary: '记录例会纪要 (record weekly meeting minutes)',
      tags: ['例会 Meetings'],
      request: { params: SupervisionIdParams, body: RecordMinutesBody },
      responses: { 201: { description: '已记录', schema: MinutesView } },
      handler: async ({ params, body }, { res }) => ({ status: 201, body: await recordMinutes(deps, params.id, body, callerFor(res, 'meeting.minutes.record')) }),
    }),
    defineRoute({
      method: 'get',
      path: '/contracts/:id/minutes',
      operationId: 'listMinutes',
      policy: 'activity.read',
      summary: '例会纪要列表 (list meeting minutes)',
      tags: ['例会 Meetings'],
      request: { params: SupervisionIdParams, query: SupervisionPageQuery },
      responses: { 200: { description: '一页纪要', schema: Page(MinutesView) } },
      handler: async ({ params, query }, { res }) => ({ status: 200, body: await listMinutes(deps, params.id, query, callerFor(res, 'activity.read')) }),
    }),
    defineRoute({
      method: 'post',
      path: '/projects/:projectId/survey-responses',
      operationId: 'recordSurveyResponse',
      policy: 'survey.record',
      summary: '录入居民满意度调查 (record a resident satisfaction response)',
      description: '不收集电话号码；评论中的手机号会被掩码。',
      tags: ['满意度 Surveys'],
      request: { params: SupervisionProjectParams, body: RecordSurveyResponseBody },
      responses: { 201: { description: '已录入', schema: SurveyResponseView } },
      handler: async ({ params, body }, { res }) => ({
        status: 201,
        body: await recordSurveyResponse(deps, params.projectId, body, callerFor(res, 'survey.record')),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/projects/:projectId/survey-responses',
      operationId: 'listSurveyResponses',
      policy: 'activity.read',
      summary: '满意度调查列表 (list satisfaction responses)',
      tags: ['满意度 Surveys'],
      request: { params: SupervisionProjectParams, query: SupervisionPageQuery },
      responses: { 200: { description: '一页问卷', schema: Page(SurveyResponseView) } },
      handler: async ({ params, query }, { res }) => ({
        status: 200,
        body: await listSurveyResponses(deps, params.projectId, query, callerFor(res, 'activity.read')),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/contracts/:id/evaluation-preview',
      operationId: 'previewEvaluation',
      policy: 'evaluation.record',
      summary: '评估预览：按当前记录计算得分（不保存）(preview an evaluation from the record so far)',
      tags: ['评估 Evaluations'],
      request: { params: SupervisionIdParams, query: EvaluationPreviewQuery },
      responses: { 200: { description: '评估表', schema: EvaluationSheet } },
      handler: async ({ params, query }, { res }) => ({
        status: 200,
        body: await previewEvaluation(deps, params.id, query.kind, callerFor(res, 'evaluation.record')),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/contracts/:id/evaluations',
      operationId: 'recordEvaluation',
      policy: 'evaluation.record',
      summary: '完成中期检查 / 结项评估 (record the mid-term check or the year-end evaluation)',
      description: '100 分制：活动完成率 30、参与人数达成率 25、满意度 20、回访一致率 15、材料完整度 10；监督机构可对单项打分。优/良/中/差 = 90/80/60。',
      tags: ['评估 Evaluations'],
      request: { params: SupervisionIdParams, body: RecordEvaluationBody },
      responses: { 201: { description: '已完成', schema: EvaluationView } },
      handler: async ({ params, body }, { res }) => ({ status: 201, body: await recordEvaluation(deps, params.id, body, callerFor(res, 'evaluation.record')) }),
    }),
    defineRoute({
      method: 'get',
      path: '/contracts/:id/evaluations',
      operationId: 'listEvaluations',
      policy: 'activity.read',
      summary: '合同的评估记录 (list evaluations of a contract)',
      tags: ['评估 Evaluations'],
      request: { params: SupervisionIdParams, query: SupervisionPageQuery },
      responses: { 200: { description: '一页评估', schema: Page(EvaluationView) } },
      handler: async ({ params, query }, { res }) => ({ status: 200, body: await listEvaluations(deps, params.id, query, callerFor(res, 'activity.read')) }),
    }),
    defineRoute({
      method: 'get',
      path: '/evaluations/:id',
      operationId: 'getEvaluation',
      policy: 'activity.read',
      summary: '评估详情 (an evaluation)',
      tags: ['评估 Evaluations'],
      request: { params: SupervisionIdParams },
      responses: { 200: { description: '评估', schema: EvaluationView } },
      handler: async ({ params }, { res }) => ({ status: 200, body: await getEvaluation(deps, params.id, callerFor(res, 'activity.read')) }),
    }),
  ];
}
