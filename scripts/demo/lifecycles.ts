/**
 * Living demo lifecycles: projects driven through the services' public APIs (the same driver the
 * end-to-end test uses) and left at different stages, so a newcomer opening the console or the Temporal
 * UI sees a system at work — projects waiting on each review gate, one in tender, some in delivery,
 * one closed, one overdue (its activities ended without a report) and one parked on a failed transfer.
 * They live in a sub-district of their own (演示街道); a second `pnpm dev` finds it and adds nothing.
 */
import { createLifecycleDriver, type DriveOptions, type DriverUrls, type LifecycleDriver } from '@linli/testing';

export const DEMO_LIFECYCLE_SUB_DISTRICT = '和平里演示街道';

export interface LifecycleSeedResult {
  created: number;
  existing: number;
}

export async function seedLifecycles(urls: DriverUrls, log: (line: string) => void = () => {}): Promise<LifecycleSeedResult> {
  const driver = createLifecycleDriver(urls, { timeoutMs: 120_000 });
  const known = await driver.call(driver.principals.admin, urls.communities, 'GET', '/sub-districts?limit=100');
  if ((known.body?.items ?? []).some((s: { name: string }) => s.name === DEMO_LIFECYCLE_SUB_DISTRICT)) {
    return { created: 0, existing: 1 };
  }
  const world = await driver.setupWorld(DEMO_LIFECYCLE_SUB_DISTRICT);
  const community = (title: string, o: DriveOptions) => async () => driver.communityProject(world, { title, ...o });
  const plans: [string, () => Promise<{ projectId: string; stage: string }>][] = [
    ['等待预审', community('和平里社区老兵俱乐部', { until: 'pre_review' })],
    ['等待联审', community('和平里社区儿童阅读角', { until: 'joint_review' })],
    ['等待工委会审议', community('和平里社区养老助餐', { until: 'committee' })],
    ['招投标中', async () => driver.tenderedProject(world, { title: '和平里街道养老驿站助浴服务', until: 'tendering' })],
    ['服务实施中', community('和平里社区四点半课堂', { until: 'in_delivery' })],
    ['结项评估中', community('和平里社区手工编织小组', { until: 'evaluation' })],
    ['已关闭', community('和平里社区老兵照片墙', { until: 'closed' })],
    // Planned activities that ended ten days ago with no report: the lifecycle escalates (超时).
    ['活动逾期未上报', community('和平里社区环境整治', { until: 'in_delivery', activityEndsInDays: -10 })],
  ];
  let created = 0;
  // A few at a time: quick, without swamping a two-core laptop.
  for (let i = 0; i < plans.length; i += 4) {
    const batch = plans.slice(i, i + 4);
    const results = await Promise.allSettled(batch.map(([, run]) => run()));
    results.forEach((r, j) => {
      const label = batch[j]![0];
      if (r.status === 'fulfilled') {
        created++;
        log(`[dev] demo lifecycle ${label}: ${r.value.projectId} (${r.value.stage})`);
      } else {
        log(`[dev] demo lifecycle ${label} could not be driven: ${(r.reason as Error).message}`);
      }
    });
  }
  // Parked on a failure: the (simulated) treasury rejects the start-up transfer; the tranche fails and the
  // lifecycle waits for an admin to retry or skip it (the console's 卡住的流程).
  try {
    const p = await driver.communityProject(world, { title: '和平里社区助残服务', until: 'contracted' });
    await parkOnRejectedTransfer(driver, urls, world.subDistrictId, p.contractId!, p.projectId);
    created++;
    log(`[dev] demo lifecycle 拨付失败待处理: ${p.projectId} (parked)`);
  } catch (error) {
    log(`[dev] demo lifecycle 拨付失败待处理 could not be driven: ${(error as Error).message}`);
  }
  return { created, existing: 0 };
}

export async function parkOnRejectedTransfer(driver: LifecycleDriver, urls: DriverUrls, subDistrictId: string, contractId: string, projectId: string): Promise<void> {
  const { admin, finance } = driver.principals;
  const started = Date.now();
  let tranche: { id: string } | undefined;
  while (!tranche && Date.now() - started < 60_000) {
    const page = await driver.call(finance(subDistrictId), urls.payments, 'GET', `/tranches?contractId=${contractId}&kind=start_up&status=requested`);
    tranche = page.body?.items?.[0];
    if (!tranche) await new Promise((r) => setTimeout(r, 300));
  }
  if (!tranche) throw new Error('the start-up tranche was never requested');
  const on = await driver.call(admin, urls.payments, 'PUT', '/simulated-treasury', { reject: '收款账户信息有误（演示：国库退回）' });
  if (on.status !== 200) throw new Error(`simulated treasury switch: ${on.status} ${JSON.stringify(on.body)}`);
  try {
    await driver.call(finance(subDistrictId), urls.payments, 'POST', `/tranches/${tranche.id}/approval`, undefined, { 'idempotency-key': `demo-${tranche.id}` });
  } finally {
    await driver.call(admin, urls.payments, 'PUT', '/simulated-treasury', { reject: null });
  }
  while (Date.now() - started < 90_000) {
    if ((await driver.project(projectId))?.project?.parked) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the lifecycle did not park on the rejected transfer');
}
