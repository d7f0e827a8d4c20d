import { z } from 'zod';
import { defineEvent } from '../events/envelope';
import { Grade, Severity } from '../common/domain';

/** Events of the supervision service that other services consume (the service may add more beside these). */
export const EvaluationKind = z.enum(['mid_term', 'year_end']).describe('评估类型：中期检查 / 结项评估');
export type EvaluationKind = z.infer<typeof EvaluationKind>;

export const EvaluationCompleted = defineEvent({
  type: 'supervision.evaluation.completed',
  version: 1,
  description: '评估已完成',
  data: z.object({
    evaluationId: z.uuid(),
    contractId: z.uuid(),
    projectId: z.uuid(),
    organizationId: z.uuid(),
    kind: EvaluationKind,
    score: z.number().min(0).max(100),
    grade: Grade,
    passed: z.boolean(),
  }),
});

export const FindingRaised = defineEvent({
  type: 'supervision.finding.raised',
  version: 1,
  description: '监督发现问题',
  data: z.object({
    findingId: z.uuid(),
    contractId: z.uuid(),
    projectId: z.uuid(),
    organizationId: z.uuid(),
    severity: Severity,
    summary: z.string(),
    rectifyBy: z.iso.date(),
  }),
});

export const FindingClosed = defineEvent({
  type: 'supervision.finding.closed',
  version: 1,
  description: '问题已整改关闭',
  data: z.object({ findingId: z.uuid(), contractId: z.uuid(), projectId: z.uuid(), severity: Severity }),
});

/** 结项材料: the organization handed in its year's close-out material; the lifecycle moves to 结项评估. */
export const CloseOutSubmitted = defineEvent({
  type: 'supervision.close-out.submitted',
  version: 1,
  description: '社会组织已提交结项材料',
  data: z.object({
    closeOutId: z.uuid(),
    contractId: z.uuid(),
    projectId: z.uuid(),
    organizationId: z.uuid(),
    submittedAt: z.iso.datetime(),
  }),
});
