/**
 * Demo data from the source article (../shared/DOMAIN.md), created through the services' public APIs
 * only. Idempotent: whatever already exists answers 409 and is counted as existing.
 */
const SUB_DISTRICTS = [
  { name: '八里庄街道', district: '朝阳区' },
  { name: '体育馆路街道', district: '东城区' },
  { name: '香河园街道', district: '朝阳区' },
];

const DEMO_ACTOR = { 'x-linli-user': 'demo-seed', 'x-linli-role': 'admin' };

export async function seedDemoData(urls: { communities: string }): Promise<{ created: number; existing: number }> {
  let created = 0;
  let existing = 0;
  for (const body of SUB_DISTRICTS) {
    const res = await fetch(`${urls.communities}/sub-districts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...DEMO_ACTOR },
      body: JSON.stringify(body),
    });
    if (res.status === 201) created++;
    else if (res.status === 409) existing++;
    else throw new Error(`seeding ${body.name} failed: ${res.status} ${await res.text()}`);
  }
  return { created, existing };
}
