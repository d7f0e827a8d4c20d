import { randomUUID } from 'node:crypto';
import { ContractAssigned, ContractSigned, EvaluationCompleted, FindingClosed, FindingRaised, topicName, type EventDefinition, type EventEnvelope } from '@linli/contracts';
import { buildEvent, createKafka, type EventProducer } from '@linli/events';
import { waitFor } from '@linli/testing';
import { contractWorld, startPayments, type Harness } from './payments-harness';

/**
 * The consumers on the real Kafka: each test publishes real events, built with the producers' own
 * definitions, to the organizations and supervision topics, and watches their effect through HTTP.
 */
describe('consumed events (organizations and supervision topics, through Kafka)', () => {
  let h: Harness;
  let producer: EventProducer;
  let kafka: ReturnType<typeof createKafka>;

  beforeAll(async () => {
    h = await startPayments({ consumers: true });
    await h.service.consumersJoined;
    kafka = createKafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'payments-consumer-test', log: h.service.logger });
    producer = kafka.producer();
    await producer.connect();
  });
  afterAll(async () => {
    await producer?.disconnect();
    await kafka?.disconnect();
    await h?.stop();
  });

  const publish = async (topic: 'organizations' | 'supervision', event: EventEnvelope) =>
    producer.send(topicName(topic), [{ key: event.subject, value: JSON.stringify(event) }]);
  const supervisorActor = { userId: 'u-supervisor', role: 'supervisor', scope: 'agency:x' };
  const supervisionEvent = <D extends EventDefinition>(def: D, contractId: string, data: unknown) =>
    buildEvent(def, { source: 'supervision', subject: contractId, actor: supervisorActor, data: data as never }) as EventEnvelope;

  async function signed(amountFen = 2_000_003) {
    const w = contractWorld();
    const event = buildEvent(ContractSigned, {
      source: 'organizations',
      subject: w.ids.contractId,
      actor: { userId: 'u-reviewer', role: 'subdistrict_reviewer', scope: `sub-district:${w.ids.subDistrictId}` },
      data: {
        contractId: w.ids.contractId,
        projectId: w.ids.projectId,
        organizationId: w.ids.organizationId,
        subDistrictId: w.ids.subDistrictId,
        communityId: w.ids.communityId,
        level: 'community',
        amountFen,
        startsOn: '2026-01-01',
        endsOn: '2026-12-31',
        tenderId: null,
      },
    }) as EventEnvelope;
    await publish('organizations', event);
    const plan = await waitFor('the plan made from the contract event', async () => {
      const res = await h.api('GET', `/contracts/${w.ids.contractId}/payment-plan`, { as: w.who.finance });
      return res.status === 200 ? res.body : undefined;
    });
    return { ...w, plan, event };
  }
  const frozenState = async (w: ReturnType<typeof contractWorld>) => (await h.api('GET', `/contracts/${w.ids.contractId}/freeze`, { as: w.who.finance })).body;

  it('when organizations.contract.signed arrives, then a default 30/40/30 plan is made with its commitment; a redelivery or a second signing event makes no second plan', async () => {
    const w = await signed(2_000_003);
    expect(w.plan).toMatchObject({ source: 'contract_event', amountFen: 2_000_003, createdBy: { userId: 'u-reviewer', role: 'subdistrict_reviewer' }, ledger: { committedFen: 2_000_003 } });
    expect(w.plan.tranches.map((t: any) => [t.kind, t.plannedAmountFen])).toEqual([
      ['start_up', 600_000],
      ['mid_term', 800_001],
      ['final', 600_002],
    ]);

    await publish('organizations', w.event); // the same event again (at-least-once delivery)
    const again = buildEvent(ContractSigned, { source: 'organizations', subject: w.ids.contractId, data: (w.event as any).data }) as EventEnvelope;
    await publish('organizations', again); // a second event for the same contract
    await waitFor('both deliveries processed', async () => (await h.service.prisma.processedEvent.count({ where: { eventId: { in: [w.event.id, again.id] } } })) === 2 || undefined);
    expect(await h.service.prisma.paymentPlan.count({ where: { contractId: w.ids.contractId } })).toBe(1);
    expect(await h.service.prisma.ledgerEntry.count({ where: { contractId: w.ids.contractId } })).toBe(2);
  });

  it('when supervision.contract.assigned arrives, then that agency’s supervisor may read and freeze the contract', async () => {
    const w = await signed();
    expect((await h.api('GET', `/contracts/${w.ids.contractId}/payment-plan`, { as: w.who.supervisor })).status).toBe(403);
    await publish('supervision', supervisionEvent(ContractAssigned, w.ids.contractId, { contractId: w.ids.contractId, projectId: w.ids.projectId, agencyId: w.ids.agencyId, previousAgencyId: null }));
    await waitFor('the supervisor to see the plan', async () => (await h.api('GET', `/contracts/${w.ids.contractId}/payment-plan`, { as: w.who.supervisor })).status === 200 || undefined);
    const frozen = await h.api('POST', `/contracts/${w.ids.contractId}/freeze`, { body: { reason: '例会发现活动照片重复使用' }, as: w.who.supervisor });
    expect(frozen.status).toBe(201);
  });

  it('when severe findings are raised and closed, then payments freeze, stay frozen while another is open, and unfreeze when the last closes; minor findings change nothing', async () => {
    const w = await signed();
    const [minor, severe1, severe2] = [randomUUID(), randomUUID(), randomUUID()];
    const raise = (findingId: string, severity: 'minor' | 'severe', summary: string) =>
      publish('supervision', supervisionEvent(FindingRaised, w.ids.contractId, { findingId, contractId: w.ids.contractId, projectId: w.ids.projectId, organizationId: w.ids.organizationId, severity, summary, rectifyBy: '2026-06-30' }));
    const close = (findingId: string) => publish('supervision', supervisionEvent(FindingClosed, w.ids.contractId, { findingId, contractId: w.ids.contractId, projectId: w.ids.projectId, severity: 'severe' }));

    await raise(minor, 'minor', '签到表字迹潦草');
    await raise(severe1, 'severe', '签到单人数与回访不符');
    const frozen = await waitFor('the automatic freeze', async () => ((await frozenState(w)).frozen ? await frozenState(w) : undefined));
    expect(frozen.activeFreezes).toEqual([expect.objectContaining({ kind: 'finding', findingId: severe1, reason: expect.stringContaining('签到单人数与回访不符'), frozenBy: expect.objectContaining({ userId: 'u-supervisor' }) })]);
    const refused = await h.api('POST', `/contracts/${w.ids.contractId}/tranches/start_up/requests`, { as: w.who.system, key: randomUUID() });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/^拨付已冻结：严重问题「签到单人数与回访不符」/);

    await raise(severe2, 'severe', '发票金额超出预算行');
    await close(severe1);
    await waitFor('the first finding’s freeze lifted', async () => ((await frozenState(w)).history.length === 1 ? true : undefined));
    const stillFrozen = await frozenState(w);
    expect(stillFrozen.frozen).toBe(true);
    expect(stillFrozen.activeFreezes.map((f: any) => f.findingId)).toEqual([severe2]);
    const unfrozenEvent = await h.service.prisma.outboxEvent.findFirst({ where: { key: w.ids.contractId, type: 'payments.contract.unfrozen' } });
    expect((unfrozenEvent!.payload as any).data).toMatchObject({ findingId: severe1, stillFrozen: true });

    // A manual freeze stays when the last finding closes.
    await h.assignAgency(w.ids.contractId, w.ids.projectId, w.ids.agencyId);
    expect((await h.api('POST', `/contracts/${w.ids.contractId}/freeze`, { body: { reason: '等待整改复查' }, as: w.who.supervisor })).status).toBe(201);
    await close(severe2);
    await waitFor('the second finding’s freeze lifted', async () => ((await frozenState(w)).history.length === 2 ? true : undefined));
    expect((await frozenState(w)).activeFreezes.map((f: any) => f.kind)).toEqual(['manual']);
    await h.api('POST', `/contracts/${w.ids.contractId}/unfreeze`, { body: { reason: '复查通过' }, as: w.who.supervisor });
    expect((await frozenState(w)).frozen).toBe(false);
    expect(await h.service.prisma.contractFreeze.count({ where: { findingId: minor } })).toBe(0);
    expect((await h.api('POST', `/contracts/${w.ids.contractId}/tranches/start_up/requests`, { as: w.who.system, key: randomUUID() })).status).toBe(201);
  });

  it('when evaluations are completed, then the mid-term check releases 中期款 and the stored year-end grade decides 尾款', async () => {
    const w = await signed(1_000_000);
    const pay = async (kind: string) => {
      const requested = await h.api('POST', `/contracts/${w.ids.contractId}/tranches/${kind}/requests`, { as: w.who.system, key: randomUUID() });
      expect([kind, requested.status]).toEqual([kind, 201]);
      return (await h.api('POST', `/tranches/${requested.body.id}/approval`, { as: w.who.finance, key: randomUUID() })).body;
    };
    const evaluation = (kind: 'mid_term' | 'year_end', score: number, grade: 'good' | 'excellent', passed: boolean) =>
      supervisionEvent(EvaluationCompleted, w.ids.contractId, { evaluationId: randomUUID(), contractId: w.ids.contractId, projectId: w.ids.projectId, organizationId: w.ids.organizationId, kind, score, grade, passed });

    await pay('start_up');
    await publish('supervision', evaluation('mid_term', 88, 'good', true));
    await waitFor('the mid-term check to be stored', async () => (await h.service.prisma.contractEvaluation.count({ where: { contractId: w.ids.contractId } })) === 1 || undefined);
    expect((await pay('mid_term')).status).toBe('paid');

    await publish('supervision', evaluation('year_end', 86, 'good', true));
    await waitFor('the year-end grade on the plan', async () => ((await h.api('GET', `/contracts/${w.ids.contractId}/payment-plan`, { as: w.who.finance })).body.yearEndGrade === 'good' ? true : undefined));
    const final = await pay('final');
    expect(final).toMatchObject({ status: 'paid', grade: 'good', plannedAmountFen: 300_000, paidAmountFen: 270_000, reductionFen: 30_000 });
  });
});
