import type { EventEnvelope, LIFECYCLE_UPDATES, LifecycleInput, LifecyclePolicy, LifecycleState, StepActor } from '@linli/contracts';
import { UnprocessableEventError } from '@linli/events';
import { NotFoundError } from '@linli/http';
import { LifecycleStepRefusedError, type LifecycleClient } from './lifecycle-client';

/**
 * Services forward their human steps to the project's lifecycle from their own outbox events: the step
 * is committed in the service first, then its event becomes a lifecycle Update (at least once, since the
 * consumer retries). This file is the one table of "which service event is which lifecycle step".
 */
type Step =
  | { kind: 'start'; input: LifecycleInput }
  | { kind: 'update'; update: keyof typeof LIFECYCLE_UPDATES; payload: Record<string, unknown>; done: (s: LifecycleState) => boolean }
  | { kind: 'tranche'; trancheKind: 'start_up' | 'mid_term' | 'final'; outcome: { outcome: 'paid' | 'failed'; amountFen: number; reason?: string } };

const SYSTEM: StepActor = { userId: 'system:lifecycle-bridge', role: 'system', scope: { kind: 'platform', id: 'linli' } };
const ACTIVITY_ORDER = ['planned', 'held', 'signed_in', 'called_back', 'verified'];
const beyond = (s: LifecycleState, stages: string[]) => stages.includes(s.stage);
const AFTER_AWARD = ['standstill', 'contracted', 'in_delivery', 'close_out', 'evaluation', 'settled', 'closed', 'terminated'];
const FROM_EVALUATION = ['evaluation', 'settled', 'closed', 'terminated'];

/** The envelope's actor (`{ userId, role, scope: 'kind:id' }`) as the workflow's StepActor. */
export function stepActorOf(event: EventEnvelope): StepActor {
  const actor = event.actor;
  if (!actor?.scope) return SYSTEM;
  const [kind, ...rest] = actor.scope.split(':');
  const id = rest.join(':');
  if (!id || !['platform', 'sub-district', 'community', 'organization', 'agency'].includes(kind!)) return SYSTEM;
  return { userId: actor.userId, role: actor.role, scope: { kind: kind as StepActor['scope']['kind'], id } };
}

