import { SubDistrictRegistered, type EventOf } from '@linli/contracts';
import { taskQueue, workflowIds } from '@linli/temporal';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';

/**
 * Starts the onboarding workflow for each registered sub-district. Driven by the outbox event, not by
 * the HTTP request, so a crash between the commit and the start cannot lose it; the workflow id is the
 * business id, so a redelivered event cannot start it twice.
 */
export function onboardingHandler(temporal: Client, activationDelayMs: number) {
  return async (event: EventOf<typeof SubDistrictRegistered>): Promise<void> => {
    try {
      await temporal.workflow.start('subDistrictOnboarding', {
        taskQueue: taskQueue('lifecycle'),
        workflowId: workflowIds.subDistrictOnboarding(event.data.subDistrictId),
        args: [{ subDistrictId: event.data.subDistrictId, activationDelayMs }],
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  };
}
