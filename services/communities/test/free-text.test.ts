import { databaseText, findPlantedNumbers, maskOf, plantNumbers } from '@linli/testing';
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
 * Issue 6, free text: whatever a person types here (meeting minutes, wishes, a fair's title, notes, a
 * proposal's prose, reasons) may hold a mobile number. Each field gets a planted number of its own, over
 * HTTP; what the service answers, stores and puts in its outbox (for Kafka and the lifecycle) holds only
 * the mask 139****nnnn.
 */
/** As people write them: with +86, spaces or dashes; the mask keeps the prefix. */
const written = (phone: string) => `+86 ${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`;

const FIELDS = [
  'meeting.minutes',
  'meeting.wish.description',
  'wish.description',
  'fair.title',
  'fair.description',
  'shortlist.note',
  'fund.note',
  'referencePrice.note',
  'proposal.title',
  'proposal.summary',
  'proposal.activity.title',
  'proposal.itemLine.description',
  'proposal.revision.summary',
  'flag.reason',
  'conflict.reason',
  'decision.return.reasons',
  'flag.reason.v2',
  'decision.committee.reasons',
] as const;
const PHONE = plantNumbers('5550', FIELDS);
const ALL = Object.values(PHONE);

describe('free text typed into the communities service', () => {
  let h: Harness;
  let sd: string;
  let community: string;
  let org: { organizationId: string; offeringId: string };
  const answers: unknown[] = [];

  const call = async (method: string, path: string, body: unknown, as: Parameters<Harness['api']>[3], status: number) => {
    const res = await h.api(method, path, body, as);
    if (res.status !== status) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    answers.push(res.body);
    return res.body;
  };

  beforeAll(async () => {
    h = await startCommunities('freetext');
    sd = await registerSubDistrict(h, '八里庄街道');
    community = await registerCommunity(h, sd, '延静里社区');
    await setReferencePrices(h, sd);
    org = await h.seedOrganization('银天使智慧社区公益促进中心', { title: '老兵俱乐部（延静里）' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('when numbers are typed into needs, fairs, funds and reference prices, then every answer holds the mask', async () => {
    const meeting = await call(
      'POST',
      `/communities/${community}/meetings`,
      {
        heldOn: '2026-03-01',
        attendance: 30,
        minutes: `居民代表会议，联系人 ${PHONE['meeting.minutes']}`,
        wishes: [{ category: 'veterans', targetGroup: 'veterans', description: `老兵俱乐部，张大爷电话${PHONE['meeting.wish.description']}`, votes: 28 }],
      },
      secretary(community),
      201,
    );
    expect(meeting.minutes).toBe(`居民代表会议，联系人 ${maskOf(PHONE['meeting.minutes'])}`);
    expect(meeting.wishes[0].description).toBe(`老兵俱乐部，张大爷电话${maskOf(PHONE['meeting.wish.description'])}`);
    const wish = await call('POST', `/meetings/${meeting.id}/wishes`, { category: 'children', targetGroup: 'children', description: `亲子阅读，回电 ${written(PHONE['wish.description'])}`, votes: 10 }, secretary(community), 201);
    expect(wish.description).toBe(`亲子阅读，回电 +86 ${maskOf(PHONE['wish.description'])}`);

    const fair = await call(
      'POST',
      '/fairs',
      { subDistrictId: sd, title: `八里庄街道推介会（咨询 ${PHONE['fair.title']}）`, venue: '街道文化中心', heldOn: '2026-02-20', description: `报名请致电${PHONE['fair.description']}` },
      reviewer(sd),
      201,
    );
    expect(fair).toMatchObject({ title: `八里庄街道推介会（咨询 ${maskOf(PHONE['fair.title'])}）`, description: `报名请致电${maskOf(PHONE['fair.description'])}` });
    await call('POST', `/fairs/${fair.id}/stalls`, { offeringId: org.offeringId }, reviewer(sd), 201);
    const shortlisted = await call('POST', `/fairs/${fair.id}/shortlist`, { communityId: community, offeringId: org.offeringId, note: `负责人手机 ${PHONE['shortlist.note']}` }, secretary(community), 201);
    expect(shortlisted.note).toBe(`负责人手机 ${maskOf(PHONE['shortlist.note'])}`);

    const fund = await call('PUT', `/communities/${community}/funds/${FISCAL_YEAR}`, { allocatedFen: 3_000_000, note: `朝组发〔2026〕3号，经办 ${PHONE['fund.note']}` }, finance(sd), 200);
    const funded = await call('GET', `/funds/${fund.id}`, undefined, finance(sd), 200);
    expect(funded.movements.map((m: { note: string | null }) => m.note)).toContain(`朝组发〔2026〕3号，经办 ${maskOf(PHONE['fund.note'])}`);
    const price = await call('PUT', `/sub-districts/${sd}/reference-prices/stationery`, { unit: '支', priceFen: 200, note: `询价 ${PHONE['referencePrice.note']}` }, reviewer(sd), 200);
    expect(price.note).toBe(`询价 ${maskOf(PHONE['referencePrice.note'])}`);
  });

  it('when numbers are typed into a proposal, its revision, a flag acceptance, a conflict and the decisions, then answers and the approved plan hold the mask', async () => {
    const club = veteransClub();
    const p = await call(
      'POST',
      '/proposals',
      {
        level: 'community',
        communityId: community,
        offeringId: org.offeringId,
        ...club,
        title: `延静里社区老兵俱乐部 ${PHONE['proposal.title']}`,
        summary: `召集辖区老兵，联系 ${PHONE['proposal.summary']}`,
        activities: [{ ...club.activities[0]!, title: `八一老兵走红毯（报名 ${PHONE['proposal.activity.title']}）` }, club.activities[1]!],
        itemLines: club.itemLines.map((l) => (l.lineKey === 'L1' ? { ...l, description: `大巴租车，司机 ${PHONE['proposal.itemLine.description']}` } : l)),
      },
      secretary(community),
      201,
    );
    expect(p).toMatchObject({ title: `延静里社区老兵俱乐部 ${maskOf(PHONE['proposal.title'])}`, summary: `召集辖区老兵，联系 ${maskOf(PHONE['proposal.summary'])}` });
    expect(p.activities[0].title).toBe(`八一老兵走红毯（报名 ${maskOf(PHONE['proposal.activity.title'])}）`);
    expect(p.itemLines.find((l: { lineKey: string }) => l.lineKey === 'L1').description).toBe(`大巴租车，司机 ${maskOf(PHONE['proposal.itemLine.description'])}`);
    const revised = await call('PATCH', `/proposals/${p.id}`, { summary: `召集辖区老兵，改由 ${written(PHONE['proposal.revision.summary'])} 联系` }, secretary(community), 200);
    expect(revised.summary).toBe(`召集辖区老兵，改由 +86 ${maskOf(PHONE['proposal.revision.summary'])} 联系`);

    await call('POST', `/proposals/${p.id}/submission`, {}, secretary(community), 200);
    const accepted = await call('POST', `/proposals/${p.id}/budget-flags/L1/acceptance`, { version: 1, reason: `往返两趟，已电话 ${PHONE['flag.reason']} 核实` }, reviewer(sd), 200);
    expect(accepted.itemLines.find((l: { lineKey: string }) => l.lineKey === 'L1').flag.accepted.reason).toBe(`往返两趟，已电话 ${maskOf(PHONE['flag.reason'])} 核实`);
    const conflict = await call('POST', `/proposals/${p.id}/conflicts`, { reason: `申报组织负责人系本人表姐（${PHONE['conflict.reason']}）` }, reviewer(sd, 'reviewer-li'), 201);
    expect(conflict.reason).toBe(`申报组织负责人系本人表姐（${maskOf(PHONE['conflict.reason'])}）`);

    const returned = await call('POST', `/proposals/${p.id}/decisions`, { gate: 'pre_review', outcome: 'return', version: 1, reasons: `预算偏高，请与 ${PHONE['decision.return.reasons']} 核对` }, reviewer(sd), 201);
    expect(returned.status).toBe('returned');
    await call('POST', `/proposals/${p.id}/submission`, {}, secretary(community), 200);
    await call('POST', `/proposals/${p.id}/budget-flags/L1/acceptance`, { version: 2, reason: `已与司机 ${PHONE['flag.reason.v2']} 确认` }, reviewer(sd), 200);
    await call('POST', `/proposals/${p.id}/decisions`, { gate: 'pre_review', outcome: 'approve', version: 2 }, reviewer(sd), 201);
    await call('POST', `/proposals/${p.id}/decisions`, { gate: 'joint_review', outcome: 'approve', version: 2 }, reviewer(sd), 201);
    const approved = await call('POST', `/proposals/${p.id}/decisions`, { gate: 'committee', outcome: 'approve', version: 2, reasons: `同意，联系人 ${PHONE['decision.committee.reasons']}` }, committee(sd), 201);
    expect(approved.status).toBe('approved');

    const shown = await call('GET', `/proposals/${p.id}`, undefined, reviewer(sd), 200);
    expect(shown.decisions.map((d: { reasons: string }) => d.reasons)).toEqual(
      expect.arrayContaining([`预算偏高，请与 ${maskOf(PHONE['decision.return.reasons'])} 核对`, `同意，联系人 ${maskOf(PHONE['decision.committee.reasons'])}`]),
    );
    for (const path of [`/proposals/${p.id}/versions/1`, `/proposals/${p.id}/versions/2`, `/proposals/${p.id}/diff?from=1&to=2`, `/proposals/${p.id}/conflicts`]) {
      await call('GET', path, undefined, reviewer(sd), 200);
    }
  });

  it('when the answers, every table and the outbox are read, then no planted number is there in clear, and the events carry the masks', async () => {
    expect(findPlantedNumbers(JSON.stringify(answers), ALL)).toEqual([]);
    expect(findPlantedNumbers(await databaseText(h.service.prisma), ALL)).toEqual([]);

    const outbox = await h.outbox();
    const text = JSON.stringify(outbox);
    expect(findPlantedNumbers(text, ALL)).toEqual([]);
    const payloadOf = (type: string) => JSON.stringify(outbox.filter((e) => e.type === type).map((e) => e.payload));
    // Reasons go on to Kafka and, through the bridge, into the lifecycle.
    expect(payloadOf('communities.proposal.decision-recorded')).toContain(maskOf(PHONE['decision.return.reasons']));
    expect(payloadOf('communities.proposal.decision-recorded')).toContain(maskOf(PHONE['decision.committee.reasons']));
    expect(payloadOf('communities.budget-flag.accepted')).toContain(maskOf(PHONE['flag.reason']));
    expect(payloadOf('communities.fair.created')).toContain(maskOf(PHONE['fair.title']));
    // The approved plan goes to organizations, payments and supervision.
    const approvedPlan = payloadOf('communities.proposal.approved');
    for (const field of ['proposal.title', 'proposal.activity.title', 'proposal.itemLine.description'] as const) expect(approvedPlan).toContain(maskOf(PHONE[field]));
  });
});
