import type { Actor, ServiceCategory, TargetGroup } from '@linli/contracts';
import type { Prisma, ResidentMeeting, Wish } from './generated/prisma/client';
import type { CommunitiesTx } from './prisma';
import { actorFrom, afterWhere, dateOf, iso, isoDate, type After, type Visibility } from './rows';

export interface WishRecord {
  id: string;
  meetingId: string;
  communityId: string;
  subDistrictId: string;
  heldOn: string;
  category: ServiceCategory;
  targetGroup: TargetGroup;
  description: string;
  votes: number;
  createdAt: string;
  createdBy: Actor;
}

/** A meeting without its wishes: what recording one more wish needs. */
export interface MeetingFacts {
  id: string;
  communityId: string;
  subDistrictId: string;
  heldOn: string;
  attendance: number;
  minutes: string;
  createdAt: string;
  createdBy: Actor;
}

export interface MeetingRecord extends MeetingFacts {
  wishes: WishRecord[];
}

export interface TallyRow {
  communityId: string;
  category: ServiceCategory;
  targetGroup: TargetGroup;
  wishes: number;
  votes: number;
}

function wishRecord(row: Wish): WishRecord {
  return {
    id: row.id,
    meetingId: row.meetingId,
    communityId: row.communityId,
    subDistrictId: row.subDistrictId,
    heldOn: isoDate(row.heldOn),
    category: row.category as ServiceCategory,
    targetGroup: row.targetGroup as TargetGroup,
    description: row.description,
    votes: row.votes,
    createdAt: iso(row.createdAt),
    createdBy: actorFrom(row.createdBy),
  };
}

const withWishes = { wishes: { orderBy: [{ position: 'asc' as const }, { id: 'asc' as const }] } };
type MeetingRow = Prisma.ResidentMeetingGetPayload<{ include: typeof withWishes }>;

function meetingFacts(row: ResidentMeeting): MeetingFacts {
  return {
    id: row.id,
    communityId: row.communityId,
    subDistrictId: row.subDistrictId,
    heldOn: isoDate(row.heldOn),
    attendance: row.attendance,
    minutes: row.minutes,
    createdAt: iso(row.createdAt),
    createdBy: actorFrom(row.createdBy),
  };
}

function meetingRecord(row: MeetingRow): MeetingRecord {
  return { ...meetingFacts(row), wishes: row.wishes.map(wishRecord) };
}

export interface WishFilter {
  subDistrictId?: string;
  communityId?: string;
  category?: ServiceCategory;
  targetGroup?: TargetGroup;
  from?: string;
  to?: string;
  visible: Visibility;
}

function wishWhere(filter: WishFilter): Prisma.WishWhereInput {
  return {
    AND: [
      filter.subDistrictId ? { subDistrictId: filter.subDistrictId } : {},
      filter.communityId ? { communityId: filter.communityId } : {},
      filter.category ? { category: filter.category } : {},
      filter.targetGroup ? { targetGroup: filter.targetGroup } : {},
      filter.from ? { heldOn: { gte: dateOf(filter.from) } } : {},
      filter.to ? { heldOn: { lte: dateOf(filter.to) } } : {},
      filter.visible.subDistrictId ? { subDistrictId: filter.visible.subDistrictId } : {},
      filter.visible.communityId ? { communityId: filter.visible.communityId } : {},
    ],
  };
}

export function needsRepository(tx: CommunitiesTx) {
  return {
    async createMeeting(input: { id: string; communityId: string; subDistrictId: string; heldOn: string; attendance: number; minutes: string; at: Date; by: Actor }): Promise<void> {
      await tx.residentMeeting.create({
        data: {
          id: input.id,
          communityId: input.communityId,
          subDistrictId: input.subDistrictId,
          heldOn: dateOf(input.heldOn),
          attendance: input.attendance,
          minutes: input.minutes,
          createdAt: input.at,
          createdBy: input.by,
        },
      });
    },
    /** Appends a wish to its meeting (after the ones already there). */
    async createWish(input: Omit<WishRecord, 'createdAt' | 'createdBy'> & { at: Date; by: Actor }): Promise<WishRecord> {
      const position = await tx.wish.count({ where: { meetingId: input.meetingId } });
      const row = await tx.wish.create({
        data: {
          id: input.id,
          meetingId: input.meetingId,
          communityId: input.communityId,
          subDistrictId: input.subDistrictId,
          heldOn: dateOf(input.heldOn),
          category: input.category,
          targetGroup: input.targetGroup,
          description: input.description,
          votes: input.votes,
          position,
          createdAt: input.at,
          createdBy: input.by,
        },
      });
      return wishRecord(row);
    },
    /** The meeting alone (one query; its wishes are not read). */
    async findMeetingFacts(id: string): Promise<MeetingFacts | null> {
      const row = await tx.residentMeeting.findUnique({ where: { id } });
      return row ? meetingFacts(row) : null;
    },
    async findMeeting(id: string): Promise<MeetingRecord | null> {
      const row = await tx.residentMeeting.findUnique({ where: { id }, include: withWishes });
      return row ? meetingRecord(row) : null;
    },
    async listMeetings(communityId: string, page: { limit: number; after?: After }): Promise<MeetingRecord[]> {
      const rows = await tx.residentMeeting.findMany({
        where: { AND: [{ communityId }, afterWhere('createdAt', page.after)] },
        include: withWishes,
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: page.limit,
      });
      return rows.map(meetingRecord);
    },
    async listWishes(filter: WishFilter, page: { limit: number; after?: After }): Promise<WishRecord[]> {
      if (filter.visible.nothing || filter.visible.organizationId) return [];
      const rows = await tx.wish.findMany({
        where: { AND: [wishWhere(filter), afterWhere('createdAt', page.after)] },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: page.limit,
      });
      return rows.map(wishRecord);
    },
    /** Counts and vote sums per (community, category, target group), computed by the database. */
    async tally(filter: WishFilter): Promise<TallyRow[]> {
      if (filter.visible.nothing || filter.visible.organizationId) return [];
      const groups = await tx.wish.groupBy({
        by: ['communityId', 'category', 'targetGroup'],
        where: wishWhere(filter),
        _count: { _all: true },
        _sum: { votes: true },
      });
      return groups.map((g) => ({
        communityId: g.communityId,
        category: g.category as ServiceCategory,
        targetGroup: g.targetGroup as TargetGroup,
        wishes: g._count._all,
        votes: g._sum.votes ?? 0,
      }));
    },
  };
}
export type NeedsRepository = ReturnType<typeof needsRepository>;
