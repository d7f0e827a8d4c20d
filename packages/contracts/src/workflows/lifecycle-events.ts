import { z } from 'zod';
import { defineEvent } from '../events/envelope';
import { LifecycleStage } from './project-lifecycle';

/**
 * What the lifecycle workflow tells the world (topic linli.lifecycle.events): stage changes, missed
 * deadlines with the level to tell, parked steps, decisions, tranche outcomes. Every payload names the
 * stage the project is in when it was sent. Notifications: consumers build views from them.
 */
const base = z.object({ stage: LifecycleStage });
const d = <T extends z.ZodRawShape>(shape: T) => base.extend(shape);

export const LifecycleStarted = defineEvent({ type: 'lifecycle.started', version: 1, description: '项目生命周期开始', data: d({ level: z.enum(['community', 'sub_district']), waitingOn: z.string().nullable() }) });
export const LifecycleStageChanged = defineEvent({ type: 'lifecycle.stage.changed', version: 1, description: '项目阶段变化', data: d({ from: LifecycleStage, to: LifecycleStage, waitingOn: z.string().nullable(), deadline: z.string().nullable() }) });
export const LifecycleDeadlineEscalated = defineEvent({ type: 'lifecycle.deadline.escalated', version: 1, description: '超过时限，已升级', data: d({ reason: z.string(), level: z.number().int().positive(), waitingOn: z.string().nullable(), notify: z.string() }) });
export const LifecycleStepParked = defineEvent({ type: 'lifecycle.step.parked', version: 1, description: '步骤失败，等待管理员处理', data: d({ step: z.string(), error: z.string(), attempts: z.number().int().optional() }) });
export const LifecycleDecisionRecorded = defineEvent({ type: 'lifecycle.decision.recorded', version: 1, description: '评审决定', data: d({ gate: z.string(), outcome: z.string(), version: z.number().int() }) });
export const LifecycleTranchePaid = defineEvent({ type: 'lifecycle.tranche.paid', version: 1, description: '款项已拨付', data: d({ kind: z.string(), amountFen: z.number().int() }) });
export const LifecycleTrancheSkipped = defineEvent({ type: 'lifecycle.tranche.skipped', version: 1, description: '款项已跳过', data: d({ kind: z.string(), amountFen: z.number().int() }) });
export const LifecyclePaymentsFrozen = defineEvent({ type: 'lifecycle.payments.frozen', version: 1, description: '拨付冻结', data: d({ reason: z.string() }) });
export const LifecyclePaymentsUnfrozen = defineEvent({ type: 'lifecycle.payments.unfrozen', version: 1, description: '拨付解冻', data: d({ reason: z.string() }) });
export const LifecycleActivityProgressed = defineEvent({ type: 'lifecycle.activity.progressed', version: 1, description: '活动进展', data: d({ activityKey: z.string(), step: z.string() }) });
export const LifecycleAdminAction = defineEvent({ type: 'lifecycle.admin.action', version: 1, description: '管理员处理', data: d({ action: z.string(), step: z.string(), reason: z.string() }) });
export const LifecycleTenderUnsuccessful = defineEvent({ type: 'lifecycle.tender.unsuccessful', version: 1, description: '流标', data: d({ tenderId: z.string(), bids: z.number().int() }) });

export const LifecycleReminderSent = defineEvent({ type: 'lifecycle.reminder.sent', version: 1, description: '已催办', data: d({ reason: z.string(), waitingOn: z.string().nullable() }) });
export const LifecycleReassigned = defineEvent({ type: 'lifecycle.step.reassigned', version: 1, description: '已改派', data: d({ assigneeUserId: z.string(), reason: z.string() }) });

export const LIFECYCLE_EVENTS = [
  LifecycleStarted,
  LifecycleReminderSent,
  LifecycleReassigned,
  LifecycleStageChanged,
  LifecycleDeadlineEscalated,
  LifecycleStepParked,
  LifecycleDecisionRecorded,
  LifecycleTranchePaid,
  LifecycleTrancheSkipped,
  LifecyclePaymentsFrozen,
  LifecyclePaymentsUnfrozen,
  LifecycleActivityProgressed,
  LifecycleAdminAction,
  LifecycleTenderUnsuccessful,
] as const;
