import { z } from 'zod';
import { Fen, Grade, ProjectLevel, Severity, WrittenBy } from '../common/domain';
import { EvaluationKind } from '../supervision/events';
import { CreditStatus } from './events';

/**
 * 合同 (the purchase contract). Sub-district level: from an awarded tender after the standstill, for the
 * winning price. Community level: signed directly, for the amount given (≤ the approved budget, which
 * the communities service checks; this service does not see budgets).
 */
const Period = {
  startsOn: z.iso.date().describe('服务期开始'),
  endsOn: z.iso.date().describe('服务期结束'),
};

export const SignPurchaseContractBody = z
  .discriminatedUnion('level', [
    z.object({ level: z.literal('sub_district'), tenderId: z.uuid(), ...Period }).strict(),
    z
      .object({
        level: z.literal('community'),
        projectId: z.uuid(),
        organizationId: z.uuid(),
        subDistrictId: z.uuid(),
        communityId: z.uuid(),
        amountFen: Fen.refine((v) => v > 0, '合同金额须大于 0 (amount must be positive)'),
        ...Period,
      })
      .strict(),
  ])
  .superRefine((v, ctx) => {
    if (v.startsOn > v.endsOn) ctx.addIssue({ code: 'custom', path: ['endsOn'], message: '服务期结束不得早于开始 (endsOn must not be before startsOn)' });
  });
export type SignPurchaseContractBody = z.infer<typeof SignPurchaseContractBody>;

export const PurchaseContractView = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  organizationId: z.uuid(),
  organizationName: z.string(),
  subDistrictId: z.uuid(),
  communityId: z.uuid().nullable(),
  level: ProjectLevel,
  tenderId: z.uuid().nullable(),
  bidId: z.uuid().nullable(),
  amountFen: Fen,
  startsOn: z.iso.date(),
  endsOn: z.iso.date(),
  signedAt: z.iso.datetime(),
  signedBy: WrittenBy,
});
export type PurchaseContractView = z.infer<typeof PurchaseContractView>;

export const PurchaseContractIdParams = z.object({ id: z.uuid() });

export const ListPurchaseContractsQuery = z.object({
  cursor: z.string().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  organizationId: z.uuid().optional(),
  projectId: z.uuid().optional(),
  subDistrictId: z.uuid().optional(),
  level: ProjectLevel.optional(),
});
export type ListPurchaseContractsQuery = z.infer<typeof ListPurchaseContractsQuery>;

/** 履约记录: what communities see when they shortlist an organization. */
export const TrackRecordView = z.object({
  organizationId: z.uuid(),
  organizationName: z.string(),
  creditStatus: CreditStatus,
  contracts: z.number().int().describe('签订的合同数'),
  contractedAmountFen: Fen,
  completed: z.number().int().describe('已完成结项评估的项目数'),
  averageScore: z.number().nullable().describe('结项评估平均分'),
  grades: z.array(
    z.object({
      evaluationId: z.uuid(),
      contractId: z.uuid(),
      projectId: z.uuid(),
      kind: EvaluationKind,
      score: z.number(),
      grade: Grade,
      passed: z.boolean(),
      evaluatedAt: z.iso.datetime(),
    }),
  ),
  findingsBySeverity: z.record(Severity, z.number().int()),
  openFindings: z.number().int(),
});
export type TrackRecordView = z.infer<typeof TrackRecordView>;
