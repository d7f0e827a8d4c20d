import { z } from 'zod';
import { Fen, ServiceCategory, TargetGroup, WrittenBy } from '../common/domain';
import { CreditStatus } from './events';

/** 服务清单 (an organization's offerings: its "stall" at the fair). */
const OfferingFields = z.object({
  category: ServiceCategory,
  targetGroups: z.array(TargetGroup).min(1).max(8).describe('服务对象（至少一个）'),
  title: z.string().trim().min(2).max(100).describe('服务名称，如 亲子绘本故事会'),
  description: z.string().trim().min(1).max(4000),
  priceMinFen: Fen.describe('典型价格下限（分）'),
  priceMaxFen: Fen.describe('典型价格上限（分）'),
});

const priceRange = <T extends { priceMinFen?: number; priceMaxFen?: number }>(value: T, ctx: z.RefinementCtx) => {
  if (value.priceMinFen !== undefined && value.priceMaxFen !== undefined && value.priceMinFen > value.priceMaxFen) {
    ctx.addIssue({ code: 'custom', path: ['priceMaxFen'], message: '价格上限不得低于下限 (priceMaxFen must be ≥ priceMinFen)' });
  }
};

export const CreateOfferingBody = OfferingFields.strict().superRefine(priceRange);
export type CreateOfferingBody = z.infer<typeof CreateOfferingBody>;

/** Any subset of the fields; the price range is checked against the stored values too. */
export const UpdateOfferingBody = OfferingFields.partial().strict().superRefine(priceRange);
export type UpdateOfferingBody = z.infer<typeof UpdateOfferingBody>;

export const OfferingView = OfferingFields.extend({
  id: z.uuid(),
  organizationId: z.uuid(),
  organizationName: z.string(),
  /** Shown beside the stall: a blacklisted organization cannot be chosen. */
  organizationCreditStatus: CreditStatus,
  createdAt: z.iso.datetime(),
  createdBy: WrittenBy,
  updatedAt: z.iso.datetime(),
  updatedBy: WrittenBy,
});
export type OfferingView = z.infer<typeof OfferingView>;

export const OfferingIdParams = z.object({ id: z.uuid() });

export const ListOfferingsQuery = z.object({
  cursor: z.string().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  category: ServiceCategory.optional(),
  targetGroup: TargetGroup.optional(),
  organizationId: z.uuid().optional(),
});
export type ListOfferingsQuery = z.infer<typeof ListOfferingsQuery>;
