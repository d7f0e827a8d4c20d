/**
 * Demo data for the communities service (社区), through its public HTTP API only, with tokens from its
 * development login.
 *
 * ctx needed:  { urls: { communities: string },
 *                offerings?: { [title]: id },        — from seedOrganizations (scripts/demo/organizations.ts);
 *                                                       offering titles are unique across that demo, and each
 *                                                       offering names its organization
 *                fiscalYear?: number,                — default: the current calendar year
 *                waitMs?: number }                   — how long to wait for the organizations' events to reach
 *                                                       this service's directory (default 30 s)
 *              Without offerings it still seeds sub-districts, communities, funds, reference
 *              prices and resident meetings; the fair's stalls, shortlists and proposals need them.
 * returns:     { created, existing, subDistricts: { [name]: id }, communities: { [name]: id },
 *                fairId: string | null, proposals: { [title]: id }, skipped: string[] }
 *              `skipped` says what could not be seeded and why (e.g. an offering that never reached the
 *              directory), else [].
 *
 * From the article (../shared/DOMAIN.md): 八里庄街道 延静里社区 (老兵俱乐部 with 银天使智慧社区公益促进中心,
 * 162 veterans), 体育馆路街道 with 10 communities — the north part a demolition-pending area (拆迁滞留地),
 * the south mature estates, wanting different things — and its fair of 20+ stalls, 香河园街道 (咱爸咱妈晚晴同行,
 * 单元格居民议事厅), 悠贝亲子阅读 story time at 10:00. Community names other than 延静里 are plausible, not
 * checked against the real registry. The 延静里 proposal's bus hire is 4,000 where 2,000 is usual, so it is
 * flagged; its pens are "一支笔两块钱".
 *
 * Idempotent: sub-districts and communities answer 409 and are looked up; funds and reference prices are
 * compared before they are set; meetings are matched by date, fairs by title, stalls and shortlists answer
 * 409, proposals are matched by title (and a draft meant to be submitted is submitted on a later run).
 */
import { devLogin } from '../demo-data';

type Category = 'elderly_care' | 'children' | 'veterans' | 'building_culture' | 'resident_deliberation' | 'disability' | 'other';
type Target = 'elderly' | 'children' | 'families' | 'veterans' | 'disabled' | 'residents' | 'youth' | 'other';

interface DemoWish {
  category: Category;
  targetGroup: Target;
  description: string;
  votes: number;
}
interface DemoMeeting {
  /** month-day; the year is the fiscal year */
  on: string;
  attendance: number;
  minutes: string;
  wishes: DemoWish[];
}
interface DemoCommunity {
  name: string;
  area?: string;
  /** yuan */
  fundYuan: number;
  meetings?: DemoMeeting[];
}
interface DemoSubDistrict {
  name: string;
  district: string;
  /** the sub-district's own line, for 街道级 projects (yuan) */
  fundYuan: number;
  communities: DemoCommunity[];
}

const NORTH = '北部（拆迁滞留地）';
const SOUTH = '南部（成熟小区）';

