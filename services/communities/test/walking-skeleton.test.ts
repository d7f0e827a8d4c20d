import { workflowIds } from '@linli/temporal';
import { waitFor } from '@linli/testing';
import { startSkeleton } from './skeleton-harness';

describe('walking skeleton: communities service ⇄ Kafka ⇄ Temporal on the real components', () => {
  let skeleton: Awaited<ReturnType<typeof startSkeleton>>;

  beforeAll(async () => {
    skeleton = await startSkeleton({ activationDelayMs: 0 });
  });
  afterAll(async () => {
    await skeleton?.stop();
  });

  it('when a sub-district is registered, then its event reaches Kafka, the workflow calls the service back and it becomes active', async () => {
    const created = await skeleton.api('POST', '/sub-districts', { name: '八里庄街道', district: '朝阳区' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: '八里庄街道', district: '朝阳区', status: 'pending', activatedAt: null });
    const id: string = created.body.id;

    // The outbox relay put the registration on Kafka and a consumer received it.
    const registered = await waitFor('the registered event on Kafka', () =>
      skeleton.received.find((e) => e.type === 'communities.sub-district.registered' && e.subject === id),
    );
    expect(registered.data).toEqual({ subDistrictId: id, name: '八里庄街道', district: '朝阳区' });
    expect(registered.actor).toMatchObject({ userId: 'test-admin' });

    // The consumer started the workflow; the worker ran it; its activity called the service back over HTTP.
    const result = await skeleton.temporal.workflow.getHandle(workflowIds.subDistrictOnboarding(id)).result();
    const after = await skeleton.api('GET', `/sub-districts/${id}`);
    expect(after.body.status).toBe('active');
    expect(result.activatedAt).toBe(after.body.activatedAt);

    // ... and that change, too, went out through the outbox.
    await waitFor('the activated event on Kafka', () =>
      skeleton.received.find((e) => e.type === 'communities.sub-district.activated' && e.subject === id),
    );
  });

  it('when the same name is registered twice, then the second gets 409 problem+json and nothing is written', async () => {
    await skeleton.api('POST', '/sub-districts', { name: '体育馆路街道', district: '东城区' });
    const again = await skeleton.api('POST', '/sub-districts', { name: '体育馆路街道', district: '东城区' });
    expect(again.status).toBe(409);
    expect(again.contentType).toContain('application/problem+json');
    const all = await skeleton.api('GET', '/sub-districts?limit=100');
    expect(all.body.items.filter((s: { name: string }) => s.name === '体育馆路街道')).toHaveLength(1);
  });

  it('when the body is invalid, then 400 names every failing field and nothing is written', async () => {
    const before = await skeleton.api('GET', '/sub-districts?limit=100');
    const bad = await skeleton.api('POST', '/sub-districts', { name: '', district: 7 });
    expect(bad.status).toBe(400);
    expect(bad.contentType).toContain('application/problem+json');
    const paths = bad.body.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['body.district', 'body.name']);
    const after = await skeleton.api('GET', '/sub-districts?limit=100');
    expect(after.body.items).toHaveLength(before.body.items.length);
  });

  it('when there is no token, then 401 problem+json; when a community secretary registers a sub-district, then 403 with the reason', async () => {
    const anonymous = await skeleton.api('POST', '/sub-districts', { name: '无令牌街道', district: '朝阳区' }, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.contentType).toContain('application/problem+json');
    const secretary = await skeleton.api('POST', '/sub-districts', { name: '越权街道', district: '朝阳区' }, {
      userId: 'u-shi',
      role: 'community_secretary',
      scope: { kind: 'community', id: 'c-yanjingli' },
    });
    expect(secretary.status).toBe(403);
    expect(secretary.body.detail).toContain('社区书记无权');
    const all = await skeleton.api('GET', '/sub-districts?limit=100');
    expect(all.body.items.map((s: { name: string }) => s.name)).not.toEqual(expect.arrayContaining(['无令牌街道']));
    expect(all.body.items.map((s: { name: string }) => s.name)).not.toEqual(expect.arrayContaining(['越权街道']));
  });

  it('when listing, then pages follow the cursor without gaps or repeats', async () => {
    for (const name of ['香河园街道', '和平里街道', '安贞街道']) await skeleton.api('POST', '/sub-districts', { name, district: '东城区' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { name: string }[]; nextCursor: string | null } } = await skeleton.api(
        'GET',
        `/sub-districts?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.body.items.map((i) => i.name));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(['八里庄街道', '体育馆路街道', '香河园街道', '和平里街道', '安贞街道']));
  });
});
