import {
  ApplicationFailure,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineUpdate,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { SearchAttributeType, defineSearchAttributeKey } from '@temporalio/common';
import { decide, type Action } from '@linli/auth/src/policy';
// Values only from the zod-free half of the contracts: each module imported here is evaluated again for
// every workflow in the worker's cache (project-lifecycle.constants.ts says why). Types are erased.
import type { LifecycleInput, StepActor } from '@linli/contracts/src/workflows/project-lifecycle';
import {
  LIFECYCLE_QUERIES,
  LIFECYCLE_UPDATES,
  STAGE_LABELS,
  lifecycleInputOf,
  type LifecycleStage,
  type LifecycleState,
  type TrancheState,
} from '@linli/contracts/src/workflows/project-lifecycle.constants';
import { SEARCH_ATTRIBUTES } from '@linli/temporal/src/search-attributes';
import { deadlineAfter, defaultCloseOutBy, durationInWords } from './deadlines';
import {
  NEXT_GATE,
  TERMINAL_STAGES,
  allowanceFor,
  describeCurrent,
  initialState,
  pushTimeline,
  waitingOnFor,
} from './lifecycle-state';
import type { LifecycleActivities, TerminationSettlement } from './lifecycle.activities';
import { tranchePayment, trancheAdminSignal, trancheParkedSignal, trancheWorkflowId, type TranchePaymentResult } from './tranche-payment.workflow';

// ---- messages (names shared with the services through @linli/contracts) -------------------------------
type By = { by: StepActor };
export const stateQuery = defineQuery<LifecycleState>(LIFECYCLE_QUERIES.state);
export const submitUpdate = defineUpdate<LifecycleState, [{ version: number } & By]>(LIFECYCLE_UPDATES.submit);
export const resubmitUpdate = defineUpdate<LifecycleState, [{ version: number } & By]>(LIFECYCLE_UPDATES.resubmit);
export type ReviewDecisionArgs = {
  decisionId: string;
  gate: 'pre_review' | 'joint_review' | 'committee';
  outcome: 'approve' | 'return' | 'reject';
  version: number;
  reasons?: string;
  minutesRef?: string;
  plannedActivities?: { activityKey: string; endsOn: string }[];
} & By;
export const reviewDecisionUpdate = defineUpdate<LifecycleState, [ReviewDecisionArgs]>(LIFECYCLE_UPDATES.reviewDecision);
export type TenderStep =
  | ({ step: 'published'; tenderId: string } & By)
  | ({ step: 'unsuccessful'; tenderId: string; bids: number } & By)
  | ({ step: 'retender'; tenderId: string } & By)
  | ({ step: 'cancel'; tenderId: string; reason: string } & By)
  | ({ step: 'awarded'; tenderId: string; organizationId: string; amountFen: number; standstillEndsAt: string } & By);
export const tenderUpdate = defineUpdate<LifecycleState, [TenderStep]>(LIFECYCLE_UPDATES.tender);
export const contractSignedUpdate = defineUpdate<LifecycleState, [{ contractId: string; amountFen: number; startsOn: string; endsOn: string } & By]>(
  LIFECYCLE_UPDATES.contractSigned,
);
export const activityUpdate = defineUpdate<LifecycleState, [{ activityKey: string; step: 'held' | 'signed_in' | 'called_back' | 'verified' } & By]>(
  LIFECYCLE_UPDATES.activity,
);
export const checkUpdate = defineUpdate<LifecycleState, [{ kind: 'mid_term' | 'year_end'; score: number; grade: string; passed: boolean } & By]>(
  LIFECYCLE_UPDATES.check,
);
export const closeOutUpdate = defineUpdate<LifecycleState, [By]>(LIFECYCLE_UPDATES.closeOut);
export const paymentsFreezeUpdate = defineUpdate<LifecycleState, [{ frozen: boolean; reason: string } & By]>(LIFECYCLE_UPDATES.paymentsFreeze);
export const terminateUpdate = defineUpdate<LifecycleState, [{ reason: string } & By]>(LIFECYCLE_UPDATES.terminate);
export const adminUpdate = defineUpdate<LifecycleState, [{ action: 'retry' | 'skip'; reason: string } & By]>(LIFECYCLE_UPDATES.admin);
export const escalateUpdate = defineUpdate<LifecycleState, [{ reason: string } & By]>(LIFECYCLE_UPDATES.escalate);
export const remindUpdate = defineUpdate<LifecycleState, [{ reason: string } & By]>(LIFECYCLE_UPDATES.remind);
export const reassignUpdate = defineUpdate<LifecycleState, [{ assigneeUserId: string; assigneeName?: string; reason: string } & By]>(LIFECYCLE_UPDATES.reassign);

const ACTIVITY_ORDER = ['planned', 'held', 'signed_in', 'called_back', 'verified'] as const;
const AFTER_CONTRACT: readonly LifecycleStage[] = ['contracted', 'in_delivery', 'close_out', 'evaluation'];

/** Which role is told when a deadline is missed: the next level up from who should have acted. */
const NEXT_LEVEL: Record<string, string> = {
  community_secretary: 'subdistrict_reviewer',
  subdistrict_reviewer: 'committee_member',
  committee_member: 'admin',
  org_staff: 'supervisor',
  supervisor: 'subdistrict_reviewer',
  finance: 'committee_member',
};

const SA = Object.fromEntries(
  Object.entries(SEARCH_ATTRIBUTES).map(([k, v]) => [k, defineSearchAttributeKey(v.name, SearchAttributeType[v.kind.toUpperCase() as keyof typeof SearchAttributeType] as never)]),
) as unknown as Record<keyof typeof SEARCH_ATTRIBUTES, ReturnType<typeof defineSearchAttributeKey>>;

const acts = proxyActivities<LifecycleActivities>({
  startToCloseTimeout: '30s',
  // Transient faults retry with backoff; after 8 attempts the step parks for an admin (see runStep).
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 8 },
});