export const DEMO_SUB_DISTRICTS: DemoSubDistrict[] = [
  {
    name: '八里庄街道',
    district: '朝阳区',
    fundYuan: 1_000_000,
    communities: [
      {
        name: '延静里社区',
        fundYuan: 400_000,
        meetings: [
          {
            on: '03-06',
            attendance: 32,
            minutes: '居民代表提出：辖区退伍老兵多，希望有自己的活动阵地；老人希望有人陪着聊天。',
            wishes: [
              { category: 'veterans', targetGroup: 'veterans', description: '成立老兵俱乐部，八一组织老兵走红毯、孩子给老兵献红领巾', votes: 29 },
              { category: 'veterans', targetGroup: 'veterans', description: '老兵照片墙与手写贺卡', votes: 21 },
              { category: 'elderly_care', targetGroup: 'elderly', description: '独居老人上门陪伴', votes: 14 },
            ],
          },
        ],
      },
      { name: '八里庄东里社区', fundYuan: 300_000 },
      { name: '十里堡北里社区', fundYuan: 250_000 },
    ],
  },
  {
    name: '体育馆路街道',
    district: '东城区',
    fundYuan: 1_500_000,
    communities: [
      {
        name: '体育馆路北社区',
        area: NORTH,
        fundYuan: 500_000,
        meetings: [
          {
            on: '03-12',
            attendance: 35,
            minutes: '北部拆迁滞留地：老人多，子女不在身边；孩子放学后无人看管。',
            wishes: [
              { category: 'elderly_care', targetGroup: 'elderly', description: '养老驿站助餐送餐', votes: 31 },
              { category: 'elderly_care', targetGroup: 'elderly', description: '助浴与康复训练', votes: 24 },
              { category: 'children', targetGroup: 'children', description: '四点半课堂', votes: 18 },
            ],
          },
        ],
      },
      { name: '四块玉社区', area: NORTH, fundYuan: 300_000 },
      { name: '长青园社区', area: NORTH, fundYuan: 250_000 },
      { name: '幸福大街社区', area: NORTH, fundYuan: 250_000 },
      { name: '天坛东门社区', area: NORTH, fundYuan: 200_000 },
      {
        name: '法华南里社区',
        area: SOUTH,
        fundYuan: 450_000,
        meetings: [
          {
            on: '03-20',
            attendance: 40,
            minutes: '南部成熟小区：年轻家庭多，希望有亲子活动；楼门邻里关系需要经营。',
            wishes: [
              { category: 'children', targetGroup: 'children', description: '悠贝亲子阅读：每天上午10点给两三岁的小朋友讲故事', votes: 33 },
              { category: 'building_culture', targetGroup: 'residents', description: '楼门文化墙共建', votes: 22 },
              { category: 'resident_deliberation', targetGroup: 'residents', description: '居民议事厅讨论停车难', votes: 17 },
            ],
          },
        ],
      },
      { name: '法华寺社区', area: SOUTH, fundYuan: 300_000 },
      { name: '东厅社区', area: SOUTH, fundYuan: 250_000 },
      { name: '西厅社区', area: SOUTH, fundYuan: 250_000 },
      { name: '体育馆路南社区', area: SOUTH, fundYuan: 300_000 },
    ],
  },
  {
    name: '香河园街道',
    district: '朝阳区',
    fundYuan: 1_200_000,
    communities: [
      {
        name: '西坝河东里社区',
        fundYuan: 450_000,
        meetings: [
          {
            on: '02-28',
            attendance: 28,
            minutes: '居民关注老年人精神文化生活，希望楼栋单元里能商量事。',
            wishes: [
              { category: 'elderly_care', targetGroup: 'elderly', description: '咱爸咱妈晚晴同行：合唱、书画、茶话会', votes: 26 },
              { category: 'resident_deliberation', targetGroup: 'residents', description: '单元格居民议事厅', votes: 20 },
              { category: 'other', targetGroup: 'youth', description: '创享计划：居民微提案', votes: 9 },
            ],
          },
        ],
      },
      { name: '西坝河中里社区', fundYuan: 300_000 },
      { name: '柳芳北里社区', fundYuan: 300_000 },
      { name: '光熙门北里社区', fundYuan: 250_000 },
    ],
  },
];

/** What things usually cost (unit, yuan), the same list for every demo sub-district. */
export const DEMO_REFERENCE_PRICES: { itemKind: string; unit: string; yuan: number; note?: string }[] = [
  { itemKind: 'bus_hire', unit: '天', yuan: 2_000, note: '45座大巴，含司机' },
  { itemKind: 'display_board', unit: '块', yuan: 300 },
  { itemKind: 'banner', unit: '条', yuan: 150 },
  { itemKind: 'printing', unit: '份', yuan: 5 },
  { itemKind: 'gift', unit: '份', yuan: 50 },
  { itemKind: 'venue', unit: '半天', yuan: 800 },
  { itemKind: 'meal', unit: '人', yuan: 30 },
  { itemKind: 'stationery', unit: '支', yuan: 2, note: '一支笔两块钱' },
  { itemKind: 'refreshments', unit: '人', yuan: 20 },
  { itemKind: 'photography', unit: '场', yuan: 1_500 },
  { itemKind: 'instructor', unit: '课时', yuan: 800 },
];

const FAIR = { subDistrict: '体育馆路街道', title: '体育馆路街道社会组织服务项目推介会', venue: '体育馆路街道市民活动中心', on: '02-26' };

const SHORTLISTS: { community: string; offering: string; note: string }[] = [
  { community: '体育馆路北社区', offering: '养老驿站助餐送餐', note: '北部老人多、子女不在身边，送餐需求最大' },
  { community: '体育馆路北社区', offering: '四点半课堂', note: '孩子放学无人看管' },
  { community: '法华南里社区', offering: '亲子绘本故事会（每天上午10:00）', note: '年轻家庭多，居民代表会票数最高' },
  { community: '法华南里社区', offering: '楼门文化墙共建', note: '想进一步洽谈楼门文化' },
];

