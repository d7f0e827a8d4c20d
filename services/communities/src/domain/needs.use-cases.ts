import { randomUUID } from 'node:crypto';
import {
  ResidentMeetingRecorded,
  SERVICE_CATEGORY_LABELS,
  TARGET_GROUP_LABELS,
  WishRecorded,
  type Actor,
  type ListWishesQuery,
  type RecordMeetingBody,
  type RecordWishBody,
  type ResidentMeetingView,
  type ServiceCategory,
  type TargetGroup,
  type WishTallyQuery,
  type WishTallyView,
  type WishView,
} from '@linli/contracts';
import { buildEvent } from '@linli/events';
import { NotFoundError, ValidationError, type Page } from '@linli/http';
import { scrubText } from '@linli/logger';
import type { MeetingFacts, MeetingRecord, TallyRow, WishRecord } from '../data-access/needs.repository';
import type { CommunitiesWork } from '../data-access/unit-of-work';
import { loadCommunity } from './communities.use-cases';
import { SOURCE, type Caller, type Deps } from './context';
import { page } from './pagination';

const wishView = (w: WishRecord): WishView => ({ ...w, categoryLabel: SERVICE_CATEGORY_LABELS[w.category], targetGroupLabel: TARGET_GROUP_LABELS[w.targetGroup] });

async function meetingView(work: CommunitiesWork, m: MeetingRecord): Promise<ResidentMeetingView> {
  const names = await work.communities.names([m.communityId]);
  return { ...m, communityName: names.get(m.communityId)?.name ?? '', wishes: m.wishes.map(wishView) };
}

/** A wish cannot carry more votes than there were representatives at the meeting. */
function voteProblem(votes: number, attendance: number, path: string) {
  return votes > attendance ? [{ path, message: `票数 ${votes} 超过到会人数 ${attendance} (more votes than attendees)` }] : [];
}

async function addWish(work: CommunitiesWork, meeting: MeetingFacts, input: RecordWishBody, at: Date, actor: Actor): Promise<WishRecord> {
  const wish = await work.needs.createWish({
    id: randomUUID(),
    meetingId: meeting.id,
    communityId: meeting.communityId,
    subDistrictId: meeting.subDistrictId,
    heldOn: meeting.heldOn,
    category: input.category,
    targetGroup: input.targetGroup,
    // Free text may carry a resident's mobile number: stored, returned and sent on masked.
    description: scrubText(input.description),
    votes: input.votes,
    at,
    by: actor,
  });
  await work.outbox.append(
    'communities',
    buildEvent(WishRecorded, {
      source: SOURCE,
      subject: wish.id,
      actor,
      data: { wishId: wish.id, meetingId: meeting.id, communityId: meeting.communityId, subDistrictId: meeting.subDistrictId, category: wish.category, targetGroup: wish.targetGroup, votes: wish.votes },
    }),
  );
  return wish;
}

/** 记录居民代表会议, with the wishes raised at it (one transaction: the meeting and its wishes, or nothing). */
export async function recordMeeting(deps: Deps, communityId: string, input: RecordMeetingBody, caller: Caller): Promise<ResidentMeetingView> {
  const community = await loadCommunity(deps.uow.read, communityId);
  const resource = { subDistrictId: community.subDistrictId, communityId };
  caller.must('meeting.record', resource);
  if (input.wishes.length > 0) caller.must('wish.record', resource);
  const problems = input.wishes.flatMap((w, i) => voteProblem(w.votes, input.attendance, `body.wishes[${i}].votes`));
  if (problems.length > 0) throw new ValidationError('票数不能超过到会人数 (votes exceed attendance)', problems);
  return deps.uow.run(async (work) => {
    const at = deps.clock();
    const id = randomUUID();
    await work.needs.createMeeting({ id, communityId, subDistrictId: community.subDistrictId, heldOn: input.heldOn, attendance: input.attendance, minutes: scrubText(input.minutes), at, by: caller.actor });
    const meeting = (await work.needs.findMeeting(id))!;
    for (const wish of input.wishes) await addWish(work, meeting, wish, at, caller.actor);
    await work.outbox.append(
      'communities',
      buildEvent(ResidentMeetingRecorded, {
        source: SOURCE,
        subject: id,
        actor: caller.actor,
        data: { meetingId: id, communityId, subDistrictId: community.subDistrictId, heldOn: input.heldOn, attendance: input.attendance, wishCount: input.wishes.length },
      }),
    );
    return meetingView(work, (await work.needs.findMeeting(id))!);
  });
}