/** The lifecycle steps a service event stands for (none for events that are not lifecycle steps). */
export function lifecycleStepsFor(event: EventEnvelope, policy?: Partial<LifecyclePolicy>): { projectId: string; steps: Step[] } | null {
  const d = event.data as Record<string, any>;
  const by = stepActorOf(event);
  const projectId: string | undefined = d?.projectId;
  if (!projectId) return null;
  const activity = (step: string): Step => ({
    kind: 'update',
    update: 'activity',
    payload: { activityKey: d.activityKey, step, by },
    done: (s) => ACTIVITY_ORDER.indexOf(s.activities[d.activityKey] ?? 'planned') >= ACTIVITY_ORDER.indexOf(step),
  });
  const decided = (gate: string, version: number) => (s: LifecycleState) => s.decisions.some((x) => x.gate === gate && x.version === version);
  switch (event.type) {
    // communities: a drafted proposal starts the project's lifecycle; submissions and decisions drive it.
    case 'communities.proposal.drafted':
      return {
        projectId,
        steps: [
          {
            kind: 'start',
            input: {
              projectId,
              level: d.level,
              title: d.title,
              subDistrictId: d.subDistrictId,
              communityId: d.communityId,
              organizationId: d.organizationId,
              fiscalYear: d.fiscalYear,
              proposalVersion: 1,
              ...(policy ? { policy: policy as LifecyclePolicy } : {}),
            },
          },
        ],
      };
    case 'communities.proposal.submitted':
      return d.version === 1
        ? { projectId, steps: [{ kind: 'update', update: 'submit', payload: { version: 1, by }, done: (s) => s.stage !== 'draft' }] }
        : { projectId, steps: [{ kind: 'update', update: 'resubmit', payload: { version: d.version, by }, done: (s) => s.proposalVersion >= d.version }] };
    case 'communities.proposal.decision-recorded':
      // The committee's approval travels with the approved plan (communities.proposal.approved) instead.
      if (d.gate === 'committee' && d.outcome === 'approve') return null;
      return {
        projectId,
        steps: [
          {
            kind: 'update',
            update: 'reviewDecision',
            payload: { decisionId: event.id, gate: d.gate, outcome: d.outcome, version: d.version, reasons: d.reasons, by },
            done: decided(d.gate, d.version),
          },
        ],
      };
    case 'communities.proposal.approved':
      return {
        projectId,
        steps: [
          {
            kind: 'update',
            update: 'reviewDecision',
            payload: {
              decisionId: event.id,
              gate: 'committee',
              outcome: 'approve',
              version: d.version,
              reasons: '',
              plannedActivities: (d.plannedActivities as { activityKey: string; endsOn: string }[]).map((a) => ({ activityKey: a.activityKey, endsOn: a.endsOn })),
              by,
            },
            done: decided('committee', d.version),
          },
        ],
      };
    case 'organizations.tender.published': {
      const published: Step = {
        kind: 'update',
        update: 'tender',
        payload: { step: 'published', tenderId: d.tenderId, by },
        done: (s) => (s.tender.tenderId === d.tenderId && s.tender.status !== 'retendering') || beyond(s, AFTER_AWARD),
      };
      if (d.round > 1) {
        const retender: Step = { kind: 'update', update: 'tender', payload: { step: 'retender', tenderId: d.tenderId, by }, done: (s) => s.tender.status !== 'unsuccessful' };
        return { projectId, steps: [retender, published] };
      }
      return { projectId, steps: [published] };
    }
    case 'organizations.tender.unsuccessful':
      return {
        projectId,
        steps: [{ kind: 'update', update: 'tender', payload: { step: 'unsuccessful', tenderId: d.tenderId, bids: d.bids, by }, done: (s) => s.tender.status === 'unsuccessful' || (s.tender.tenderId !== d.tenderId && s.tender.attempts > 1) || beyond(s, AFTER_AWARD) }],
      };
    case 'organizations.tender.cancelled':
      return { projectId, steps: [{ kind: 'update', update: 'tender', payload: { step: 'cancel', tenderId: d.tenderId, reason: d.reason, by }, done: (s) => s.stage === 'cancelled' }] };
    case 'organizations.tender.awarded':
      return {
        projectId,
        steps: [
          {
            kind: 'update',
            update: 'tender',
            payload: { step: 'awarded', tenderId: d.tenderId, organizationId: d.organizationId, amountFen: d.amountFen, standstillEndsAt: d.standstillEndsAt, by },
            done: (s) => beyond(s, AFTER_AWARD),
          },
        ],
      };
    case 'organizations.contract.signed':
      return {
        projectId,
        steps: [
          {
            kind: 'update',
            update: 'contractSigned',
            payload: { contractId: d.contractId, amountFen: d.amountFen, startsOn: d.startsOn, endsOn: d.endsOn, by },
            done: (s) => s.contract?.contractId === d.contractId,
          },
        ],
      };
    case 'supervision.activity.reported':
      return { projectId, steps: [activity('held')] };
    case 'supervision.sign-in-sheet.recorded':
      return { projectId, steps: [activity('signed_in')] };
    case 'supervision.callback.recorded':
      return d.remaining === 0 ? { projectId, steps: [activity('called_back')] } : null;
    case 'supervision.activity.verified':
      return { projectId, steps: [activity('verified')] };
    case 'supervision.close-out.submitted':
      // 结项材料 moves the lifecycle to 结项评估; from there on (or once ended) it has been applied.
      return { projectId, steps: [{ kind: 'update', update: 'closeOut', payload: { by }, done: (s) => beyond(s, FROM_EVALUATION) }] };
    case 'supervision.evaluation.completed':
      return {
        projectId,
        steps: [
          {
            kind: 'update',
            update: 'check',
            payload: { kind: d.kind, score: d.score, grade: d.grade, passed: d.passed, by },
            done: (s) => (d.kind === 'mid_term' ? s.midTerm !== null : s.yearEnd !== null),
          },
        ],
      };
    case 'payments.tranche.paid':
      return { projectId, steps: [{ kind: 'tranche', trancheKind: d.kind, outcome: { outcome: 'paid', amountFen: d.amountFen } }] };
    case 'payments.tranche.failed':
      return { projectId, steps: [{ kind: 'tranche', trancheKind: d.kind, outcome: { outcome: 'failed', amountFen: d.amountFen, reason: d.reason } }] };
    case 'payments.contract.frozen':
      return { projectId, steps: [{ kind: 'update', update: 'paymentsFreeze', payload: { frozen: true, reason: d.reason, by }, done: (s) => s.paymentsFrozen !== null }] };
    case 'payments.contract.unfrozen':
      return d.stillFrozen
        ? null
        : { projectId, steps: [{ kind: 'update', update: 'paymentsFreeze', payload: { frozen: false, reason: d.reason, by }, done: (s) => s.paymentsFrozen === null }] };
    default:
      return null;
  }
}

/**
 * Applies an event's lifecycle steps. Already applied (a redelivery) → nothing. Refused while the
 * lifecycle may still catch up (another service's step not yet forwarded) → thrown, so the consumer
 * retries with backoff; refused past `patienceMs` → dead letter with the workflow's reason. No lifecycle
 * for the project (records made outside a lifecycle) → skipped.
 */
export async function forwardToLifecycle(
  lifecycle: LifecycleClient,
  event: EventEnvelope,
  { patienceMs = 5 * 60_000, log, policy }: { patienceMs?: number; log?: { warn(obj: object, msg?: string): void }; policy?: Partial<LifecyclePolicy> } = {},
): Promise<'applied' | 'already' | 'skipped' | 'none'> {
  const plan = lifecycleStepsFor(event, policy);
  if (!plan) return 'none';
  let applied = false;
  for (const step of plan.steps) {
    try {
      if (step.kind === 'start') {
        if ((await lifecycle.ensureStarted(step.input)) === 'started') applied = true;
        continue;
      }
      if (step.kind === 'tranche') {
        await lifecycle.reportTranche(plan.projectId, step.trancheKind, step.outcome);
        applied = true;
        continue;
      }
      const state = await lifecycle.state(plan.projectId);
      if (step.done(state)) continue;
      await lifecycle.update(plan.projectId, step.update, step.payload);
      applied = true;
    } catch (error) {
      if (error instanceof NotFoundError) {
        log?.warn({ projectId: plan.projectId, type: event.type }, 'no lifecycle workflow for this project; event not forwarded');
        return 'skipped';
      }
      if (error instanceof LifecycleStepRefusedError) {
        if (step.kind === 'tranche') return 'already'; // the tranche workflow has finished: reported before
        const age = Date.now() - Date.parse(event.occurredAt);
        if (age < patienceMs) throw error;
        throw new UnprocessableEventError(`lifecycle refused ${event.type} for project ${plan.projectId}: ${error.message}`);
      }
      throw error;
    }
  }
  return applied ? 'applied' : 'already';
}
