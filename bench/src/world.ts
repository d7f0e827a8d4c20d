/**
 * The data a scenario stands on, made through the services' public APIs like `pnpm dev`'s demo data:
 * a sub-district with communities, funds and reference prices, and an organization whose offering has
 * reached the communities service's directory (through Kafka, the real way).
 */
import type { Principal } from '@linli/auth';
import { waitFor } from '@linli/testing';
import type { BenchContext } from './context';

export const FISCAL_YEAR = 2026;

export const reviewerOf = (sd: string, userId = 'bench-reviewer'): Principal => ({ userId, name: '孙冉冉', role: 'subdistrict_reviewer', scope: { kind: 'sub-district', id: sd } });
export const committeeOf = (sd: string): Principal => ({ userId: 'bench-committee', name: '工委会委员', role: 'committee_member', scope: { kind: 'sub-district', id: sd } });
export const financeOf = (sd: string): Principal => ({ userId: 'bench-finance', name: '王会计', role: 'finance', scope: { kind: 'sub-district', id: sd } });
export const secretaryOf = (communityId: string, sd: string): Principal => ({
  userId: `bench-secretary-${communityId.slice(0, 6)}`,
  name: '社区书记',
  role: 'community_secretary',
  scope: { kind: 'community', id: communityId },
  subDistrictId: sd,
});

export interface World {
  subDistrictId: string;
  communities: string[];
}

let worlds = 0;

const must = (what: string, res: { status: number; body: any }, ...ok: number[]) => {
  if (!ok.includes(res.status)) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
  return res.body;
};

/** A sub-district (八里庄-like) with `communities` communities, each with a generous fund for the year. */
export async function setUpSubDistrict(ctx: BenchContext, opts: { communities: number; fundFen?: number }): Promise<World> {
  const n = ++worlds;
  const sd = must('sub-district', await ctx.api('communities', 'POST', '/sub-districts', { name: `八里庄街道（压测${n}）`, district: '朝阳区' }), 201).id as string;
  const communities: string[] = [];
  for (let i = 0; i < opts.communities; i++) {
    communities.push(must('community', await ctx.api('communities', 'POST', `/sub-districts/${sd}/communities`, { name: `延静里社区${i + 1}` }), 201).id);
  }
  for (const [kind, unit, priceFen] of [
    ['bus_hire', '天', 400_000],
    ['display_board', '块', 30_000],
    ['stationery', '支', 200],
  ] as const) {
    must(`reference price ${kind}`, await ctx.api('communities', 'PUT', `/sub-districts/${sd}/reference-prices/${kind}`, { unit, priceFen }, reviewerOf(sd)), 200);
  }
  for (const c of communities) {
    must('fund', await ctx.api('communities', 'PUT', `/communities/${c}/funds/${FISCAL_YEAR}`, { allocatedFen: opts.fundFen ?? 10_000_000_000 }, financeOf(sd)), 200, 201);
  }
  return { subDistrictId: sd, communities };
}

let organization: Promise<{ organizationId: string; offeringId: string }> | null = null;

/** 银天使智慧社区公益促进中心 with its 老兵俱乐部 stall, once per run, visible in the communities directory. */
export function organizationWithOffering(ctx: BenchContext): Promise<{ organizationId: string; offeringId: string }> {
  organization ??= (async () => {
    const org = must(
      'organization',
      await ctx.api('organizations', 'POST', '/organizations', {
        name: '银天使智慧社区公益促进中心',
        creditCode: '52110105MA00YT01XY',
        registrationType: 'private_non_enterprise',
        description: '在八里庄街道延静里社区开展老兵俱乐部等活动多年。',
      }),
      201,
    );
    const staff: Principal = { userId: `bench-staff-${org.id.slice(0, 8)}`, name: '周晓燕', role: 'org_staff', scope: { kind: 'organization', id: org.id } };
    const offering = must(
      'offering',
      await ctx.api(
        'organizations',
        'POST',
        `/organizations/${org.id}/offerings`,
        { category: 'veterans', targetGroups: ['veterans'], title: '老兵俱乐部（延静里）', description: '召集辖区退伍老兵，八一慈善活动、站岗巡逻。', priceMinFen: 3_000_000, priceMaxFen: 8_000_000 },
        staff,
      ),
      201,
    );
    await waitFor('the offering in the communities directory', async () => (await ctx.api('communities', 'GET', `/directory/offerings/${offering.id}`)).status === 200, {
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    return { organizationId: org.id as string, offeringId: offering.id as string };
  })();
  return organization;
}

/** 老兵俱乐部: two activities, a line-item budget within the reference prices (no flag blocks 预审). */
export function veteransClub(communityId: string, offeringId: string, title = '延静里社区老兵俱乐部') {
  return {
    level: 'community',
    communityId,
    offeringId,
    title,
    fiscalYear: FISCAL_YEAR,
    summary: '召集辖区老兵，八一慈善活动、站岗巡逻、照片墙与手写贺卡。',
    activities: [
      { activityKey: 'A1', title: '八一老兵走红毯', startsOn: '2026-07-25', endsOn: '2026-08-01', venue: '延静里社区活动室', targetHeadcount: 60, targetGroup: 'veterans' },
      { activityKey: 'A2', title: '老兵照片墙', startsOn: '2026-09-01', endsOn: '2026-09-30', venue: '延静里社区', targetHeadcount: 162, targetGroup: 'veterans' },
    ],
    itemLines: [
      { lineKey: 'L1', activityKey: 'A1', itemKind: 'bus_hire', description: '大巴租车（参观军事博物馆）', unit: '天', unitPriceFen: 400_000, quantity: 1 },
      { lineKey: 'L2', activityKey: 'A1', itemKind: 'stationery', description: '签字笔（一支笔两块钱）', unit: '支', unitPriceFen: 200, quantity: 100 },
      { lineKey: 'L3', activityKey: 'A2', itemKind: 'display_board', description: '照片墙展板', unit: '块', unitPriceFen: 30_000, quantity: 10 },
    ],
    staffLines: [{ lineKey: 'S1', person: '周晓燕', role: '项目主管', hours: 100, hourlyRateFen: 8_000, activityKey: null }],
  };
}
