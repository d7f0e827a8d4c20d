/**
 * Demo data for the organizations service (社会组织), through its public HTTP API only, with tokens from
 * its development login.
 *
 * ctx needed:  { urls: { organizations: string } }   — the organizations service's base URL. Nothing from
 *              other services: offerings are not tied to a sub-district; the communities seed invites
 *              them to 体育馆路街道's fair (推介会) with the ids returned here.
 * returns:     { created, existing, organizations: { [name]: id }, offerings: { [title]: id },
 *                blacklisted: name }  — offering titles are unique across the demo, so a flat map works.
 *
 * From the article (../shared/DOMAIN.md): 银天使智慧社区公益促进中心 (the veterans club at 延静里),
 * 悠贝亲子阅读 (story time at 10:00 every morning), 北京慈爱嘉养老服务有限公司 (two elderly-care stations:
 * meal delivery, bathing help, rehabilitation); the others are plausible organizations for a fair of
 * 20+ stalls (楼门文化, 居民议事厅, 助残, 养老 …). The credit codes are NOT the real organizations'
 * codes: they are made up, with both check characters computed per GB 32100-2015 / GB 11714 (a test in
 * services/organizations checks every one). 北京速达社区服务中心 ends up blacklisted, to show the refusal.
 *
 * Idempotent: registration answers 409 for an existing name and the id is looked up; offerings and
 * staff are matched by title/name before creating; the blacklisting is skipped when already done.
 */
import { devLogin } from '../demo-data';

type Category = 'elderly_care' | 'children' | 'veterans' | 'building_culture' | 'resident_deliberation' | 'disability' | 'other';
type Target = 'elderly' | 'children' | 'families' | 'veterans' | 'disabled' | 'residents' | 'youth' | 'other';

interface DemoOffering {
  title: string;
  category: Category;
  targetGroups: Target[];
  description: string;
  /** typical price range, yuan (converted to fen when sent) */
  priceYuan: [number, number];
}

interface DemoOrganization {
  name: string;
  creditCode: string;
  registrationType: 'social_group' | 'private_non_enterprise' | 'foundation' | 'enterprise';
  description: string;
  staff: { name: string; role: 'project_lead' | 'social_worker' | 'volunteer' | 'other'; certificate: 'none' | 'assistant_social_worker' | 'social_worker' | 'senior_social_worker' }[];
  offerings: DemoOffering[];
}

export const BLACKLISTED = { name: '北京速达社区服务中心', reason: '虚报活动参与人数（第三方电话回访核实），列入黑名单' };

