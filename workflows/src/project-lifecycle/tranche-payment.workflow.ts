import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  defineSignal,
  defineUpdate,
  getExternalWorkflowHandle,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
// The zod-free half of the contracts (see that file): every module imported here is evaluated per workflow.
import { TRANCHE_UPDATES } from '@linli/contracts/src/workflows/project-lifecycle.constants';
export { trancheWorkflowId } from '@linli/contracts/src/workflows/project-lifecycle.constants';
import type { LifecycleActivities } from './lifecycle.activities';

/**
 * One staged payment (启动资金 / 中期款 / 尾款) as a child of the project lifecycle. It asks payments to
 * disburse with an idempotency key derived from the parent workflow, the tranche and the attempt, so a
 * retry or a replay can never pay twice; then waits for payments to report paid or failed (finance
 * approves in between). A failure parks the tranche until an admin retries or skips it.
 */
export interface TranchePaymentInput {
  projectId: string;
  contractId: string;
  kind: 'start_up' | 'mid_term' | 'final';
  parentWorkflowId: string;
  /** How long to wait for finance before telling the parent (which escalates); the wait goes on after. */
  financeWaitMs: number;
}
export interface TranchePaymentResult {
  kind: TranchePaymentInput['kind'];
  status: 'paid' | 'skipped';
  amountFen: number;
  attempts: number;
}

export const trancheSettledUpdate = defineUpdate<void, [{ outcome: 'paid' | 'failed'; amountFen: number; reason?: string }]>(TRANCHE_UPDATES.settled);
/** Parent → child: the admin's decision on a parked tranche (the admin calls the parent's Update). */
export const trancheAdminSignal = defineSignal<[{ action: 'retry' | 'skip'; reason: string }]>('trancheAdminStep');
/** Child → parent: a tranche is parked (or unparked), so the project shows it needs attention. */
export const trancheParkedSignal = defineSignal<[{ kind: TranchePaymentInput['kind']; error: string | null; attempts: number; overdue?: boolean }]>('trancheParked');

const { requestTranche } = proxyActivities<LifecycleActivities>({
  startToCloseTimeout: '30s',
  // Transient faults (payments down, 5xx, timeouts) retry with backoff; after 8 attempts the tranche
  // parks so an operator sees it, instead of retrying silently forever.
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 8 },
});

export async function tranchePayment(input: TranchePaymentInput): Promise<TranchePaymentResult> {
  const parent = getExternalWorkflowHandle(input.parentWorkflowId);
  let settled: { outcome: 'paid' | 'failed'; amountFen: number; reason?: string } | null = null;
  let admin: { action: 'retry' | 'skip'; reason: string } | null = null;
  let attempt = 0;

  setHandler(trancheSettledUpdate, (s) => {
    settled = s;
  }, {
    validator: (s) => {
      if (s.outcome !== 'paid' && s.outcome !== 'failed') throw ApplicationFailure.nonRetryable('outcome must be paid or failed');
    },
  });
  setHandler(trancheAdminSignal, (a) => {
    admin = a;
  });

  const park = async (error: string): Promise<'retry' | 'skip'> => {
    admin = null;
    await parent.signal(trancheParkedSignal, { kind: input.kind, error, attempts: attempt });
    await condition(() => admin !== null);
    const action = (admin as { action: 'retry' | 'skip' } | null)?.action ?? 'retry';
    await parent.signal(trancheParkedSignal, { kind: input.kind, error: null, attempts: attempt });
    return action;
  };

  for (;;) {
    attempt++;
    settled = null;
    const idempotencyKey = `${input.parentWorkflowId}/tranche/${input.kind}/${attempt}`;
    let requested: Awaited<ReturnType<LifecycleActivities['requestTranche']>>;
    try {
      requested = await requestTranche({ projectId: input.projectId, contractId: input.contractId, kind: input.kind, idempotencyKey });
    } catch (err) {
      const cause = err instanceof ActivityFailure && err.cause ? err.cause.message : (err as Error).message;
      if ((await park(`申请拨付失败：${cause}`)) === 'skip') return { kind: input.kind, status: 'skipped', amountFen: 0, attempts: attempt };
      continue;
    }
    if (requested.status === 'paid') return { kind: input.kind, status: 'paid', amountFen: requested.amountFen, attempts: attempt };
    if (requested.status !== 'failed') {
      // Finance approves in the payments service, which then reports here. Past the allowance the parent
      // escalates; the wait itself never gives up and never approves anything.
      if (!(await condition(() => settled !== null, input.financeWaitMs))) {
        await parent.signal(trancheParkedSignal, { kind: input.kind, error: null, attempts: attempt, overdue: true });
        await condition(() => settled !== null);
      }
    }
    const outcome = settled as { outcome: 'paid' | 'failed'; amountFen: number; reason?: string } | null;
    if (outcome?.outcome === 'paid') return { kind: input.kind, status: 'paid', amountFen: outcome.amountFen, attempts: attempt };
    const reason = outcome?.reason ?? '拨付失败';
    if ((await park(`拨付失败：${reason}`)) === 'skip') return { kind: input.kind, status: 'skipped', amountFen: 0, attempts: attempt };
  }
}
