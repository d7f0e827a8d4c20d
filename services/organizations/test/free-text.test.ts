import { randomUUID } from 'node:crypto';
import type { Principal } from '@linli/auth';
import { databaseText, findPlantedNumbers, maskOf, plantNumbers } from '@linli/testing';
import { COMMUNITY, SD, addStaff, committee, orgStaff, registerOrg, reviewer, startOrganizations, type Harness } from './harness';

/**
 * Issue 6, free text: whatever a person types here (an organization's description, a credit change's
 * reason, inspection remarks, an offering, a tender and its documents, a technical proposal, a scorer's
 * comment, an objection and its answer, a cancellation, a staff change and its decision) may hold a
 * mobile number. Each field gets a planted number of its own, over HTTP; what the service answers,
 * stores and puts in its outbox holds only the mask 139****nnnn.
 */
const written = (phone: string) => `+86 ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`;
const MINUTE = 60_000;

const FIELDS = [
  'organization.description',
  'credit.reason',
  'inspection.remarks',
  'offering.title',
  'offering.description',
  'offering.revision.description',
  'tender.title',
  'tender.description',
  'tender.document.text',
  'tender.revision.description',
  'bid.technicalProposal',
  'score.comment',
  'objection.grounds',
  'objection.answer',
  'cancellation.reason',
  'staffChange.reason',
  'staffChange.decision.reason',
] as const;
const PHONE = plantNumbers('5551', FIELDS);
const ALL = Object.values(PHONE);