/** 补录意愿 to a meeting already recorded (secretaries and resident representatives). */
export async function recordWish(deps: Deps, meetingId: string, input: RecordWishBody, caller: Caller): Promise<WishView> {
  // Its wishes are not needed to add one: the meeting alone (one query, whatever the meeting's size).
  const meeting = await deps.uow.read.needs.findMeetingFacts(meetingId);
  if (!meeting) throw new NotFoundError('meeting', meetingId);
  caller.must('wish.record', { subDistrictId: meeting.subDistrictId, communityId: meeting.communityId });
  const problems = voteProblem(input.votes, meeting.attendance, 'body.votes');
  if (problems.length > 0) throw new ValidationError('票数不能超过到会人数 (votes exceed attendance)', problems);
  return deps.uow.run(async (work) => wishView(await addWish(work, meeting, input, deps.clock(), caller.actor)));
}

export async function getMeeting(deps: Deps, id: string, caller: Caller): Promise<ResidentMeetingView> {
  const meeting = await deps.uow.read.needs.findMeeting(id);
  if (!meeting) throw new NotFoundError('meeting', id);
  caller.must('community.read', { subDistrictId: meeting.subDistrictId, communityId: meeting.communityId });
  return meetingView(deps.uow.read, meeting);
}

export async function listMeetings(deps: Deps, communityId: string, query: { limit: number; cursor?: string }, caller: Caller): Promise<Page<ResidentMeetingView>> {
  const community = await loadCommunity(deps.uow.read, communityId);
  caller.must('community.read', { subDistrictId: community.subDistrictId, communityId });
  return page(
    query,
    (p) => deps.uow.read.needs.listMeetings(communityId, p),
    (r) => ({ at: r.createdAt, id: r.id }),
    (records) => records.map((m) => ({ ...m, communityName: community.name, wishes: m.wishes.map(wishView) })),
  );
}

export async function listWishes(deps: Deps, query: ListWishesQuery, caller: Caller): Promise<Page<WishView>> {
  const visible = caller.visibility('community.read');
  return page(
    query,
    (p) => deps.uow.read.needs.listWishes({ ...query, visible }, p),
    (r) => ({ at: r.createdAt, id: r.id }),
    (records) => records.map(wishView),
  );
}

/** Sums a set of tally rows by a key, most votes first (ties: most wishes, then the key). */
function rollUp<K extends string>(rows: readonly TallyRow[], keyOf: (r: TallyRow) => K): { key: K; wishes: number; votes: number }[] {
  const totals = new Map<K, { key: K; wishes: number; votes: number }>();
  for (const r of rows) {
    const key = keyOf(r);
    const t = totals.get(key) ?? { key, wishes: 0, votes: 0 };
    t.wishes += r.wishes;
    t.votes += r.votes;
    totals.set(key, t);
  }
  return [...totals.values()].sort((a, b) => b.votes - a.votes || b.wishes - a.wishes || a.key.localeCompare(b.key));
}

/** Pure: the tally view from grouped rows, with Chinese labels. */
export function tallyView(rows: readonly TallyRow[], communities: ReadonlyMap<string, { name: string; area: string | null }>): WishTallyView {
  const community = (id: string) => communities.get(id) ?? { name: '', area: null };
  const sorted = [...rows].sort((a, b) => b.votes - a.votes || b.wishes - a.wishes || a.communityId.localeCompare(b.communityId) || a.category.localeCompare(b.category) || a.targetGroup.localeCompare(b.targetGroup));
  return {
    rows: sorted.map((r) => ({
      communityId: r.communityId,
      communityName: community(r.communityId).name,
      area: community(r.communityId).area,
      category: r.category,
      categoryLabel: SERVICE_CATEGORY_LABELS[r.category],
      targetGroup: r.targetGroup,
      targetGroupLabel: TARGET_GROUP_LABELS[r.targetGroup],
      wishes: r.wishes,
      votes: r.votes,
    })),
    byCommunity: rollUp(rows, (r) => r.communityId).map((t) => ({ communityId: t.key, communityName: community(t.key).name, area: community(t.key).area, wishes: t.wishes, votes: t.votes })),
    byCategory: rollUp(rows, (r) => r.category).map((t) => ({ category: t.key as ServiceCategory, categoryLabel: SERVICE_CATEGORY_LABELS[t.key as ServiceCategory], wishes: t.wishes, votes: t.votes })),
    byTargetGroup: rollUp(rows, (r) => r.targetGroup).map((t) => ({ targetGroup: t.key as TargetGroup, targetGroupLabel: TARGET_GROUP_LABELS[t.key as TargetGroup], wishes: t.wishes, votes: t.votes })),
    total: { wishes: rows.reduce((s, r) => s + r.wishes, 0), votes: rows.reduce((s, r) => s + r.votes, 0) },
  };
}

/** 意愿统计: counts and vote sums per community, category and target group, over what the caller may see. */
export async function tallyWishes(deps: Deps, query: WishTallyQuery, caller: Caller): Promise<WishTallyView> {
  const visible = caller.visibility('community.read');
  const rows = await deps.uow.read.needs.tally({ ...query, visible });
  const communities = await deps.uow.read.communities.names(rows.map((r) => r.communityId));
  return tallyView(rows, communities);
}
