import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Principal } from '@linli/auth';
import { ContractSigned, ProposalApproved, topicName, type TopicKey } from '@linli/contracts';
import { buildEvent, createKafka } from '@linli/events';
import { createTopics } from '@linli/infra';
import { createLogger } from '@linli/logger';
import { TEST_ADMIN, createTestDatabase, tokenFor, waitFor } from '@linli/testing';
import { loadSupervisionConfig } from '../src/config';
import { seededSampler } from '../src/domain/sampling';
import { startSupervisionService } from '../src/start';

/**
 * The supervision service in-process (port 0, its own database), on Kafka topics of its own (a per-file
 * prefix, so parallel test files never consume each other's events), with a seeded call-back sampler, a
 * clock the test can move, and every log line captured for the personal-data assertions.
 */
export async function startSupervision(label: string, opts: { seed?: number; now?: string; env?: Record<string, string> } = {}) {
  const db = await createTestDatabase(`supervision_${label}`);
  const prefix = `${process.env.KAFKA_TOPIC_PREFIX ?? ''}${label}${randomBytes(3).toString('hex')}.`;
  const brokers = process.env.KAFKA_BROKERS!.split(',');
  await createTopics(brokers, prefix);

  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger({ service: 'supervision', level: 'debug', pretty: false, destination });
  const clock = { now: new Date(opts.now ?? '2026-06-15T02:00:00.000Z') };
  const service = await startSupervisionService(
    loadSupervisionConfig({ ...process.env, PORT: '0', DATABASE_URL: db.url, KAFKA_TOPIC_PREFIX: prefix, ...opts.env }),
    { sampler: seededSampler(opts.seed ?? 7), now: () => clock.now, logger },
  );
  await service.consumerJoined;

  const kafka = createKafka({ brokers, clientId: `supervision-test-${label}`, log: logger });
  const producer = kafka.producer();
  await producer.connect();

  /** Publishes an event the way its producer's outbox relay would (key = subject). */
  const publish = async (topic: TopicKey, envelope: { subject: string }) => {
    await producer.send(topicName(topic, prefix), [{ key: envelope.subject, value: JSON.stringify(envelope) }]);
  };

  const api = async (method: string, path: string, body?: unknown, as: Principal | null = TEST_ADMIN) => {
    const res = await fetch(`${service.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(as ? { authorization: `Bearer ${await tokenFor(as)}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any, contentType: res.headers.get('content-type') };
  };

  /**
   * A contract to supervise, arriving the real way: communities.proposal.approved and
   * organizations.contract.signed through Kafka into the projection.
   */
  const seedContract = async (input: Partial<ContractFixture> = {}) => {
    const fixture = contractFixture(input);
    await publish(
      'communities',
      buildEvent(ProposalApproved, { source: 'communities', subject: fixture.projectId, data: fixture.proposal }),
    );
    await publish(
      'organizations',
      buildEvent(ContractSigned, {
        source: 'organizations',
        subject: fixture.contractId,
        data: {
          contractId: fixture.contractId,
          projectId: fixture.projectId,
          organizationId: fixture.organizationId,
          subDistrictId: fixture.subDistrictId,
          communityId: fixture.communityId,
          level: 'community',
          amountFen: fixture.proposal.budgetTotalFen,
          startsOn: fixture.startsOn,
          endsOn: fixture.endsOn,
          tenderId: null,
        },
      }),
    );
    await waitFor('the contract projection with its plan', async () => {
      const res = await api('GET', `/contracts/${fixture.contractId}`);
      return res.status === 200 && res.body.planReceived ? res.body : undefined;
    });
    return fixture;
  };

  return {
    api,
    publish,
    /** This file's real name of a declared topic. */
    topic: (key: TopicKey) => topicName(key, prefix),
    seedContract,
    service,
    clock,
    logLines,
    async stop() {
      await producer.disconnect();
      await kafka.disconnect();
      await service.stop();
      await db.drop();
    },
  };
}
export type Harness = Awaited<ReturnType<typeof startSupervision>>;