export const DEMO_ORGANIZATIONS: DemoOrganization[] = [
  {
    name: '银天使智慧社区公益促进中心',
    creditCode: '52110105MA00YT01XY',
    registrationType: 'private_non_enterprise',
    description: '在八里庄街道延静里社区开展老兵俱乐部等活动多年：老兵走红毯、孩子给老兵献红领巾、照片墙、手写贺卡。',
    staff: [
      { name: '周晓燕', role: 'project_lead', certificate: 'social_worker' },
      { name: '韩磊', role: 'social_worker', certificate: 'assistant_social_worker' },
      { name: '郑春梅', role: 'volunteer', certificate: 'none' },
    ],
    offerings: [
      { title: '老兵俱乐部（延静里）', category: 'veterans', targetGroups: ['veterans'], description: '召集辖区退伍老兵，“退伍不褪色”：八一慈善活动、站岗巡逻、背街小巷整治。', priceYuan: [30_000, 80_000] },
      { title: '老兵照片墙与手写贺卡', category: 'veterans', targetGroups: ['veterans', 'children'], description: '收集老兵军旅老照片制作照片墙，孩子们为老兵手写贺卡、献红领巾。', priceYuan: [8_000, 20_000] },
    ],
  },
  {
    name: '悠贝亲子阅读',
    creditCode: '52110101MA00YB029U',
    registrationType: 'private_non_enterprise',
    description: '已在体育馆路街道服务多年，每天上午安排老师给两三岁的小朋友讲故事。',
    staff: [
      { name: '林悦', role: 'project_lead', certificate: 'none' },
      { name: '陈思雨', role: 'other', certificate: 'none' },
    ],
    offerings: [
      { title: '亲子绘本故事会（每天上午10:00）', category: 'children', targetGroups: ['children', 'families'], description: '10点上课，老师给两三岁的小朋友讲绘本故事，家长陪读。', priceYuan: [20_000, 60_000] },
      { title: '绘本手工坊', category: 'children', targetGroups: ['children', 'families'], description: '读完绘本一起做手工，每月两次。', priceYuan: [6_000, 15_000] },
    ],
  },
  {
    name: '北京慈爱嘉养老服务有限公司',
    creditCode: '91110101MA00CJ0393',
    registrationType: 'enterprise',
    description: '运营体育馆路街道两个养老驿站，提供送餐、助浴、康复训练，收到不少表扬信和锦旗。',
    staff: [
      { name: '刘建华', role: 'project_lead', certificate: 'senior_social_worker' },
      { name: '张丽', role: 'social_worker', certificate: 'social_worker' },
      { name: '王芳', role: 'social_worker', certificate: 'assistant_social_worker' },
      { name: '赵强', role: 'other', certificate: 'none' },
    ],
    offerings: [
      { title: '养老驿站助餐送餐', category: 'elderly_care', targetGroups: ['elderly'], description: '为高龄、独居、失能老人提供驿站就餐与送餐上门。', priceYuan: [80_000, 150_000] },
      { title: '养老驿站助浴服务', category: 'elderly_care', targetGroups: ['elderly', 'disabled'], description: '专业助浴员上门或在驿站助浴。', priceYuan: [30_000, 60_000] },
      { title: '养老驿站康复训练', category: 'elderly_care', targetGroups: ['elderly'], description: '康复师指导的肢体与认知康复训练，每周两次。', priceYuan: [40_000, 90_000] },
    ],
  },
  {
    name: '东城区楼门文化促进会',
    creditCode: '51110101MA00LM044C',
    registrationType: 'social_group',
    description: '帮助拆迁滞留地、老旧小区建设楼门文化。',
    staff: [
      { name: '马丽娟', role: 'project_lead', certificate: 'social_worker' },
      { name: '孔伟', role: 'volunteer', certificate: 'none' },
    ],
    offerings: [
      { title: '楼门文化墙共建', category: 'building_culture', targetGroups: ['residents'], description: '居民共同设计楼门文化墙、楼门公约。', priceYuan: [15_000, 40_000] },
      { title: '楼门长培训', category: 'building_culture', targetGroups: ['residents', 'elderly'], description: '楼门长骨干培训，每季度一期。', priceYuan: [5_000, 12_000] },
    ],
  },
  {
    name: '北京市东城区协商议事社会工作事务所',
    creditCode: '52110101MA00XY050L',
    registrationType: 'private_non_enterprise',
    description: '居民议事厅建设与议事规则培训。',
    staff: [
      { name: '杨光', role: 'project_lead', certificate: 'social_worker' },
      { name: '吴敏', role: 'social_worker', certificate: 'social_worker' },
    ],
    offerings: [
      { title: '单元格居民议事厅建设', category: 'resident_deliberation', targetGroups: ['residents'], description: '以楼栋单元为单位建立议事厅，让居民参与社区建设。', priceYuan: [40_000, 100_000] },
      { title: '议事规则工作坊', category: 'resident_deliberation', targetGroups: ['residents'], description: '罗伯特议事规则本土化培训。', priceYuan: [6_000, 15_000] },
    ],
  },
  {
    name: '东城区助残服务中心',
    creditCode: '52110101MA00CC064C',
    registrationType: 'private_non_enterprise',
    description: '残障人士康复陪伴与无障碍志愿服务。',
    staff: [
      { name: '何静', role: 'project_lead', certificate: 'social_worker' },
      { name: '罗浩', role: 'volunteer', certificate: 'none' },
    ],
    offerings: [
      { title: '残障人士康复陪伴', category: 'disability', targetGroups: ['disabled'], description: '上门康复陪伴与家属喘息服务。', priceYuan: [30_000, 70_000] },
      { title: '无障碍出行志愿服务', category: 'disability', targetGroups: ['disabled', 'elderly'], description: '志愿者陪同就医、出行。', priceYuan: [10_000, 25_000] },
    ],
  },
  {
    name: '北京晚晴同行社会工作服务中心',
    creditCode: '52110105MA00WQ07X7',
    registrationType: 'private_non_enterprise',
    description: '“咱爸咱妈晚晴同行”品牌项目：关注老年人的精神文化需求。',
    staff: [
      { name: '谢红', role: 'project_lead', certificate: 'senior_social_worker' },
      { name: '唐宁', role: 'social_worker', certificate: 'social_worker' },
    ],
    offerings: [
      { title: '咱爸咱妈晚晴同行', category: 'elderly_care', targetGroups: ['elderly'], description: '老年人兴趣小组、合唱、书画与茶话会。', priceYuan: [50_000, 120_000] },
      { title: '老年人智能手机课堂', category: 'elderly_care', targetGroups: ['elderly'], description: '教老人用手机挂号、缴费、视频通话。', priceYuan: [8_000, 20_000] },
    ],
  },
  {
    name: '东城区青少年成长服务中心',
    creditCode: '52110101MA00QN087W',
    registrationType: 'private_non_enterprise',
    description: '放学后托管与青少年成长活动。',
    staff: [{ name: '邓超然', role: 'project_lead', certificate: 'social_worker' }],
    offerings: [{ title: '四点半课堂', category: 'children', targetGroups: ['children', 'youth'], description: '放学后作业辅导与兴趣活动。', priceYuan: [40_000, 90_000] }],
  },
  {
    name: '北京邻里守望社区服务中心',
    creditCode: '52110101MA00LL0921',
    registrationType: 'private_non_enterprise',
    description: '邻里互助与社区志愿者队伍建设。',
    staff: [
      { name: '冯雪', role: 'project_lead', certificate: 'assistant_social_worker' },
      { name: '曹阳', role: 'volunteer', certificate: 'none' },
    ],
    offerings: [
      { title: '社区邻里节', category: 'other', targetGroups: ['residents', 'families'], description: '百家宴、跳蚤市场与邻里才艺展示。', priceYuan: [20_000, 50_000] },
      { title: '社区志愿者队伍建设', category: 'other', targetGroups: ['residents'], description: '志愿者招募、培训与积分激励。', priceYuan: [10_000, 30_000] },
    ],
  },
  {
    name: '北京创享社区营造中心',
    creditCode: '52110105MA00CX1090',
    registrationType: 'private_non_enterprise',
    description: '“创享计划”：居民提案、小微改造。',
    staff: [{ name: '彭博', role: 'project_lead', certificate: 'social_worker' }],
    offerings: [{ title: '创享计划：居民微提案', category: 'resident_deliberation', targetGroups: ['residents', 'youth'], description: '征集居民微提案并陪伴落地。', priceYuan: [30_000, 80_000] }],
  },
  {
    name: '东城区心理健康服务协会',
    creditCode: '51110101MA00XL119W',
    registrationType: 'social_group',
    description: '社区心理健康服务。',
    staff: [{ name: '潘琳', role: 'project_lead', certificate: 'social_worker' }],
    offerings: [{ title: '老年人心理疏导', category: 'elderly_care', targetGroups: ['elderly'], description: '独居老人心理关怀与哀伤辅导。', priceYuan: [20_000, 50_000] }],
  },
  {
    name: '北京乐龄健康管理有限公司',
    creditCode: '91110101MA00LG1284',
    registrationType: 'enterprise',
    description: '社区健康讲座与慢病管理。',
    staff: [{ name: '袁医生', role: 'project_lead', certificate: 'none' }],
    offerings: [{ title: '慢病健康讲座', category: 'elderly_care', targetGroups: ['elderly'], description: '高血压、糖尿病管理讲座与义诊。', priceYuan: [5_000, 15_000] }],
  },
  {
    name: '东城区社区文化艺术团',
    creditCode: '51110101MA00WY1353',
    registrationType: 'social_group',
    description: '社区文艺活动。',
    staff: [{ name: '蒋美玲', role: 'project_lead', certificate: 'none' }],
    offerings: [{ title: '楼门文艺汇演', category: 'building_culture', targetGroups: ['residents', 'elderly'], description: '楼门合唱、快板与年终汇演。', priceYuan: [10_000, 30_000] }],
  },
  {
    name: '北京童心助残基金会',
    creditCode: '53110000MA00TX144G',
    registrationType: 'foundation',
    description: '资助孤独症儿童融合活动。',
    staff: [{ name: '沈佳', role: 'project_lead', certificate: 'social_worker' }],
    offerings: [{ title: '孤独症儿童融合活动', category: 'disability', targetGroups: ['children', 'disabled', 'families'], description: '孤独症儿童与社区儿童共同参与的融合游戏。', priceYuan: [20_000, 60_000] }],
  },
  {
    name: BLACKLISTED.name,
    creditCode: '52110101MA00KD159X',
    registrationType: 'private_non_enterprise',
    description: '（演示：已列入黑名单，社区选择与投标均被拒绝）',
    staff: [{ name: '钟立', role: 'project_lead', certificate: 'none' }],
    offerings: [{ title: '社区便民服务日', category: 'other', targetGroups: ['residents'], description: '理发、修鞋、磨刀等便民服务。', priceYuan: [10_000, 20_000] }],
  },
];