interface DemoProposal {
  subDistrict: string;
  community: string;
  offering: string;
  title: string;
  summary: string;
  submit: boolean;
  activities: { activityKey: string; title: string; start: string; end: string; venue: string; targetHeadcount: number; targetGroup: Target }[];
  itemLines: { lineKey: string; activityKey: string; itemKind: string; description: string; unit: string; yuan: number; quantity: number }[];
  staffLines: { lineKey: string; person: string; role: string; hours: number; hourlyYuan: number; activityKey: string | null }[];
}

export const DEMO_PROPOSALS: DemoProposal[] = [
  {
    subDistrict: '八里庄街道',
    community: '延静里社区',
    offering: '老兵俱乐部（延静里）',
    title: '延静里社区老兵俱乐部',
    summary: '召集辖区162名退伍老兵，“退伍不褪色”：八一老兵走红毯、孩子献红领巾、照片墙、手写贺卡、站岗巡逻。',
    submit: true,
    activities: [
      { activityKey: 'A1', title: '八一老兵走红毯', start: '07-28', end: '08-01', venue: '延静里社区活动室', targetHeadcount: 80, targetGroup: 'veterans' },
      { activityKey: 'A2', title: '参观军事博物馆', start: '09-12', end: '09-12', venue: '中国人民革命军事博物馆', targetHeadcount: 45, targetGroup: 'veterans' },
      { activityKey: 'A3', title: '老兵照片墙与手写贺卡', start: '10-01', end: '10-31', venue: '延静里社区', targetHeadcount: 162, targetGroup: 'veterans' },
    ],
    itemLines: [
      { lineKey: 'L1', activityKey: 'A1', itemKind: 'banner', description: '红毯活动横幅', unit: '条', yuan: 150, quantity: 2 },
      { lineKey: 'L2', activityKey: 'A1', itemKind: 'gift', description: '纪念品（老兵徽章）', unit: '份', yuan: 45, quantity: 80 },
      { lineKey: 'L3', activityKey: 'A2', itemKind: 'bus_hire', description: '大巴租车（往返军事博物馆）', unit: '天', yuan: 4_000, quantity: 1 },
      { lineKey: 'L4', activityKey: 'A3', itemKind: 'display_board', description: '老兵照片墙展板', unit: '块', yuan: 300, quantity: 12 },
      { lineKey: 'L5', activityKey: 'A3', itemKind: 'stationery', description: '签字笔（手写贺卡，一支笔两块钱）', unit: '支', yuan: 2, quantity: 200 },
      { lineKey: 'L6', activityKey: 'A3', itemKind: 'printing', description: '老照片翻印', unit: '份', yuan: 5, quantity: 162 },
    ],
    staffLines: [
      { lineKey: 'S1', person: '周晓燕', role: '项目主管', hours: 120, hourlyYuan: 80, activityKey: null },
      { lineKey: 'S2', person: '韩磊', role: '社工', hours: 60, hourlyYuan: 60, activityKey: 'A3' },
    ],
  },
  {
    subDistrict: '体育馆路街道',
    community: '法华南里社区',
    offering: '亲子绘本故事会（每天上午10:00）',
    title: '法华南里社区亲子绘本故事会',
    summary: '悠贝亲子阅读老师每天上午10点给两三岁的小朋友讲绘本故事，家长陪读。',
    submit: false,
    activities: [
      { activityKey: 'A1', title: '每日绘本故事会（上半年）', start: '03-01', end: '06-30', venue: '法华南里社区图书角', targetHeadcount: 20, targetGroup: 'children' },
      { activityKey: 'A2', title: '每日绘本故事会（下半年）', start: '09-01', end: '12-20', venue: '法华南里社区图书角', targetHeadcount: 20, targetGroup: 'children' },
    ],
    itemLines: [
      { lineKey: 'L1', activityKey: 'A1', itemKind: 'materials', description: '绘本采购', unit: '本', yuan: 35, quantity: 120 },
      { lineKey: 'L2', activityKey: 'A2', itemKind: 'materials', description: '手工材料包', unit: '份', yuan: 15, quantity: 200 },
    ],
    staffLines: [{ lineKey: 'S1', person: '林悦', role: '阅读老师', hours: 300, hourlyYuan: 100, activityKey: null }],
  },
  {
    subDistrict: '香河园街道',
    community: '西坝河东里社区',
    offering: '咱爸咱妈晚晴同行',
    title: '西坝河东里社区咱爸咱妈晚晴同行',
    summary: '关注老年人精神文化需求：合唱团、书画班、每月茶话会。',
    submit: true,
    activities: [
      { activityKey: 'A1', title: '晚晴合唱团', start: '04-01', end: '11-30', venue: '西坝河东里社区活动室', targetHeadcount: 30, targetGroup: 'elderly' },
      { activityKey: 'A2', title: '每月茶话会', start: '04-15', end: '12-15', venue: '西坝河东里社区活动室', targetHeadcount: 50, targetGroup: 'elderly' },
    ],
    itemLines: [
      { lineKey: 'L1', activityKey: 'A1', itemKind: 'instructor', description: '合唱指导老师', unit: '课时', yuan: 600, quantity: 32 },
      { lineKey: 'L2', activityKey: 'A2', itemKind: 'refreshments', description: '茶话会茶点', unit: '人', yuan: 20, quantity: 450 },
      { lineKey: 'L3', activityKey: 'A2', itemKind: 'venue', description: '年终汇演场地', unit: '半天', yuan: 800, quantity: 1 },
    ],
    staffLines: [{ lineKey: 'S1', person: '谢红', role: '项目主管', hours: 100, hourlyYuan: 90, activityKey: null }],
  },
];

