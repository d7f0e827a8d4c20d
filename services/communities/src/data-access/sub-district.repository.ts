import type { Actor, SubDistrictView } from '@linli/contracts';
import type { CommunitiesTx } from './prisma';
import { actorOrNull, isoOrNull } from './rows';
import type { SubDistrict } from './generated/prisma/client';

export type SubDistrictRecord = SubDistrictView;

function toRecord(row: SubDistrict): SubDistrictRecord {
  return {
    id: row.id,
    name: row.name,
    district: row.district,
    status: row.status as SubDistrictRecord['status'],
    createdAt: row.createdAt.toISOString(),
    activatedAt: row.activatedAt?.toISOString() ?? null,
  };
}

export function subDistrictRepository(tx: CommunitiesTx) {
  return {
    async findById(id: string): Promise<SubDistrictRecord | null> {
      const row = await tx.subDistrict.findUnique({ where: { id } });
      return row ? toRecord(row) : null;
    },
    async findByName(name: string): Promise<SubDistrictRecord | null> {
      const row = await tx.subDistrict.findUnique({ where: { name } });
      return row ? toRecord(row) : null;
    },
    async create(input: { id: string; name: string; district: string; createdBy: string }): Promise<SubDistrictRecord> {
      return toRecord(await tx.subDistrict.create({ data: input }));
    },
    async activate(id: string, at: Date): Promise<SubDistrictRecord> {
      return toRecord(await tx.subDistrict.update({ where: { id }, data: { status: 'active', activatedAt: at } }));
    },
    /** Keyset pagination on (created_at, id): stable while rows are added. */
    async list({ limit, after }: { limit: number; after?: { createdAt: string; id: string } }): Promise<SubDistrictRecord[]> {
      const rows = await tx.subDistrict.findMany({
        where: after
          ? { OR: [{ createdAt: { gt: new Date(after.createdAt) } }, { createdAt: new Date(after.createdAt), id: { gt: after.id } }] }
          : undefined,
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: limit,
      });
      return rows.map(toRecord);
    },
    async names(ids: readonly string[]): Promise<Map<string, string>> {
      const rows = await tx.subDistrict.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, name: true } });
      return new Map(rows.map((r) => [r.id, r.name]));
    },
    async priceSettings(id: string): Promise<{ marginPercent: number; updatedAt: string | null; updatedBy: Actor | null } | null> {
      const row = await tx.subDistrict.findUnique({ where: { id }, select: { priceMarginPercent: true, priceMarginUpdatedAt: true, priceMarginUpdatedBy: true } });
      return row ? { marginPercent: row.priceMarginPercent, updatedAt: isoOrNull(row.priceMarginUpdatedAt), updatedBy: actorOrNull(row.priceMarginUpdatedBy) } : null;
    },
    async setPriceMargin(id: string, marginPercent: number, at: Date, by: Actor): Promise<void> {
      await tx.subDistrict.update({ where: { id }, data: { priceMarginPercent: marginPercent, priceMarginUpdatedAt: at, priceMarginUpdatedBy: by } });
    },
  };
}
export type SubDistrictRepository = ReturnType<typeof subDistrictRepository>;
