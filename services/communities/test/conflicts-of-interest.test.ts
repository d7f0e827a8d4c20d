import {
  FISCAL_YEAR,
  admin,
  committee,
  finance,
  registerCommunity,
  registerSubDistrict,
  reviewer,
  secretary,
  startCommunities,
  veteransClub,
  type Harness,
} from './harness';

/**
 * 回避: a reviewer or committee member declares a conflict of interest with one proposal (with the reason),
 * and from then on cannot decide it or accept its flagged lines; the other reviewers can. Declarations are
 * listed for the reviewers and the platform, not for the community or the organization.
 */
describe('conflicts of interest over HTTP', () => {
  let h: Harness;
  let sd: string;
  let community: string;
  let proposalId: string;
  const sun = () => reviewer(sd, 'reviewer-sun');
  const li = () => reviewer(sd, 'reviewer-li');

  beforeAll(async () => {
    h = await startCommunities('conflicts');
    sd = await registerSubDistrict(h, '八里庄街道');
    community = await registerCommunity(h, sd, '延静里社区');
    expect((await h.api('PUT', `/communities/${community}/funds/${FISCAL_YEAR}`, { allocatedFen: 3_000_000 }, finance(sd))).status).toBe(200);
    const org = await h.seedOrganization('银天使智慧社区公益促进中心', { title: '老兵俱乐部（延静里）' });
    // No reference prices here, so nothing is flagged: the proposal can pass pre-review straight away.
    const drafted = await h.api('POST', '/proposals', { level: 'community', communityId: community, offeringId: org.offeringId, ...veteransClub() }, secretary(community));
    expect(drafted.status).toBe(201);
    proposalId = drafted.body.id;
    expect((await h.api('POST', `/proposals/${proposalId}/submission`, { version: 1 }, secretary(community))).status).toBe(200);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('when a reviewer declares a conflict, then it is kept with the reason and who, and declaring again returns the first declaration', async () => {
    const declared = await h.api('POST', `/proposals/${proposalId}/conflicts`, { reason: '申报组织负责人系本人表姐' }, sun());
    expect(declared.status).toBe(201);
    expect(declared.body).toMatchObject({ proposalId, userId: 'reviewer-sun', reason: '申报组织负责人系本人表姐', declaredBy: { userId: 'reviewer-sun', role: 'subdistrict_reviewer' } });
    const again = await h.api('POST', `/proposals/${proposalId}/conflicts`, { reason: '再次声明' }, sun());
    expect(again.status).toBe(200);
    expect(again.body).toEqual(declared.body);
  });

  it('when the declared reviewer records a decision or accepts a flagged line, then 403 names the conflict in Chinese and nothing is written', async () => {
    const refused = await h.api('POST', `/proposals/${proposalId}/decisions`, { gate: 'pre_review', outcome: 'approve', version: 1 }, sun());
    expect(refused.status).toBe(403);
    expect(refused.contentType).toContain('application/problem+json');
    expect(refused.body.detail).toContain('您已声明回避本项目（申报组织负责人系本人表姐）');
    expect(await h.service.prisma.reviewDecision.count({ where: { proposalId } })).toBe(0);
    const flag = await h.api('POST', `/proposals/${proposalId}/budget-flags/L1/acceptance`, { version: 1, reason: '价格合理' }, sun());
    expect(flag.status).toBe(403);
    expect(flag.body.detail).toContain('您已声明回避本项目');
    expect((await h.api('GET', `/proposals/${proposalId}`, undefined, admin)).body).toMatchObject({ currentGate: 'pre_review', decisions: [] });
  });

  it('when another reviewer of the sub-district decides, then the decision is recorded', async () => {
    const decided = await h.api('POST', `/proposals/${proposalId}/decisions`, { gate: 'pre_review', outcome: 'approve', version: 1 }, li());
    expect(decided.status).toBe(201);
    expect(decided.body.currentGate).toBe('joint_review');
    // The declaration holds at every later gate too.
    expect((await h.api('POST', `/proposals/${proposalId}/decisions`, { gate: 'joint_review', outcome: 'approve', version: 1 }, sun())).status).toBe(403);
  });

  it('when a committee member declares, then they cannot decide at 工委会 while another member can', async () => {
    expect((await h.api('POST', `/proposals/${proposalId}/decisions`, { gate: 'joint_review', outcome: 'approve', version: 1 }, li())).status).toBe(201);
    const member = { ...committee(sd), userId: 'committee-zhao' };
    expect((await h.api('POST', `/proposals/${proposalId}/conflicts`, { reason: '本人在申报组织兼任理事' }, member)).status).toBe(201);
    const refused = await h.api('POST', `/proposals/${proposalId}/decisions`, { gate: 'committee', outcome: 'approve', version: 1 }, member);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('本人在申报组织兼任理事');
    const approved = await h.api('POST', `/proposals/${proposalId}/decisions`, { gate: 'committee', outcome: 'approve', version: 1 }, committee(sd));
    expect(approved.status).toBe(201);
    expect(approved.body.status).toBe('approved');
  });

  it('when declarations are listed, then reviewers and admins see them all; the community and other sub-districts may not', async () => {
    const listed = await h.api('GET', `/proposals/${proposalId}/conflicts`, undefined, li());
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((d: any) => [d.userId, d.reason])).toEqual([
      ['reviewer-sun', '申报组织负责人系本人表姐'],
      ['committee-zhao', '本人在申报组织兼任理事'],
    ]);
    expect((await h.api('GET', `/proposals/${proposalId}/conflicts`, undefined, admin)).body.items).toHaveLength(2);
    const bySecretary = await h.api('GET', `/proposals/${proposalId}/conflicts`, undefined, secretary(community));
    expect(bySecretary.status).toBe(403);
    expect(bySecretary.body.detail).toContain('社区书记无权「查看回避声明」');
    const elsewhere = await h.api('GET', `/proposals/${proposalId}/conflicts`, undefined, reviewer('8a4f1c2e-0000-4000-8000-000000000001'));
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.detail).toContain('不在您的管辖范围内');
  });

  it('when the reason is missing, the proposal unknown, or a secretary declares, then 400 / 404 / 403 and nothing is written', async () => {
    const before = await h.service.prisma.conflictDeclaration.count();
    const empty = await h.api('POST', `/proposals/${proposalId}/conflicts`, { reason: ' ' }, li());
    expect(empty.status).toBe(400);
    expect(empty.body.errors.map((e: any) => e.path)).toEqual(['body.reason']);
    expect((await h.api('POST', '/proposals/8a4f1c2e-0000-4000-8000-0000000000ff/conflicts', { reason: '亲属关系' }, li())).status).toBe(404);
    expect((await h.api('POST', `/proposals/${proposalId}/conflicts`, { reason: '亲属关系' }, secretary(community))).status).toBe(403);
    expect(await h.service.prisma.conflictDeclaration.count()).toBe(before);
  });
});
