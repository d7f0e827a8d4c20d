import { randomUUID } from 'node:crypto';
import { COMMUNITIES_EVENTS, EventEnvelope, OfferingPublished, OrganizationCreditChanged, TranchePaid, type EventDefinition } from '@linli/contracts';
import { buildEvent, createEventRegistry } from '@linli/events';
import { waitFor } from '@linli/testing';
import {
  FISCAL_YEAR,
  committee,
  finance,
  registerCommunity,
  registerSubDistrict,
  reviewer,
  secretary,
  setReferencePrices,
  startCommunities,
  veteransClub,
  type Harness,
} from './harness';

/**
 * Contract tests. (1) Every use case runs once, then every outbox row is parsed with the registry built
 * from COMMUNITIES_EVENTS — and every declared type must have appeared — and the relay moved all of them
 * to Kafka. (2) The events this service consumes (organizations' registry and offerings, payments' paid
 * tranches) are built with the producers' own definitions, sent through the real Kafka, and their effect
 * is seen over HTTP — once, however often they arrive.
 */
describe('communities events: contract', () => {
  let h: Harness;
  let sd: string;
  let community: string;
  let projectId: string;
  let fundId: string;
  let org: { organizationId: string; offeringId: string };

  beforeAll(async () => {
    h = await startCommunities('events');
    sd = await registerSubDistrict(h, '八里庄街道');
    community = await registerCommunity(h, sd, '延静里社区');
    await setReferencePrices(h, sd);
    org = await h.seedOrganization('银天使智慧社区公益促进中心', { title: '老兵俱乐部（延静里）' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('when every use case has run, then every outbox row parses with COMMUNITIES_EVENTS, every type appears, and all reach Kafka', async () => {
    expect((await h.api('POST', `/sub-districts/${sd}/activation`)).status).toBe(200);
    fundId = (await h.api('PUT', `/communities/${community}/funds/${FISCAL_YEAR}`, { allocatedFen: 3_000_000 }, finance(sd))).body.id;
    const meeting = await h.api(
      'POST',
      `/communities/${community}/meetings`,
      { heldOn: '2026-03-01', attendance: 30, minutes: '老兵俱乐部意愿', wishes: [{ category: 'veterans', targetGroup: 'veterans', description: '老兵俱乐部', votes: 28 }] },
      secretary(community),
    );
    expect(meeting.status).toBe(201);
    const fair = await h.api('POST', '/fairs', { subDistrictId: sd, title: '八里庄街道推介会', venue: '街道文化中心', heldOn: '2026-02-20' }, reviewer(sd));
    await h.api('POST', `/fairs/${fair.body.id}/stalls`, { offeringId: org.offeringId }, reviewer(sd));
    expect((await h.api('POST', `/fairs/${fair.body.id}/shortlist`, { communityId: community, offeringId: org.offeringId, note: '老兵需求' }, secretary(community))).status).toBe(201);

    const p = await h.api('POST', '/proposals', { level: 'community', communityId: community, offeringId: org.offeringId, ...veteransClub() }, secretary(community));
    projectId = p.body.id;
    await h.api('POST', `/proposals/${projectId}/submission`, {}, secretary(community));
    await h.api('POST', `/proposals/${projectId}/budget-flags/L1/acceptance`, { version: 1, reason: '往返两趟' }, reviewer(sd));
    for (const [gate, as] of [
      ['pre_review', reviewer(sd)],
      ['joint_review', reviewer(sd)],
      ['committee', committee(sd)],
    ] as const) {
      expect((await h.api('POST', `/proposals/${projectId}/decisions`, { gate, outcome: 'approve', version: 1 }, as)).status).toBe(201);
    }
    // payments pays the start-up tranche: consumed, it produces communities.fund.spent
    await h.publish(
      'payments',
      buildEvent(TranchePaid, {
        source: 'payments',
        subject: randomUUID(),
        actor: { userId: 'finance-wang', role: 'finance' },
        data: { contractId: randomUUID(), projectId, trancheId: randomUUID(), kind: 'start_up', amountFen: 500_000, subDistrictId: sd, communityId: community, paidAt: '2026-08-05T02:00:00.000Z' },
      }),
    );
    await waitFor('the paid tranche to reach the fund', async () => ((await h.api('GET', `/funds/${fundId}`)).body.spentFen === 500_000 ? true : undefined), { timeoutMs: 30_000, intervalMs: 200 });

    const registry = createEventRegistry([...COMMUNITIES_EVENTS]);
    const rows = await h.outbox();
    for (const row of rows) {
      const envelope = EventEnvelope.parse(row.payload);
      expect(envelope.source).toBe('communities');
      expect(envelope.actor?.userId).toBeTruthy();
      const definition = registry.get(envelope.type, envelope.version);
      expect(definition).toBeDefined();
      expect(() => definition!.data.parse(envelope.data)).not.toThrow();
      // no event carries the meeting minutes or anything phone-like (a mobile number standing on its own:
      // the hex look-arounds keep an all-digit run inside a UUID, e.g. …-187502460232, from matching)
      expect(JSON.stringify(envelope.data)).not.toMatch(/(?<![0-9a-f])1[3-9]\d{9}(?![0-9a-f])|老兵俱乐部意愿/i);
    }
    expect(new Set(rows.map((r) => r.type))).toEqual(new Set(COMMUNITIES_EVENTS.map((d: EventDefinition) => d.type)));

    await waitFor('every outbox row to be published', async () => ((await h.service.prisma.outboxEvent.count({ where: { publishedAt: null } })) === 0 ? true : undefined), {
      timeoutMs: 30_000,
    });
  });

  it('when payments.tranche.paid arrives again, or the same tranche under another event id, then the fund counts it once', async () => {
    // One partition key for all of them, so they arrive in order and the marker comes last.
    const trancheId = randomUUID();
    const data = { contractId: randomUUID(), projectId, trancheId, kind: 'mid_term' as const, amountFen: 400_000, subDistrictId: sd, communityId: community, paidAt: '2026-10-05T02:00:00.000Z' };
    const paid = buildEvent(TranchePaid, { source: 'payments', subject: projectId, data });
    await h.publish('payments', paid);
    await h.publish('payments', paid);
    await h.publish('payments', { ...paid, id: randomUUID() });
    // a tranche of a project this service never approved is skipped
    await h.publish('payments', buildEvent(TranchePaid, { source: 'payments', subject: projectId, data: { ...data, projectId: randomUUID(), trancheId: randomUUID() } }));
    await h.publish('payments', buildEvent(TranchePaid, { source: 'payments', subject: projectId, data: { ...data, trancheId: randomUUID(), amountFen: 1 } }));
    await waitFor('the marker tranche', async () => ((await h.api('GET', `/funds/${fundId}`)).body.spentFen === 900_001 ? true : undefined), { timeoutMs: 30_000, intervalMs: 200 });
    const fund = (await h.api('GET', `/funds/${fundId}`, undefined, secretary(community))).body;
    expect(fund).toMatchObject({ allocatedFen: 3_000_000, committedFen: 1_520_000 - 900_001, spentFen: 900_001, remainingFen: 3_000_000 - 1_520_000 });
    expect(fund.movements.filter((m: any) => m.kind === 'paid').map((m: any) => m.amountFen).sort((a: number, b: number) => a - b)).toEqual([1, 400_000, 500_000]);
    expect(fund.movements.find((m: any) => m.amountFen === 500_000).by).toMatchObject({ userId: 'finance-wang' });
  });

  it('when the allocation is lowered below what is committed and spent, then 409 with the figures and the fund is unchanged', async () => {
    const refused = await h.api('PUT', `/communities/${community}/funds/${FISCAL_YEAR}`, { allocatedFen: 1_000_000 }, finance(sd));
    expect(refused.status).toBe(409);
    expect(refused.body.details).toEqual({ allocatedFen: 1_000_000, committedFen: 619_999, spentFen: 900_001, minimumFen: 1_520_000 });
    expect((await h.api('GET', `/funds/${fundId}`)).body.allocatedFen).toBe(3_000_000);
  });

  it('when organizations’ credit changes arrive through Kafka, then the directory follows them and ignores one older than what it holds', async () => {
    const other = await h.seedOrganization('东城区楼门文化促进会', { title: '楼门文化墙共建', category: 'building_culture', targetGroups: ['residents'] });
    const subject = other.organizationId;
    const later = buildEvent(OrganizationCreditChanged, { source: 'organizations', subject, data: { organizationId: subject, creditStatus: 'watch', reason: '年检基本合格' } });
    const earlier = { ...buildEvent(OrganizationCreditChanged, { source: 'organizations', subject, data: { organizationId: subject, creditStatus: 'blacklisted', reason: '旧消息' } }), occurredAt: '2020-01-01T00:00:00.000Z' };
    await h.publish('organizations', later);
    await h.publish('organizations', earlier);
    // a marker on the same partition key: once it is applied, both changes before it have been too
    const markerId = randomUUID();
    await h.publish(
      'organizations',
      buildEvent(OfferingPublished, {
        source: 'organizations',
        subject,
        data: { offeringId: markerId, organizationId: subject, title: '楼长培训', category: 'building_culture', targetGroups: ['residents'], priceMinFen: 500_000, priceMaxFen: 1_200_000 },
      }),
    );
    await waitFor('the marker offering', async () => ((await h.api('GET', `/directory/offerings/${markerId}`)).status === 200 ? true : undefined), { timeoutMs: 30_000, intervalMs: 200 });
    const seen = await h.api('GET', `/directory/organizations/${subject}`);
    expect(seen.body).toMatchObject({ name: '东城区楼门文化促进会', creditStatus: 'watch', creditStatusLabel: '关注', selectable: true });
    const offerings = await h.api('GET', `/directory/offerings?organizationId=${subject}`);
    expect(offerings.body.items.map((o: any) => [o.title, o.categoryLabel, o.organizationName])).toEqual([
      ['楼门文化墙共建', '楼门文化', '东城区楼门文化促进会'],
      ['楼长培训', '楼门文化', '东城区楼门文化促进会'],
    ]);
  });
});
