import { randomUUID } from 'node:crypto';
import {
  EvaluationCompleted,
  EventEnvelope,
  FindingClosed,
  FindingRaised,
  ORGANIZATIONS_EVENTS,
  topicName,
  type EventDefinition,
} from '@linli/contracts';
import { buildEvent, createEventRegistry, createKafka, silentLogger, type EventProducer, type KafkaClient } from '@linli/events';
import { waitFor } from '@linli/testing';
import {
  COMMUNITY,
  SD,
  addStaff,
  bid,
  committee,
  orgStaff,
  publishedTender,
  registerOrg,
  reviewer,
  scoreAll,
  startOrganizations,
  type Harness,
} from './harness';

/**
 * Contract tests. (1) Every use case is exercised once, then every row of the outbox is parsed with
 * the registry built from ORGANIZATIONS_EVENTS — and every declared event type must have appeared.
 * (2) The events this service consumes (supervision's) are built with the producer's own definitions,
 * sent through the real Kafka, and their effect is seen over HTTP.
 */
describe('organizations events: contract', () => {
  let h: Harness;
  let kafka: KafkaClient;
  let producer: EventProducer;

  beforeAll(async () => {
    h = await startOrganizations('events');
    kafka = createKafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'organizations-contract-test', log: silentLogger });
    producer = kafka.producer();
    await producer.connect();
  });
  afterAll(async () => {
    await producer?.disconnect();
    await kafka?.disconnect();
    await h?.stop();
  });

  it('when every use case has run, then every outbox row parses with ORGANIZATIONS_EVENTS, every type appears, and all reach Kafka', async () => {
    const [a, b, c] = [await registerOrg(h, '甲社工事务所'), await registerOrg(h, '乙社工事务所'), await registerOrg(h, '丙社工事务所')];
    const staff = { a: await addStaff(h, a, '甲主管'), b: await addStaff(h, b, '乙主管'), c: await addStaff(h, c, '丙主管') };
    await h.api('POST', `/organizations/${c}/credit-status`, { creditStatus: 'watch', reason: '年检基本合格' }, reviewer());
    await h.api('POST', `/organizations/${c}/annual-inspections`, { year: 2024, result: 'basically_passed' }, reviewer());
    await h.api(
      'POST',
      `/organizations/${a}/offerings`,
      { category: 'veterans', targetGroups: ['veterans'], title: '老兵俱乐部', description: '照片墙、手写贺卡', priceMinFen: 1, priceMaxFen: 2 },
      orgStaff(a),
    );

    // a tender that fails (流标), is re-tendered and cancelled
    const failed = await publishedTender(h, { minimumBids: 2 });
    h.clock.advance(180_001);
    await h.api('POST', `/tenders/${failed.id}/opening`, undefined, reviewer());
    await h.api('POST', `/tenders/${failed.id}/retender`, { enquiryDeadline: h.clock.in(60_000), bidDeadline: h.clock.in(120_000), openingAt: h.clock.in(180_000) }, reviewer());
    await h.api('POST', `/tenders/${failed.id}/cancellation`, { reason: '需求变更' }, reviewer());

    // a tender that goes all the way to a contract, with an objection on the way
    const tender = await publishedTender(h, { minimumBids: 2 });
    const bidA = (await bid(h, tender.id, a, staff.a, 1_000_000)).body.id;
    const bidB = (await bid(h, tender.id, b, staff.b, 900_000)).body.id;
    h.clock.advance(180_001);
    await h.api('POST', `/tenders/${tender.id}/opening`, undefined, reviewer());
    await scoreAll(h, tender.id, bidA, committee(1), 90, 90, 90);
    await scoreAll(h, tender.id, bidB, committee(1), 80, 80, 80);
    await h.api('POST', `/tenders/${tender.id}/award`, { standstillHours: 0.5 }, committee(1));
    const objection = await h.api('POST', `/tenders/${tender.id}/objections`, { organizationId: b, grounds: '报价更低' }, orgStaff(b));
    await h.api('POST', `/objections/${objection.body.id}/answer`, { answer: '按综合得分' }, reviewer());
    h.clock.advance(1_800_000);
    const contract = await h.api('POST', '/contracts', { level: 'sub_district', tenderId: tender.id, startsOn: '2026-04-01', endsOn: '2027-03-31' }, reviewer());
    expect(contract.status).toBe(201);

    // a staff change on the contracted project
    const second = await addStaff(h, a, '甲社工');
    await h.api('POST', `/organizations/${a}/projects/${tender.projectId}/assignments`, { staffId: staff.a, projectRole: '项目主管' }, orgStaff(a));
    const change = await h.api('POST', `/organizations/${a}/projects/${tender.projectId}/staff-changes`, { outStaffId: staff.a, inStaffId: second, reason: '离职' }, orgStaff(a));
    await h.api('POST', `/staff-changes/${change.body.id}/decision`, { outcome: 'approve', reason: '同意' }, reviewer());

    const registry = createEventRegistry([...ORGANIZATIONS_EVENTS]);
    const rows = await h.outbox();
    for (const row of rows) {
      const envelope = EventEnvelope.parse(row.payload);
      expect(envelope.source).toBe('organizations');
      expect(envelope.actor?.userId).toBeTruthy();
      const definition = registry.get(envelope.type, envelope.version);
      expect(definition).toBeDefined();
      expect(() => definition!.data.parse(envelope.data)).not.toThrow();
    }
    expect(new Set(rows.map((r) => r.type))).toEqual(new Set(ORGANIZATIONS_EVENTS.map((d: EventDefinition) => d.type)));

    // the relay moved every row to Kafka
    await waitFor('every outbox row to be published', async () =>
      (await h.service.prisma.outboxEvent.count({ where: { publishedAt: null } })) === 0 ? true : undefined,
    );
  });

  it('when supervision’s evaluations and findings arrive through Kafka, then the track record shows them, each applied once', async () => {
    const org = await registerOrg(h, '悠贝亲子阅读（履约记录）');
    const project = randomUUID();
    const contract = await h.api(
      'POST',
      '/contracts',
      { level: 'community', projectId: project, organizationId: org, subDistrictId: SD, communityId: COMMUNITY, amountFen: 5_000_000, startsOn: '2026-01-01', endsOn: '2026-12-31' },
      reviewer(),
    );
    const contractId: string = contract.body.id;
    const common = { contractId, projectId: project, organizationId: org };
    const midTerm = buildEvent(EvaluationCompleted, {
      source: 'supervision',
      subject: contractId,
      data: { evaluationId: randomUUID(), ...common, kind: 'mid_term', score: 78, grade: 'fair', passed: true },
    });
    const yearEnd = buildEvent(EvaluationCompleted, {
      source: 'supervision',
      subject: contractId,
      data: { evaluationId: randomUUID(), ...common, kind: 'year_end', score: 91.5, grade: 'excellent', passed: true },
    });
    const findingId = randomUUID();
    const raised = buildEvent(FindingRaised, {
      source: 'supervision',
      subject: findingId,
      data: { findingId, ...common, severity: 'major', summary: '签到人数与照片不符', rectifyBy: '2026-06-30' },
    });
    const minorId = randomUUID();
    const minor = buildEvent(FindingRaised, {
      source: 'supervision',
      subject: minorId,
      data: { findingId: minorId, ...common, severity: 'minor', summary: '发票抬头错误', rectifyBy: '2026-06-30' },
    });
    const closed = buildEvent(FindingClosed, { source: 'supervision', subject: minorId, data: { findingId: minorId, contractId, projectId: project, severity: 'minor' } });
    const send = (e: { id: string; subject: string }) => producer.send(topicName('supervision'), [{ key: e.subject, value: JSON.stringify(e) }]);
    for (const e of [midTerm, yearEnd, raised, minor, closed]) await send(e);
    await send(yearEnd); // redelivered: must not count twice

    const record = await waitFor('the track record to show the supervision events', async () => {
      const res = await h.api('GET', `/organizations/${org}/track-record`);
      // Events keyed by different subjects land on different partitions, so they apply in any order: wait
      // for all of them (both grades, both findings, the minor one closed), not for the first look-alike state.
      const b = res.body;
      return b.grades?.length === 2 && b.findingsBySeverity?.major === 1 && b.findingsBySeverity?.minor === 1 && b.openFindings === 1 ? b : undefined;
    });
    expect(record).toMatchObject({
      organizationId: org,
      contracts: 1,
      contractedAmountFen: 5_000_000,
      completed: 1,
      averageScore: 91.5,
      findingsBySeverity: { minor: 1, major: 1, severe: 0 },
      openFindings: 1,
    });
    expect(record.grades.map((g: { kind: string; grade: string }) => [g.kind, g.grade]).sort()).toEqual([
      ['mid_term', 'fair'],
      ['year_end', 'excellent'],
    ]);
    // the redelivered copy was recognised by its event id (one dedupe mark, one evaluation row)
    const processed = await h.service.prisma.processedEvent.count({ where: { eventId: yearEnd.id } });
    expect(processed).toBe(1);
    expect(await h.service.prisma.evaluationRecord.count({ where: { organizationId: org } })).toBe(2);
  });
});
