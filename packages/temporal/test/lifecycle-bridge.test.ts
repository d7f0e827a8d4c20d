import { randomUUID } from 'node:crypto';
import type { EventEnvelope, LifecycleState } from '@linli/contracts';
import { lifecycleStepsFor, stepActorOf } from '../src/lifecycle-bridge';

const projectId = randomUUID();
const envelope = (type: string, data: Record<string, unknown>, actor?: EventEnvelope['actor']): EventEnvelope => ({
  id: randomUUID(),
  type,
  version: 1,
  source: type.split('.')[0]!,
  subject: projectId,
  occurredAt: new Date().toISOString(),
  actor,
  data: { projectId, ...data },
});

describe('lifecycle bridge mapping', () => {
  it("when an event carries its actor, then the step is made by that person in that scope", () => {
    expect(stepActorOf(envelope('x.y.z', {}, { userId: 'u1', role: 'subdistrict_reviewer', scope: 'sub-district:s1' }))).toEqual({
      userId: 'u1',
      role: 'subdistrict_reviewer',
      scope: { kind: 'sub-district', id: 's1' },
    });
    expect(stepActorOf(envelope('x.y.z', {})).role).toBe('system');
  });

  it('when a tender is published again after 流标, then the lifecycle is told to re-tender first, then published', () => {
    const plan = lifecycleStepsFor(envelope('organizations.tender.published', { tenderId: randomUUID(), round: 2 }));
    expect(plan?.steps.map((s) => (s.kind === 'update' ? (s.payload as { step: string }).step : s.kind))).toEqual(['retender', 'published']);
  });

  it('when supervision reports an activity step, then it maps to the same activity step of the lifecycle, call-backs only when none remain', () => {
    const step = (type: string, extra = {}) => lifecycleStepsFor(envelope(type, { activityKey: 'A1', ...extra }))?.steps[0];
    expect(step('supervision.activity.reported')).toMatchObject({ update: 'activity', payload: { step: 'held' } });
    expect(step('supervision.sign-in-sheet.recorded')).toMatchObject({ payload: { step: 'signed_in' } });
    expect(lifecycleStepsFor(envelope('supervision.callback.recorded', { activityKey: 'A1', remaining: 2 }))).toBeNull();
    expect(step('supervision.callback.recorded', { remaining: 0 })).toMatchObject({ payload: { step: 'called_back' } });
    expect(step('supervision.activity.verified')).toMatchObject({ payload: { step: 'verified' } });
  });

  it('when the organization submits its close-out material, then the lifecycle is told by that person, and it is done from 结项评估 on', () => {
    const organizationId = randomUUID();
    const org = { userId: 'u-org', role: 'org_staff', scope: `organization:${organizationId}` };
    const step = lifecycleStepsFor(envelope('supervision.close-out.submitted', { contractId: randomUUID(), organizationId, submittedAt: new Date().toISOString() }, org))?.steps[0];
    expect(step).toMatchObject({ kind: 'update', update: 'closeOut', payload: { by: { userId: 'u-org', role: 'org_staff', scope: { kind: 'organization', id: organizationId } } } });
    const done = (stage: string) => (step as { done: (s: LifecycleState) => boolean }).done({ stage } as LifecycleState);
    expect(['in_delivery', 'close_out'].map(done)).toEqual([false, false]);
    expect(['evaluation', 'settled', 'closed', 'terminated'].map(done)).toEqual([true, true, true, true]);
  });

  it('when payments reports a tranche, then it goes to the tranche workflow; a freeze that still holds is not forwarded as lifted', () => {
    expect(lifecycleStepsFor(envelope('payments.tranche.paid', { kind: 'start_up', amountFen: 3000 }))?.steps[0]).toEqual({
      kind: 'tranche',
      trancheKind: 'start_up',
      outcome: { outcome: 'paid', amountFen: 3000 },
    });
    expect(lifecycleStepsFor(envelope('payments.contract.unfrozen', { reason: 'x', stillFrozen: true }))).toBeNull();
    expect(lifecycleStepsFor(envelope('payments.contract.unfrozen', { reason: 'x', stillFrozen: false }))?.steps[0]).toMatchObject({ update: 'paymentsFreeze', payload: { frozen: false } });
  });

  it('when an event is not a lifecycle step, then there is nothing to forward', () => {
    expect(lifecycleStepsFor(envelope('organizations.offering.published', {}))).toBeNull();
  });
});
