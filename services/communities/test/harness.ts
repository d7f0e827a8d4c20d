import { randomBytes, randomUUID } from 'node:crypto';
import type { Principal } from '@linli/auth';
import {
  OfferingPublished,
  OrganizationCreditChanged,
  OrganizationRegistered,
  topicName,
  type CreditStatus,
  type EventEnvelope,
  type ServiceCategory,
  type TargetGroup,
  type TopicKey,
} from '@linli/contracts';
import { buildEvent, createKafka, silentLogger } from '@linli/events';
import { createTopics } from '@linli/infra';
import { TEST_ADMIN, createTestDatabase, tokenFor, waitFor } from '@linli/testing';
import { loadCommunitiesConfig } from '../src/config';
import { startCommunitiesService } from '../src/start';

/**
 * The communities service in-process (port 0, its own database) on Kafka topics of its own (a per-file
 * prefix, so parallel test files never consume each other's events), a producer to feed it other
 * services' events the way their relays would, and a fetch helper that signs a real token for whichever
 * principal a call is made as. The onboarding consumer is off (no lifecycle worker here; the walking
 * skeleton covers it).
 */
export async function startCommunities(label: string, opts: { now?: () => Date; lifecyclePolicy?: Record<string, unknown> } = {}) {
  const db = await createTestDatabase(`communities_${label}`);
  const prefix = `${process.env.KAFKA_TOPIC_PREFIX ?? ''}${label}${randomBytes(3).toString('hex')}.`;
  const brokers = process.env.KAFKA_BROKERS!.split(',');
  await createTopics(brokers, prefix);
  const service = await startCommunitiesService(
    loadCommunitiesConfig({
      ...process.env,
      PORT: '0',
      DATABASE_URL: db.url,
      KAFKA_TOPIC_PREFIX: prefix,
      LOG_LEVEL: 'warn',
      // The lifecycle bridge only where a test brings a lifecycle worker along.
      LIFECYCLE_BRIDGE: opts.lifecyclePolicy ? 'true' : 'false',
      LIFECYCLE_POLICY_JSON: JSON.stringify(opts.lifecyclePolicy ?? {}),
    }),
    { onboarding: false, ...(opts.now ? { clock: opts.now } : {}) },
  );

  const kafka = createKafka({ brokers, clientId: `communities-test-${label}`, log: silentLogger });
  const producer = kafka.producer();
  await producer.connect();

  /** Publishes an event the way its producer's outbox relay would (key = subject). */
  const publish = async (topic: TopicKey, envelope: EventEnvelope | { subject: string }) => {
    await producer.send(topicName(topic, prefix), [{ key: envelope.subject, value: JSON.stringify(envelope) }]);
  };

  const api = async (method: string, path: string, body?: unknown, as: Principal | null = TEST_ADMIN) => {
    const res = await fetch(`${service.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(as ? { authorization: `Bearer ${await tokenFor(as)}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any, contentType: res.headers.get('content-type') };
  };

  const outbox = async () =>
    (await service.prisma.outboxEvent.findMany({ orderBy: { seq: 'asc' } })).map((row) => ({ type: row.type, payload: row.payload as any }));

  /**
   * An organization with one offering, arriving the real way (organizations.* events through Kafka into
   * the directory projection); resolves once the offering is visible here.
   */
  const seedOrganization = async (
    name: string,
    offering: { title?: string; category?: ServiceCategory; targetGroups?: TargetGroup[] } = {},
    creditStatus: CreditStatus = 'good',
  ) => {
    const organizationId = randomUUID();
    const offeringId = randomUUID();
    await publish(
      'organizations',
      buildEvent(OrganizationRegistered, { source: 'organizations', subject: organizationId, data: { organizationId, name, creditCode: '52110105MA00YT01XY', creditStatus } }),
    );
    await publish(
      'organizations',
      buildEvent(OfferingPublished, {
        source: 'organizations',
        subject: offeringId,
        data: {
          offeringId,
          organizationId,
          title: offering.title ?? `${name}的服务`,
          category: offering.category ?? 'veterans',
          targetGroups: offering.targetGroups ?? ['veterans'],
          priceMinFen: 3_000_000,
          priceMaxFen: 8_000_000,
        },
      }),
    );
    await waitFor(`${name} in the directory`, async () => (await api('GET', `/directory/offerings/${offeringId}`)).status === 200, { timeoutMs: 60_000, intervalMs: 200 });
    return { organizationId, offeringId };
  };

  const blacklist = async (organizationId: string) => {
    await publish(
      'organizations',
      buildEvent(OrganizationCreditChanged, { source: 'organizations', subject: organizationId, data: { organizationId, creditStatus: 'blacklisted', reason: '虚报活动参与人数' } }),
    );
    await waitFor('the blacklisting to arrive', async () => (await api('GET', `/directory/organizations/${organizationId}`)).body?.creditStatus === 'blacklisted', {
      timeoutMs: 30_000,
      intervalMs: 200,
    });
  };

  return {
    api,
    publish,
    outbox,
    seedOrganization,
    blacklist,
    service,
    prefix,
    async stop() {
      await producer.disconnect();
      await kafka.disconnect();
      await service.stop();
      await db.drop();
    },
  };
}
export type Harness = Awaited<ReturnType<typeof startCommunities>>;

