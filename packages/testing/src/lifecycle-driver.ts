import { randomUUID } from 'node:crypto';
import type { Principal } from '@linli/auth';
import { TEST_ADMIN, tokenFor } from './tokens';

/**
 * Drives projects through the whole purchase — proposal, the three review gates, (for sub-district
 * projects) the tender, contract, staged payments, supervised activities, close-out, evaluation — using
 * only the services' public HTTP APIs, as the people in the article would: the community secretary, the
 * sub-district reviewer, the committee, the organization's staff, the third-party supervisor, finance.
 * The lifecycle workflow is never called directly: each step is a service call, and the driver waits
 * (through the operations API) until the lifecycle has followed before taking the next one.
 *
 * Used by the end-to-end test, the fault tests, the benchmarks and `pnpm dev` (which stops projects at
 * different stages so the demo shows a living system).
 */
export interface DriverUrls {
  communities: string;
  organizations: string;
  payments: string;
  supervision: string;
  operations: string;
}

/** Where a driven project stops (the lifecycle stage it is left waiting in). */
export type DriveUntil =
  | 'draft'
  | 'pre_review'
  | 'joint_review'
  | 'committee'
  | 'tendering'
  | 'contracted'
  | 'in_delivery'
  | 'evaluation'
  | 'closed';

export interface World {
  subDistrictId: string;
  communityId: string;
  organizationId: string;
  /** A second organization, so a tender has competition. */
  rivalId: string;
  agencyId: string;
  fiscalYear: number;
  staff: Record<string, string>;
}

export interface DriveOptions {
  until?: DriveUntil;
  /** Participants' phone numbers for the sign-in sheets (planted by the personal-data scan). */
  phones?: string[];
  /** Title of the project (default: one from the article). */
  title?: string;
  /** What the reviewers and the committee write with each approval (default 同意; the personal-data scan plants a number here). */
  reasons?: string;
  /** Planned activities' end dates are this many days from today (negative: already over, so overdue). */
  activityEndsInDays?: number;
  /**
   * Called right after each step's service call, before the driver waits for the lifecycle to follow
   * (fault tests pull components away here): step names as in `steps`, plus `tranche:<kind>` after
   * finance approves, `activities` before the first activity is reported and `activity:<key>` after one
   * is verified.
   */
  onStep?: (step: string) => Promise<void>;
}

export interface DrivenProject {
  projectId: string;
  contractId: string | null;
  tenderId: string | null;
  stage: string;
  /** How long each step took, from the service call until the lifecycle had followed (ms). */
  steps: { step: string; ms: number }[];
}

type Res = { status: number; body: any };

const beijingToday = (offsetDays = 0): string => new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

