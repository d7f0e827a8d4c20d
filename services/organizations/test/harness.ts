import { randomUUID } from 'node:crypto';
import type { Principal } from '@linli/auth';
import { TEST_ADMIN, createTestDatabase, tokenFor } from '@linli/testing';
import { composeCreditCode } from '../src/domain/credit-code';
import { loadOrganizationsConfig } from '../src/config';
import { startOrganizationsService } from '../src/start';

/**
 * The organizations service in-process (port 0, its own database, the real Kafka) with a clock the test
 * moves, and a fetch helper that signs a real token for whichever principal a call is made as.
 */
export async function startOrganizations(label: string) {
  const db = await createTestDatabase(`org_${label}`);
  let now = Date.now();
  const clock = {
    now: () => new Date(now),
    advance: (ms: number) => {
      now += ms;
    },
    /** An ISO instant `ms` after the service's now. */
    in: (ms: number) => new Date(now + ms).toISOString(),
  };
  const service = await startOrganizationsService(loadOrganizationsConfig({ ...process.env, PORT: '0', DATABASE_URL: db.url }), {
    clock: clock.now,
    consumerGroup: `${process.env.KAFKA_TOPIC_PREFIX}organizations.track-record.${db.name}`,
  });

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

  return {
    api,
    clock,
    service,
    outbox,
    async stop() {
      await service.stop();
      await db.drop();
    },
  };
}
export type Harness = Awaited<ReturnType<typeof startOrganizations>>;

// ── principals ──
export const SD = randomUUID(); // 体育馆路街道
export const OTHER_SD = randomUUID();
export const COMMUNITY = randomUUID();

export const admin: Principal = TEST_ADMIN;
export const reviewer = (sd = SD): Principal => ({ userId: `reviewer-${sd.slice(0, 4)}`, name: '孙冉冉', role: 'subdistrict_reviewer', scope: { kind: 'sub-district', id: sd } });
export const committee = (n = 1, sd = SD): Principal => ({ userId: `committee-${n}`, role: 'committee_member', scope: { kind: 'sub-district', id: sd } });
export const orgStaff = (organizationId: string, userId = `staff-${organizationId.slice(0, 6)}`): Principal => ({
  userId,
  role: 'org_staff',
  scope: { kind: 'organization', id: organizationId },
});
export const secretary: Principal = { userId: 'secretary-1', role: 'community_secretary', scope: { kind: 'community', id: COMMUNITY }, subDistrictId: SD };
export const residentRep: Principal = { userId: 'rep-1', role: 'resident_rep', scope: { kind: 'community', id: COMMUNITY } };
export const supervisor: Principal = { userId: 'supervisor-1', role: 'supervisor', scope: { kind: 'agency', id: 'agency-1' } };
export const finance: Principal = { userId: 'finance-1', role: 'finance', scope: { kind: 'sub-district', id: SD } };
export const operator: Principal = { userId: 'operator-1', role: 'operator', scope: { kind: 'platform', id: 'linli' } };
export const system: Principal = { userId: 'system:workflow', role: 'system', scope: { kind: 'platform', id: 'linli' } };

// ── data ──
let orgSerial = 0;
/** A fresh, valid 民办非企业单位 code registered in Beijing's Dongcheng district (110101). */
export function freshCreditCode(authority = '5', category = '2'): string {
  orgSerial += 1;
  const body = `${String(Date.now() % 1_000_000).padStart(6, '0')}${String(orgSerial % 100).padStart(2, '0')}`;
  return composeCreditCode({ authority, category, region: '110101', orgBody: body });
}

export async function registerOrg(h: Harness, name: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await h.api('POST', '/organizations', { name, creditCode: freshCreditCode(), registrationType: 'private_non_enterprise', ...overrides });
  if (res.status !== 201) throw new Error(`register ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export async function addStaff(h: Harness, organizationId: string, name: string, role = 'social_worker'): Promise<string> {
  const res = await h.api('POST', `/organizations/${organizationId}/staff`, { name, role, certificate: 'social_worker' }, orgStaff(organizationId));
  if (res.status !== 201) throw new Error(`staff ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export const CRITERIA = [
  { key: 'plan', name: '服务方案', weight: 50 },
  { key: 'team', name: '团队配置', weight: 30 },
  { key: 'price', name: '报价', weight: 20 },
];

/** A published tender of the test sub-district whose periods start `offsetMs` from the service's now. */
export async function publishedTender(h: Harness, overrides: Record<string, unknown> = {}) {
  const created = await h.api(
    'POST',
    '/tenders',
    {
      subDistrictId: SD,
      communityId: null,
      projectId: randomUUID(),
      title: '体育馆路街道养老驿站助餐助浴服务',
      description: '为辖区两个养老驿站提供送餐、助浴、康复训练服务，为期一年。',
      budgetCeilingFen: 50_000_000,
      enquiryDeadline: h.clock.in(60_000),
      bidDeadline: h.clock.in(120_000),
      openingAt: h.clock.in(180_000),
      documents: [{ name: '招标文件', text: '服务内容与要求……' }],
      criteria: CRITERIA,
      ...overrides,
    },
    reviewer(),
  );
  if (created.status !== 201) throw new Error(`create tender: ${created.status} ${JSON.stringify(created.body)}`);
  const published = await h.api('POST', `/tenders/${created.body.id}/publication`, undefined, reviewer());
  if (published.status !== 200) throw new Error(`publish tender: ${published.status} ${JSON.stringify(published.body)}`);
  return published.body as { id: string; projectId: string; round: number; bidDeadline: string; openingAt: string; status: string };
}

export async function bid(h: Harness, tenderId: string, organizationId: string, staffId: string, priceFen: number) {
  return h.api(
    'POST',
    `/tenders/${tenderId}/bids`,
    { organizationId, priceFen, technicalProposal: `技术方案：${organizationId.slice(0, 4)} 的服务计划`, staffPlan: [{ staffId, projectRole: '项目主管' }] },
    orgStaff(organizationId),
  );
}

export async function scoreAll(h: Harness, tenderId: string, bidId: string, scorer: Principal, plan: number, team: number, price: number) {
  return h.api(
    'PUT',
    `/tenders/${tenderId}/bids/${bidId}/scores`,
    { scores: [{ criterionKey: 'plan', score: plan }, { criterionKey: 'team', score: team }, { criterionKey: 'price', score: price }] },
    scorer,
  );
}