// ── principals ──
export const admin: Principal = TEST_ADMIN;
export const reviewer = (sd: string, userId = 'reviewer-sun'): Principal => ({ userId, name: '孙冉冉', role: 'subdistrict_reviewer', scope: { kind: 'sub-district', id: sd } });
export const committee = (sd: string): Principal => ({ userId: 'committee-1', name: '工委会委员', role: 'committee_member', scope: { kind: 'sub-district', id: sd } });
export const finance = (sd: string): Principal => ({ userId: 'finance-wang', name: '王会计', role: 'finance', scope: { kind: 'sub-district', id: sd } });
export const secretary = (communityId: string, sd?: string, userId = 'secretary-1'): Principal => ({
  userId,
  name: '社区书记',
  role: 'community_secretary',
  scope: { kind: 'community', id: communityId },
  ...(sd ? { subDistrictId: sd } : {}),
});
export const residentRep = (communityId: string): Principal => ({ userId: 'rep-1', role: 'resident_rep', scope: { kind: 'community', id: communityId } });
export const orgStaff = (organizationId: string): Principal => ({ userId: `staff-${organizationId.slice(0, 6)}`, role: 'org_staff', scope: { kind: 'organization', id: organizationId } });
export const supervisor: Principal = { userId: 'supervisor-1', role: 'supervisor', scope: { kind: 'agency', id: 'agency-1' } };

// ── data ──
export async function registerSubDistrict(h: Harness, name: string): Promise<string> {
  const res = await h.api('POST', '/sub-districts', { name, district: '朝阳区' });
  if (res.status !== 201) throw new Error(`sub-district ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export async function registerCommunity(h: Harness, subDistrictId: string, name: string, area?: string): Promise<string> {
  const res = await h.api('POST', `/sub-districts/${subDistrictId}/communities`, { name, ...(area ? { area } : {}) });
  if (res.status !== 201) throw new Error(`community ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export const FISCAL_YEAR = 2026;

/** 老兵俱乐部 with a line-item budget; the bus hire at 4,000 a day is twice the usual 2,000. */
export function veteransClub(overrides: Record<string, unknown> = {}) {
  return {
    title: '延静里社区老兵俱乐部',
    fiscalYear: FISCAL_YEAR,
    summary: '召集辖区老兵，八一慈善活动、站岗巡逻、照片墙与手写贺卡。',
    activities: [
      { activityKey: 'A1', title: '八一老兵走红毯', startsOn: '2026-07-25', endsOn: '2026-08-01', venue: '延静里社区活动室', targetHeadcount: 60, targetGroup: 'veterans' },
      { activityKey: 'A2', title: '老兵照片墙', startsOn: '2026-09-01', endsOn: '2026-09-30', venue: '延静里社区', targetHeadcount: 162, targetGroup: 'veterans' },
    ],
    itemLines: [
      { lineKey: 'L1', activityKey: 'A1', itemKind: 'bus_hire', description: '大巴租车（参观军事博物馆）', unit: '天', unitPriceFen: 400_000, quantity: 1 },
      { lineKey: 'L2', activityKey: 'A1', itemKind: 'stationery', description: '签字笔（一支笔两块钱）', unit: '支', unitPriceFen: 200, quantity: 100 },
      { lineKey: 'L3', activityKey: 'A2', itemKind: 'display_board', description: '照片墙展板', unit: '块', unitPriceFen: 30_000, quantity: 10 },
    ],
    staffLines: [{ lineKey: 'S1', person: '周晓燕', role: '项目主管', hours: 100, hourlyRateFen: 8_000, activityKey: null }],
    ...overrides,
  };
}

/** Reference prices like the sub-district keeps: bus hire 2,000 a day, display board 300, stationery 2. */
export async function setReferencePrices(h: Harness, sd: string) {
  for (const [kind, unit, priceFen] of [
    ['bus_hire', '天', 200_000],
    ['display_board', '块', 30_000],
    ['stationery', '支', 200],
  ] as const) {
    const res = await h.api('PUT', `/sub-districts/${sd}/reference-prices/${kind}`, { unit, priceFen }, reviewer(sd));
    if (res.status !== 200) throw new Error(`reference price ${kind}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}
