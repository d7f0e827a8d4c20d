import { z } from 'zod';
import { Fen, WrittenBy } from '../common/domain';

/**
 * 预算科目 (the kind of a budget item line). The sub-district keeps a reference price per kind; a line
 * priced above the reference by more than the sub-district's margin is flagged for the reviewers. `other`
 * has no reference price and is never flagged.
 */
export const ItemKind = z
  .enum([
    'bus_hire',
    'display_board',
    'banner',
    'printing',
    'gift',
    'venue',
    'meal',
    'stationery',
    'materials',
    'refreshments',
    'photography',
    'instructor',
    'insurance',
    'transport',
    'other',
  ])
  .describe('预算科目：租车 / 展板 / 横幅 / 印刷 / 礼品 / 场地 / 餐费 / 文具 / 活动物料 / 茶歇 / 摄影摄像 / 讲师费 / 保险 / 交通 / 其他');
export type ItemKind = z.infer<typeof ItemKind>;
export const ITEM_KIND_LABELS: Record<ItemKind, string> = {
  bus_hire: '租车',
  display_board: '展板',
  banner: '横幅',
  printing: '印刷',
  gift: '礼品',
  venue: '场地',
  meal: '餐费',
  stationery: '文具',
  materials: '活动物料',
  refreshments: '茶歇',
  photography: '摄影摄像',
  instructor: '讲师费',
  insurance: '保险',
  transport: '交通',
  other: '其他',
};

export const ItemKindView = z.object({ itemKind: ItemKind, label: z.string() });
export const ItemKindListView = z.object({ items: z.array(ItemKindView) });

export const ItemKindParams = z.object({ id: z.uuid(), itemKind: ItemKind });

export const SetReferencePriceBody = z
  .object({
    unit: z.string().trim().min(1).max(20).describe('计价单位，如 天、块、条、人、份'),
    priceFen: Fen.refine((v) => v > 0, '参考价必须大于 0').describe('参考单价（分）'),
    note: z.string().trim().max(500).optional(),
  })
  .strict();
export type SetReferencePriceBody = z.infer<typeof SetReferencePriceBody>;

export const ReferencePriceView = z.object({
  subDistrictId: z.uuid(),
  itemKind: ItemKind,
  itemKindLabel: z.string(),
  unit: z.string(),
  priceFen: Fen,
  note: z.string().nullable(),
  createdAt: z.iso.datetime(),
  createdBy: WrittenBy,
  updatedAt: z.iso.datetime(),
  updatedBy: WrittenBy,
});
export type ReferencePriceView = z.infer<typeof ReferencePriceView>;

export const ReferencePriceListView = z.object({
  subDistrictId: z.uuid(),
  /** A line is flagged when its unit price exceeds the reference by more than this percentage. */
  marginPercent: z.number().int(),
  /** null while the default margin has never been changed. */
  marginUpdatedAt: z.iso.datetime().nullable(),
  marginUpdatedBy: WrittenBy.nullable(),
  items: z.array(ReferencePriceView),
});
export type ReferencePriceListView = z.infer<typeof ReferencePriceListView>;

export const SetPriceMarginBody = z
  .object({ marginPercent: z.number().int().min(0).max(500).describe('允许超出参考价的幅度（百分比，默认 30）') })
  .strict();
export type SetPriceMarginBody = z.infer<typeof SetPriceMarginBody>;
