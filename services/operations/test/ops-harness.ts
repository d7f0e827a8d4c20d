import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Principal } from '@linli/auth';
import { ALL_TOPICS, type EventDefinition, type EventEnvelope } from '@linli/contracts';
import { buildEvent, createKafka } from '@linli/events';
import { createLogger } from '@linli/logger';
import { TEST_ADMIN, createTestDatabase, tokenFor } from '@linli/testing';
import { createLifecycleEventPublisher } from '../../../workflows/src/activities/lifecycle-events.activity';
import { S, C, O, startLifecycleHarness } from '../../../workflows/test/lifecycle-harness';
import { loadOperationsConfig } from '../src/config';
import { startOperationsService } from '../src/start';

export { S, C, O };

/** Demo principals the tests act as (scopes follow the harness's sub-district, community and organization). */
export const who = {
  admin: TEST_ADMIN,
  operator: { userId: 'u-ops', name: '运维值班', role: 'operator', scope: { kind: 'platform', id: 'linli' } },
  reviewer: { userId: 'u-sun', name: '孙审核', role: 'subdistrict_reviewer', scope: { kind: 'sub-district', id: S } },
  otherReviewer: { userId: 'u-x', name: '别街道', role: 'subdistrict_reviewer', scope: { kind: 'sub-district', id: '00000000-0000-4000-8000-000000000001' } },
  committee: { userId: 'u-liu', name: '刘委员', role: 'committee_member', scope: { kind: 'sub-district', id: S } },
  secretary: { userId: 'u-shi', name: '石书记', role: 'community_secretary', scope: { kind: 'community', id: C }, subDistrictId: S },
  resident: { userId: 'u-ju', role: 'resident_rep', scope: { kind: 'community', id: C } },
} satisfies Record<string, Principal>;

/**
 * The operations service on the real components, with real lifecycles: a lifecycle worker (the
 * workflows' own test harness) whose lifecycle events go to Kafka through the real publisher, on this
 * file's own topics (so other test files' lifecycles never show up here), and the service in-process on
 * port 0 with its own database, listing lifecycles from the harness's task queue.
 */
export async function startOps(opts: { heartbeatMs?: number; env?: Record<string, string> } = {}) {
  const prefix = `${process.env.KAFKA_TOPIC_PREFIX ?? ''}ops${randomBytes(3).toString('hex')}.`;
  const log = createLogger({ service: 'operations-test', level: 'warn' });
  const kafka = createKafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'operations-test', log });
  const admin = await kafka.admin();
  await admin.ensureTopics(ALL_TOPICS.map((t) => ({ name: `${prefix}${t.name}`, partitions: t.partitions })));
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();

  const lifecycles = await startLifecycleHarness({ activities: { publishLifecycleEvent: createLifecycleEventPublisher({ producer, topicPrefix: prefix }) } });
  const db = await createTestDatabase('operations');
  const env = {
    ...process.env,
    PORT: '0',
    DATABASE_URL: db.url,
    KAFKA_TOPIC_PREFIX: prefix,
    LIFECYCLE_TASK_QUEUE: lifecycles.taskQueue,
    RECONCILE_INTERVAL_MS: '0',
    RECONCILE_AT_START: 'false',
    STREAM_HEARTBEAT_MS: String(opts.heartbeatMs ?? 500),
    ...opts.env,
  };
  const service = await startOperationsService(loadOperationsConfig(env));
  await service.ready;

  const api = async (method: string, path: string, body?: unknown, as: Principal | null = TEST_ADMIN) => {
    const res = await fetch(`${service.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(as ? { authorization: `Bearer ${await tokenFor(as)}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed, contentType: res.headers.get('content-type') };
  };

  type ServiceTopic = 'communities' | 'organizations' | 'payments' | 'supervision';
  /** Sends an envelope as it is (a second send of the same envelope is a redelivery). */
  const send = async (topic: ServiceTopic, event: EventEnvelope) => {
    await producer.send(`${prefix}linli.${topic}.events`, [{ key: event.subject, value: JSON.stringify(event), headers: { 'event-id': event.id, 'event-type': event.type, 'event-version': String(event.version) } }]);
    return event;
  };
  /** Publishes a service event (built with the producer's own definition) to this file's topic. */
  const publish = async <D extends EventDefinition>(topic: ServiceTopic, def: D, subject: string, data: unknown, actor?: { userId: string; role: string; scope?: string }) => {
    const event = buildEvent(def, { source: topic, subject, data: data as never, actor });
    await send(topic, event);
    return event;
  };

  return {
    api,
    publish,
    send,
    service,
    lifecycles,
    prefix,
    env,
    async stop() {
      await service.stop();
      await lifecycles.stop();
      await producer.disconnect();
      await kafka.disconnect();
      await db.drop();
    },
  };
}
export type Ops = Awaited<ReturnType<typeof startOps>>;

const ROOT = path.join(__dirname, '..', '..', '..');

/** Runs `pnpm ops …` the way the root script does (tsx on services/operations/src/cli/ops.ts). */
export function runOpsCli(args: string[], opts: { env?: Record<string, string>; input?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'services/operations/src/cli/ops.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'development', OPS_TOKEN: '', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}
