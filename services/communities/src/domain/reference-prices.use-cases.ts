import {
  ITEM_KIND_LABELS,
  ItemKind,
  type ItemKind as ItemKindT,
  type ReferencePriceListView,
  type ReferencePriceView,
  type SetPriceMarginBody,
  type SetReferencePriceBody,
} from '@linli/contracts';
import { NotFoundError } from '@linli/http';
import { scrubText } from '@linli/logger';
import type { ReferencePriceRecord } from '../data-access/reference-price.repository';
import type { CommunitiesWork } from '../data-access/unit-of-work';
import { DEFAULT_MARGIN_PERCENT, type ReferenceFor } from './budget.rules';
import type { Caller, Deps } from './context';

// 参考价格: what things usually cost in this sub-district (bus hire 2,000 a day, …). Budget lines are
// checked against them when a proposal is saved and again when it is submitted.

const view = (r: ReferencePriceRecord): ReferencePriceView => ({ ...r, itemKindLabel: ITEM_KIND_LABELS[r.itemKind] });

export function itemKinds() {
  return { items: ItemKind.options.map((itemKind) => ({ itemKind, label: ITEM_KIND_LABELS[itemKind] })) };
}

/** The sub-district's reference prices and margin, as the budget check uses them. */
export async function priceBook(work: CommunitiesWork, subDistrictId: string): Promise<{ references: Map<ItemKindT, ReferenceFor>; marginPercent: number }> {
  const settings = await work.subDistricts.priceSettings(subDistrictId);
  const prices = await work.referencePrices.list(subDistrictId);
  return { references: new Map(prices.map((p) => [p.itemKind, { priceFen: p.priceFen, unit: p.unit }])), marginPercent: settings?.marginPercent ?? DEFAULT_MARGIN_PERCENT };
}

/** Readable by every signed-in user: organizations price their budgets knowing what is usual. */
export async function listReferencePrices(deps: Deps, subDistrictId: string): Promise<ReferencePriceListView> {
  const work = deps.uow.read;
  const settings = await work.subDistricts.priceSettings(subDistrictId);
  if (!settings) throw new NotFoundError('sub-district', subDistrictId);
  return {
    subDistrictId,
    marginPercent: settings.marginPercent,
    marginUpdatedAt: settings.updatedAt,
    marginUpdatedBy: settings.updatedBy,
    items: (await work.referencePrices.list(subDistrictId)).map(view),
  };
}

/** 维护参考价格: sets one item kind's price (creates or replaces). Applies to proposals saved from now on. */
export async function setReferencePrice(deps: Deps, subDistrictId: string, itemKind: ItemKindT, input: SetReferencePriceBody, caller: Caller): Promise<ReferencePriceView> {
  caller.must('price.reference.manage', { subDistrictId });
  return deps.uow.run(async (work) => {
    if (!(await work.subDistricts.findById(subDistrictId))) throw new NotFoundError('sub-district', subDistrictId);
    return view(await work.referencePrices.upsert({ subDistrictId, itemKind, unit: input.unit, priceFen: input.priceFen, note: input.note === undefined ? null : scrubText(input.note), at: deps.clock(), by: caller.actor }));
  });
}

export async function setPriceMargin(deps: Deps, subDistrictId: string, input: SetPriceMarginBody, caller: Caller): Promise<ReferencePriceListView> {
  caller.must('price.reference.manage', { subDistrictId });
  await deps.uow.run(async (work) => {
    if (!(await work.subDistricts.findById(subDistrictId))) throw new NotFoundError('sub-district', subDistrictId);
    await work.subDistricts.setPriceMargin(subDistrictId, input.marginPercent, deps.clock(), caller.actor);
  });
  return listReferencePrices(deps, subDistrictId);
}
