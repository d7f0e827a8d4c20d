import { authorize, principalOf } from '@linli/auth';
import {
  ActionBody,
  ActionResultView,
  BatchPreviewBody,
  BatchPreviewView,
  BatchRetryBody,
  BatchRetryView,
  OPERATIONS_ACTION_LABELS,
  ProjectIdParams,
  ReassignBody,
  ReconcileQuery,
  ReconcileView,
  type OperationsAction,
} from '@linli/contracts';
import { defineRoute } from '@linli/http';
import { POLICY_ACTION } from '../../domain/access-scope';
import { auditRefusedAction, executeBatchRetry, performAction, previewBatchRetry } from '../../domain/actions.use-cases';
import type { OperationsDeps } from '../../domain/projects.use-cases';
import type { ReconcileResult } from '../../domain/reconcile.use-case';

const tags = ['运维操作 Actions'];

const WHO: Record<OperationsAction, string> = {
  remind: '运维人员、管理员',
  escalate: '运维人员、管理员',
  reassign: '运维人员、管理员',
  retry: '管理员',
  skip: '管理员',
  terminate: '工委会成员（本街道）、管理员',
};
const WHAT: Record<OperationsAction, string> = {
  remind: 'remind whoever must act',
  escalate: 'escalate to the next level',
  reassign: 'hand the current step to a named person',
  retry: 'retry the parked step',
  skip: 'skip the parked step',
  terminate: 'terminate the project early (after the contract)',
};

function actionRoute(deps: OperationsDeps, action: OperationsAction) {
  return defineRoute({
    method: 'post',
    path: `/projects/:id/${action}`,
    operationId: `${action}Project`,
    policy: POLICY_ACTION[action],
    // Refused roles are on the audit record too, though the refusal comes before the input is read.
    onForbidden: async (refusal, { req, res }) => {
      const params = ProjectIdParams.safeParse(req.params);
      const reason = (req.body as { reason?: unknown } | undefined)?.reason;
      await auditRefusedAction(deps, principalOf(res), action, { projectId: params.success ? params.data.id : null, reason }, refusal.reason);
    },
    summary: `${OPERATIONS_ACTION_LABELS[action]} (${WHAT[action]})`,
    description: `${WHO[action]}可用；必须写明理由；记入审计；流程拒绝时返回 409 与流程给出的原因。`,
    tags,
    request: { params: ProjectIdParams, body: action === 'reassign' ? ReassignBody : ActionBody },
    responses: { 200: { description: '已执行，返回刷新后的项目', schema: ActionResultView } },
    handler: async ({ params, body }, { res }) => {
      const done = await performAction(deps, principalOf(res), params.id, action, body as { reason: string; assigneeUserId?: string; assigneeName?: string });
      return { status: 200, body: { action, outcome: 'ok' as const, ...done } };
    },
  });
}

export function actionRoutes(deps: OperationsDeps, reconciler: { run(full?: boolean): Promise<ReconcileResult> }) {
  return [
    ...(['remind', 'escalate', 'reassign', 'retry', 'skip', 'terminate'] as const).map((a) => actionRoute(deps, a)),
    defineRoute({
      method: 'post',
      path: '/batch/retry/preview',
      operationId: 'previewBatchRetry',
      policy: 'lifecycle.admin',
      summary: '批量重试预览：筛选会选中多少个停住的流程、是哪些 (preview a batch retry)',
      tags,
      request: { body: BatchPreviewBody },
      responses: { 200: { description: '数量与清单', schema: BatchPreviewView } },
      handler: async ({ body }, { res }) => ({ status: 200, body: await previewBatchRetry(deps, principalOf(res), body.filter) }),
    }),
    defineRoute({
      method: 'post',
      path: '/batch/retry',
      operationId: 'executeBatchRetry',
      policy: 'lifecycle.admin',
      summary: '批量重试：数量与预览不一致时拒绝（409）；逐个返回结果 (retry every parked step the filter selects)',
      tags,
      request: { body: BatchRetryBody },
      responses: { 200: { description: '每个项目的结果（ok / refused / failed）', schema: BatchRetryView } },
      handler: async ({ body }, { res }) => ({ status: 200, body: await executeBatchRetry(deps, principalOf(res), body) }),
    }),
    defineRoute({
      method: 'post',
      path: '/admin/reconcile',
      operationId: 'reconcile',
      policy: 'lifecycle.escalate',
      summary: '与 Temporal 对账：补齐、刷新读模型 (reconcile the read model with Temporal visibility)',
      description: '平台角色（运维人员、管理员）可用。full=true 时逐个重新读取全部流程状态。',
      tags,
      request: { query: ReconcileQuery },
      responses: { 200: { description: '对账结果', schema: ReconcileView } },
      handler: async ({ query }, { res }) => {
        // The platform roles that may escalate are exactly the ones that may rebuild the read model.
        authorize(principalOf(res), 'lifecycle.escalate');
        return { status: 200, body: await reconciler.run(query.full ?? false) };
      },
    }),
  ];
}
