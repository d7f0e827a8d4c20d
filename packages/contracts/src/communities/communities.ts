import { z } from 'zod';
import { Fen, WrittenBy } from '../common/domain';

/** 社区 (community): belongs to one sub-district; proposals, funds, meetings and wishes hang off it. */
export const RegisterCommunityBody = z
  .object({
    name: z.string().trim().min(2).max(50).describe('社区名称，如 延静里社区'),
    area: z.string().trim().min(1).max(50).optional().describe('片区，如 北部（拆迁滞留地）/ 南部（成熟小区）'),
  })
  .strict();
export type RegisterCommunityBody = z.infer<typeof RegisterCommunityBody>;

export const CommunityView = z.object({
  id: z.uuid(),
  subDistrictId: z.uuid(),
  subDistrictName: z.string(),
  name: z.string(),
  area: z.string().nullable(),
  createdAt: z.iso.datetime(),
  createdBy: WrittenBy,
});
export type CommunityView = z.infer<typeof CommunityView>;

export const CommunityIdParams = z.object({ id: z.uuid() });

export const ListCommunitiesQuery = z.object({
  cursor: z.string().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  subDistrictId: z.uuid().optional(),
  area: z.string().min(1).max(50).optional(),
});
export type ListCommunitiesQuery = z.infer<typeof ListCommunitiesQuery>;

// ——— 党组织服务群众项目经费 (the yearly service fund) ———

export const FiscalYear = z.coerce.number().int().min(2000).max(2100).describe('财年（自然年）');

export const FundHolderParams = z.object({ id: z.uuid(), fiscalYear: FiscalYear });

export const AllocateFundBody = z
  .object({
    allocatedFen: Fen.describe('本财年下达金额（分）：设定总额，不是追加'),
    note: z.string().trim().max(500).optional().describe('下达文号或说明'),
  })
  .strict();
export type AllocateFundBody = z.infer<typeof AllocateFundBody>;

export const FundMovementKind = z.enum(['allocated', 'committed', 'paid']).describe('下达（调整）/ 立项占用 / 拨付支出');
export type FundMovementKind = z.infer<typeof FundMovementKind>;
export const FUND_MOVEMENT_LABELS: Record<FundMovementKind, string> = { allocated: '下达', committed: '立项占用', paid: '拨付支出' };

export const FundMovementView = z.object({
  id: z.uuid(),
  kind: FundMovementKind,
  kindLabel: z.string(),
  /** allocated: the change of the allocation (may be negative); committed/paid: the amount. */
  amountFen: z.number().int(),
  projectId: z.uuid().nullable(),
  trancheId: z.uuid().nullable(),
  note: z.string().nullable(),
  at: z.iso.datetime(),
  by: WrittenBy,
});
export type FundMovementView = z.infer<typeof FundMovementView>;

/**
 * One fund line per community (or, with communityId null, the sub-district's own line for 街道级 projects)
 * and fiscal year. committed = approved projects not yet paid; spent = paid tranches;
 * remaining = allocated − committed − spent (negative only if payments exceeded what was committed).
 */
export const ServiceFundView = z.object({
  id: z.uuid(),
  subDistrictId: z.uuid(),
  subDistrictName: z.string(),
  communityId: z.uuid().nullable(),
  communityName: z.string().nullable(),
  fiscalYear: z.number().int(),
  allocatedFen: Fen,
  committedFen: Fen,
  spentFen: Fen,
  remainingFen: z.number().int(),
  createdAt: z.iso.datetime(),
  createdBy: WrittenBy,
  updatedAt: z.iso.datetime(),
  updatedBy: WrittenBy,
});
export type ServiceFundView = z.infer<typeof ServiceFundView>;

export const ServiceFundDetailView = ServiceFundView.extend({ movements: z.array(FundMovementView) });
export type ServiceFundDetailView = z.infer<typeof ServiceFundDetailView>;

export const FundIdParams = z.object({ id: z.uuid() });

export const ListFundsQuery = z.object({
  cursor: z.string().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  subDistrictId: z.uuid().optional(),
  communityId: z.uuid().optional(),
  fiscalYear: FiscalYear.optional(),
  /** community: community lines only; sub_district: the sub-districts' own lines only. */
  holder: z.enum(['community', 'sub_district']).optional(),
});
export type ListFundsQuery = z.infer<typeof ListFundsQuery>;