const DEMO_ADMIN = { userId: 'demo-admin', name: '演示管理员', role: 'admin', scope: { kind: 'platform', id: 'linli' } };
const reviewerOf = (sd: string) => ({ userId: `demo-reviewer-${sd.slice(0, 8)}`, name: '街道审核人员', role: 'subdistrict_reviewer', scope: { kind: 'sub-district', id: sd } });
const financeOf = (sd: string) => ({ userId: `demo-finance-${sd.slice(0, 8)}`, name: '王会计', role: 'finance', scope: { kind: 'sub-district', id: sd } });
const secretaryOf = (community: string, sd: string) => ({
  userId: `demo-secretary-${community.slice(0, 8)}`,
  name: '社区书记',
  role: 'community_secretary',
  scope: { kind: 'community', id: community },
  subDistrictId: sd,
});

export interface CommunitiesSeedContext {
  urls: { communities: string };
  offerings?: Record<string, string>;
  fiscalYear?: number;
  waitMs?: number;
}

export interface CommunitiesSeedResult {
  created: number;
  existing: number;
  subDistricts: Record<string, string>;
  communities: Record<string, string>;
  fairId: string | null;
  proposals: Record<string, string>;
  skipped: string[];
}

type Res = { status: number; body: any };

export async function seedCommunities(ctx: CommunitiesSeedContext): Promise<CommunitiesSeedResult> {
  const base = ctx.urls.communities;
  const fy = ctx.fiscalYear ?? new Date().getFullYear();
  const day = (md: string) => `${fy}-${md}`;
  const tokens = new Map<string, string>();
  const tokenFor = async (principal: { userId: string }) => {
    const key = JSON.stringify(principal);
    if (!tokens.has(key)) tokens.set(key, await devLogin(base, principal));
    return tokens.get(key)!;
  };
  const call = async (principal: { userId: string }, method: string, path: string, body?: unknown): Promise<Res> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(principal)}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const fail = (what: string, res: Res): never => {
    throw new Error(`seeding communities: ${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
  };
  /** Every item of a paged list. */
  const all = async (principal: { userId: string }, path: string): Promise<any[]> => {
    const items: any[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const page = await call(principal, 'GET', `${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      if (page.status !== 200) fail(`listing ${path}`, page);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return items;
  };

  let created = 0;
  let existing = 0;
  const skipped: string[] = [];
  const subDistricts: Record<string, string> = {};
  const communities: Record<string, string> = {};
  const proposals: Record<string, string> = {};

  // 1. sub-districts and their communities
  const knownSubDistricts = () => all(DEMO_ADMIN, '/sub-districts');
  for (const sd of DEMO_SUB_DISTRICTS) {
    const res = await call(DEMO_ADMIN, 'POST', '/sub-districts', { name: sd.name, district: sd.district });
    if (res.status === 201) {
      created++;
      subDistricts[sd.name] = res.body.id;
    } else if (res.status === 409) {
      existing++;
      const found = (await knownSubDistricts()).find((s) => s.name === sd.name);
      if (!found) fail(`finding ${sd.name}`, res);
      subDistricts[sd.name] = found.id;
    } else fail(`registering ${sd.name}`, res);
    const sdId = subDistricts[sd.name]!;
    const known = new Map<string, string>((await all(DEMO_ADMIN, `/communities?subDistrictId=${sdId}`)).map((c) => [c.name, c.id]));
    for (const c of sd.communities) {
      const id = known.get(c.name);
      if (id) {
        existing++;
        communities[c.name] = id;
        continue;
      }
      const made = await call(DEMO_ADMIN, 'POST', `/sub-districts/${sdId}/communities`, { name: c.name, ...(c.area ? { area: c.area } : {}) });
      if (made.status !== 201) fail(`registering ${c.name}`, made);
      created++;
      communities[c.name] = made.body.id;
    }
  }

  // 2. funds for the fiscal year: each community's, and each sub-district's own line
  for (const sd of DEMO_SUB_DISTRICTS) {
    const sdId = subDistricts[sd.name]!;
    const lines = await all(financeOf(sdId), `/funds?subDistrictId=${sdId}&fiscalYear=${fy}`);
    const setFund = async (path: string, communityId: string | null, yuan: number) => {
      const current = lines.find((f) => f.communityId === communityId);
      if (current && current.allocatedFen === yuan * 100) return void existing++;
      const res = await call(financeOf(sdId), 'PUT', path, { allocatedFen: yuan * 100, note: `${fy}年度党组织服务群众项目经费` });
      if (res.status !== 200) fail(`allocating ${path}`, res);
      created++;
    };
    await setFund(`/sub-districts/${sdId}/funds/${fy}`, null, sd.fundYuan);
    for (const c of sd.communities) await setFund(`/communities/${communities[c.name]}/funds/${fy}`, communities[c.name]!, c.fundYuan);
  }

  // 3. reference prices (the margin stays at the default 30%)
  for (const sd of DEMO_SUB_DISTRICTS) {
    const sdId = subDistricts[sd.name]!;
    const current = await call(reviewerOf(sdId), 'GET', `/sub-districts/${sdId}/reference-prices`);
    for (const price of DEMO_REFERENCE_PRICES) {
      const have = (current.body?.items ?? []).find((p: any) => p.itemKind === price.itemKind);
      if (have && have.priceFen === price.yuan * 100 && have.unit === price.unit) {
        existing++;
        continue;
      }
      const res = await call(reviewerOf(sdId), 'PUT', `/sub-districts/${sdId}/reference-prices/${price.itemKind}`, {
        unit: price.unit,
        priceFen: price.yuan * 100,
        ...(price.note ? { note: price.note } : {}),
      });
      if (res.status !== 200) fail(`reference price ${price.itemKind} in ${sd.name}`, res);
      created++;
    }
  }

  // 4. resident-representative meetings with their wishes
  for (const sd of DEMO_SUB_DISTRICTS) {
    for (const c of sd.communities) {
      if (!c.meetings) continue;
      const id = communities[c.name]!;
      const secretary = secretaryOf(id, subDistricts[sd.name]!);
      const held = new Set((await all(secretary, `/communities/${id}/meetings`)).map((m) => m.heldOn));
      for (const m of c.meetings) {
        if (held.has(day(m.on))) {
          existing++;
          continue;
        }
        const res = await call(secretary, 'POST', `/communities/${id}/meetings`, { heldOn: day(m.on), attendance: m.attendance, minutes: m.minutes, wishes: m.wishes });
        if (res.status !== 201) fail(`meeting of ${c.name}`, res);
        created++;
      }
    }
  }

  // 5. the organizations' offerings must have reached this service's directory (organizations.* events)
  const offerings = ctx.offerings ?? {};
  const deadline = Date.now() + (ctx.waitMs ?? 30_000);
  const inDirectory = new Map<string, any>();
  const waitForOffering = async (title: string): Promise<any | null> => {
    const id = offerings[title];
    if (!id) return null;
    if (inDirectory.has(title)) return inDirectory.get(title);
    for (;;) {
      const res = await call(DEMO_ADMIN, 'GET', `/directory/offerings/${id}`);
      if (res.status === 200 && (res.body.organizationName !== null || Date.now() > deadline)) {
        inDirectory.set(title, res.body);
        return res.body;
      }
      if (Date.now() > deadline) {
        inDirectory.set(title, null);
        return null;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  };

  // 6. the fair at 体育馆路街道, with every selectable offering on show, and the secretaries' shortlists
  let fairId: string | null = null;
  if (Object.keys(offerings).length === 0) {
    skipped.push('fair, shortlists and proposals: no offerings given (run the organizations seed first)');
  } else {
    const sdId = subDistricts[FAIR.subDistrict]!;
    const reviewer = reviewerOf(sdId);
    const fairs = await all(reviewer, `/fairs?subDistrictId=${sdId}`);
    const found = fairs.find((f) => f.title === FAIR.title);
    if (found) {
      existing++;
      fairId = found.id;
    } else {
      const res = await call(reviewer, 'POST', '/fairs', { subDistrictId: sdId, title: FAIR.title, venue: FAIR.venue, heldOn: day(FAIR.on) });
      if (res.status !== 201) fail('creating the fair', res);
      created++;
      fairId = res.body.id;
    }
    let booth = 0;
    for (const title of Object.keys(offerings)) {
      booth++;
      const offering = await waitForOffering(title);
      if (!offering) {
        skipped.push(`stall 「${title}」: the offering has not reached the directory`);
        continue;
      }
      if (!offering.selectable) {
        skipped.push(`stall 「${title}」: ${offering.organizationName ?? offering.organizationId} may not be chosen (${offering.organizationCreditStatus ?? 'unknown'})`);
        continue;
      }
      const res = await call(reviewer, 'POST', `/fairs/${fairId}/stalls`, { offeringId: offering.id, booth: `A${String(booth).padStart(2, '0')}` });
      if (res.status === 201) created++;
      else if (res.status === 409) existing++;
      else fail(`stall ${title}`, res);
    }
    for (const s of SHORTLISTS) {
      const offering = await waitForOffering(s.offering);
      if (!offering?.selectable) {
        skipped.push(`shortlist 「${s.offering}」 by ${s.community}: offering unavailable`);
        continue;
      }
      const communityId = communities[s.community]!;
      const res = await call(secretaryOf(communityId, sdId), 'POST', `/fairs/${fairId}/shortlist`, { communityId, offeringId: offering.id, note: s.note });
      if (res.status === 201) created++;
      else if (res.status === 409) existing++;
      else fail(`shortlist ${s.offering} by ${s.community}`, res);
    }

    // 7. proposals
    for (const p of DEMO_PROPOSALS) {
      const offering = await waitForOffering(p.offering);
      if (!offering?.selectable) {
        skipped.push(`proposal 「${p.title}」: offering 「${p.offering}」 unavailable`);
        continue;
      }
      const sd = subDistricts[p.subDistrict]!;
      const communityId = communities[p.community]!;
      const secretary = secretaryOf(communityId, sd);
      const mine = (await all(secretary, `/proposals?communityId=${communityId}&fiscalYear=${fy}`)).find((x) => x.title === p.title);
      let proposal = mine;
      if (mine) existing++;
      else {
        const res = await call(secretary, 'POST', '/proposals', {
          level: 'community',
          communityId,
          offeringId: offering.id,
          title: p.title,
          fiscalYear: fy,
          summary: p.summary,
          activities: p.activities.map((a) => ({ activityKey: a.activityKey, title: a.title, startsOn: day(a.start), endsOn: day(a.end), venue: a.venue, targetHeadcount: a.targetHeadcount, targetGroup: a.targetGroup })),
          itemLines: p.itemLines.map((l) => ({ lineKey: l.lineKey, activityKey: l.activityKey, itemKind: l.itemKind, description: l.description, unit: l.unit, unitPriceFen: l.yuan * 100, quantity: l.quantity })),
          staffLines: p.staffLines.map((l) => ({ lineKey: l.lineKey, person: l.person, role: l.role, hours: l.hours, hourlyRateFen: l.hourlyYuan * 100, activityKey: l.activityKey })),
        });
        if (res.status !== 201) fail(`proposal ${p.title}`, res);
        created++;
        proposal = res.body;
      }
      proposals[p.title] = proposal.id;
      if (p.submit && proposal.status === 'draft') {
        const res = await call(secretary, 'POST', `/proposals/${proposal.id}/submission`, {});
        if (res.status !== 200) fail(`submitting ${p.title}`, res);
        created++;
      }
    }
  }

  return { created, existing, subDistricts, communities, fairId, proposals, skipped };
}
