/**
 * Task queue names. Test runs set TEMPORAL_TASK_QUEUE_PREFIX so that parallel runs against one server
 * never steal each other's tasks.
 */
export const TASK_QUEUES = {
  /** Project lifecycles and everything they start (tranches, onboarding). */
  lifecycle: 'linli-lifecycle',
} as const;

export type TaskQueueKey = keyof typeof TASK_QUEUES;

export function taskQueue(key: TaskQueueKey, prefix = process.env.TEMPORAL_TASK_QUEUE_PREFIX ?? ''): string {
  return `${prefix}${TASK_QUEUES[key]}`;
}

/** Workflow ids are business ids, so a duplicate start is refused by Temporal itself. */
export const workflowIds = {
  project: (projectId: string) => `project-${projectId}`,
  subDistrictOnboarding: (subDistrictId: string) => `sub-district-onboarding-${subDistrictId}`,
};