describe('free text typed into the organizations service', () => {
  let h: Harness;
  let org: string;
  const answers: unknown[] = [];

  const call = async (method: string, path: string, body: unknown, as: Principal | undefined, status: number) => {
    const res = await h.api(method, path, body, as);
    if (res.status !== status) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    answers.push(res.body);
    return res.body;
  };
  const tenderBody = (overrides: Record<string, unknown> = {}) => ({
    subDistrictId: SD,
    communityId: null,
    projectId: randomUUID(),
    title: '体育馆路街道养老驿站助餐助浴服务',
    description: '为辖区两个养老驿站提供送餐、助浴、康复训练服务。',
    budgetCeilingFen: 50_000_000,
    minimumBids: 1,
    enquiryDeadline: h.clock.in(MINUTE),
    bidDeadline: h.clock.in(2 * MINUTE),
    openingAt: h.clock.in(3 * MINUTE),
    criteria: [
      { key: 'plan', name: '服务方案', weight: 50 },
      { key: 'team', name: '团队配置', weight: 30 },
      { key: 'price', name: '报价', weight: 20 },
    ],
    ...overrides,
  });

  beforeAll(async () => {
    h = await startOrganizations('freetext');
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('when numbers are typed into the registry and an offering, then every answer holds the mask', async () => {
    org = await registerOrg(h, '北京慈爱嘉养老服务中心', { description: `养老服务，咨询 ${PHONE['organization.description']}` });
    expect((await call('GET', `/organizations/${org}`, undefined, reviewer(), 200)).description).toBe(`养老服务，咨询 ${maskOf(PHONE['organization.description'])}`);
    await call('POST', `/organizations/${org}/credit-status`, { creditStatus: 'watch', reason: `举报电话 ${PHONE['credit.reason']} 反映服务缺位` }, reviewer(), 200);
    const inspection = await call('POST', `/organizations/${org}/annual-inspections`, { year: 2025, result: 'passed', remarks: `经办人 ${written(PHONE['inspection.remarks'])}` }, reviewer(), 201);
    expect(inspection.remarks).toBe(`经办人 +86 ${maskOf(PHONE['inspection.remarks'])}`);
    const detail = await call('GET', `/organizations/${org}`, undefined, reviewer(), 200);
    expect(detail.creditHistory.map((c: { reason: string }) => c.reason)).toEqual([`举报电话 ${maskOf(PHONE['credit.reason'])} 反映服务缺位`]);

    const offering = await call(
      'POST',
      `/organizations/${org}/offerings`,
      {
        category: 'elderly_care',
        targetGroups: ['elderly'],
        title: `助餐送餐（订餐 ${PHONE['offering.title']}）`,
        description: `为高龄老人送餐上门，联系 ${PHONE['offering.description']}`,
        priceMinFen: 8_000_000,
        priceMaxFen: 15_000_000,
      },
      orgStaff(org),
      201,
    );
    expect(offering).toMatchObject({ title: `助餐送餐（订餐 ${maskOf(PHONE['offering.title'])}）`, description: `为高龄老人送餐上门，联系 ${maskOf(PHONE['offering.description'])}` });
    const revised = await call('PATCH', `/offerings/${offering.id}`, { description: `送餐上门，改由 ${PHONE['offering.revision.description']} 联系` }, orgStaff(org), 200);
    expect(revised.description).toBe(`送餐上门，改由 ${maskOf(PHONE['offering.revision.description'])} 联系`);
  });

  it('when numbers are typed into a tender, a bid, a score sheet, an objection, its answer and a cancellation, then every answer holds the mask', async () => {
    const staffId = await addStaff(h, org, '李主管', 'project_lead');
    const draft = await call(
      'POST',
      '/tenders',
      tenderBody({
        title: `养老驿站助餐服务（答疑 ${PHONE['tender.title']}）`,
        description: `送餐、助浴，联系人 ${PHONE['tender.description']}`,
        documents: [{ name: '招标文件', text: `服务内容……经办人电话 ${PHONE['tender.document.text']}` }],
      }),
      reviewer(),
      201,
    );
    expect(draft).toMatchObject({ title: `养老驿站助餐服务（答疑 ${maskOf(PHONE['tender.title'])}）`, description: `送餐、助浴，联系人 ${maskOf(PHONE['tender.description'])}` });
    expect(draft.documents[0].text).toBe(`服务内容……经办人电话 ${maskOf(PHONE['tender.document.text'])}`);
    const edited = await call('PATCH', `/tenders/${draft.id}`, { description: `送餐、助浴，改由 ${PHONE['tender.revision.description']} 答疑` }, reviewer(), 200);
    expect(edited.description).toBe(`送餐、助浴，改由 ${maskOf(PHONE['tender.revision.description'])} 答疑`);
    await call('POST', `/tenders/${draft.id}/publication`, undefined, reviewer(), 200);

    const bid = await call(
      'POST',
      `/tenders/${draft.id}/bids`,
      { organizationId: org, priceFen: 45_000_000, technicalProposal: `技术方案：项目主管 ${PHONE['bid.technicalProposal']} 全天响应`, staffPlan: [{ staffId, projectRole: '项目主管' }] },
      orgStaff(org),
      201,
    );
    expect(bid.technicalProposal).toBe(`技术方案：项目主管 ${maskOf(PHONE['bid.technicalProposal'])} 全天响应`);
    h.clock.advance(3 * MINUTE + 1);
    await call('POST', `/tenders/${draft.id}/opening`, undefined, reviewer(), 200);
    const sheet = await call(
      'PUT',
      `/tenders/${draft.id}/bids/${bid.id}/scores`,
      { scores: [{ criterionKey: 'plan', score: 90 }, { criterionKey: 'team', score: 80 }, { criterionKey: 'price', score: 70 }], comment: `已电话 ${PHONE['score.comment']} 核实团队` },
      committee(1),
      200,
    );
    expect(sheet.comment).toBe(`已电话 ${maskOf(PHONE['score.comment'])} 核实团队`);
    await call('POST', `/tenders/${draft.id}/award`, { standstillHours: 1 }, committee(1), 200);
    const objection = await call('POST', `/tenders/${draft.id}/objections`, { organizationId: org, grounds: `评分有误，请回电 ${PHONE['objection.grounds']}` }, orgStaff(org), 201);
    expect(objection.grounds).toBe(`评分有误，请回电 ${maskOf(PHONE['objection.grounds'])}`);
    const answered = await call('POST', `/objections/${objection.id}/answer`, { answer: `已电话 ${PHONE['objection.answer']} 答复：评分细则已公示` }, reviewer(), 200);
    expect(answered.answer).toBe(`已电话 ${maskOf(PHONE['objection.answer'])} 答复：评分细则已公示`);
    await call('GET', `/tenders/${draft.id}/objections`, undefined, reviewer(), 200);
    await call('GET', `/tenders/${draft.id}/bids/${bid.id}`, undefined, reviewer(), 200);
    await call('GET', `/tenders/${draft.id}`, undefined, reviewer(), 200);

    const other = await call('POST', '/tenders', tenderBody(), reviewer(), 201);
    const cancelled = await call('POST', `/tenders/${other.id}/cancellation`, { reason: `项目改为社区级购买，详询 ${PHONE['cancellation.reason']}` }, reviewer(), 200);
    expect(cancelled.cancelReason).toBe(`项目改为社区级购买，详询 ${maskOf(PHONE['cancellation.reason'])}`);
  });

  it('when numbers are typed into a staff change and its decision, then both answers hold the mask', async () => {
    const project = randomUUID();
    const lead = await addStaff(h, org, '王社工');
    const incoming = await addStaff(h, org, '钱社工');
    await call(
      'POST',
      '/contracts',
      { level: 'community', projectId: project, organizationId: org, subDistrictId: SD, communityId: COMMUNITY, amountFen: 6_800_000, startsOn: '2026-03-01', endsOn: '2026-12-31' },
      reviewer(),
      201,
    );
    await call('POST', `/organizations/${org}/projects/${project}/assignments`, { staffId: lead, projectRole: '活动社工' }, orgStaff(org), 201);
    const requested = await call(
      'POST',
      `/organizations/${org}/projects/${project}/staff-changes`,
      { outStaffId: lead, inStaffId: incoming, reason: `王社工调往其他项目，交接人 ${PHONE['staffChange.reason']}` },
      orgStaff(org),
      201,
    );
    expect(requested.reason).toBe(`王社工调往其他项目，交接人 ${maskOf(PHONE['staffChange.reason'])}`);
    const decided = await call('POST', `/staff-changes/${requested.id}/decision`, { outcome: 'approve', reason: `已电话 ${PHONE['staffChange.decision.reason']} 确认，同意` }, reviewer(), 200);
    expect(JSON.stringify(decided)).toContain(maskOf(PHONE['staffChange.decision.reason']));
  });

  it('when the answers, every table and the outbox are read, then no planted number is there in clear, and the events carry the masks', async () => {
    expect(findPlantedNumbers(JSON.stringify(answers), ALL)).toEqual([]);
    expect(findPlantedNumbers(await databaseText(h.service.prisma), ALL)).toEqual([]);

    const outbox = await h.outbox();
    expect(findPlantedNumbers(JSON.stringify(outbox), ALL)).toEqual([]);
    const payloadOf = (type: string) => JSON.stringify(outbox.filter((e) => e.type === type).map((e) => e.payload));
    expect(payloadOf('organizations.organization.credit-changed')).toContain(maskOf(PHONE['credit.reason']));
    expect(payloadOf('organizations.offering.published')).toContain(maskOf(PHONE['offering.title']));
    expect(payloadOf('organizations.tender.published')).toContain(maskOf(PHONE['tender.title']));
    // A cancelled tender reaches the lifecycle with its reason.
    expect(payloadOf('organizations.tender.cancelled')).toContain(maskOf(PHONE['cancellation.reason']));
    expect(payloadOf('organizations.staff-change.requested')).toContain(maskOf(PHONE['staffChange.reason']));
    expect(payloadOf('organizations.staff-change.decided')).toContain(maskOf(PHONE['staffChange.decision.reason']));
  });
});
