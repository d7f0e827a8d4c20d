// The baseline of the lifecycle throughput figure: a workflow with the shape of a real project lifecycle
// (the same Updates, activities and children, from bare-plan.ts) that does no work. This file is bundled
// for the workflow sandbox: workflow imports only.
import { ParentClosePolicy, condition, defineUpdate, proxyActivities, setHandler, startChild, workflowInfo } from '@temporalio/workflow';
import type { BarePlan } from './bare-plan';

export const bareStepUpdate = defineUpdate<number, []>('bareStep');

export interface BareActivities {
  nothing(): Promise<void>;
}

// The same timeouts and retry policy as the lifecycle's activities.
const { nothing } = proxyActivities<BareActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 8 },
});

async function times(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await nothing();
}

export const bareChildId = (parentId: string, n: number) => `${parentId}-child-${n}`;

export async function bareLifecycle(plan: BarePlan): Promise<number> {
  let received = 0;
  let handled = 0;
  setHandler(bareStepUpdate, async () => {
    const step = plan.steps[received++];
    await times(step?.inHandler ?? 0);
    handled++;
    return received;
  });
  const children: Promise<unknown>[] = [];
  await times(plan.atStart);
  for (let i = 0; i < plan.steps.length; i++) {
    await condition(() => handled > i);
    await times(plan.steps[i]!.after);
    for (let c = 0; c < plan.steps[i]!.children; c++) {
      const child = await startChild(bareChild, {
        workflowId: bareChildId(workflowInfo().workflowId, children.length),
        args: [plan.child],
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
      });
      children.push(child.result());
    }
  }
  await Promise.all(children);
  return received;
}

export async function bareChild(shape: BarePlan['child']): Promise<number> {
  let received = 0;
  setHandler(bareStepUpdate, () => ++received);
  await times(shape.activities);
  await condition(() => received >= shape.updates);
  return received;
}
