import { principalOf } from '@linli/auth';
import {
  CommunityIdParams,
  ListMeetingsQuery,
  ListWishesQuery,
  MeetingIdParams,
  RecordMeetingBody,
  RecordWishBody,
  ResidentMeetingView,
  WishTallyQuery,
  WishTallyView,
  WishView,
} from '@linli/contracts';
import { Page, defineRoute } from '@linli/http';
import { callerOf, type Deps } from '../../domain/context';
import { getMeeting, listMeetings, listWishes, recordMeeting, recordWish, tallyWishes } from '../../domain/needs.use-cases';

const tags = ['居民意愿 Resident wishes'];

export function needsRoutes(deps: Deps) {
  return [
    defineRoute({
      method: 'post',
      path: '/communities/:id/meetings',
      operationId: 'recordMeeting',
      policy: 'meeting.record',
      summary: '记录居民代表会议及会上意愿 (record a resident-representative meeting with its wishes)',
      tags,
      request: { params: CommunityIdParams, body: RecordMeetingBody },
      responses: { 201: { description: '已记录', schema: ResidentMeetingView } },
      handler: async ({ params, body }, { res }) => ({ status: 201, body: await recordMeeting(deps, params.id, body, callerOf(principalOf(res))) }),
    }),
    defineRoute({
      method: 'get',
      path: '/communities/:id/meetings',
      operationId: 'listMeetings',
      policy: 'community.read',
      summary: '居民代表会议列表 (a community’s meetings)',
      tags,
      request: { params: CommunityIdParams, query: ListMeetingsQuery },
      responses: { 200: { description: '一页会议', schema: Page(ResidentMeetingView) } },
      handler: async ({ params, query }, { res }) => ({ status: 200, body: await listMeetings(deps, params.id, query, callerOf(principalOf(res))) }),
    }),
    defineRoute({
      method: 'get',
      path: '/meetings/:id',
      operationId: 'getMeeting',
      policy: 'community.read',
      summary: '会议详情 (a meeting with its wishes)',
      tags,
      request: { params: MeetingIdParams },
      responses: { 200: { description: '会议', schema: ResidentMeetingView } },
      handler: async ({ params }, { res }) => ({ status: 200, body: await getMeeting(deps, params.id, callerOf(principalOf(res))) }),
    }),
    defineRoute({
      method: 'post',
      path: '/meetings/:id/wishes',
      operationId: 'recordWish',
      policy: 'wish.record',
      summary: '补录居民意愿 (add a wish raised at a meeting)',
      tags,
      request: { params: MeetingIdParams, body: RecordWishBody },
      responses: { 201: { description: '已记录', schema: WishView } },
      handler: async ({ params, body }, { res }) => ({ status: 201, body: await recordWish(deps, params.id, body, callerOf(principalOf(res))) }),
    }),
    defineRoute({
      method: 'get',
      path: '/wishes',
      operationId: 'listWishes',
      policy: 'community.read',
      summary: '居民意愿列表 (wishes you may see; filter by community, category, target group)',
      tags,
      request: { query: ListWishesQuery },
      responses: { 200: { description: '一页意愿', schema: Page(WishView) } },
      handler: async ({ query }, { res }) => ({ status: 200, body: await listWishes(deps, query, callerOf(principalOf(res))) }),
    }),
    defineRoute({
      method: 'get',
      path: '/wishes/tally',
      operationId: 'tallyWishes',
      policy: 'community.read',
      summary: '居民意愿统计 (counts and vote sums per community, category and target group)',
      tags,
      request: { query: WishTallyQuery },
      responses: { 200: { description: '统计', schema: WishTallyView } },
      handler: async ({ query }, { res }) => ({ status: 200, body: await tallyWishes(deps, query, callerOf(principalOf(res))) }),
    }),
  ];
}
