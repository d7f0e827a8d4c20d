import { tokenFor } from '@linli/testing';
import { actors, approveAndContract, type Lifecycle } from '../../../workflows/test/lifecycle-harness';
import { parseFilter } from '../src/cli/ops';
import { displayWidth, renderTable } from '../src/cli/table';
import { runOpsCli as ops, startOps, who, type Ops } from './ops-harness';

describe('pnpm ops (the CLI) against a running operations service', () => {
  let svc: Ops;
  let env: Record<string, string>;
  let parked: Lifecycle;
  let overdue: Lifecycle;
  const idOf = (p: Lifecycle) => p.handle.workflowId.slice('project-'.length);

  beforeAll(async () => {
    svc = await startOps();
    env = { OPS_URL: svc.service.url };
    svc.lifecycles.mocks.failNext('requestTranche');
    parked = await svc.lifecycles.start({ title: '体育馆路社区助老餐桌' });
    await approveAndContract(parked);
    await parked.waitFor('parked', (s) => s.parked !== null);
    overdue = await svc.lifecycles.start({ title: '香河园楼门文化节', policy: { reviewGate: { ms: 200 } } as never });
    await overdue.update('submit', { version: 1, by: actors.secretary });
    await overdue.waitFor('escalated', (s) => s.needsAttention);
    // The read model catches up through Kafka; reconcile makes the start of this file deterministic.
    await svc.api('POST', '/admin/reconcile');
  }, 90_000);
  afterAll(async () => {
    await svc?.stop();
  });

  it('when listing, showing and asking for stalled work, then tables use the Chinese labels and --json gives the API objects; exit 0', async () => {
    const [json, table, stalled, show] = await Promise.all([
      ops(['list', '--json'], { env }),
      ops(['list', '--parked'], { env }),
      ops(['stalled'], { env }),
      ops(['show', '香河园楼门文化节'], { env }),
    ]);
    expect(json.code).toBe(0);
    const items = JSON.parse(json.stdout);
    expect(items.map((i: any) => i.projectId).sort()).toEqual([idOf(parked), idOf(overdue)].sort());

    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/项目编号\s+项目\s+阶段\s+标记\s+待谁处理/);
    expect(table.stdout).toContain('体育馆路社区助老餐桌');
    expect(table.stdout).toContain('停住');
    expect(table.stdout).not.toContain('香河园楼门文化节');
    expect(table.stdout).toContain('共 1 个项目');

    expect(stalled.code).toBe(0);
    const lines = stalled.stdout.split('\n');
    expect(lines.findIndex((l) => l.includes('体育馆路社区助老餐桌'))).toBeLessThan(lines.findIndex((l) => l.includes('香河园楼门文化节')));
    expect(stalled.stdout).toContain('「预审」超过时限');
    expect(stalled.stdout).toContain('步骤「tranche:start_up」失败');

    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`项目编号  ${idOf(overdue)}`);
    expect(show.stdout).toContain('待谁处理  街道审核人员');
    expect(show.stdout).toContain('（已超时）');
    expect(show.stdout).toContain('启动资金');
    expect(show.stdout).toContain(`/workflows/project-${idOf(overdue)}`);
  });

  it('when the input is wrong, then exit 2 with the usage message; when the service refuses, exit 1 with its reason', async () => {
    const [unknown, noReason, badFilter, noProject, refused, unreachable, missing] = await Promise.all([
      ops(['frobnicate'], { env }),
      ops(['retry', idOf(parked)], { env }),
      ops(['batch-retry', '--filter', 'colour=red', '--reason', 'x'], { env }),
      ops(['show'], { env }),
      ops(['retry', idOf(parked), '--reason', '运维人员不能重试'], { env }),
      ops(['list'], { env: { OPS_URL: 'http://127.0.0.1:9' } }),
      ops(['show', '不存在的项目'], { env }),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('未知命令「frobnicate」');
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('须写明理由');
    expect(badFilter.code).toBe(2);
    expect(badFilter.stderr).toContain('未知的筛选条件「colour」');
    expect(noProject.code).toBe(2);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('403');
    expect(refused.stderr).toContain('运维人员无权');
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('无法连接运维服务');
    expect(missing.code).toBe(1);
    // Nothing was retried.
    expect((await svc.api('GET', `/projects/${idOf(parked)}`)).body.project.parked).not.toBeNull();
  });

  it('when escalating with a reason, then the workflow records it and the CLI exits 0', async () => {
    const res = await ops(['escalate', idOf(overdue), '--reason', '预审会迟迟未开'], { env });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('已执行 escalate：香河园楼门文化节');
    const audit = (await svc.api('GET', `/audit?projectId=${idOf(overdue)}`)).body.items;
    expect(audit[0]).toMatchObject({ action: 'escalate', outcome: 'ok', actor: { userId: 'cli-operator' }, reason: '预审会迟迟未开' });
  });

  it('when batch-retry is not confirmed, then nothing runs (exit 1); with --yes and an admin token, then every parked step is retried (exit 0)', async () => {
    const declined = await ops(['batch-retry', '--filter', 'parkedStepPrefix=tranche:', '--reason', '财务系统恢复', '--as', 'admin'], { env, input: 'n\n' });
    expect(declined.code).toBe(1);
    expect(declined.stdout).toContain('将重试 1 个停住的步骤');
    expect(declined.stderr + declined.stdout).toContain('已取消');
    expect((await svc.api('GET', `/projects/${idOf(parked)}`)).body.project.parked).not.toBeNull();

    const adminToken = await tokenFor(who.admin);
    const done = await ops(['batch-retry', '--filter', 'step=tranche:', '--reason', '财务系统恢复', '--yes', '--json'], { env: { ...env, OPS_TOKEN: adminToken } });
    expect(done.code).toBe(0);
    const outcome = JSON.parse(done.stdout);
    expect(outcome).toMatchObject({ count: 1, ok: 1, refused: 0, failed: 0 });
    expect(outcome.results[0].projectId).toBe(idOf(parked));
    await parked.waitFor('moved on after the retry', (s) => s.stage === 'in_delivery');
  });

  it('when parsing filters and drawing tables, then keys are mapped and wide characters line up', () => {
    expect(parseFilter('parkedStepPrefix=tranche:, sub-district=abc ,fiscalYear=2026')).toEqual({ parkedStepPrefix: 'tranche:', subDistrictId: 'abc', fiscalYear: 2026 });
    expect(displayWidth('预审ab')).toBe(6);
    const lines = renderTable([{ a: '联审', b: 'x' }, { a: 'ab', b: 'y' }], [{ header: '阶段', value: (r) => r.a }, { header: 'B', value: (r) => r.b }]).split('\n');
    expect(lines.map(displayWidth)).toEqual([7, 7, 7, 7]);
  });
});