export interface ContractFixture {
  contractId: string;
  projectId: string;
  organizationId: string;
  subDistrictId: string;
  communityId: string;
  startsOn: string;
  endsOn: string;
  proposal: ReturnType<typeof proposalData>;
}

/** 八里庄街道 延静里社区 老兵俱乐部, run by 银天使智慧社区公益促进中心 (DOMAIN.md). */
function proposalData(ids: { projectId: string; subDistrictId: string; communityId: string; organizationId: string }) {
  return {
    ...ids,
    version: 1,
    offeringId: null,
    level: 'community' as const,
    title: '延静里社区老兵俱乐部',
    fiscalYear: 2026,
    budgetTotalFen: 1_000_000,
    plannedActivities: [
      { activityKey: 'A1', title: '老兵座谈会', startsOn: '2026-03-01', endsOn: '2026-03-31', venue: '延静里社区活动室', targetHeadcount: 20, targetGroup: 'veterans' as const },
      { activityKey: 'A2', title: '红色观影', startsOn: '2026-04-01', endsOn: '2026-04-30', venue: '延静里社区活动室', targetHeadcount: 30, targetGroup: 'veterans' as const },
      { activityKey: 'A3', title: '重阳节慰问', startsOn: '2026-10-01', endsOn: '2026-10-31', venue: '八里庄街道礼堂', targetHeadcount: 50, targetGroup: 'elderly' as const },
    ],
    budgetLines: [
      { lineId: 'L1', activityKey: 'A1', kind: 'item' as const, description: '座谈会茶歇', amountFen: 100_000 },
      { lineId: 'L2', activityKey: 'A2', kind: 'item' as const, description: '观影场地与设备', amountFen: 200_000 },
      { lineId: 'L3', activityKey: 'A3', kind: 'item' as const, description: '慰问礼品', amountFen: 400_000 },
      { lineId: 'S1', activityKey: null, kind: 'staff' as const, description: '项目社工人员经费', amountFen: 300_000 },
    ],
  };
}

export function contractFixture(input: Partial<ContractFixture> = {}): ContractFixture {
  const ids = {
    projectId: input.projectId ?? randomUUID(),
    subDistrictId: input.subDistrictId ?? randomUUID(),
    communityId: input.communityId ?? randomUUID(),
    organizationId: input.organizationId ?? randomUUID(),
  };
  return {
    contractId: input.contractId ?? randomUUID(),
    startsOn: input.startsOn ?? '2026-01-01',
    endsOn: input.endsOn ?? '2026-12-31',
    ...ids,
    proposal: input.proposal ?? proposalData(ids),
  };
}

// ——— principals ———

export const supervisorOf = (agencyId: string, userId = 'u-supervisor'): Principal => ({
  userId,
  name: '监督员',
  role: 'supervisor',
  scope: { kind: 'agency', id: agencyId },
});
export const orgStaffOf = (organizationId: string): Principal => ({
  userId: 'u-org',
  name: '社工',
  role: 'org_staff',
  scope: { kind: 'organization', id: organizationId },
});
export const reviewerOf = (subDistrictId: string): Principal => ({
  userId: 'u-reviewer',
  name: '街道审核',
  role: 'subdistrict_reviewer',
  scope: { kind: 'sub-district', id: subDistrictId },
});
export const secretaryOf = (communityId: string): Principal => ({
  userId: 'u-secretary',
  name: '社区书记',
  role: 'community_secretary',
  scope: { kind: 'community', id: communityId },
});

/** A tiny valid JPEG/PNG (magic bytes + filler) with a distinct payload per `n`. */
export function jpeg(n = 1): string {
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(`linli-photo-${n}`)]).toString('base64');
}
export function png(n = 1): string {
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(`linli-png-${n}`)]).toString('base64');
}

/** `count` distinct valid mainland mobile numbers. */
export function phones(count: number, start = 0): string[] {
  return Array.from({ length: count }, (_, i) => `139${String(10_000_000 + start + i).slice(-8)}`);
}
