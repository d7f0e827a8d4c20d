/**
 * runConsumer on the real Kafka and PostgreSQL: dead-lettering of bad messages, ignoring types the
 * consumer does not handle, and retrying a failed handler without applying twice — one transaction per
 * event, and the same again with events applied in batches (one transaction per batch).
 */
import { randomUUID } from 'node:crypto';
import {
  buildEvent,
  UnprocessableEventError,
  type EventConsumer,
  type EventProducer,
  type IncomingMessage,
  type KafkaClient,
  type RunningConsumer,
  type SqlDatabase,
} from '../src';
import {
  FAST_CONSUMER,
  randomName,
  recordingLogger,
  waitFor,
  type ScratchDatabase,
  type TestTopics,
} from './support/infra';
import { startThingsProjector, THINGS_CONSUMER } from './support/things-projector';
import { SomethingElse, ThingRegistered } from './support/test-events';

const CONSUMER = THINGS_CONSUMER;
const header = (m: IncomingMessage, name: string) => m.headers[name]?.toString();

describe.each([
  { mode: 'one transaction per event', batchSize: 1, keysConcurrently: 1 },
  { mode: 'batches of up to 50 events per transaction', batchSize: 50, keysConcurrently: 1 },
  { mode: 'four keys at once', batchSize: 1, keysConcurrently: 4 },
])('runConsumer, $mode', ({ batchSize, keysConcurrently }) => {
  let scratch: ScratchDatabase;
  let db: SqlDatabase;
  let kafka: KafkaClient;
  let topics: TestTopics;
  let producer: EventProducer;
  let consumer: RunningConsumer;
  let dlqReader: EventConsumer;
  const log = recordingLogger();
  const deadLetters: IncomingMessage[] = [];
  const handlerCalls: string[] = [];
  /** thingId → how the handler should misbehave on its first call. */
  const failFirst = new Map<string, () => Error>();
  /** thingId → how long the handler should take on its first call (ms). */
  const slowFirst = new Map<string, number>();

  function validEvent(thingId: string) {
    return buildEvent(ThingRegistered, { source: 'events-test', subject: thingId, data: { thingId, amountFen: 500 } });
  }

  async function send(value: string, key = `k-${randomName()}`): Promise<void> {
    await producer.send(topics.events, [{ key, value, headers: { 'x-origin': 'test' } }]);
  }

  async function countWhere(sql: string, params: unknown[]): Promise<number> {
    const [row] = await db.query<{ n: string }>(sql, params);
    return Number(row?.n);
  }

  beforeAll(async () => {
    ({ scratch, db, kafka, topics, producer, consumer } = await startThingsProjector(log, {
      batchSize,
      keysConcurrently,
      handle: async (event, tx) => {
        const { thingId } = event.data as { thingId: string };
        handlerCalls.push(event.id);
        // The effect is written before the failure, so a retry that did not roll it back would show twice.
        await tx.execute('INSERT INTO "applied" ("event_id", "thing_id") VALUES ($1, $2)', [event.id, thingId]);
        const pause = slowFirst.get(thingId);
        if (pause) {
          slowFirst.delete(thingId);
          await new Promise((resolve) => setTimeout(resolve, pause));
        }
        const fail = failFirst.get(thingId);
        if (fail) {
          failFirst.delete(thingId);
          throw fail();
        }
        if (thingId.startsWith('reject-')) throw new UnprocessableEventError(`thing ${thingId} is on the deny list`);
      },
    }));
    dlqReader = kafka.consumer(`events-test-dlq-${randomName()}`, FAST_CONSUMER);
    await dlqReader.start({ topics: [topics.deadLetter], fromBeginning: true, eachMessage: async (m) => void deadLetters.push(m) });
    await Promise.all([consumer.joined, dlqReader.joined]);
  });

  afterAll(async () => {
    await consumer?.stop();
    await dlqReader?.stop();
    await kafka?.disconnect();
    await topics?.drop();
    await scratch?.drop();
  });

  test('when messages fail validation, then each lands on the dead-letter topic with a reason naming the field, and the consumer keeps consuming', async () => {
    const good = validEvent(`good-${randomName()}`);
    const missingFields = JSON.stringify({ id: randomUUID(), type: ThingRegistered.type, data: {} });
    const badData = JSON.stringify({ ...validEvent('x'), data: { thingId: 42 } });
    const unknownVersion = JSON.stringify({ ...validEvent('y'), version: 9 });
    const otherType = JSON.stringify(buildEvent(SomethingElse, { source: 'events-test', subject: 's', data: {} }));

    await send('{ this is not json', 'key-bad-json');
    await send(missingFields);
    await send(badData);
    await send(unknownVersion);
    await send(otherType);
    await send(JSON.stringify(good));

    await waitFor('the valid event after the bad ones', () => handlerCalls.includes(good.id));
    await waitFor('four dead letters', () => deadLetters.length >= 4);
    expect(deadLetters).toHaveLength(4);

    // In the order sent (with keys handled at once, different keys' dead letters may arrive in any order).
    const bySourceOffset = [...deadLetters].sort((a, b) => Number(header(a, 'dlq-source-offset')) - Number(header(b, 'dlq-source-offset')));
    const [notJson, envelope, data, version] = bySourceOffset as [IncomingMessage, IncomingMessage, IncomingMessage, IncomingMessage];
    expect(header(notJson, 'dlq-reason')).toMatch(/^value is not JSON/);
    expect(notJson.value?.toString()).toBe('{ this is not json');
    expect(notJson.key?.toString()).toBe('key-bad-json');
    expect(header(notJson, 'x-origin')).toBe('test');
    expect(header(notJson, 'dlq-source-topic')).toBe(topics.events);
    expect(header(notJson, 'dlq-source-partition')).toBe('0');
    expect(header(notJson, 'dlq-source-offset')).toMatch(/^\d+$/);
    expect(header(notJson, 'dlq-consumer')).toBe(CONSUMER);

    const envelopeReason = header(envelope, 'dlq-reason')!;
    expect(envelopeReason).toMatch(/^invalid envelope: /);
    for (const field of ['version', 'source', 'subject', 'occurredAt']) expect(envelopeReason).toContain(`${field}:`);
    expect(envelope.value?.toString()).toBe(missingFields);

    expect(header(data, 'dlq-reason')).toMatch(/^invalid data for test\.thing\.registered@1: .*data\.thingId: .*data\.amountFen: /);
    expect(header(version, 'dlq-reason')).toBe('unknown version 9 of test.thing.registered (this consumer reads versions 1)');
    expect(Number(header(version, 'dlq-source-offset'))).toBeGreaterThan(Number(header(notJson, 'dlq-source-offset')));

    // The type the consumer does not handle was skipped quietly: not applied, not dead-lettered.
    expect(log.entries.some((e) => e.msg?.includes('ignored') && e.obj.type === SomethingElse.type)).toBe(true);
    expect(await countWhere('SELECT count(*) AS n FROM "processed_events"', [])).toBe(1);
    expect(await countWhere('SELECT count(*) AS n FROM "applied" WHERE "event_id" = $1', [good.id])).toBe(1);
  });

  test('when the handler throws once, then the message is retried and applied once', async () => {
    const thingId = `flaky-${randomName()}`;
    // A TypeError on purpose: kafkajs would give up on it at once if runConsumer did not wrap it.
    failFirst.set(thingId, () => new TypeError('cannot read properties of undefined (simulated)'));
    const event = validEvent(thingId);
    await send(JSON.stringify(event), thingId);

    await waitFor('the retry to succeed', async () => (await countWhere('SELECT count(*) AS n FROM "processed_events" WHERE "event_id" = $1', [event.id])) === 1);
    expect(handlerCalls.filter((id) => id === event.id)).toHaveLength(2);
    expect(await countWhere('SELECT count(*) AS n FROM "applied" WHERE "event_id" = $1', [event.id])).toBe(1);
    expect(log.entries.some((e) => e.level === 'error' && e.msg?.startsWith('event handler failed') && e.obj.eventId === event.id)).toBe(true);

    // The same event delivered again (a relay re-send) is recognised and not applied a second time.
    await send(JSON.stringify(event), thingId);
    const next = validEvent(`after-${randomName()}`);
    await send(JSON.stringify(next));
    await waitFor('the event after the duplicate', () => handlerCalls.includes(next.id));
    expect(handlerCalls.filter((id) => id === event.id)).toHaveLength(2);
    expect(await countWhere('SELECT count(*) AS n FROM "applied" WHERE "event_id" = $1', [event.id])).toBe(1);
  });

  test('when the handler rejects an event as unprocessable, then it is dead-lettered with the reason and its effects are rolled back', async () => {
    const event = validEvent(`reject-${randomName()}`);
    const before = deadLetters.length;
    await send(JSON.stringify(event));
    const next = validEvent(`after-reject-${randomName()}`);
    await send(JSON.stringify(next));

    await waitFor('the event after the rejected one', () => handlerCalls.includes(next.id));
    await waitFor('the dead letter', () => deadLetters.length > before);
    expect(header(deadLetters[before]!, 'dlq-reason')).toBe(`rejected by handler: thing ${(event.data as { thingId: string }).thingId} is on the deny list`);
    expect(handlerCalls.filter((id) => id === event.id)).toHaveLength(1);
    expect(await countWhere('SELECT count(*) AS n FROM "applied" WHERE "event_id" = $1', [event.id])).toBe(0);
    expect(await countWhere('SELECT count(*) AS n FROM "processed_events" WHERE "event_id" = $1', [event.id])).toBe(0);
  });

  test('when one partition brings many messages at once with a rejected, a failing, an unreadable and a repeated one among them, then every other event is applied once, in order', async () => {
    const key = `many-${randomName()}`;
    const events = Array.from({ length: 40 }, (_, i) =>
      validEvent(i === 10 ? `reject-${randomName()}` : i === 20 ? `flaky-many-${randomName()}` : `many-${i}-${randomName()}`),
    );
    failFirst.set((events[20]!.data as { thingId: string }).thingId, () => new Error('connection reset (simulated)'));
    const values = events.map((event) => JSON.stringify(event));
    values.splice(15, 0, JSON.stringify(buildEvent(SomethingElse, { source: 'events-test', subject: key, data: {} })));
    values.splice(31, 0, 'not json at all');
    values.push(JSON.stringify(events[5])); // a relay re-send of an event already in the batch
    const last = validEvent(`many-last-${randomName()}`);
    values.push(JSON.stringify(last));
    const deadBefore = deadLetters.length;

    await producer.send(topics.events, values.map((value) => ({ key, value })));
    await waitFor('the last event', () => handlerCalls.includes(last.id));
    await waitFor('two dead letters', () => deadLetters.length >= deadBefore + 2);

    const expected = [...events.filter((_, i) => i !== 10), last].map((event) => event.id);
    const applied = await db.query<{ event_id: string }>(
      'SELECT "event_id" FROM "applied" WHERE "event_id" = ANY($1::uuid[]) ORDER BY "seq"',
      [[...events, last].map((event) => event.id)],
    );
    expect(applied.map((row) => row.event_id)).toEqual(expected);
    expect(await countWhere('SELECT count(*) AS n FROM "processed_events" WHERE "event_id" = ANY($1::uuid[])', [[...events, last].map((e) => e.id)])).toBe(expected.length);
    const reasons = deadLetters.slice(deadBefore).map((m) => header(m, 'dlq-reason'));
    expect(reasons).toEqual([`rejected by handler: thing ${(events[10]!.data as { thingId: string }).thingId} is on the deny list`, expect.stringMatching(/^value is not JSON/)]);
    // The rejected event's handler ran once: it was dead-lettered on what it saw with the events before it.
    expect(handlerCalls.filter((id) => id === events[10]!.id)).toHaveLength(1);
    expect(handlerCalls.filter((id) => id === events[20]!.id)).toHaveLength(2);
  });
  test('when one subject is slow to apply, then the others on its partition wait for it only if their events go one at a time', async () => {
    const slowKey = `slow-${randomName()}`;
    const slow = validEvent(`slow-${randomName()}`);
    slowFirst.set((slow.data as { thingId: string }).thingId, 3_000);
    const slowNext = validEvent(`slow-next-${randomName()}`);
    const others = Array.from({ length: 3 }, () => validEvent(`quick-${randomName()}`));
    const sent = Date.now();
    await producer.send(topics.events, [
      { key: slowKey, value: JSON.stringify(slow) },
      { key: slowKey, value: JSON.stringify(slowNext) },
      ...others.map((event) => ({ key: `quick-${event.id}`, value: JSON.stringify(event) })),
    ]);
    await waitFor('the others', () => others.every((event) => handlerCalls.includes(event.id)));
    const othersAfterMs = Date.now() - sent;
    await waitFor('the slow subject', () => handlerCalls.includes(slowNext.id));
    // One topic partition here: one at a time, the others queue behind the slow one; by key, they don't.
    if (keysConcurrently > 1) expect(othersAfterMs).toBeLessThan(2_000);
    else expect(othersAfterMs).toBeGreaterThanOrEqual(3_000);
    // Either way the slow subject's own events stay in order.
    expect(handlerCalls.indexOf(slowNext.id)).toBeGreaterThan(handlerCalls.indexOf(slow.id));
    const applied = await db.query<{ event_id: string }>('SELECT "event_id" FROM "applied" WHERE "event_id" = ANY($1::uuid[])', [[slow, slowNext, ...others].map((e) => e.id)]);
    expect(applied).toHaveLength(5);
  });
});
