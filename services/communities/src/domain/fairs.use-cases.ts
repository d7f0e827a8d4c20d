import { randomUUID } from 'node:crypto';
import {
  FairCreated,
  FairStallAdded,
  OfferingShortlisted,
  type AddStallBody,
  type CreateFairBody,
  type FairDetailView,
  type FairView,
  type ShortlistBody,
  type ShortlistEntryView,
  type StallView,
} from '@linli/contracts';
import { buildEvent } from '@linli/events';
import { ConflictError, ForbiddenError, NotFoundError, type Page } from '@linli/http';
import { scrubText } from '@linli/logger';
import type { FairRecord, ShortlistRecord, StallRecord } from '../data-access/fair.repository';
import type { CommunitiesWork } from '../data-access/unit-of-work';
import { loadCommunity } from './communities.use-cases';
import { SOURCE, type Caller, type Deps } from './context';
import { assertSelectable, offeringViews } from './directory.use-cases';
import { page } from './pagination';

// 推介会: the sub-district invites organizations to show their offerings ("set up stalls"); community
// secretaries browse and shortlist, with notes. Fairs and stalls are public to every signed-in user;
// shortlists are the community's own (its staff and the sub-district's see them).

async function fairViews(work: CommunitiesWork, fairs: FairRecord[]): Promise<FairView[]> {
  const names = await work.subDistricts.names(fairs.map((f) => f.subDistrictId));
  return fairs.map((f) => ({ ...f, subDistrictName: names.get(f.subDistrictId) ?? '' }));
}

async function stallViews(work: CommunitiesWork, stalls: StallRecord[]): Promise<StallView[]> {
  const offerings = await work.directory.offerings(stalls.map((s) => s.offeringId));
  const views = await offeringViews(work, [...offerings.values()]);
  const byId = new Map(views.map((v) => [v.id, v]));
  return stalls.map((s) => ({ id: s.id, fairId: s.fairId, booth: s.booth, offering: byId.get(s.offeringId)!, shortlistedBy: s.shortlistedBy, createdAt: s.createdAt, createdBy: s.createdBy }));
}

async function loadFair(work: CommunitiesWork, id: string): Promise<FairRecord> {
  const fair = await work.fairs.findById(id);
  if (!fair) throw new NotFoundError('fair', id);
  return fair;
}

/** 发布推介会 (a sub-district event). */
export async function createFair(deps: Deps, input: CreateFairBody, caller: Caller): Promise<FairView> {
  caller.must('fair.manage', { subDistrictId: input.subDistrictId });
  return deps.uow.run(async (work) => {
    if (!(await work.subDistricts.findById(input.subDistrictId))) throw new NotFoundError('sub-district', input.subDistrictId);
    // Free text may carry a mobile number: stored, returned and sent on masked.
    const text = { title: scrubText(input.title), description: input.description === undefined ? null : scrubText(input.description) };
    const fair = await work.fairs.create({ id: randomUUID(), ...input, ...text, at: deps.clock(), by: caller.actor });
    await work.outbox.append(
      'communities',
      buildEvent(FairCreated, { source: SOURCE, subject: fair.id, actor: caller.actor, data: { fairId: fair.id, subDistrictId: fair.subDistrictId, title: fair.title, venue: fair.venue, heldOn: fair.heldOn } }),
    );
    return (await fairViews(work, [fair]))[0]!;
  });
}

export async function listFairs(deps: Deps, query: { limit: number; cursor?: string; subDistrictId?: string }): Promise<Page<FairView>> {
  return page(
    query,
    (p) => deps.uow.read.fairs.list({ subDistrictId: query.subDistrictId }, p),
    (r) => ({ at: r.createdAt, id: r.id }),
    (records) => fairViews(deps.uow.read, records),
  );
}

export async function getFair(deps: Deps, id: string): Promise<FairDetailView> {
  const work = deps.uow.read;
  const fair = await loadFair(work, id);
  return { ...(await fairViews(work, [fair]))[0]!, stalls: await stallViews(work, await work.fairs.stalls(id)) };
}

/**
 * 安排摊位: an offering the directory knows, of an organization that may be chosen (a blacklisted one
 * gets no stall), once per fair.
 */
