import { seedSupervision } from '../../../scripts/demo/supervision';
import { startSupervision, type Harness } from './harness';

describe('demo data (scripts/demo/supervision.ts)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startSupervision('demo');
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('when seeded twice, then the agencies and assignments exist once and the second run creates nothing', async () => {
    const a = await h.seedContract();
    const b = await h.seedContract();
    const ctx = { urls: { supervision: h.service.url }, contracts: [{ contractId: a.contractId }, { contractId: b.contractId }], waitMs: 2_000 };
    const first = await seedSupervision(ctx);
    expect(first).toMatchObject({ created: 5, existing: 0, missingContracts: [] });
    expect(Object.keys(first.agencies)).toEqual(['朝阳区社会工作评估中心', '东城区社会组织服务评估所', '北京社会服务第三方评估研究院']);
    expect(first.assignments).toEqual({ [a.contractId]: first.agencies['朝阳区社会工作评估中心'], [b.contractId]: first.agencies['东城区社会组织服务评估所'] });

    const second = await seedSupervision(ctx);
    expect(second).toEqual({ ...first, created: 0, existing: 5 });
    expect((await h.api('GET', '/agencies?limit=100')).body.items).toHaveLength(3);
  });

  it('when a contract never arrives, then it is reported as missing rather than failing the seed', async () => {
    const result = await seedSupervision({ urls: { supervision: h.service.url }, contracts: [{ contractId: '00000000-0000-4000-8000-000000000000' }], waitMs: 600 });
    expect(result.missingContracts).toEqual(['00000000-0000-4000-8000-000000000000']);
  });
});
