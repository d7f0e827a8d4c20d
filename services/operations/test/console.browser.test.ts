import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { SubDistrictRegistered } from '@linli/contracts';
import { waitFor } from '@linli/testing';
import type { BrowserContext, Page } from 'playwright-core';
import { actors, approveAndContract, type Lifecycle } from '../../../workflows/test/lifecycle-harness';
import { artifactsDir, ensureConsoleBuilt, launchBrowser } from './browser';
import { S, startOps, type Ops } from './ops-harness';

const idOf = (p: Lifecycle) => p.handle.workflowId.slice('project-'.length);

/**
 * The console in a real headless Chromium against the real service and real lifecycles: log in, read the
 * overview, filter the stalled work, open a parked project, retry it through the confirm dialog, and see
 * the page move on by itself (Server-Sent Events, no reload); then a batch retry. Each step leaves a
 * screenshot in test-artifacts/console/.
 */
describe('operations console in a real browser', () => {
  let ops: Ops;
  let context: BrowserContext;
  let cleanup: () => Promise<void>;
  let page: Page;
  const p: Record<'parked' | 'parked2' | 'overdue' | 'review' | 'delivering', Lifecycle> = {} as never;
  const shots = artifactsDir();
  const browserLog: string[] = [];
  const shot = (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    ensureConsoleBuilt();
    ops = await startOps({ heartbeatMs: 2_000 });
    ({ context, cleanup } = await launchBrowser({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' }));
    const { lifecycles } = ops;
    await ops.publish('communities', SubDistrictRegistered, S, { subDistrictId: S, name: '八里庄街道', district: '朝阳区' });
    lifecycles.mocks.failNext('requestTranche');
    p.parked = await lifecycles.start({ title: '延静里社区老兵俱乐部' });
    await approveAndContract(p.parked);
    await p.parked.waitFor('parked', (s) => s.parked !== null);
    lifecycles.mocks.failNext('requestTranche');
    p.parked2 = await lifecycles.start({ title: '单元格居民议事厅' });
    await approveAndContract(p.parked2);
    await p.parked2.waitFor('parked', (s) => s.parked !== null);
    p.overdue = await lifecycles.start({ title: '咱爸咱妈晚晴同行', policy: { reviewGate: { ms: 300 } } as never });
    await p.overdue.update('submit', { version: 1, by: actors.secretary });
    p.review = await lifecycles.start({ title: '悠贝亲子阅读故事会' });
    await p.review.update('submit', { version: 1, by: actors.secretary });
    await p.review.decide('pre_review', 'approve', actors.reviewer);
    p.delivering = await lifecycles.start({ title: '慈爱嘉养老驿站助浴服务' });
    await approveAndContract(p.delivering);
    await p.overdue.waitFor('escalated', (s) => s.needsAttention);
    await waitFor('every lifecycle in the read model', async () => {
      const res = await ops.api('GET', '/projects?limit=100');
      return res.body.items.length === 5 && res.body.items.some((r: any) => r.overdue) ? true : undefined;
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => browserLog.push(`[console.${m.type()}] ${m.text()}`));
    page.on('requestfailed', (r) => browserLog.push(`[requestfailed] ${r.method()} ${r.url().replace(/ticket=[^&]+/, 'ticket=…')} ${r.failure()?.errorText}`));
    page.on('pageerror', (e) => browserLog.push(`[pageerror] ${e.message}`));
  }, 120_000);

  afterEach(async () => {
    // A failed step leaves its screen and the browser's log behind, to see what went wrong.
    const state = expect.getState();
    if (page && state.assertionCalls !== state.numPassingAsserts) await shot(`failed-${state.currentTestName?.slice(5, 40).replace(/[^\w]+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    writeFileSync(path.join(shots, 'browser.log'), browserLog.join('\n'));
    await cleanup?.();
    await ops?.stop();
  });

  it('when an admin logs in, then the overview shows the counts by stage, sub-district and who must act, and the money per fund', async () => {
    await page.goto(ops.service.url);
    await page.getByRole('heading', { name: /运维控制台/ }).waitFor();
    await shot('01-login');
    await page.getByLabel(/管理员/).check();
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('overview').waitFor();
    await page.getByTestId('live-status').and(page.locator('[data-status="live"]')).waitFor();
    expect(await page.getByTestId('kpi-total').textContent()).toBe('5');
    expect(await page.getByTestId('kpi-parked').textContent()).toBe('2');
    expect(await page.getByTestId('kpi-overdue').textContent()).toBe('1');
    await expect(page.getByText('八里庄街道').first().isVisible()).resolves.toBe(true);
    await expect(page.getByText('联审').first().isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('funds').getByText('¥300,000.00').isVisible()).resolves.toBe(true);
    await shot('02-overview');
  });

  it('when filtering the stalled work to parked steps, then the parked projects are listed first with the failure in words', async () => {
    await page.getByRole('link', { name: '卡住的流程' }).click();
    await page.getByTestId('stalled').waitFor();
    await page.locator('tr[data-kind="overdue"]').first().waitFor();
    await page.locator('.tab[data-kind="parked"]').click();
    await page.waitForFunction(`document.querySelectorAll('tr[data-kind="overdue"]').length === 0 && document.querySelectorAll('tr[data-kind="parked"]').length === 2`);
    const rows = await page.locator('tbody tr').allTextContents();
    expect(rows[0]).toContain('延静里社区老兵俱乐部');
    expect(rows[0]).toContain('步骤「tranche:start_up」失败');
    expect(rows[1]).toContain('单元格居民议事厅');
    await shot('03-stalled-parked');
  });

  it('when retrying a parked step, then the confirm dialog asks for a reason first, and after confirming the page moves on by itself (no reload)', async () => {
    await page.getByRole('link', { name: '延静里社区老兵俱乐部' }).click();
    await page.getByTestId('project').waitFor();
    await page.getByTestId('parked-box').waitFor();
    expect(await page.getByTestId('current-details').textContent()).toContain('等待管理员重试或跳过');
    await expect(page.getByTestId('tranches').getByText('合同签订后拨付启动资金').isVisible()).resolves.toBe(true);
    expect(await page.getByTestId('temporal-link').getAttribute('href')).toContain(`/workflows/project-${idOf(p.parked)}`);
    await shot('04-project-parked');

    // The page must not reload from here on: a marker on window would be lost.
    await page.evaluate('window.__noReload = true');
    await page.locator('button[data-action="retry"]').click();
    const dialog = page.getByTestId('action-dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: /确认执行/ }).click();
    await dialog.getByText('须写明理由').waitFor();
    // Nothing has run yet.
    expect((await p.parked.state()).parked?.step).toBe('tranche:start_up');
    await dialog.locator('textarea[name="reason"]').fill('财务系统已恢复，重新申请拨付启动资金');
    await shot('05-retry-confirm');
    await dialog.getByRole('button', { name: /确认执行/ }).click();
    await dialog.getByTestId('action-result').waitFor();
    expect(await dialog.getByTestId('action-result').textContent()).toContain('已执行');
    await shot('06-retry-result');
    await dialog.getByRole('button', { name: '关闭' }).click();

    // The tranche child retries, payments (mock) pays, the lifecycle enters delivery: pushed over /stream.
    await page.locator('[data-testid="project"] .head-meta .badge[data-stage="in_delivery"]').waitFor({ timeout: 20_000 });
    await page.getByTestId('live-updated').waitFor();
    expect(await page.getByTestId('parked-box').count()).toBe(0);
    await expect(page.getByTestId('tranches').locator('tr[data-tranche="start_up"]').textContent()).resolves.toContain('已拨付');
    expect(await page.evaluate('window.__noReload === true')).toBe(true);
    await expect(page.getByTestId('audit').textContent()).resolves.toContain('财务系统已恢复');
    await shot('07-project-moved-on');
  });

  it('when running a batch retry, then it shows the count first, asks to confirm, and reports the outcome for each', async () => {
    await page.getByRole('link', { name: '批量重试' }).first().click();
    await page.getByTestId('batch').waitFor();
    await page.locator('input[name="parkedStepPrefix"]').fill('tranche:');
    await page.getByTestId('batch-preview').click();
    await page.getByTestId('batch-preview-result').waitFor();
    expect(await page.getByTestId('batch-count').textContent()).toBe('1');
    await page.locator('textarea[name="batchReason"]').fill('批量重试剩余的拨付步骤');
    await page.getByTestId('batch-run').click();
    await page.getByTestId('batch-confirm').waitFor();
    await shot('08-batch-confirm');
    expect((await p.parked2.state()).parked).not.toBeNull();
    await page.getByTestId('batch-confirm').getByRole('button', { name: '确认执行' }).click();
    await page.getByTestId('batch-outcome').waitFor();
    const outcome = await page.getByTestId('batch-outcome').textContent();
    expect(outcome).toContain('单元格居民议事厅');
    expect(outcome).toContain('ok');
    await shot('09-batch-outcome');
    await p.parked2.waitFor('moved on', (s) => s.stage === 'in_delivery');
  });

  it('when opening the audit trail, then every action is listed with its Chinese label and role, and the chain verifies', async () => {
    await page.getByRole('link', { name: '审计记录' }).first().click();
    await page.getByTestId('audit-page').locator('table').waitFor();
    const table = await page.getByTestId('audit-page').locator('table').textContent();
    expect(table).toContain('重试停住的步骤');
    expect(table).toContain('批量重试剩余的拨付步骤');
    expect(table).toContain('管理员');
    await page.getByTestId('verify-chain').click();
    await page.getByTestId('verification').waitFor();
    expect(await page.getByTestId('verification').textContent()).toContain('审计链完好');
    await shot('09b-audit');
  });

  it('when switching to English, then the chrome and the stage names are in English; the projects list updates live', async () => {
    await page.getByTestId('lang-switch').click();
    await page.getByRole('link', { name: 'Projects' }).click();
    await page.getByTestId('projects').waitFor();
    await page.locator(`tr[data-project-id="${idOf(p.review)}"] .badge[data-stage="joint_review"]`).getByText('Joint review').waitFor();
    await page.getByRole('columnheader', { name: 'Waiting on' }).waitFor();
    await page.evaluate('window.__noReload = true');
    // A decision made elsewhere shows up in the open list without a reload.
    await p.review.decide('joint_review', 'approve', actors.reviewer);
    await page.locator(`tr[data-project-id="${idOf(p.review)}"] .badge[data-stage="committee"]`).waitFor({ timeout: 15_000 });
    expect(await page.evaluate('window.__noReload === true')).toBe(true);
    await shot('10-projects-english');
  });
});
