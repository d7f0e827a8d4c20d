import { z } from 'zod';
import { IsoDate, ServiceCategory, TargetGroup, WrittenBy } from '../common/domain';

/** 居民代表会议 and the wishes (居民意愿) recorded at it. */
export const RecordWishBody = z
  .object({
    category: ServiceCategory,
    targetGroup: TargetGroup,
    description: z.string().trim().min(1).max(2000).describe('意愿内容，如 希望给辖区老兵办俱乐部'),
    votes: z.number().int().min(0).max(100_000).default(0).describe('表决票数（不超过到会人数）'),
  })
  .strict();
export type RecordWishBody = z.infer<typeof RecordWishBody>;

export const RecordMeetingBody = z
  .object({
    heldOn: IsoDate.describe('会议日期'),
    attendance: z.number().int().min(1).max(100_000).describe('到会居民代表人数'),
    minutes: z.string().trim().min(1).max(20_000).describe('会议纪要'),
    wishes: z.array(RecordWishBody).max(100).default([]).describe('会上收集的意愿（也可会后逐条补录）'),
  })
  .strict();
export type RecordMeetingBody = z.infer<typeof RecordMeetingBody>;

export const WishView = z.object({
  id: z.uuid(),
  meetingId: z.uuid(),
  communityId: z.uuid(),
  subDistrictId: z.uuid(),
  heldOn: IsoDate,
  category: ServiceCategory,
  categoryLabel: z.string(),
  targetGroup: TargetGroup,
  targetGroupLabel: z.string(),
  description: z.string(),
  votes: z.number().int(),
  createdAt: z.iso.datetime(),
  createdBy: WrittenBy,
});
export type WishView = z.infer<typeof WishView>;

export const ResidentMeetingView = z.object({
  id: z.uuid(),
  communityId: z.uuid(),
  communityName: z.string(),
  subDistrictId: z.uuid(),
  heldOn: IsoDate,
  attendance: z.number().int(),
  minutes: z.string(),
  wishes: z.array(WishView),
  createdAt: z.iso.datetime(),
  createdBy: WrittenBy,
});
export type ResidentMeetingView = z.infer<typeof ResidentMeetingView>;

export const MeetingIdParams = z.object({ id: z.uuid() });

export const ListMeetingsQuery = z.object({
  cursor: z.string().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const ListWishesQuery = z.object({
  cursor: z.string().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  subDistrictId: z.uuid().optional(),
  communityId: z.uuid().optional(),
  category: ServiceCategory.optional(),
  targetGroup: TargetGroup.optional(),
});
export type ListWishesQuery = z.infer<typeof ListWishesQuery>;

export const WishTallyQuery = z.object({
  subDistrictId: z.uuid().optional(),
  communityId: z.uuid().optional(),
  category: ServiceCategory.optional(),
  targetGroup: TargetGroup.optional(),
  /** Meetings held on or after / on or before (inclusive), e.g. one year's round of meetings. */
  from: IsoDate.optional(),
  to: IsoDate.optional(),
});
export type WishTallyQuery = z.infer<typeof WishTallyQuery>;

const Tally = { wishes: z.number().int(), votes: z.number().int() };

export const WishTallyView = z.object({
  /** Every (community, category, target group) combination that has wishes, most votes first. */
  rows: z.array(
    z.object({
      communityId: z.uuid(),
      communityName: z.string(),
      area: z.string().nullable(),
      category: ServiceCategory,
      categoryLabel: z.string(),
      targetGroup: TargetGroup,
      targetGroupLabel: z.string(),
      ...Tally,
    }),
  ),
  byCommunity: z.array(z.object({ communityId: z.uuid(), communityName: z.string(), area: z.string().nullable(), ...Tally })),
  byCategory: z.array(z.object({ category: ServiceCategory, categoryLabel: z.string(), ...Tally })),
  byTargetGroup: z.array(z.object({ targetGroup: TargetGroup, targetGroupLabel: z.string(), ...Tally })),
  total: z.object(Tally),
});
export type WishTallyView = z.infer<typeof WishTallyView>;