const DEMO_ADMIN = { userId: 'demo-admin', name: '演示管理员', role: 'admin', scope: { kind: 'platform', id: 'linli' } };

export interface OrganizationsSeedContext {
  urls: { organizations: string };
}

export interface OrganizationsSeedResult {
  created: number;
  existing: number;
  organizations: Record<string, string>;
  offerings: Record<string, string>;
  blacklisted: string;
}

export async function seedOrganizations(ctx: OrganizationsSeedContext): Promise<OrganizationsSeedResult> {
  const base = ctx.urls.organizations;
  const adminToken = await devLogin(base, DEMO_ADMIN);
  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
  };
  const fail = (what: string, res: { status: number; body: unknown }): never => {
    throw new Error(`seeding organizations: ${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
  };

  let created = 0;
  let existing = 0;
  const organizations: Record<string, string> = {};
  const offerings: Record<string, string> = {};

  for (const org of DEMO_ORGANIZATIONS) {
    // 1. the organization
    const registered = await call(adminToken, 'POST', '/organizations', {
      name: org.name,
      creditCode: org.creditCode,
      registrationType: org.registrationType,
      description: org.description,
    });
    let id: string;
    if (registered.status === 201) {
      created++;
      id = registered.body.id;
    } else if (registered.status === 409) {
      existing++;
      const found = await call(adminToken, 'GET', `/organizations?q=${encodeURIComponent(org.name)}&limit=100`);
      const match = (found.body?.items ?? []).find((o: { name: string }) => o.name === org.name);
      if (!match) fail(`finding existing ${org.name}`, found);
      id = match.id;
    } else {
      return fail(`registering ${org.name}`, registered);
    }
    organizations[org.name] = id;
    const staffToken = await devLogin(base, { userId: `demo-staff-${id.slice(0, 8)}`, name: `${org.name}工作人员`, role: 'org_staff', scope: { kind: 'organization', id } });

    // 2. the roster
    const roster = await call(staffToken, 'GET', `/organizations/${id}/staff?limit=100`);
    const onRoster = new Set((roster.body?.items ?? []).map((s: { name: string }) => s.name));
    for (const person of org.staff) {
      if (onRoster.has(person.name)) {
        existing++;
        continue;
      }
      const added = await call(staffToken, 'POST', `/organizations/${id}/staff`, person);
      if (added.status !== 201) fail(`adding ${person.name} to ${org.name}`, added);
      created++;
    }

    // 3. the stall (before any blacklisting: a blacklisted organization may not publish)
    const stall = await call(staffToken, 'GET', `/offerings?organizationId=${id}&limit=100`);
    const published = new Map<string, string>((stall.body?.items ?? []).map((o: { title: string; id: string }) => [o.title, o.id]));
    for (const offering of org.offerings) {
      const known = published.get(offering.title);
      if (known) {
        existing++;
        offerings[offering.title] = known;
        continue;
      }
      const res = await call(staffToken, 'POST', `/organizations/${id}/offerings`, {
        category: offering.category,
        targetGroups: offering.targetGroups,
        title: offering.title,
        description: offering.description,
        priceMinFen: offering.priceYuan[0] * 100,
        priceMaxFen: offering.priceYuan[1] * 100,
      });
      if (res.status !== 201) fail(`publishing ${offering.title}`, res);
      created++;
      offerings[offering.title] = res.body.id;
    }
  }

  // 4. the blacklisted one (409 = already blacklisted)
  const black = await call(adminToken, 'POST', `/organizations/${organizations[BLACKLISTED.name]}/credit-status`, { creditStatus: 'blacklisted', reason: BLACKLISTED.reason });
  if (black.status === 200) created++;
  else if (black.status === 409) existing++;
  else fail('blacklisting', black);

  return { created, existing, organizations, offerings, blacklisted: BLACKLISTED.name };
}
