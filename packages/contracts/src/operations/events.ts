/**
 * The operations service publishes no events of its own: every action it takes is an Update on the
 * project's lifecycle workflow, which publishes the outcome (lifecycle.admin.action, lifecycle.reminder.sent,
 * lifecycle.deadline.escalated, lifecycle.step.reassigned, ...) on the lifecycle topic. Its audit trail is
 * its own table, read through GET /audit.
 */
export const OPERATIONS_EVENTS = [] as const;
