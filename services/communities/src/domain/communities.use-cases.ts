import { randomUUID } from 'node:crypto';
import { CommunityRegistered, type CommunityView, type ListCommunitiesQuery, type RegisterCommunityBody } from '@linli/contracts';
import { buildEvent } from '@linli/events';
import { ConflictError, NotFoundError, type Page } from '@linli/http';
import type { CommunityRecord } from '../data-access/community.repository';
import type { CommunitiesWork } from '../data-access/unit-of-work';
import { SOURCE, type Caller, type Deps } from './context';
import { page } from './pagination';

const view = (record: CommunityRecord): CommunityView => record;

/** The community, or 404. */
export async function loadCommunity(work: CommunitiesWork, id: string): Promise<CommunityRecord> {
  const community = await work.communities.findById(id);
  if (!community) throw new NotFoundError('community', id);
  return community;
}

/** 登记社区. Names are unique within a sub-district. */
export async function registerCommunity(deps: Deps, subDistrictId: string, input: RegisterCommunityBody, caller: Caller): Promise<CommunityView> {
  caller.must('subdistrict.manage');
  return deps.uow.run(async (work) => {
    const subDistrict = await work.subDistricts.findById(subDistrictId);
    if (!subDistrict) throw new NotFoundError('sub-district', subDistrictId);
    if (await work.communities.findByName(subDistrictId, input.name)) {
      throw new ConflictError(`「${subDistrict.name}」已有社区「${input.name}」(community already registered)`);
    }
    const created = await work.communities.create({ id: randomUUID(), subDistrictId, name: input.name, area: input.area ?? null, createdBy: caller.actor });
    await work.outbox.append(
      'communities',
      buildEvent(CommunityRegistered, {
        source: SOURCE,
        subject: created.id,
        actor: caller.actor,
        data: { communityId: created.id, subDistrictId, name: created.name, area: created.area },
      }),
    );
    return view(created);
  });
}

export async function getCommunity(deps: Deps, id: string, caller: Caller): Promise<CommunityView> {
  const community = await loadCommunity(deps.uow.read, id);
  caller.must('community.read', { subDistrictId: community.subDistrictId, communityId: community.id });
  return view(community);
}

/** 社区列表, narrowed to what the caller may see (a secretary sees their own community). */
export async function listCommunities(deps: Deps, query: ListCommunitiesQuery, caller: Caller): Promise<Page<CommunityView>> {
  const visible = caller.visibility('community.read');
  return page(
    query,
    (p) => deps.uow.read.communities.list({ subDistrictId: query.subDistrictId, area: query.area, visible }, p),
    (r) => ({ at: r.createdAt, id: r.id }),
    (records) => records.map(view),
  );
}
