/**
 * Demo data from the source article (../shared/DOMAIN.md), created through the services' public APIs
 * only, with tokens from each service's development login. Idempotent: every seed finds what already
 * exists (409 or a lookup), so a second `pnpm dev` adds nothing. Order matters: organizations first
 * (their offerings are the fair's stalls), then communities, then supervision and payments.
 */
import { seedOrganizations } from './demo/organizations';
import { seedPayments } from './demo/payments';
import { seedSupervision } from './demo/supervision';

const SUB_DISTRICTS = [
  { name: '八里庄街道', district: '朝阳区' },
  { name: '体育馆路街道', district: '东城区' },
  { name: '香河园街道', district: '朝阳区' },
];

const DEMO_ADMIN = { userId: 'demo-admin', name: '演示管理员', role: 'admin', scope: { kind: 'platform', id: 'linli' } };

export async function devLogin(serviceUrl: string, principal: object): Promise<string> {
  const res = await fetch(`${serviceUrl}/auth/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(principal) });
  if (!res.ok) throw new Error(`dev login at ${serviceUrl} failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

async function seedSubDistricts(communitiesUrl: string): Promise<{ created: number; existing: number }> {
  const token = await devLogin(communitiesUrl, DEMO_ADMIN);
  let created = 0;
  let existing = 0;
  for (const body of SUB_DISTRICTS) {
    const res = await fetch(`${communitiesUrl}/sub-districts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    if (res.status === 201) created++;
    else if (res.status === 409) existing++;
    else throw new Error(`seeding ${body.name} failed: ${res.status} ${await res.text()}`);
  }
  return { created, existing };
}

export interface DemoUrls {
  communities: string;
  organizations?: string;
  payments?: string;
  supervision?: string;
}

export async function seedDemoData(urls: DemoUrls, log: (line: string) => void = () => {}): Promise<{ created: number; existing: number }> {
  const totals = { created: 0, existing: 0 };
  const add = (name: string, r: { created?: number; existing?: number; paid?: number }) => {
    totals.created += (r.created ?? 0) + (r.paid ?? 0);
    totals.existing += r.existing ?? 0;
    log(`[dev] demo ${name}: ${(r.created ?? 0) + (r.paid ?? 0)} created, ${r.existing ?? 0} already there`);
  };
  if (urls.organizations) add('organizations', await seedOrganizations({ urls: { organizations: urls.organizations } }));
  add('communities', await seedSubDistricts(urls.communities));
  if (urls.supervision) add('supervision', await seedSupervision({ urls: { supervision: urls.supervision }, contracts: [] }));
  if (urls.payments) add('payments', await seedPayments({ urls: { payments: urls.payments }, contracts: [] }));
  return totals;
}
