/**
 * Demo data from the source article (../shared/DOMAIN.md), created through the services' public APIs
 * only, with tokens from each service's development login. Idempotent: every seed finds what already
 * exists (409 or a lookup), so a second `pnpm dev` adds nothing. Order matters: organizations first
 * (their offerings are the fair's stalls), then communities, then supervision and payments.
 */
import { seedCommunities } from './demo/communities';
import { seedLifecycles } from './demo/lifecycles';
import { seedOrganizations } from './demo/organizations';
import { seedPayments } from './demo/payments';
import { seedSupervision } from './demo/supervision';

export async function devLogin(serviceUrl: string, principal: object): Promise<string> {
  const res = await fetch(`${serviceUrl}/auth/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(principal) });
  if (!res.ok) throw new Error(`dev login at ${serviceUrl} failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export interface DemoUrls {
  communities: string;
  organizations?: string;
  payments?: string;
  supervision?: string;
  operations?: string;
}

export async function seedDemoData(urls: DemoUrls, log: (line: string) => void = () => {}): Promise<{ created: number; existing: number }> {
  const totals = { created: 0, existing: 0 };
  const add = (name: string, r: { created?: number; existing?: number; paid?: number }) => {
    totals.created += (r.created ?? 0) + (r.paid ?? 0);
    totals.existing += r.existing ?? 0;
    log(`[dev] demo ${name}: ${(r.created ?? 0) + (r.paid ?? 0)} created, ${r.existing ?? 0} already there`);
  };
  const organizations = urls.organizations ? await seedOrganizations({ urls: { organizations: urls.organizations } }) : undefined;
  if (organizations) add('organizations', organizations);
  add('communities', await seedCommunities({ urls: { communities: urls.communities }, offerings: organizations?.offerings }));
  if (urls.supervision) add('supervision', await seedSupervision({ urls: { supervision: urls.supervision }, contracts: [] }));
  if (urls.payments) add('payments', await seedPayments({ urls: { payments: urls.payments }, contracts: [] }));
  const { organizations: org, payments, supervision, operations } = urls;
  if (org && payments && supervision && operations) {
    log('[dev] driving demo lifecycles to a spread of stages ...');
    add('lifecycles', await seedLifecycles({ communities: urls.communities, organizations: org, payments, supervision, operations }, log));
  }
  return totals;
}
