import { randomUUID } from 'node:crypto';
import { OfferingPublished, OrganizationCreditChanged, OrganizationRegistered } from '@linli/contracts';
import { buildEvent } from '@linli/events';
import { waitFor } from '@linli/testing';
import { DEMO_PROPOSALS, DEMO_SUB_DISTRICTS, seedCommunities } from '../../../scripts/demo/communities';
import { BLACKLISTED, DEMO_ORGANIZATIONS } from '../../../scripts/demo/organizations';
import { startCommunities, type Harness } from './harness';

/**
 * The demo seed against the real service. The organizations seed's registrations, offerings and the
 * blacklisting arrive the way they would in `pnpm dev`: as organizations.* events through Kafka.
 */
describe('demo data (scripts/demo/communities.ts)', () => {
  let h: Harness;
  const organizations: Record<string, string> = {};
  const offerings: Record<string, string> = {};

  beforeAll(async () => {
    h = await startCommunities('demo');
    for (const org of DEMO_ORGANIZATIONS) {
      const organizationId = randomUUID();
      organizations[org.name] = organizationId;
      await h.publish(
        'organizations',
        buildEvent(OrganizationRegistered, { source: 'organizations', subject: organizationId, data: { organizationId, name: org.name, creditCode: org.creditCode, creditStatus: 'good' } }),
      );
      for (const o of org.offerings) {
        const offeringId = randomUUID();
        offerings[o.title] = offeringId;
        await h.publish(
          'organizations',
          buildEvent(OfferingPublished, {
            source: 'organizations',
            subject: organizationId,
            data: { offeringId, organizationId, title: o.title, category: o.category, targetGroups: o.targetGroups, priceMinFen: o.priceYuan[0] * 100, priceMaxFen: o.priceYuan[1] * 100 },
          }),
        );
      }
    }
    const black = organizations[BLACKLISTED.name]!;
    await h.publish('organizations', buildEvent(OrganizationCreditChanged, { source: 'organizations', subject: black, data: { organizationId: black, creditStatus: 'blacklisted', reason: BLACKLISTED.reason } }));
    await waitFor('the blacklisting in the directory', async () => (await h.api('GET', `/directory/organizations/${black}`)).body?.creditStatus === 'blacklisted', { timeoutMs: 60_000, intervalMs: 250 });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('when the seed runs twice, then the second run creates nothing and returns the same ids', async () => {
    const ctx = { urls: { communities: h.service.url }, offerings, fiscalYear: 2026 };
    const first = await seedCommunities(ctx);
    expect(first.created).toBeGreaterThan(0);
    expect(Object.keys(first.subDistricts)).toEqual(['八里庄街道', '体育馆路街道', '香河园街道']);
    expect(Object.keys(first.communities)).toHaveLength(DEMO_SUB_DISTRICTS.reduce((n, sd) => n + sd.communities.length, 0));
    expect(Object.keys(first.proposals)).toEqual(DEMO_PROPOSALS.map((p) => p.title));
    expect(first.skipped).toEqual([expect.stringContaining('社区便民服务日')]);

    const second = await seedCommunities(ctx);
    expect(second.created).toBe(0);
    expect(second.existing).toBe(first.created + first.existing - DEMO_PROPOSALS.filter((p) => p.submit).length);
    expect(second.subDistricts).toEqual(first.subDistricts);
    expect(second.communities).toEqual(first.communities);
    expect(second.proposals).toEqual(first.proposals);
    expect(second.fairId).toBe(first.fairId);

    const tiyuguanlu = await h.api('GET', `/communities?subDistrictId=${first.subDistricts['体育馆路街道']}&limit=100`);
    expect(tiyuguanlu.body.items).toHaveLength(10);
    expect(new Set(tiyuguanlu.body.items.map((c: any) => c.area))).toEqual(new Set(['北部（拆迁滞留地）', '南部（成熟小区）']));

    const fair = await h.api('GET', `/fairs/${first.fairId}`);
    expect(fair.body.stalls.length).toBe(Object.keys(offerings).length - 1);
    expect(fair.body.stalls.length).toBeGreaterThanOrEqual(20);

    const veterans = await h.api('GET', `/proposals/${first.proposals['延静里社区老兵俱乐部']}`);
    expect(veterans.body).toMatchObject({ status: 'submitted', currentGate: 'pre_review', organizationName: '银天使智慧社区公益促进中心', openFlags: ['L3'] });
    expect(veterans.body.itemLines.find((l: any) => l.lineKey === 'L3').flag).toMatchObject({ referencePriceFen: 200_000 });
    expect(veterans.body.itemLines.find((l: any) => l.lineKey === 'L5')).toMatchObject({ unitPriceFen: 200, flag: null });
    expect((await h.api('GET', `/proposals/${first.proposals['法华南里社区亲子绘本故事会']}`)).body.status).toBe('draft');

    const tally = await h.api('GET', `/wishes/tally?subDistrictId=${first.subDistricts['体育馆路街道']}`);
    expect(tally.body.byCommunity.map((c: any) => c.area)).toEqual(['北部（拆迁滞留地）', '南部（成熟小区）']);
  });
});
