/**
 * Demo data from the source article (../shared/DOMAIN.md), created through the services' public APIs
 * only, with tokens from the development login. Idempotent: whatever already exists answers 409 and is
 * counted as existing.
 */
const SUB_DISTRICTS = [
  { name: '八里庄街道', district: '朝阳区' },
  { name: '体育馆路街道', district: '东城区' },
  { name: '香河园街道', district: '朝阳区' },
];

const DEMO_ADMIN = { userId: 'demo-admin', name: '演示管理员', role: 'admin', scope: { kind: 'platform', id: 'linli' } };

export async function devLogin(serviceUrl: string, principal: object): Promise<string> {
  const res = await fetch(`${serviceUrl}/auth/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(principal) });
  if (!res.ok) throw new Error(`dev login failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export async function seedDemoData(urls: { communities: string }): Promise<{ created: number; existing: number }> {
  const token = await devLogin(urls.communities, DEMO_ADMIN);
  let created = 0;
  let existing = 0;
  for (const body of SUB_DISTRICTS) {
    const res = await fetch(`${urls.communities}/sub-districts`, {
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