export function createLifecycleDriver(urls: DriverUrls, options: { timeoutMs?: number; log?: (line: string) => void } = {}) {
  const timeoutMs = options.timeoutMs ?? 90_000;
  const log = options.log ?? (() => {});
  const tokens = new Map<string, Promise<string>>();
  const token = (p: Principal) => {
    const key = JSON.stringify(p);
    if (!tokens.has(key)) tokens.set(key, tokenFor(p));
    return tokens.get(key)!;
  };

  async function call(as: Principal, base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(as)}`, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed };
  }
  async function must(what: string, res: Promise<Res>, ok: number[] = [200, 201]): Promise<any> {
    const r = await res;
    if (!ok.includes(r.status)) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 800)}`);
    return r.body;
  }
  async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>): Promise<T> {
    const started = Date.now();
    let delay = 100;
    let last: unknown;
    while (Date.now() - started < timeoutMs) {
      try {
        const value = await probe();
        if (value) return value;
      } catch (error) {
        last = error;
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 1.5, 1_000);
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
  }

  const admin = TEST_ADMIN;
  const operator: Principal = { userId: 'driver-operator', name: '运营值班', role: 'operator', scope: { kind: 'platform', id: 'linli' } };
  const reviewer = (sd: string): Principal => ({ userId: `reviewer-${sd.slice(0, 6)}`, name: '孙冉冉', role: 'subdistrict_reviewer', scope: { kind: 'sub-district', id: sd } });
  const committee = (sd: string): Principal => ({ userId: `committee-${sd.slice(0, 6)}`, name: '工委会委员', role: 'committee_member', scope: { kind: 'sub-district', id: sd } });
  const finance = (sd: string): Principal => ({ userId: `finance-${sd.slice(0, 6)}`, name: '王会计', role: 'finance', scope: { kind: 'sub-district', id: sd } });
  const secretary = (community: string, sd: string): Principal => ({ userId: `secretary-${community.slice(0, 6)}`, name: '社区书记', role: 'community_secretary', scope: { kind: 'community', id: community }, subDistrictId: sd });
  const orgStaff = (org: string): Principal => ({ userId: `staff-${org.slice(0, 6)}`, name: '项目社工', role: 'org_staff', scope: { kind: 'organization', id: org } });
  const supervisor = (agency: string): Principal => ({ userId: `supervisor-${agency.slice(0, 6)}`, name: '监督员', role: 'supervisor', scope: { kind: 'agency', id: agency } });

  /** The project as operations sees it, refreshed from the live workflow. */
  const project = async (projectId: string) => {
    const r = await call(operator, urls.operations, 'GET', `/projects/${projectId}`);
    return r.status === 200 ? r.body : undefined;
  };
  const stageOf = async (projectId: string): Promise<string | undefined> => (await project(projectId))?.project?.stage;
  async function waitStage(projectId: string, stages: string[], what = stages.join(' or ')): Promise<string> {
    return until(`project ${projectId.slice(0, 8)} to reach ${what}`, async () => {
      const stage = await stageOf(projectId);
      return stage && stages.includes(stage) ? stage : undefined;
    });
  }

  let serial = 0;
  /**
   * A valid unified social credit code (GB 32100: 民政 5 + 民办非企业 2 + region 110101, then the GB 11714
   * organization code with its check character, then the overall check character) no other run uses.
   */
  function creditCode(): string {
    const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    serial = (serial + 1) % 100;
    const orgBody = `${String(Date.now() % 1e6).padStart(6, '0')}${String(serial).padStart(2, '0')}`;
    const orgSum = [...orgBody].reduce((acc, ch, i) => acc + Number(ch) * [3, 7, 9, 10, 5, 8, 4, 2][i]!, 0);
    const orgCheck = 11 - (orgSum % 11);
    const first17 = `52110101${orgBody}${orgCheck === 11 ? '0' : orgCheck === 10 ? 'X' : String(orgCheck)}`;
    const sum = [...first17].reduce((acc, ch, i) => acc + chars.indexOf(ch) * weights[i]!, 0);
    return first17 + chars[(31 - (sum % 31)) % 31];
  }

  /** A sub-district with a community, its fund, two organizations and a supervision agency. */
  async function setupWorld(name = `八里庄街道${randomUUID().slice(0, 4)}`): Promise<World> {
    const fiscalYear = Number(beijingToday().slice(0, 4));
    const sd = (await must('register sub-district', call(admin, urls.communities, 'POST', '/sub-districts', { name, district: '朝阳区' }))).id as string;
    const community = (await must('register community', call(admin, urls.communities, 'POST', `/sub-districts/${sd}/communities`, { name: `延静里社区${randomUUID().slice(0, 4)}` }))).id as string;
    await must('community fund', call(finance(sd), urls.communities, 'PUT', `/communities/${community}/funds/${fiscalYear}`, { allocatedFen: 20_000_000 }));
    await must('sub-district fund', call(finance(sd), urls.communities, 'PUT', `/sub-districts/${sd}/funds/${fiscalYear}`, { allocatedFen: 100_000_000 }));
    for (const [kind, unit, priceFen] of [['stationery', '支', 200], ['display_board', '块', 30_000]] as const) {
      await must(`reference price ${kind}`, call(reviewer(sd), urls.communities, 'PUT', `/sub-districts/${sd}/reference-prices/${kind}`, { unit, priceFen }));
    }
    const register = async (orgName: string) =>
      (await must(`register ${orgName}`, call(admin, urls.organizations, 'POST', '/organizations', { name: orgName, creditCode: creditCode(), registrationType: 'private_non_enterprise' }))).id as string;
    const organizationId = await register(`银天使智慧社区公益促进中心${randomUUID().slice(0, 4)}`);
    const rivalId = await register(`悠贝亲子图书馆${randomUUID().slice(0, 4)}`);
    const staff: Record<string, string> = {};
    for (const org of [organizationId, rivalId]) {
      staff[org] = (await must('add staff', call(orgStaff(org), urls.organizations, 'POST', `/organizations/${org}/staff`, { name: '周晓燕', role: 'project_lead', certificate: 'social_worker' }))).id;
    }
    const agencyId = (await must('register agency', call(admin, urls.supervision, 'POST', '/agencies', { name: `朝阳区社会工作评估中心${randomUUID().slice(0, 4)}`, contactName: '王老师', contactPhone: '010-65001234' }))).id as string;
    // The organizations reach communities' directory through Kafka; proposals need them there.
    await until('the organizations in the communities directory', async () => {
      for (const org of [organizationId, rivalId]) if ((await call(admin, urls.communities, 'GET', `/directory/organizations/${org}`)).status !== 200) return false;
      return true;
    });
    return { subDistrictId: sd, communityId: community, organizationId, rivalId, agencyId, fiscalYear, staff };
  }

  function proposalContent(world: World, o: DriveOptions) {
    const ends = o.activityEndsInDays ?? 20;
    const starts = Math.min(ends, 0) - 1;
    return {
      title: o.title ?? '延静里社区老兵俱乐部',
      fiscalYear: world.fiscalYear,
      summary: '召集辖区老兵，八一慈善活动、站岗巡逻、照片墙与手写贺卡。',
      activities: [
        { activityKey: 'A1', title: '老兵走红毯', startsOn: beijingToday(starts), endsOn: beijingToday(ends), venue: '社区活动室', targetHeadcount: 3, targetGroup: 'veterans' },
        { activityKey: 'A2', title: '老兵照片墙', startsOn: beijingToday(starts), endsOn: beijingToday(ends), venue: '社区广场', targetHeadcount: 3, targetGroup: 'veterans' },
      ],
      itemLines: [
        { lineKey: 'L1', activityKey: 'A1', itemKind: 'stationery', description: '签字笔（一支笔两块钱）', unit: '支', unitPriceFen: 200, quantity: 100 },
        { lineKey: 'L2', activityKey: 'A2', itemKind: 'display_board', description: '照片墙展板', unit: '块', unitPriceFen: 30_000, quantity: 10 },
      ],
      staffLines: [{ lineKey: 'S1', person: '周晓燕', role: '项目主管', hours: 100, hourlyRateFen: 8_000, activityKey: null }],
    };
  }

  /** Runs one step and waits until the lifecycle shows it; records how long that took. */
  async function step(p: DrivenProject, name: string, act: () => Promise<unknown>, stages: string[]): Promise<void> {
    const started = Date.now();
    await act();
    await hooks.get(p.projectId)?.(name);
    p.stage = await waitStage(p.projectId, stages, `${stages.join('/')} after ${name}`);
    p.steps.push({ step: name, ms: Date.now() - started });
    log(`[driver] ${p.projectId.slice(0, 8)} ${name} → ${p.stage} (${Date.now() - started} ms)`);
  }
  const reached = (p: DrivenProject, o: DriveOptions, stage: DriveUntil) => o.until === stage;
  const hooks = new Map<string, (step: string) => Promise<void>>();

  /** Finance approves whatever tranche of the contract is waiting (four eyes: the request came from the workflow). */
  async function approveTranche(world: World, p: DrivenProject, kind: 'start_up' | 'mid_term' | 'final'): Promise<void> {
    const contractId = p.contractId!;
    const tranche = await until(`the ${kind} tranche to be requested`, async () => {
      const page = await must('list tranches', call(finance(world.subDistrictId), urls.payments, 'GET', `/tranches?contractId=${contractId}&kind=${kind}`));
      return (page.items as { id: string; status: string }[]).find((t) => t.status === 'requested' || t.status === 'paid');
    });
    if (tranche.status === 'paid') return;
    const paid = await must(
      `approve ${kind}`,
      call(finance(world.subDistrictId), urls.payments, 'POST', `/tranches/${tranche.id}/approval`, undefined, { 'idempotency-key': `driver-${tranche.id}` }),
    );
    if (paid.status !== 'paid') throw new Error(`the ${kind} tranche was not paid: ${JSON.stringify(paid)}`);
    await hooks.get(p.projectId)?.(`tranche:${kind}`);
  }

  async function reviewGates(world: World, p: DrivenProject, o: DriveOptions, version: number, first: Principal, afterCommittee: string[]): Promise<boolean> {
    const sd = world.subDistrictId;
    const decide = (gate: string, as: Principal) => () =>
      must(`${gate} decision`, call(as, urls.communities, 'POST', `/proposals/${p.projectId}/decisions`, { gate, outcome: 'approve', version, reasons: o.reasons ?? '同意', ...(gate === 'committee' ? { minutesRef: `工委会〔${world.fiscalYear}〕1号` } : {}) }));
    await step(p, 'submit', () => must('submit', call(first, urls.communities, 'POST', `/proposals/${p.projectId}/submission`, { version })), ['pre_review']);
    if (reached(p, o, 'pre_review')) return true;
    await step(p, '预审', decide('pre_review', reviewer(sd)), ['joint_review']);
    if (reached(p, o, 'joint_review')) return true;
    await step(p, '联审', decide('joint_review', reviewer(sd)), ['committee']);
    if (reached(p, o, 'committee')) return true;
    await step(p, '工委会', decide('committee', committee(sd)), afterCommittee);
    return false;
  }

  async function delivery(world: World, p: DrivenProject, o: DriveOptions): Promise<void> {
    const org = orgStaff(world.organizationId);
    const sup = supervisor(world.agencyId);
    const contractId = p.contractId!;
    await must('assign the supervision agency', call(reviewer(world.subDistrictId), urls.supervision, 'POST', `/contracts/${contractId}/assignment`, { agencyId: world.agencyId }).then(async (r) => {
      if (r.status === 404) {
        // supervision learns of the contract through Kafka: wait for it
        await until('supervision to know the contract', async () => (await call(admin, urls.supervision, 'GET', `/contracts/${contractId}`)).status === 200);
        return call(reviewer(world.subDistrictId), urls.supervision, 'POST', `/contracts/${contractId}/assignment`, { agencyId: world.agencyId });
      }
      return r;
    }));
    await step(p, '拨付启动资金', () => approveTranche(world, p, 'start_up'), ['in_delivery']);
    if (reached(p, o, 'in_delivery')) return;

    const phones = o.phones ?? ['13800000001', '13800000002', '13800000003'];
    await hooks.get(p.projectId)?.('activities');
    for (const [i, activityKey] of ['A1', 'A2'].entries()) {
      const activity = await must(`report ${activityKey}`, call(org, urls.supervision, 'POST', `/contracts/${contractId}/activities`, { activityKey, heldOn: beijingToday(), venue: '社区活动室', headcount: phones.length }));
      await must('photo', call(org, urls.supervision, 'POST', `/activities/${activity.id}/photos`, {
        fileName: `${activityKey}.jpg`,
        contentType: 'image/jpeg',
        dataBase64: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(`linli-driver-${activity.id}`)]).toString('base64'),
        capturedAt: new Date().toISOString(),
      }));
      await must('sign-in sheet', call(org, urls.supervision, 'POST', `/activities/${activity.id}/sign-in-sheet`, { participants: phones.map((phone, n) => ({ name: `老兵${i + 1}-${n + 1}`, phone })) }));
      const tasks = await must('call list', call(sup, urls.supervision, 'GET', `/call-tasks?activityId=${activity.id}&status=pending`));
      for (const task of tasks.items as { id: string }[]) {
        await must('call-back', call(sup, urls.supervision, 'POST', `/call-tasks/${task.id}/outcome`, { outcome: 'attended_received_gift', note: '已电话回访，情况属实' }));
      }
      const now = await must('activity', call(sup, urls.supervision, 'GET', `/activities/${activity.id}`));
      if (now.status !== 'verified') await must('verify', call(sup, urls.supervision, 'POST', `/activities/${activity.id}/verification`, { note: '材料齐全，回访属实' }));
      await hooks.get(p.projectId)?.(`activity:${activityKey}`);
      if (activityKey === 'A1') {
        // 中期检查 after the first activity: passing releases the mid-term tranche.
        await must('mid-term check', call(sup, urls.supervision, 'POST', `/contracts/${contractId}/evaluations`, { kind: 'mid_term', indicatorScores: { satisfaction: 18 }, note: '中期检查' }));
        await approveTranche(world, p, 'mid_term');
      }
    }
    await step(p, '活动核验', async () => undefined, ['close_out']);
  }

  async function closeOut(world: World, p: DrivenProject, o: DriveOptions): Promise<void> {
    const contractId = p.contractId!;
    await step(
      p,
      '提交结项材料',
      () =>
        must('close-out', call(orgStaff(world.organizationId), urls.supervision, 'POST', `/contracts/${contractId}/close-out`, {
          summary: '全年开展活动 2 场，参与老兵 6 人次，回访属实。',
          finalReport: { title: '结项报告', text: '项目按计划完成，详见附件。' },
        })),
      ['evaluation'],
    );
    if (reached(p, o, 'evaluation')) return;
    await step(
      p,
      '结项评估',
      () =>
        must('year-end evaluation', call(supervisor(world.agencyId), urls.supervision, 'POST', `/contracts/${contractId}/evaluations`, {
          kind: 'year_end',
          finalReportReceived: true,
          indicatorScores: { satisfaction: 18 },
          note: '结项评估',
        })),
      ['settled', 'closed'],
    );
    await step(p, '拨付尾款', () => approveTranche(world, p, 'final'), ['closed']);
  }

  /** A community-level project (社区级): proposal by the secretary, contract signed after approval. */
  async function communityProject(world: World, o: DriveOptions = {}): Promise<DrivenProject> {
    const sec = secretary(world.communityId, world.subDistrictId);
    const drafted = await must('draft proposal', call(sec, urls.communities, 'POST', '/proposals', { level: 'community', communityId: world.communityId, organizationId: world.organizationId, ...proposalContent(world, o) }));
    const p: DrivenProject = { projectId: drafted.id, contractId: null, tenderId: null, stage: 'draft', steps: [] };
    if (o.onStep) hooks.set(p.projectId, o.onStep);
    p.stage = await waitStage(p.projectId, ['draft'], 'the lifecycle to start');
    if (reached(p, o, 'draft')) return p;
    if (await reviewGates(world, p, o, drafted.version ?? 1, sec, ['approved'])) return p;

    const approved = await must('approved proposal', call(admin, urls.communities, 'GET', `/proposals/${p.projectId}`));
    const amountFen: number = approved.totals.grandTotalFen;
    return signAndDeliver(world, p, o, {
      level: 'community',
      projectId: p.projectId,
      organizationId: world.organizationId,
      subDistrictId: world.subDistrictId,
      communityId: world.communityId,
      amountFen,
    });
  }

  /** The contract (signed by the sub-district), then delivery, close-out and evaluation as far as `until`. */
  async function signAndDeliver(world: World, p: DrivenProject, o: DriveOptions, contractBody: Record<string, unknown>): Promise<DrivenProject> {
    await step(
      p,
      '签订合同',
      async () => {
        const body = { ...contractBody, startsOn: beijingToday(-1), endsOn: beijingToday(360) };
        p.contractId = (await must('sign contract', call(reviewer(world.subDistrictId), urls.organizations, 'POST', '/contracts', body))).id;
      },
      ['contracted', 'in_delivery'],
    );
    if (reached(p, o, 'contracted')) return p;
    await delivery(world, p, o);
    if (o.until === 'in_delivery') return p;
    await closeOut(world, p, o);
    return p;
  }

  /** A sub-district-level project (街道级): proposal by the reviewer, tender with sealed bids, award, contract. */
  async function tenderedProject(world: World, o: DriveOptions = {}): Promise<DrivenProject> {
    const sd = world.subDistrictId;
    const drafted = await must('draft proposal', call(reviewer(sd), urls.communities, 'POST', '/proposals', { level: 'sub_district', subDistrictId: sd, organizationId: world.organizationId, ...proposalContent(world, { title: '八里庄街道养老驿站助餐服务', ...o }) }));
    const p: DrivenProject = { projectId: drafted.id, contractId: null, tenderId: null, stage: 'draft', steps: [] };
    if (o.onStep) hooks.set(p.projectId, o.onStep);
    p.stage = await waitStage(p.projectId, ['draft'], 'the lifecycle to start');
    if (reached(p, o, 'draft')) return p;
    if (await reviewGates(world, p, o, drafted.version ?? 1, reviewer(sd), ['tendering'])) return p;

    const at = (ms: number) => new Date(Date.now() + ms).toISOString();
    const tender = await must('create tender', call(reviewer(sd), urls.organizations, 'POST', '/tenders', {
      subDistrictId: sd,
      communityId: null,
      projectId: p.projectId,
      title: '八里庄街道养老驿站助餐服务',
      description: '为辖区养老驿站提供助餐、助浴服务，为期一年。',
      budgetCeilingFen: 5_000_000,
      minimumBids: 2,
      enquiryDeadline: at(2_000),
      bidDeadline: at(3_000),
      openingAt: at(3_500),
      documents: [{ name: '招标文件', text: '服务内容与要求' }],
      criteria: [
        { key: 'plan', name: '服务方案', weight: 60 },
        { key: 'price', name: '报价', weight: 40 },
      ],
    }));
    p.tenderId = tender.id;
    await must('publish tender', call(reviewer(sd), urls.organizations, 'POST', `/tenders/${tender.id}/publication`));
    if (reached(p, o, 'tendering')) return p;
    const bids: Record<string, string> = {};
    for (const [org, priceFen] of [[world.organizationId, 4_200_000], [world.rivalId, 4_500_000]] as const) {
      const bid = await must('bid', call(orgStaff(org), urls.organizations, 'POST', `/tenders/${tender.id}/bids`, {
        organizationId: org,
        priceFen,
        technicalProposal: '技术方案：驿站助餐、助浴与康复训练的服务计划',
        staffPlan: [{ staffId: world.staff[org], projectRole: '项目主管' }],
      }));
      bids[org] = bid.id;
    }
    await until('the opening time', async () => Date.now() > Date.parse(tender.openingAt ?? at(0)) + 100);
    await must('open bids', call(reviewer(sd), urls.organizations, 'POST', `/tenders/${tender.id}/opening`));
    for (const [org, plan, price] of [[world.organizationId, 90, 90], [world.rivalId, 80, 85]] as const) {
      await must('score', call(committee(sd), urls.organizations, 'PUT', `/tenders/${tender.id}/bids/${bids[org]}/scores`, { scores: [{ criterionKey: 'plan', score: plan }, { criterionKey: 'price', score: price }] }));
    }
    await must('award', call(committee(sd), urls.organizations, 'POST', `/tenders/${tender.id}/award`, { standstillHours: 0 }));
    return signAndDeliver(world, p, o, { level: 'sub_district', tenderId: tender.id });
  }

  return {
    setupWorld,
    communityProject,
    tenderedProject,
    project,
    waitStage,
    call,
    principals: { admin, operator, reviewer, committee, finance, secretary, orgStaff, supervisor },
  };
}

export type LifecycleDriver = ReturnType<typeof createLifecycleDriver>;
