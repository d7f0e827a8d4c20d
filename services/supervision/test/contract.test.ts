import { randomUUID } from 'node:crypto';
import {
  ContractSigned,
  EventEnvelope,
  ProposalApproved,
  SUPERVISION_EVENTS,
  type EventEnvelope as Envelope,
} from '@linli/contracts';
import { buildEvent, createEventRegistry, createKafka, fromPrisma, runConsumer } from '@linli/events';
import { waitFor } from '@linli/testing';
import type { Harness } from './harness';
import { contractFixture, jpeg, orgStaffOf, phones, reviewerOf, startSupervision, supervisorOf } from './harness';

/**
 * The event contract, both ways. Published: every outbox row parses with the registry built from
 * SUPERVISION_EVENTS and reaches Kafka. Consumed: real communities.proposal.approved and
 * organizations.contract.signed events through Kafka build the local projection.
 */
describe('supervision events', () => {
  let h: Harness;
  const received: Envelope[] = [];
  let listener: Awaited<ReturnType<typeof runConsumer>>;
  let listenerKafka: ReturnType<typeof createKafka>;

  beforeAll(async () => {
    h = await startSupervision('contract');
    listenerKafka = createKafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'supervision-contract-listener', log: h.service.logger });
    const supervisionTopic = h.topic('supervision');
    listener = await runConsumer({
      kafka: listenerKafka,
      groupId: `${supervisionTopic}.listener`,
      consumerName: 'contract-test-listener',
      topics: [supervisionTopic],
      registry: createEventRegistry([...SUPERVISION_EVENTS]),
      db: fromPrisma(h.service.prisma),
      deadLetterTopic: h.topic('deadLetter'),
      log: h.service.logger,
      fromBeginning: true,
      handle: async (event) => {
        received.push(event);
      },
    });
  });
  afterAll(async () => {
    await listener?.stop();
    await listenerKafka?.disconnect();
    await h?.stop();
  });

  describe('consumed: the projection of contracts and plans', () => {
    it('when the approved proposal and the signed contract arrive through Kafka, then the contract shows the plan, budget, period and amount', async () => {
      const f = await h.seedContract();
      const view = (await h.api('GET', `/contracts/${f.contractId}`)).body;
      expect(view).toMatchObject({
        id: f.contractId,
        projectId: f.projectId,
        projectTitle: '延静里社区老兵俱乐部',
        organizationId: f.organizationId,
        subDistrictId: f.subDistrictId,
        communityId: f.communityId,
        amountFen: 1_000_000,
        startsOn: '2026-01-01',
        endsOn: '2026-12-31',
        fiscalYear: 2026,
        planReceived: true,
      });
      expect(view.activities.map((a: { activityKey: string; targetHeadcount: number; status: string }) => [a.activityKey, a.targetHeadcount, a.status])).toEqual([
        ['A1', 20, 'planned'],
        ['A2', 30, 'planned'],
        ['A3', 50, 'planned'],
      ]);
      expect(view.budgetLines.map((l: { lineId: string; amountFen: number }) => [l.lineId, l.amountFen])).toEqual([
        ['L1', 100_000],
        ['L2', 200_000],
        ['L3', 400_000],
        ['S1', 300_000],
      ]);
    });

    it('when the contract arrives before its plan, then it is visible but activities wait (409) until the plan comes', async () => {
      const f = contractFixture();
      await h.publish(
        'organizations',
        buildEvent(ContractSigned, {
          source: 'organizations',
          subject: f.contractId,
          data: { contractId: f.contractId, projectId: f.projectId, organizationId: f.organizationId, subDistrictId: f.subDistrictId, communityId: f.communityId, level: 'community', amountFen: 500_000, startsOn: f.startsOn, endsOn: f.endsOn, tenderId: null },
        }),
      );
      const early = await waitFor('the contract without plan', async () => {
        const res = await h.api('GET', `/contracts/${f.contractId}`);
        return res.status === 200 ? res.body : undefined;
      });
      expect(early).toMatchObject({ planReceived: false, projectTitle: null, activities: [] });
      expect(early.flags.map((x: { code: string }) => x.code)).toContain('plan_not_received');
      const refused = await h.api('POST', `/contracts/${f.contractId}/activities`, { activityKey: 'A1', heldOn: '2026-03-01', venue: 'x', headcount: 5 }, orgStaffOf(f.organizationId));
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toContain('尚未收到该合同的立项计划');

      await h.publish('communities', buildEvent(ProposalApproved, { source: 'communities', subject: f.projectId, data: f.proposal }));
      await waitFor('the plan', async () => (await h.api('GET', `/contracts/${f.contractId}`)).body.planReceived === true || undefined);
    });

    it('when a newer proposal version arrives, then it replaces the plan; an older one arriving late is ignored', async () => {
      const f = await h.seedContract();
      const v2 = {
        ...f.proposal,
        version: 2,
        plannedActivities: [{ ...f.proposal.plannedActivities[0]!, targetHeadcount: 25 }],
        budgetLines: [f.proposal.budgetLines[0]!],
      };
      await h.publish('communities', buildEvent(ProposalApproved, { source: 'communities', subject: f.projectId, data: v2 }));
      await waitFor('version 2 of the plan', async () => {
        const view = (await h.api('GET', `/contracts/${f.contractId}`)).body;
        return view.activities.length === 1 && view.activities[0].targetHeadcount === 25 ? view : undefined;
      });
      const stale = buildEvent(ProposalApproved, { source: 'communities', subject: f.projectId, data: f.proposal });
      await h.publish('communities', stale);
      await waitFor('the stale event to be processed', async () => {
        const rows = (await h.service.prisma.$queryRawUnsafe(`select 1 from processed_events where event_id = $1::uuid`, stale.id)) as unknown[];
        return rows.length === 1 || undefined;
      });
      const view = (await h.api('GET', `/contracts/${f.contractId}`)).body;
      expect(view.activities.map((a: { activityKey: string }) => a.activityKey)).toEqual(['A1']);
      expect(view.budgetLines).toHaveLength(1);
    });

    it('when the same event is delivered twice, then it is applied once (deduplicated by event id)', async () => {
      const f = contractFixture();
      const signed = buildEvent(ContractSigned, {
        source: 'organizations',
        subject: f.contractId,
        data: { contractId: f.contractId, projectId: f.projectId, organizationId: f.organizationId, subDistrictId: f.subDistrictId, communityId: null, level: 'sub_district', amountFen: 1, startsOn: f.startsOn, endsOn: f.endsOn, tenderId: randomUUID() },
      });
      await h.publish('organizations', signed);
      await h.publish('organizations', signed);
      const marker = buildEvent(ProposalApproved, { source: 'communities', subject: f.projectId, data: f.proposal });
      await h.publish('communities', marker);
      await waitFor('both events processed', async () => {
        const rows = (await h.service.prisma.$queryRawUnsafe(`select event_id from processed_events where event_id in ($1::uuid, $2::uuid)`, signed.id, marker.id)) as unknown[];
        return rows.length === 2 || undefined;
      });
      const marks = (await h.service.prisma.$queryRawUnsafe(`select count(*)::int as n from processed_events where event_id = $1::uuid`, signed.id)) as { n: number }[];
      expect(marks[0]!.n).toBe(1);
      expect((await h.api('GET', `/contracts/${f.contractId}`)).body).toMatchObject({ level: 'sub_district', communityId: null });
    });
  });

  describe('published: every event parses with its contract and reaches Kafka', () => {
    it('when every use case has run, then each outbox row parses with SUPERVISION_EVENTS and every event type occurred', async () => {
      const f = await h.seedContract();
      const agency = (await h.api('POST', '/agencies', { name: '东城区社会组织服务评估所', contactName: '李老师', contactPhone: '010-64001234' })).body.id;
      await h.api('POST', `/contracts/${f.contractId}/assignment`, { agencyId: agency }, reviewerOf(f.subDistrictId));
      const supervisor = supervisorOf(agency);
      const org = orgStaffOf(f.organizationId);
      const a1 = (await h.api('POST', `/contracts/${f.contractId}/activities`, { activityKey: 'A1', heldOn: '2026-03-10', venue: '活动室', headcount: 20 }, org)).body.id;
      await h.api('POST', `/activities/${a1}/photos`, { fileName: 'a.jpg', contentType: 'image/jpeg', dataBase64: jpeg(11), capturedAt: '2026-03-10T02:00:00Z' }, org);
      await h.api('POST', `/activities/${a1}/sign-in-sheet`, { participants: phones(20, 900).map((phone, i) => ({ name: `老兵${i}`, phone })) }, org);
      const tasks = (await h.api('GET', `/call-tasks?activityId=${a1}`, undefined, supervisor)).body.items;
      expect((await h.api('POST', `/call-tasks/${tasks[0].id}/phone-reveal`, undefined, supervisor)).status).toBe(200);
      for (const task of tasks) await h.api('POST', `/call-tasks/${task.id}/outcome`, { outcome: 'attended_received_gift' }, supervisor);
      // The last call-back verified it automatically: photo present, 20 of 20, no discrepancy.
      expect((await h.api('GET', `/activities/${a1}`)).body).toMatchObject({ status: 'verified', verification: { mode: 'auto' } });
      await h.api('POST', `/activities/${a1}/invoices`, { number: 'CT-0001', issuer: '茶歇公司', amountFen: 10_000, issuedOn: '2026-03-10', lineId: 'L1' }, org);
      const finding = (await h.api('POST', `/contracts/${f.contractId}/findings`, { severity: 'major', summary: '发票抬头不符', rectifyBy: '2026-07-01' }, supervisor)).body.id;
      await h.api('POST', `/findings/${finding}/rectification`, { note: '已换开发票' }, org);
      await h.api('POST', `/findings/${finding}/closure`, { note: '同意' }, supervisor);
      await h.api('POST', `/contracts/${f.contractId}/minutes`, { heldOn: '2026-06-12', attendees: ['李老师'], notes: '例会' }, supervisor);
      expect((await h.api('POST', `/contracts/${f.contractId}/evaluations`, { kind: 'mid_term' }, supervisor)).status).toBe(201);
      const closeOut = { finalReport: { title: '结项报告', text: '全年服务情况' }, summary: '总结', documents: [{ name: '台账', url: 'https://files.example.cn/t.pdf' }] };
      expect((await h.api('POST', `/contracts/${f.contractId}/close-out`, closeOut, org)).status).toBe(201);

      const registry = createEventRegistry([...SUPERVISION_EVENTS]);
      const rows = (await h.service.prisma.$queryRawUnsafe(`select type, topic, key, payload from outbox_events order by seq`)) as {
        type: string;
        topic: string;
        key: string;
        payload: unknown;
      }[];
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        const envelope = EventEnvelope.parse(row.payload);
        const definition = registry.get(envelope.type, envelope.version);
        expect({ type: row.type, known: definition !== undefined }).toEqual({ type: row.type, known: true });
        const parsed = definition!.data.safeParse(envelope.data);
        expect({ type: row.type, ok: parsed.success, issues: parsed.success ? [] : parsed.error.issues }).toEqual({ type: row.type, ok: true, issues: [] });
        expect(envelope.source).toBe('supervision');
        expect(row.topic).toBe(h.topic('supervision'));
        expect(row.key).toBe(envelope.subject);
      }
      expect(new Set(rows.map((r) => r.type))).toEqual(new Set(SUPERVISION_EVENTS.map((d) => d.type)));

      // ... and the relay put them on Kafka, where a consumer with the same registry reads them.
      await waitFor('every published event on Kafka', () => (received.length >= rows.length ? received : undefined), { timeoutMs: 30_000 });
      expect(new Set(received.map((e) => e.type))).toEqual(new Set(SUPERVISION_EVENTS.map((d) => d.type)));
      const completed = received.find((e) => e.type === 'supervision.evaluation.completed')!;
      expect(completed).toMatchObject({ subject: f.contractId, actor: { userId: 'u-supervisor', role: 'supervisor' }, data: { kind: 'mid_term', contractId: f.contractId } });
    });
  });
});
