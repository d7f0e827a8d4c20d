import { BLACKLISTED, DEMO_ORGANIZATIONS, seedOrganizations } from '../../../scripts/demo/organizations';
import { registrationProblems } from '../src/domain/organizations.use-cases';
import { startOrganizations, type Harness } from './harness';

describe('demo data (scripts/demo/organizations.ts)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startOrganizations('demo');
  });
  afterAll(async () => {
    await h?.stop();
  });

  it.each(DEMO_ORGANIZATIONS.map((o) => [o.name, o.creditCode, o.registrationType] as const))(
    'when the demo code of %s (%s) is checked, then it is valid for its registration type',
    (_name, code, type) => {
      expect(registrationProblems(code, type)).toEqual([]);
    },
  );

  it('when the seed runs twice, then the second run creates nothing and returns the same ids', async () => {
    const first = await seedOrganizations({ urls: { organizations: h.service.url } });
    expect(first.created).toBeGreaterThan(0);
    expect(Object.keys(first.organizations)).toHaveLength(DEMO_ORGANIZATIONS.length);
    expect(Object.keys(first.offerings).length).toBeGreaterThanOrEqual(20);
    expect(first.organizations).toHaveProperty('银天使智慧社区公益促进中心');
    expect(first.offerings).toHaveProperty('亲子绘本故事会（每天上午10:00）');

    const second = await seedOrganizations({ urls: { organizations: h.service.url } });
    expect(second.created).toBe(0);
    expect(second.organizations).toEqual(first.organizations);
    expect(second.offerings).toEqual(first.offerings);

    const black = await h.api('GET', `/organizations/${first.organizations[BLACKLISTED.name]}`);
    expect(black.body.creditStatus).toBe('blacklisted');
    const stalls = await h.api('GET', '/offerings?limit=100');
    expect(stalls.body.items).toHaveLength(Object.keys(first.offerings).length);
    const roster = await h.api('GET', `/organizations/${first.organizations['北京慈爱嘉养老服务有限公司']}/staff`);
    expect(roster.body.items.map((s: { name: string }) => s.name)).toEqual(expect.arrayContaining(['刘建华', '张丽']));
  });
});