/** What the settlement amounted to; histories recorded before the settlement had a shape carry `amountFen`. */
function settledAmount(settled: TerminationSettlement | { amountFen: number }): number {
  return 'owedFen' in settled ? settled.owedFen : settled.amountFen;
}

/** Rejects an update with a reason; the validator's throw means "nothing changes". */
function refuse(reason: string): never {
  throw ApplicationFailure.create({ type: 'InvalidLifecycleStep', message: reason, nonRetryable: true });
}

/**
 * One project, from proposal to closing (id `project-<projectId>`). Human steps arrive as Updates whose
 * validators refuse a wrong stage, a wrong role or a stale proposal version with a reason and change
 * nothing; accepted steps return the new state. Deadlines come from the policy: a missed one escalates
 * (event, needs-attention, the next level told) and never decides anything by itself. Failed steps park
 * the lifecycle until an admin retries or skips them. Long lives continue as new with their state.
 */
export async function projectLifecycle(rawInput: LifecycleInput, carried?: LifecycleState): Promise<LifecycleState> {
  const input = lifecycleInputOf(rawInput);
  const policy = input.policy;
  const workflowId = workflowInfo().workflowId;
  const state: LifecycleState = carried ? { ...carried, runs: carried.runs + 1 } : initialState(input, new Date());
  const resource = { subDistrictId: state.subDistrictId, communityId: state.communityId, organizationId: state.organizationId };

  /** Bumped by every accepted message, so the main loop wakes up and re-evaluates. */
  let tick = 0;
  const pendingEvents: { type: string; data: Record<string, unknown> }[] = [];
  const runningTranches = new Map<TrancheState['kind'], Promise<void>>();
  let planned: { activityKey: string; endsOn: string }[] = (carried as LifecycleState & { planned?: typeof planned })?.planned ?? [];
  let heldAt: Record<string, string> = (carried as LifecycleState & { heldAt?: typeof heldAt })?.heldAt ?? {};
  let standstillEndsAt: string | null = (carried as LifecycleState & { standstillEndsAt?: string | null })?.standstillEndsAt ?? null;
  const escalatedKeys = new Set<string>((carried as LifecycleState & { escalatedKeys?: string[] })?.escalatedKeys ?? []);
  let adminAction: { action: 'retry' | 'skip'; reason: string } | null = null;

  const now = () => new Date();
  const allowed = (by: StepActor, action: Action) => {
    // The policy table decides the role. Scopes the workflow knows (sub-district, community, organization)
    // are checked here; an agency-scoped supervisor has been checked by the supervision service, which
    // alone knows which agency supervises the contract.
    const agencyId = by.scope.kind === 'agency' ? by.scope.id : undefined;
    const d = decide(by as Parameters<typeof decide>[0], action, { ...resource, agencyId });
    if (!d.allowed) refuse(d.reason);
  };
  const mustBeIn = (stages: readonly LifecycleStage[], what: string) => {
    if (!stages.includes(state.stage)) refuse(`当前阶段为「${STAGE_LABELS[state.stage]}」，不能${what}`);
  };
  const record = (kind: string, summary: string, by?: StepActor) =>
    pushTimeline(state, { at: now().toISOString(), kind, summary, ...(by ? { by: { userId: by.userId, role: by.role } } : {}) });
  const emit = (type: string, data: Record<string, unknown> = {}) => pendingEvents.push({ type, data });

  let lastAttributes = '';
  function refresh(): void {
    const allowance = allowanceFor(state.stage, policy);
    // Needs attention: a parked step, an escalation since the current stage began (cleared by moving on), or
    // a deliverable still overdue (an activity escalated while 'contracted' stays overdue in delivery).
    // Histories from before the last rule replay without it (patched only where it could change anything).
    const overdueDeliverable = deliverablesDue().some((d) => d.at <= now().getTime()) && patched('attention-while-deliverables-overdue');
    state.needsAttention = state.parked !== null || state.escalations.some((e) => e.stage === state.stage && e.at >= state.stageEnteredAt) || overdueDeliverable;
    state.currentDetails = describeCurrent(state, now(), allowance ? durationInWords(allowance) : null);
    setCurrentDetails(state.currentDetails);
    tick++;
    const attributes = [
      { key: SA.stage, value: state.stage },
      { key: SA.subDistrict, value: state.subDistrictId },
      { key: SA.community, value: state.communityId ?? 'sub_district' },
      { key: SA.organization, value: state.organizationId },
      { key: SA.projectLevel, value: state.level },
      { key: SA.waitingOn, value: state.parked ? 'admin' : (state.waitingOn ?? 'none') },
      { key: SA.fiscalYear, value: state.fiscalYear },
      { key: SA.stageEnteredAt, value: new Date(state.stageEnteredAt) },
      { key: SA.deadline, value: state.deadline ? new Date(state.deadline) : null },
      { key: SA.needsAttention, value: state.needsAttention },
    ];
    // Upsert only on change: every upsert is a command in the history.
    const fingerprint = JSON.stringify(attributes.map((a) => a.value));
    if (fingerprint !== lastAttributes) {
      lastAttributes = fingerprint;
      upsertSearchAttributes(attributes as never);
    }
  }

  function enter(stage: LifecycleStage, summary?: string, by?: StepActor): void {
    const from = state.stage;
    state.stage = stage;
    state.stageEnteredAt = now().toISOString();
    state.waitingOn = waitingOnFor(stage, state.level);
    const allowance = allowanceFor(stage, policy);
    state.deadline =
      stage === 'standstill' && standstillEndsAt
        ? deadlineAfter(new Date(standstillEndsAt), policy.contract).toISOString()
        : stage === 'close_out' || stage === 'in_delivery'
          ? (policy.closeOutBy ?? defaultCloseOutBy(state.fiscalYear).toISOString())
          : allowance
            ? deadlineAfter(now(), allowance).toISOString()
            : null;
    state.assignee = null;
    record('stage', summary ?? `${STAGE_LABELS[from]} → ${STAGE_LABELS[stage]}`, by);
    emit('lifecycle.stage.changed', { from, to: stage, waitingOn: state.waitingOn, deadline: state.deadline });
    refresh();
  }

  function finish(stage: 'closed' | 'rejected' | 'cancelled', outcome: string, by?: StepActor): void {
    state.outcome = outcome;
    enter(stage, `${STAGE_LABELS[stage]}：${outcome}`, by);
  }

  /**
   * Runs a step that talks to the world. A business rejection (non-retryable) or a transient fault that
   * outlived its retries parks the lifecycle: needs-attention, the failure recorded, and a wait for an
   * admin's retry (run it again) or skip (go on without it). The workflow itself never fails.
   */
  async function runStep<T>(step: string, fn: () => Promise<T>): Promise<T | 'skipped'> {
    for (let attempts = 1; ; attempts++) {
      try {
        const result = await fn();
        if (state.parked?.step === step) {
          state.parked = null;
          refresh();
        }
        return result;
      } catch (err) {
        const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
        state.parked = { step, error: cause, at: now().toISOString(), attempts };
        record('parked', `步骤「${step}」失败，等待管理员处理：${cause}`);
        emit('lifecycle.step.parked', { step, error: cause, attempts });
        refresh();
        adminAction = null;
        await flushEvents();
        await condition(() => adminAction !== null);
        const action = adminAction as { action: 'retry' | 'skip'; reason: string } | null;
        adminAction = null;
        if (action?.action === 'skip') {
          state.parked = null;
          record('skipped', `跳过步骤「${step}」：${action.reason}`);
          refresh();
          return 'skipped';
        }
      }
    }
  }

  async function flushEvents(): Promise<void> {
    while (pendingEvents.length) {
      const batch = pendingEvents.splice(0, pendingEvents.length);
      for (const e of batch) {
        // Deterministic id (workflow, run-independent sequence): a retried activity re-sends the same
        // event id, which consumers deduplicate.
        await acts
          .publishLifecycleEvent({ eventId: uuid4(), type: e.type, projectId: state.projectId, subject: state.projectId, data: { ...e.data, stage: state.stage } })
          .catch(() => undefined); // lifecycle events are notifications; failing to send one never blocks the project
      }
    }
  }

  function tranche(kind: TrancheState['kind']): TrancheState {
    return state.tranches.find((t) => t.kind === kind)!;
  }

  function startTranche(kind: TrancheState['kind']): void {
    if (runningTranches.has(kind) || !state.contract) return;
    const t = tranche(kind);
    t.status = 'requested';
    t.attempts++;
    record('tranche', `申请拨付${kind === 'start_up' ? '启动资金' : kind === 'mid_term' ? '中期款' : '尾款'}`);
    const done = (async () => {
      const child = await startChild(tranchePayment, {
        workflowId: trancheWorkflowId(workflowId, kind),
        args: [
          {
            projectId: state.projectId,
            contractId: state.contract!.contractId,
            kind,
            parentWorkflowId: workflowId,
            financeWaitMs: deadlineAfter(now(), policy.payment).getTime() - now().getTime(),
          },
        ],
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
      });
      const result: TranchePaymentResult = await child.result();
      t.status = result.status;
      t.amountFen = result.amountFen;
      t.at = now().toISOString();
      record('tranche', `${kind === 'start_up' ? '启动资金' : kind === 'mid_term' ? '中期款' : '尾款'}${result.status === 'paid' ? `已拨付 ${result.amountFen} 分` : '已跳过'}`);
      emit(`lifecycle.tranche.${result.status}`, { kind, amountFen: result.amountFen });
      runningTranches.delete(kind);
      refresh();
    })();
    runningTranches.set(kind, done);
    refresh();
  }

  // ---- handlers ------------------------------------------------------------------------------------
  setHandler(stateQuery, () => state);

  setHandler(trancheParkedSignal, ({ kind, error, attempts, overdue }) => {
    if (overdue) {
      escalate(`财务拨付超过时限（${kind}）`, 'finance');
    } else if (error) {
      state.parked = { step: `tranche:${kind}`, error, at: now().toISOString(), attempts };
      record('parked', `拨付步骤停住：${error}`);
      emit('lifecycle.step.parked', { step: `tranche:${kind}`, error });
    } else if (state.parked?.step === `tranche:${kind}`) {
      state.parked = null;
    }
    refresh();
  });

  setHandler(
    submitUpdate,
    ({ version, by }) => {
      record('submitted', `提交项目申请（第 ${version} 版）`, by);
      enter('submitted', undefined, by);
      enter('pre_review', '进入预审', by);
      return state;
    },
    {
      validator: ({ version, by }) => {
        mustBeIn(['draft'], '提交');
        allowed(by, state.level === 'community' ? 'proposal.submit' : 'tender.manage');
        if (version !== state.proposalVersion) refuse(`版本不符：当前为第 ${state.proposalVersion} 版，提交的是第 ${version} 版`);
      },
    },
  );

  setHandler(
    resubmitUpdate,
    ({ version, by }) => {
      state.proposalVersion = version;
      record('resubmitted', `修改后重新提交（第 ${version} 版）`, by);
      enter('pre_review', '重新进入预审', by);
      return state;
    },
    {
      validator: ({ version, by }) => {
        mustBeIn(['returned'], '重新提交');
        allowed(by, state.level === 'community' ? 'proposal.submit' : 'tender.manage');
        if (version !== state.proposalVersion + 1) refuse(`修改稿应为第 ${state.proposalVersion + 1} 版，收到第 ${version} 版`);
      },
    },
  );

  const GATE_ACTION = { pre_review: 'proposal.review.pre', joint_review: 'proposal.review.joint', committee: 'proposal.review.committee' } as const;
  setHandler(
    reviewDecisionUpdate,
    async (d: ReviewDecisionArgs) => {
      if (state.decisions.some((x) => x.decisionId === d.decisionId)) return state; // a repeated call: same answer
      // Persist with the proposal first; if that fails the update fails and nothing here changes.
      await acts.applyReviewDecision({
        projectId: state.projectId,
        decisionId: d.decisionId,
        gate: d.gate,
        outcome: d.outcome,
        version: d.version,
        reasons: d.reasons ?? '',
        minutesRef: d.minutesRef,
        by: { userId: d.by.userId, role: d.by.role, scope: `${d.by.scope.kind}:${d.by.scope.id}` },
      });
      if (state.stage !== d.gate || state.decisions.some((x) => x.decisionId === d.decisionId)) return state; // raced by a concurrent decision
      state.decisions.push({
        decisionId: d.decisionId,
        gate: d.gate,
        outcome: d.outcome,
        version: d.version,
        reasons: d.reasons ?? '',
        minutesRef: d.minutesRef,
        by: { userId: d.by.userId, role: d.by.role },
        at: now().toISOString(),
      });
      emit('lifecycle.decision.recorded', { gate: d.gate, outcome: d.outcome, version: d.version });
      const gateLabel = STAGE_LABELS[d.gate];
      if (d.outcome === 'approve') {
        if (d.gate === 'committee') {
          planned = d.plannedActivities ?? [];
          for (const p of planned) state.activities[p.activityKey] = 'planned';
        }
        enter(NEXT_GATE[d.gate], `${gateLabel}通过`, d.by);
        if ((state.stage as LifecycleStage) === 'approved' && state.level === 'sub_district') enter('tendering', '街道级项目进入招投标', d.by);
      } else if (d.outcome === 'return') {
        enter('returned', `${gateLabel}打回修改：${d.reasons}`, d.by);
      } else {
        finish('rejected', `${gateLabel}否决：${d.reasons}`, d.by);
      }
      return state;
    },
    {
      validator: (d: ReviewDecisionArgs) => {
        const duplicate = state.decisions.some((x) => x.decisionId === d.decisionId);
        if (duplicate) return;
        if (state.stage !== d.gate) refuse(`当前阶段为「${STAGE_LABELS[state.stage]}」，不是「${STAGE_LABELS[d.gate]}」`);
        allowed(d.by, GATE_ACTION[d.gate]);
        if (d.version !== state.proposalVersion) refuse(`项目申请版本已过期：当前为第 ${state.proposalVersion} 版，决定针对第 ${d.version} 版`);
        if (d.outcome !== 'approve' && !d.reasons?.trim()) refuse('打回或否决须写明理由');
      },
    },
  );

  setHandler(
    tenderUpdate,
    (t) => {
      switch (t.step) {
        case 'published':
          state.tender = { tenderId: t.tenderId, attempts: state.tender.attempts + 1, status: 'published' };
          record('tender', `招标公告已发布（第 ${state.tender.attempts} 次）`, t.by);
          break;
        case 'unsuccessful':
          state.tender = { ...state.tender, tenderId: t.tenderId, status: 'unsuccessful' };
          record('tender', `流标：仅收到 ${t.bids} 份投标`, t.by);
          emit('lifecycle.tender.unsuccessful', { tenderId: t.tenderId, bids: t.bids });
          break;
        case 'retender':
          state.tender = { ...state.tender, tenderId: t.tenderId, status: 'retendering' };
          enter('tendering', '重新招标', t.by);
          break;
        case 'cancel':
          state.tender = { ...state.tender, status: 'cancelled' };
          finish('cancelled', `招标取消：${t.reason}`, t.by);
          break;
        case 'awarded':
          state.tender = { ...state.tender, tenderId: t.tenderId, status: 'awarded' };
          state.organizationId = t.organizationId;
          resource.organizationId = t.organizationId;
          standstillEndsAt = t.standstillEndsAt;
          enter('awarded', `中标：${t.amountFen} 分`, t.by);
          enter('standstill', `中标公示至 ${t.standstillEndsAt}`, t.by);
          break;
      }
      refresh();
      return state;
    },
    {
      validator: (t) => {
        mustBeIn(['tendering'], '办理招投标');
        allowed(t.by, t.step === 'awarded' ? 'tender.award' : 'tender.manage');
        if (t.step === 'retender' && state.tender.status !== 'unsuccessful') refuse('只有流标后才能重新招标');
        if (t.step === 'awarded' && state.tender.status === 'unsuccessful') refuse('已流标的招标不能确定中标，请重新招标');
      },
    },
  );

  setHandler(
    contractSignedUpdate,
    (c) => {
      state.contract = { contractId: c.contractId, amountFen: c.amountFen, startsOn: c.startsOn, endsOn: c.endsOn };
      enter('contracted', `合同已签订：${c.amountFen} 分，${c.startsOn} 至 ${c.endsOn}`, c.by);
      return state;
    },
    {
      validator: (c) => {
        mustBeIn(state.level === 'community' ? ['approved'] : ['standstill'], '签订合同');
        allowed(c.by, 'contract.sign');
        if (state.stage === 'standstill' && standstillEndsAt && Date.parse(standstillEndsAt) > now().getTime()) refuse(`中标公示期至 ${standstillEndsAt} 才结束`);
      },
    },
  );

  setHandler(
    activityUpdate,
    (a) => {
      state.activities[a.activityKey] = a.step;
      if (a.step === 'held') heldAt[a.activityKey] = now().toISOString();
      const words = { held: '已开展', signed_in: '签到单已提交', called_back: '电话回访完成', verified: '已核验' }[a.step];
      record('activity', `活动 ${a.activityKey}：${words}`, a.by);
      emit('lifecycle.activity.progressed', { activityKey: a.activityKey, step: a.step });
      const keys = Object.keys(state.activities);
      if (state.stage === 'in_delivery' && keys.length > 0 && keys.every((k) => state.activities[k] === 'verified')) {
        enter('close_out', '全部活动已核验，进入结项');
      }
      refresh();
      return state;
    },
    {
      validator: (a) => {
        mustBeIn(['contracted', 'in_delivery'], '上报活动进展');
        // held/signed_in: the organization (or supervisor) reports; called_back: the supervisor's call-backs;
        // verified: the supervisor, or supervision's automatic checks (role system).
        allowed(a.by, a.step === 'held' || a.step === 'signed_in' ? 'activity.report' : a.step === 'called_back' ? 'callback.record' : 'activity.verify');
        const current = state.activities[a.activityKey] ?? 'planned';
        if (planned.length > 0 && !planned.some((p) => p.activityKey === a.activityKey)) refuse(`活动 ${a.activityKey} 不在已批准的活动计划中`);
        if (ACTIVITY_ORDER.indexOf(a.step) !== ACTIVITY_ORDER.indexOf(current) + 1) {
          refuse(`活动 ${a.activityKey} 当前为「${current}」，下一步应为「${ACTIVITY_ORDER[ACTIVITY_ORDER.indexOf(current) + 1] ?? '无'}」`);
        }
      },
    },
  );

  setHandler(
    checkUpdate,
    (c) => {
      const result = { score: c.score, grade: c.grade, passed: c.passed };
      if (c.kind === 'mid_term') state.midTerm = result;
      else state.yearEnd = result;
      record('check', `${c.kind === 'mid_term' ? '中期检查' : '结项评估'}：${c.score} 分（${c.grade}）${c.passed ? '通过' : '未通过'}`, c.by);
      refresh();
      return state;
    },
    {
      validator: (c) => {
        if (c.kind === 'mid_term') mustBeIn(['in_delivery', 'close_out'], '记录中期检查');
        else mustBeIn(['evaluation'], '记录结项评估');
        allowed(c.by, 'evaluation.record');
      },
    },
  );

  setHandler(
    closeOutUpdate,
    ({ by }) => {
      enter('evaluation', '结项材料已提交，进入结项评估', by);
      return state;
    },
    {
      validator: ({ by }) => {
        mustBeIn(['in_delivery', 'close_out'], '提交结项材料');
        // The organization's own step (the supervisor evaluates the material, so it does not hand it in).
        // Validators do not run on replay, so the action could change without patched().
        allowed(by, 'closeout.submit');
      },
    },
  );

  setHandler(
    paymentsFreezeUpdate,
    ({ frozen, reason, by }) => {
      state.paymentsFrozen = frozen ? { reason, since: now().toISOString() } : null;
      record('freeze', frozen ? `拨付冻结：${reason}` : `拨付解冻：${reason}`, by);
      emit(frozen ? 'lifecycle.payments.frozen' : 'lifecycle.payments.unfrozen', { reason });
      refresh();
      return state;
    },
    {
      validator: ({ frozen, by }) => {
        mustBeIn([...AFTER_CONTRACT, 'settled', 'terminated'], frozen ? '冻结拨付' : '解冻拨付');
        allowed(by, 'payment.freeze');
        if (!frozen && !state.paymentsFrozen) refuse('拨付未被冻结');
      },
    },
  );

  setHandler(
    terminateUpdate,
    ({ reason, by }) => {
      state.outcome = `提前终止：${reason}`;
      enter('terminated', `提前终止：${reason}`, by);
      return state;
    },
    {
      validator: ({ by }) => {
        mustBeIn(AFTER_CONTRACT, '提前终止（签约前请使用否决或撤销）');
        allowed(by, 'project.terminate');
      },
    },
  );

  setHandler(
    adminUpdate,
    async ({ action, reason, by }) => {
      const parked = state.parked!;
      record('admin', `管理员${action === 'retry' ? '重试' : '跳过'}「${parked.step}」：${reason}`, by);
      emit('lifecycle.admin.action', { action, step: parked.step, reason });
      if (parked.step.startsWith('tranche:')) {
        const kind = parked.step.slice('tranche:'.length) as TrancheState['kind'];
        await getExternalWorkflowHandle(trancheWorkflowId(workflowId, kind)).signal(trancheAdminSignal, { action, reason });
      } else {
        adminAction = { action, reason };
      }
      refresh();
      return state;
    },
    {
      validator: ({ reason, by }) => {
        allowed(by, 'lifecycle.admin');
        if (!state.parked) refuse('没有停住的步骤需要处理');
        if (!reason.trim()) refuse('须写明理由');
      },
    },
  );

  setHandler(
    escalateUpdate,
    ({ reason, by }) => {
      escalate(`人工催办：${reason}`, state.waitingOn, by);
      return state;
    },
    {
      validator: ({ by }) => {
        allowed(by, 'lifecycle.escalate');
        if (TERMINAL_STAGES.includes(state.stage)) refuse('项目已结束');
      },
    },
  );

  setHandler(
    remindUpdate,
    ({ reason, by }) => {
      record('reminder', `催办：${reason}`, by);
      emit('lifecycle.reminder.sent', { reason, waitingOn: state.waitingOn });
      refresh();
      return state;
    },
    {
      validator: ({ by }) => {
        allowed(by, 'lifecycle.escalate');
        if (TERMINAL_STAGES.includes(state.stage)) refuse('项目已结束');
      },
    },
  );

  setHandler(
    reassignUpdate,
    ({ assigneeUserId, assigneeName, reason, by }) => {
      state.assignee = { userId: assigneeUserId, ...(assigneeName ? { name: assigneeName } : {}), since: now().toISOString() };
      record('reassigned', `改派给 ${assigneeName ?? assigneeUserId}：${reason}`, by);
      emit('lifecycle.step.reassigned', { assigneeUserId, reason });
      refresh();
      return state;
    },
    {
      validator: ({ by, reason }) => {
        allowed(by, 'lifecycle.escalate');
        if (TERMINAL_STAGES.includes(state.stage)) refuse('项目已结束');
        if (!reason.trim()) refuse('须写明理由');
      },
    },
  );

  function escalate(reason: string, waitingOn: string | null, by?: StepActor): void {
    const level = state.escalations.filter((e) => e.stage === state.stage).length + 1;
    const notify = (waitingOn && NEXT_LEVEL[waitingOn]) ?? 'admin';
    state.escalations.push({ at: now().toISOString(), stage: state.stage, reason, level });
    record('escalated', `升级（第 ${level} 级，通知${notify}）：${reason}`, by);
    emit('lifecycle.deadline.escalated', { reason, level, waitingOn, notify });
    refresh();
  }

  /** What the organization owes during delivery, and by when: each planned activity's report, each held one's sign-in sheet. */
  function deliverablesDue(): { at: number; key: string; reason: string; waitingOn: string | null }[] {
    const due: { at: number; key: string; reason: string; waitingOn: string | null }[] = [];
    if (state.stage !== 'in_delivery' && state.stage !== 'contracted') return due;
    for (const p of planned) {
      const status = state.activities[p.activityKey] ?? 'planned';
      if (status === 'planned') {
        const at = deadlineAfter(new Date(`${p.endsOn}T23:59:59+08:00`), policy.activityReport).getTime();
        due.push({ at, key: `report:${p.activityKey}`, reason: `活动 ${p.activityKey} 逾期未上报`, waitingOn: 'org_staff' });
      } else if (status === 'held' && heldAt[p.activityKey]) {
        const at = deadlineAfter(new Date(heldAt[p.activityKey]!), policy.signInSheet).getTime();
        due.push({ at, key: `signin:${p.activityKey}`, reason: `活动 ${p.activityKey} 签到单逾期未提交`, waitingOn: 'org_staff' });
      }
    }
    return due;
  }

  /** The next instant something is due, and what to say when it passes. */
  function nextDue(): { at: number; key: string; reason: string; waitingOn: string | null } | null {
    const candidates: { at: number; key: string; reason: string; waitingOn: string | null }[] = [];
    if (state.deadline) {
      const level = state.escalations.filter((e) => e.stage === state.stage).length;
      const allowance = allowanceFor(state.stage, policy);
      // After an escalation the next one comes one more allowance later: reminders, not a flood.
      const at = level === 0 || !allowance ? Date.parse(state.deadline) : deadlineAfter(new Date(state.escalations[state.escalations.length - 1]!.at), allowance).getTime();
      candidates.push({ at, key: `stage:${state.stage}:${state.stageEnteredAt}:${level}`, reason: `「${STAGE_LABELS[state.stage]}」超过时限`, waitingOn: state.waitingOn });
    }
    candidates.push(...deliverablesDue());
    const open = candidates.filter((c) => !escalatedKeys.has(c.key)).sort((a, b) => a.at - b.at);
    return open[0] ?? null;
  }

  // ---- main loop -----------------------------------------------------------------------------------
  if (!carried) {
    record('started', `项目生命周期开始：${state.title}`);
    // Operators see a new project at once (it used to appear only at the next reconcile). Histories made
    // before this announcement replay without it.
    if (patched('announce-start')) emit('lifecycle.started', { level: state.level, waitingOn: state.waitingOn });
  }
  refresh();

  while (!TERMINAL_STAGES.includes(state.stage)) {
    // Sampled before any await: a message that lands while we publish or start work wakes the wait below.
    const seen = tick;
    await flushEvents();

    // Long life: continue as new at a quiet moment (no handler running, no tranche in flight), carrying
    // the whole state, so the history never grows large.
    const info = workflowInfo();
    if ((info.continueAsNewSuggested || info.historyLength > policy.continueAsNewAfterEvents) && runningTranches.size === 0 && !state.parked) {
      await condition(allHandlersFinished);
      await flushEvents();
      await continueAsNew<typeof projectLifecycle>(rawInput, { ...state, planned, heldAt, standstillEndsAt, escalatedKeys: [...escalatedKeys] } as LifecycleState);
    }

    // Work the current stage allows, started by the loop (never by a timer).
    if (state.stage === 'contracted' && tranche('start_up').status === 'pending') startTranche('start_up');
    if (state.stage === 'contracted' && tranche('start_up').status !== 'pending' && tranche('start_up').status !== 'requested') {
      enter('in_delivery', '启动资金已处理，服务实施开始');
      continue;
    }
    if (
      (state.stage === 'in_delivery' || state.stage === 'close_out' || state.stage === 'evaluation') &&
      state.midTerm?.passed &&
      !state.paymentsFrozen &&
      tranche('start_up').status === 'paid' &&
      tranche('mid_term').status === 'pending'
    ) {
      startTranche('mid_term');
    }
    if (state.stage === 'evaluation' && state.yearEnd) {
      enter('settled', `结项评估完成（${state.yearEnd.grade}），拨付尾款`);
      continue;
    }
    if (state.stage === 'settled' && !state.paymentsFrozen && tranche('final').status === 'pending' && !runningTranches.has('mid_term')) {
      startTranche('final');
    }
    if (state.stage === 'settled' && ['paid', 'skipped'].includes(tranche('final').status) && runningTranches.size === 0) {
      finish('closed', `项目完成（评估等级 ${state.yearEnd?.grade ?? '-'}）`);
      continue;
    }
    if (state.stage === 'terminated') {
      const contract = state.contract!;
      const keys = Object.keys(state.activities);
      const verified = keys.filter((k) => state.activities[k] === 'verified').length;
      const deliveredPermille = keys.length ? Math.round((verified * 1000) / keys.length) : 0;
      // Tranches in flight finish first; what was delivered is then settled once (idempotent key).
      await condition(() => runningTranches.size === 0);
      const settle = () =>
        acts.settleTermination({ projectId: state.projectId, contractId: contract.contractId, deliveredPermille, reason: state.outcome ?? '', idempotencyKey: `${workflowId}/termination` });
      if (patched('termination-settles-through-final-tranche')) {
        // Payments cancels what will never be paid and says what is owed; the owed amount is paid as the
        // final tranche — requested by its child workflow, approved by finance, reported paid by the bridge.
        const settled = await runStep('结算提前终止项目', settle);
        for (const t of state.tranches) if (t.status === 'pending' && t.kind !== 'final') t.status = 'skipped';
        const final = tranche('final');
        if (settled !== 'skipped' && settled.owedFen > 0 && final.status === 'pending') {
          // A frozen contract is not paid: the settlement waits for the freeze to be lifted, like any tranche.
          await condition(() => state.paymentsFrozen === null);
          startTranche('final');
          await runningTranches.get('final');
        } else if (final.status === 'pending') {
          final.status = 'skipped';
        }
        const settlement =
          settled === 'skipped'
            ? '结算已跳过'
            : settled.owedFen === 0
              ? '无应付结算款'
              : final.status === 'paid'
                ? `结算尾款 ${final.amountFen} 分已拨付`
                : `结算尾款 ${settled.owedFen} 分已跳过`;
        finish('closed', `提前终止并结算（已完成 ${deliveredPermille / 10}%，${settlement}）`);
        continue;
      }
      const settled = await runStep('结算提前终止项目', settle);
      for (const t of state.tranches) if (t.status === 'pending') t.status = 'skipped';
      finish('closed', `提前终止并结算（已完成 ${deliveredPermille / 10}%${settled === 'skipped' ? '，结算已跳过' : `，结算 ${settledAmount(settled)} 分`}）`);
      continue;
    }

    // Wait for the next message, or the next thing due; a missed deadline escalates and the wait goes on.
    const due = nextDue();
    const timeout = due ? Math.max(0, due.at - now().getTime()) : undefined;
    const wake = () => tick !== seen || pendingEvents.length > 0;
    const woke = timeout === undefined ? (await condition(wake), true) : await condition(wake, Math.max(timeout, 1));
    if (!woke && due) {
      escalatedKeys.add(due.key);
      escalate(due.reason, due.waitingOn);
    }
  }

  await Promise.all(runningTranches.values());
  await flushEvents();
  await condition(allHandlersFinished);
  return state;
}
