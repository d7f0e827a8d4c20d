import { proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { SubDistrictOnboardingInput } from '@linli/contracts';
import type { CommunitiesActivities } from '../activities/communities.activities';

// Transient faults (service down, 5xx, timeouts) are retried with backoff for as long as it takes;
// business rejections come back as non-retryable failures and end the attempt loop at once.
const { activateSubDistrict } = proxyActivities<CommunitiesActivities>({
  startToCloseTimeout: '15s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

/**
 * Walking skeleton of a lifecycle: a durable timer (survives worker and server restarts), then a call
 * back into the communities service over HTTP with an idempotency key derived from the workflow.
 */
export async function subDistrictOnboarding(input: SubDistrictOnboardingInput): Promise<{ activatedAt: string }> {
  await sleep(input.activationDelayMs);
  const view = await activateSubDistrict({
    subDistrictId: input.subDistrictId,
    idempotencyKey: `${workflowInfo().workflowId}/activate`,
  });
  return { activatedAt: view.activatedAt ?? '' };
}
