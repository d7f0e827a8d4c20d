import type { Actor } from '@linli/contracts';
import type { Prisma } from './generated/prisma/client';
import type { CommunitiesTx } from './prisma';
import { actorFrom, afterWhere, iso, type After, type Visibility } from './rows';

export interface CommunityRecord {
  id: string;
  subDistrictId: string;
  subDistrictName: string;
  name: string;
  area: string | null;
  createdAt: string;
  createdBy: Actor;
}

const include = { subDistrict: { select: { name: true } } } as const;
type Row = Prisma.CommunityGetPayload<{ include: typeof include }>;

function toRecord(row: Row): CommunityRecord {
  return {
    id: row.id,
    subDistrictId: row.subDistrictId,
    subDistrictName: row.subDistrict.name,
    name: row.name,
    area: row.area,
    createdAt: iso(row.createdAt),
    createdBy: actorFrom(row.createdBy),
  };
}

export function communityRepository(tx: CommunitiesTx) {
  return {
    async findById(id: string): Promise<CommunityRecord | null> {
      const row = await tx.community.findUnique({ where: { id }, include });
      return row ? toRecord(row) : null;
    },
    async findByName(subDistrictId: string, name: string): Promise<CommunityRecord | null> {
      const row = await tx.community.findUnique({ where: { subDistrictId_name: { subDistrictId, name } }, include });
      return row ? toRecord(row) : null;
    },
    async create(input: { id: string; subDistrictId: string; name: string; area: string | null; createdBy: Actor }): Promise<CommunityRecord> {
      return toRecord(await tx.community.create({ data: input, include }));
    },
    async names(ids: readonly string[]): Promise<Map<string, { name: string; area: string | null }>> {
      const rows = await tx.community.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, name: true, area: true } });
      return new Map(rows.map((r) => [r.id, { name: r.name, area: r.area }]));
    },
    async list(filter: { subDistrictId?: string; area?: string; visible: Visibility }, page: { limit: number; after?: After }): Promise<CommunityRecord[]> {
      if (filter.visible.nothing || filter.visible.organizationId) return [];
      const where: Prisma.CommunityWhereInput = {
        AND: [
          filter.subDistrictId ? { subDistrictId: filter.subDistrictId } : {},
          filter.area ? { area: filter.area } : {},
          filter.visible.subDistrictId ? { subDistrictId: filter.visible.subDistrictId } : {},
          filter.visible.communityId ? { id: filter.visible.communityId } : {},
          afterWhere('createdAt', page.after),
        ],
      };
      const rows = await tx.community.findMany({ where, include, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: page.limit });
      return rows.map(toRecord);
    },
  };
}
export type CommunityRepository = ReturnType<typeof communityRepository>;
