import type { Actor } from '@linli/contracts';
import type { Fair, FairStall, ShortlistEntry } from './generated/prisma/client';
import type { CommunitiesTx } from './prisma';
import { actorFrom, afterWhere, dateOf, iso, isoDate, type After, type Visibility } from './rows';

export interface FairRecord {
  id: string;
  subDistrictId: string;
  title: string;
  venue: string;
  heldOn: string;
  description: string | null;
  stallCount: number;
  createdAt: string;
  createdBy: Actor;
}

export interface StallRecord {
  id: string;
  fairId: string;
  offeringId: string;
  organizationId: string;
  booth: string | null;
  shortlistedBy: number;
  createdAt: string;
  createdBy: Actor;
}

export interface ShortlistRecord {
  id: string;
  fairId: string;
  stallId: string;
  offeringId: string;
  organizationId: string;
  communityId: string;
  subDistrictId: string;
  note: string;
  createdAt: string;
  createdBy: Actor;
}

const fairInclude = { _count: { select: { stalls: true } } } as const;
function fairRecord(row: Fair & { _count: { stalls: number } }): FairRecord {
  return {
    id: row.id,
    subDistrictId: row.subDistrictId,
    title: row.title,
    venue: row.venue,
    heldOn: isoDate(row.heldOn),
    description: row.description,
    stallCount: row._count.stalls,
    createdAt: iso(row.createdAt),
    createdBy: actorFrom(row.createdBy),
  };
}
const stallInclude = { _count: { select: { shortlists: true } } } as const;
function stallRecord(row: FairStall & { _count: { shortlists: number } }): StallRecord {
  return {
    id: row.id,
    fairId: row.fairId,
    offeringId: row.offeringId,
    organizationId: row.organizationId,
    booth: row.booth,
    shortlistedBy: row._count.shortlists,
    createdAt: iso(row.createdAt),
    createdBy: actorFrom(row.createdBy),
  };
}
function shortlistRecord(row: ShortlistEntry): ShortlistRecord {
  return {
    id: row.id,
    fairId: row.fairId,
    stallId: row.stallId,
    offeringId: row.offeringId,
    organizationId: row.organizationId,
    communityId: row.communityId,
    subDistrictId: row.subDistrictId,
    note: row.note,
    createdAt: iso(row.createdAt),
    createdBy: actorFrom(row.createdBy),
  };
}

export function fairRepository(tx: CommunitiesTx) {
  return {
    async create(input: { id: string; subDistrictId: string; title: string; venue: string; heldOn: string; description: string | null; at: Date; by: Actor }): Promise<FairRecord> {
      const row = await tx.fair.create({
        data: {
          id: input.id,
          subDistrictId: input.subDistrictId,
          title: input.title,
          venue: input.venue,
          heldOn: dateOf(input.heldOn),
          description: input.description,
          createdAt: input.at,
          createdBy: input.by,
        },
        include: fairInclude,
      });
      return fairRecord(row);
    },
    async findById(id: string): Promise<FairRecord | null> {
      const row = await tx.fair.findUnique({ where: { id }, include: fairInclude });
      return row ? fairRecord(row) : null;
    },
    async list(filter: { subDistrictId?: string }, page: { limit: number; after?: After }): Promise<FairRecord[]> {
      const rows = await tx.fair.findMany({
        where: { AND: [filter.subDistrictId ? { subDistrictId: filter.subDistrictId } : {}, afterWhere('createdAt', page.after)] },
        include: fairInclude,
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: page.limit,
      });
      return rows.map(fairRecord);
    },
    async stalls(fairId: string): Promise<StallRecord[]> {
      const rows = await tx.fairStall.findMany({ where: { fairId }, include: stallInclude, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
      return rows.map(stallRecord);
    },
    async findStall(fairId: string, offeringId: string): Promise<StallRecord | null> {
      const row = await tx.fairStall.findUnique({ where: { fairId_offeringId: { fairId, offeringId } }, include: stallInclude });
      return row ? stallRecord(row) : null;
    },
    async addStall(input: { id: string; fairId: string; offeringId: string; organizationId: string; booth: string | null; at: Date; by: Actor }): Promise<StallRecord> {
      const row = await tx.fairStall.create({
        data: { id: input.id, fairId: input.fairId, offeringId: input.offeringId, organizationId: input.organizationId, booth: input.booth, createdAt: input.at, createdBy: input.by },
        include: stallInclude,
      });
      return stallRecord(row);
    },
    async findShortlist(stallId: string, communityId: string): Promise<ShortlistRecord | null> {
      const row = await tx.shortlistEntry.findUnique({ where: { stallId_communityId: { stallId, communityId } } });
      return row ? shortlistRecord(row) : null;
    },
    async addShortlist(input: Omit<ShortlistRecord, 'createdAt' | 'createdBy'> & { at: Date; by: Actor }): Promise<ShortlistRecord> {
      const { at, by, ...rest } = input;
      return shortlistRecord(await tx.shortlistEntry.create({ data: { ...rest, createdAt: at, createdBy: by } }));
    },
    async listShortlist(filter: { fairId: string; communityId?: string; visible: Visibility }, page: { limit: number; after?: After }): Promise<ShortlistRecord[]> {
      if (filter.visible.nothing || filter.visible.organizationId) return [];
      const rows = await tx.shortlistEntry.findMany({
        where: {
          AND: [
            { fairId: filter.fairId },
            filter.communityId ? { communityId: filter.communityId } : {},
            filter.visible.subDistrictId ? { subDistrictId: filter.visible.subDistrictId } : {},
            filter.visible.communityId ? { communityId: filter.visible.communityId } : {},
            afterWhere('createdAt', page.after),
          ],
        },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: page.limit,
      });
      return rows.map(shortlistRecord);
    },
  };
}
export type FairRepository = ReturnType<typeof fairRepository>;
