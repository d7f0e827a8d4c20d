/**
 * Living demo lifecycles: projects driven through the services' public APIs (the same driver the
 * end-to-end test uses) and left at different stages, so a newcomer opening the console or the Temporal
 * UI sees a system at work — projects waiting on each review gate, one in tender, some in delivery,
 * one closed, one overdue (its activities ended without a report) and one parked on a failed transfer.
 * They live in a sub-district of their own (演示街道); a second `pnpm dev` finds it and adds nothing.
 */
import { createLifecycleDriver, type DriveOptions, type DriverUrls } from '@linli/testing';

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
  return { created, existing: 0 };
}