export async function addStall(deps: Deps, fairId: string, input: AddStallBody, caller: Caller): Promise<StallView> {
  return deps.uow.run(async (work) => {
    const fair = await loadFair(work, fairId);
    caller.must('fair.manage', { subDistrictId: fair.subDistrictId });
    const offering = await work.directory.offering(input.offeringId);
    if (!offering) throw new NotFoundError('offering', input.offeringId);
    assertSelectable(await work.directory.organization(offering.organizationId), offering.organizationId);
    if (await work.fairs.findStall(fairId, offering.id)) throw new ConflictError(`「${offering.title}」已在本次推介会设摊 (already a stall at this fair)`, { offeringId: offering.id });
    const stall = await work.fairs.addStall({ id: randomUUID(), fairId, offeringId: offering.id, organizationId: offering.organizationId, booth: input.booth ?? null, at: deps.clock(), by: caller.actor });
    await work.outbox.append(
      'communities',
      buildEvent(FairStallAdded, {
        source: SOURCE,
        subject: fairId,
        actor: caller.actor,
        data: { fairId, stallId: stall.id, subDistrictId: fair.subDistrictId, offeringId: offering.id, organizationId: offering.organizationId },
      }),
    );
    return (await stallViews(work, [stall]))[0]!;
  });
}

async function shortlistViews(work: CommunitiesWork, entries: ShortlistRecord[]): Promise<ShortlistEntryView[]> {
  const communities = await work.communities.names(entries.map((e) => e.communityId));
  const offerings = await work.directory.offerings(entries.map((e) => e.offeringId));
  const byId = new Map((await offeringViews(work, [...offerings.values()])).map((v) => [v.id, v]));
  return entries.map((e) => ({
    id: e.id,
    fairId: e.fairId,
    stallId: e.stallId,
    communityId: e.communityId,
    communityName: communities.get(e.communityId)?.name ?? '',
    offering: byId.get(e.offeringId)!,
    note: e.note,
    createdAt: e.createdAt,
    createdBy: e.createdBy,
  }));
}

/** 意向登记: a community secretary shortlists a stall of a fair of their own sub-district, with a note. */
export async function shortlistOffering(deps: Deps, fairId: string, input: ShortlistBody, caller: Caller): Promise<ShortlistEntryView> {
  return deps.uow.run(async (work) => {
    const fair = await loadFair(work, fairId);
    const community = await loadCommunity(work, input.communityId);
    caller.must('fair.shortlist', { subDistrictId: community.subDistrictId, communityId: community.id });
    if (community.subDistrictId !== fair.subDistrictId) {
      throw new ForbiddenError(`「${community.name}」不属于举办本次推介会的街道 (the fair is another sub-district's)`);
    }
    const stall = await work.fairs.findStall(fairId, input.offeringId);
    if (!stall) throw new NotFoundError('stall', input.offeringId);
    assertSelectable(await work.directory.organization(stall.organizationId), stall.organizationId);
    if (await work.fairs.findShortlist(stall.id, community.id)) throw new ConflictError(`「${community.name}」已登记过该摊位的意向 (already shortlisted)`, { stallId: stall.id });
    const entry = await work.fairs.addShortlist({
      id: randomUUID(),
      fairId,
      stallId: stall.id,
      offeringId: stall.offeringId,
      organizationId: stall.organizationId,
      communityId: community.id,
      subDistrictId: community.subDistrictId,
      note: scrubText(input.note),
      at: deps.clock(),
      by: caller.actor,
    });
    await work.outbox.append(
      'communities',
      buildEvent(OfferingShortlisted, {
        source: SOURCE,
        subject: fairId,
        actor: caller.actor,
        data: { shortlistId: entry.id, fairId, subDistrictId: entry.subDistrictId, communityId: entry.communityId, offeringId: entry.offeringId, organizationId: entry.organizationId },
      }),
    );
    return (await shortlistViews(work, [entry]))[0]!;
  });
}

export async function listShortlist(deps: Deps, fairId: string, query: { limit: number; cursor?: string; communityId?: string }, caller: Caller): Promise<Page<ShortlistEntryView>> {
  const visible = caller.visibility('community.read');
  await loadFair(deps.uow.read, fairId);
  return page(
    query,
    (p) => deps.uow.read.fairs.listShortlist({ fairId, communityId: query.communityId, visible }, p),
    (r) => ({ at: r.createdAt, id: r.id }),
    (records) => shortlistViews(deps.uow.read, records),
  );
}
