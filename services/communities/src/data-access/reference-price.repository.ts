import type { Actor, ItemKind } from '@linli/contracts';
import type { ReferencePrice } from './generated/prisma/client';
import type { CommunitiesTx } from './prisma';
import { actorFrom, fen, iso } from './rows';

export interface ReferencePriceRecord {
  subDistrictId: string;
  itemKind: ItemKind;
  unit: string;
  priceFen: number;
  note: string | null;
  createdAt: string;
  createdBy: Actor;
  updatedAt: string;
  updatedBy: Actor;
}

function toRecord(row: ReferencePrice): ReferencePriceRecord {
  return {
    subDistrictId: row.subDistrictId,
    itemKind: row.itemKind as ItemKind,
    unit: row.unit,
    priceFen: fen(row.priceFen),
    note: row.note,
    createdAt: iso(row.createdAt),
    createdBy: actorFrom(row.createdBy),
    updatedAt: iso(row.updatedAt),
    updatedBy: actorFrom(row.updatedBy),
  };
}

export function referencePriceRepository(tx: CommunitiesTx) {
  return {
    async list(subDistrictId: string): Promise<ReferencePriceRecord[]> {
      const rows = await tx.referencePrice.findMany({ where: { subDistrictId }, orderBy: { itemKind: 'asc' } });
      return rows.map(toRecord);
    },
    async find(subDistrictId: string, itemKind: ItemKind): Promise<ReferencePriceRecord | null> {
      const row = await tx.referencePrice.findUnique({ where: { subDistrictId_itemKind: { subDistrictId, itemKind } } });
      return row ? toRecord(row) : null;
    },
    async upsert(input: { subDistrictId: string; itemKind: ItemKind; unit: string; priceFen: number; note: string | null; at: Date; by: Actor }): Promise<ReferencePriceRecord> {
      const values = { unit: input.unit, priceFen: BigInt(input.priceFen), note: input.note, updatedAt: input.at, updatedBy: input.by };
      const row = await tx.referencePrice.upsert({
        where: { subDistrictId_itemKind: { subDistrictId: input.subDistrictId, itemKind: input.itemKind } },
        create: { subDistrictId: input.subDistrictId, itemKind: input.itemKind, ...values, createdAt: input.at, createdBy: input.by },
        update: values,
      });
      return toRecord(row);
    },
  };
}
export type ReferencePriceRepository = ReturnType<typeof referencePriceRepository>;
