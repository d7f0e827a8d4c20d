/**
 * The outbox end to end on the real PostgreSQL and Kafka: use-case transaction → outbox row → relay →
 * topic → runConsumer → handler, with the failures the pattern exists for.
 */
import { createServer } from 'node:net';
import {
  appendToOutbox,
  buildEvent,
  createKafka,
  createOutboxRelay,
  type EventProducer,
  type KafkaClient,
  type MessageContext,
  type RunningConsumer,
  type SqlDatabase,
} from '../src';
import {
  randomName,
  recordingLogger,
  waitFor,
  type ScratchDatabase,
  type TestTopics,
} from './support/infra';
import { startThingsProjector, THINGS_CONSUMER } from './support/things-projector';
import { ThingRegistered } from './support/test-events';

const CONSUMER = THINGS_CONSUMER;

let scratch: ScratchDatabase;
let db: SqlDatabase;
let kafka: KafkaClient;
let topics: TestTopics;
let producer: EventProducer;
let consumer: RunningConsumer;
const log = recordingLogger();
/** Every handler call, in order: the proof of "exactly once" at the application level. */
const handled: { eventId: string; context: MessageContext }[] = [];

/** The use case under test: creates a thing and records its event in the same transaction. */
async function registerThing(thingId: string, options: { failAfterWrite?: boolean } = {}): Promise<string> {
  return db.transaction(async (tx) => {
    await tx.execute('INSERT INTO "things" ("id", "amount_fen") VALUES ($1, $2)', [thingId, 1200]);
    const event = buildEvent(ThingRegistered, { source: 'events-test', subject: thingId, data: { thingId, amountFen: 1200 } });
    await appendToOutbox(tx, topics.events, event);
    if (options.failAfterWrite) throw new Error('use case failed after writing');
    return event.id;
  });
}

async function outboxRow(id: string) {
  const [row] = await db.query<{ published_at: Date | null; attempts: number; last_error: string | null }>(
    'SELECT "published_at", "attempts", "last_error" FROM "outbox_events" WHERE "id" = $1',
    [id],
  );
  return row;
}

async function countWhere(sql: string, params: unknown[]): Promise<number> {
  const [row] = await db.query<{ n: string }>(sql, params);
  return Number(row?.n);
}

/** Publishes one more event and waits for it: everything relayed before it has been consumed by then. */
async function barrier(): Promise<void> {
  const id = await registerThing(`barrier-${randomName()}`);
  await createOutboxRelay({ db, producer, log }).drainOnce();
  await waitFor('the barrier event', () => handled.some((h) => h.eventId === id));
}

beforeAll(async () => {
  ({ scratch, db, kafka, topics, producer, consumer } = await startThingsProjector(log, {
    handle: async (event, tx, context) => {
      handled.push({ eventId: event.id, context });
      const data = event.data as { thingId: string };
      await tx.execute('INSERT INTO "applied" ("event_id", "thing_id") VALUES ($1, $2)', [event.id, data.thingId]);
    },
  }));
  await consumer.joined;
});

afterAll(async () => {
  await consumer?.stop();
  await kafka?.disconnect();
  await topics?.drop();
  await scratch?.drop();
});

afterEach(async () => {
  // Each test leaves the outbox fully published, so the next one starts clean.
  expect(await countWhere('SELECT count(*) AS n FROM "outbox_events" WHERE "published_at" IS NULL', [])).toBe(0);
});

test('when a state change and its outbox row are written in one transaction that rolls back, then nothing is relayed', async () => {
  const thingId = `rolled-back-${randomName()}`;
  await expect(registerThing(thingId, { failAfterWrite: true })).rejects.toThrow('use case failed after writing');

  expect(await countWhere('SELECT count(*) AS n FROM "things" WHERE "id" = $1', [thingId])).toBe(0);
  expect(await countWhere(`SELECT count(*) AS n FROM "outbox_events" WHERE "key" = $1`, [thingId])).toBe(0);
  expect(await createOutboxRelay({ db, producer, log }).drainOnce()).toBe(0);

  await barrier();
  expect(handled.filter((h) => (h.context.key ?? '') === thingId)).toHaveLength(0);
  expect(await countWhere('SELECT count(*) AS n FROM "applied" WHERE "thing_id" = $1', [thingId])).toBe(0);
});

test.each([
  ['a database handed to it', () => createOutboxRelay({ db, producer, log, pollIntervalMs: 5_000 })],
  ['its own pg pool (as the services run it)', () => createOutboxRelay({ databaseUrl: scratch.url, producer, log, pollIntervalMs: 5_000 })],
])('when the relay runs on %s, then a consumer receives the event exactly once and published_at is set', async (_how, create) => {
  const relay = create();
  let eventId = '';
  relay.start();
  try {
    // Let the loop go idle on its long poll interval, so only wake() can explain a prompt delivery.
    await new Promise((r) => setTimeout(r, 300));
    const thingId = `thing-${randomName()}`;
    eventId = await registerThing(thingId);
    const woken = Date.now();
    relay.wake();

    const delivery = await waitFor('the event at the consumer', () => handled.find((h) => h.eventId === eventId));
    expect(Date.now() - woken).toBeLessThan(4_000);
    expect(delivery.context.key).toBe(thingId);
    expect(delivery.context.headers['event-id']?.toString()).toBe(eventId);
    expect(delivery.context.headers['event-type']?.toString()).toBe('test.thing.registered');
    expect(delivery.context.headers['event-version']?.toString()).toBe('1');

    const row = await waitFor('published_at', async () => {
      const r = await outboxRow(eventId);
      return r?.published_at ? r : undefined;
    });
    expect(row.attempts).toBe(0);
  } finally {
    await relay.stop();
  }

  await barrier();
  expect(handled.filter((h) => h.eventId === eventId)).toHaveLength(1);
  expect(await countWhere('SELECT count(*) AS n FROM "applied" WHERE "event_id" = $1', [eventId])).toBe(1);
  expect(await countWhere('SELECT count(*) AS n FROM "processed_events" WHERE "event_id" = $1 AND "consumer" = $2', [eventId, CONSUMER])).toBe(1);
});

test('when the relay crashes after sending but before marking, then the consumer still applies the event exactly once', async () => {
  const eventId = await registerThing(`crash-${randomName()}`);
  // The process "dies" between Kafka's acknowledgement and the commit: the transaction that would mark
  // the rows never commits.
  const crashingDb: SqlDatabase = {
    ...db,
    transaction: (fn) =>
      db.transaction(async (tx) => {
        await fn(tx);
        throw new Error('simulated crash before commit');
      }),
  };
  await expect(createOutboxRelay({ db: crashingDb, producer, log }).drainOnce()).rejects.toThrow('simulated crash before commit');
  expect((await outboxRow(eventId))?.published_at).toBeNull();
  await waitFor('the first delivery', () => handled.some((h) => h.eventId === eventId));

  // The restarted relay finds the row unpublished and sends it again.
  expect(await createOutboxRelay({ db, producer, log }).drainOnce()).toBe(1);
  expect((await outboxRow(eventId))?.published_at).not.toBeNull();
  await waitFor('the redelivery to be recognised as a duplicate', () =>
    log.entries.some((e) => e.msg?.startsWith('duplicate event skipped') && e.obj.eventId === eventId),
  );

  await barrier();
  expect(handled.filter((h) => h.eventId === eventId)).toHaveLength(1);
  expect(await countWhere('SELECT count(*) AS n FROM "applied" WHERE "event_id" = $1', [eventId])).toBe(1);
  expect(await countWhere('SELECT count(*) AS n FROM "processed_events" WHERE "event_id" = $1', [eventId])).toBe(1);
});

test('when Kafka is unreachable, then the rows stay unpublished with attempts and last_error, and are relayed once a working producer is used', async () => {
  const closedPort = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
  const deadKafka = createKafka({
    brokers: [`127.0.0.1:${closedPort}`],
    clientId: 'events-test-dead',
    log,
    connectionTimeout: 500,
    retry: { retries: 1, initialRetryTime: 100 },
  });
  const eventId = await registerThing(`outage-${randomName()}`);
  const deadRelay = createOutboxRelay({ db, producer: deadKafka.producer(), log });
  try {
    expect(await deadRelay.drainOnce()).toBe(0);
    expect(await deadRelay.drainOnce()).toBe(0);
  } finally {
    await deadKafka.disconnect();
  }

  const row = await outboxRow(eventId);
  expect(row?.published_at).toBeNull();
  expect(row?.attempts).toBe(2);
  expect(row?.last_error).toMatch(/connect|ECONNREFUSED|broker/i);
  expect(handled.some((h) => h.eventId === eventId)).toBe(false);

  expect(await createOutboxRelay({ db, producer, log }).drainOnce()).toBe(1);
  await waitFor('the event after the outage', () => handled.some((h) => h.eventId === eventId));
  const after = await outboxRow(eventId);
  expect(after?.published_at).not.toBeNull();
  expect(after?.attempts).toBe(2); // history of the outage is kept
});

test('when two relays drain the same outbox at the same time, then each event is sent once', async () => {
  const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => registerThing(`pair-${i}-${randomName()}`)));
  const [a, b] = await Promise.all([
    createOutboxRelay({ db, producer, log, batchSize: 50 }).drainOnce(),
    createOutboxRelay({ db, producer, log, batchSize: 50 }).drainOnce(),
  ]);
  // One relay gets the advisory lock and sends all 20; the other finds the outbox busy and sends none.
  expect([a, b].sort()).toEqual([0, 20]);
  await barrier();
  for (const id of ids) expect(handled.filter((h) => h.eventId === id)).toHaveLength(1);
  expect(log.entries.filter((e) => e.msg?.startsWith('duplicate event skipped') && ids.includes(e.obj.eventId as string))).toHaveLength(0);
});

test('when a round holds more bytes than one send may carry, then it goes out in several sends, in order, each event once', async () => {
  const subject = `big-${randomName()}`;
  const ids: string[] = [];
  let largest = 0;
  for (let i = 0; i < 12; i++) {
    const event = buildEvent(ThingRegistered, { source: 'events-test', subject, data: { thingId: `${subject}-${i}`, amountFen: i } });
    await db.transaction((tx) => appendToOutbox(tx, topics.events, event));
    ids.push(event.id);
    largest = Math.max(largest, JSON.stringify(event).length);
  }
  const sends: number[] = [];
  const counting: EventProducer = { ...producer, send: (topic, messages) => (sends.push(messages.length), producer.send(topic, messages)) };

  // Three events' JSON: never room for three rows (a row is its JSON plus key, id and headers).
  expect(await createOutboxRelay({ db, producer: counting, log, maxSendBytes: largest * 3 }).drainOnce()).toBe(12);
  expect(sends.length).toBeGreaterThanOrEqual(6);
  expect(Math.max(...sends)).toBeLessThanOrEqual(2);
  expect(sends.reduce((a, b) => a + b, 0)).toBe(12);
  await barrier();
  // One subject, so one partition: consumed in the order written, each once.
  expect(handled.filter((h) => ids.includes(h.eventId)).map((h) => h.eventId)).toEqual(ids);
});

test('when commits arrive within the linger after a wake, then one round sends them all together', async () => {
  const sends: number[] = [];
  const counting: EventProducer = { ...producer, send: (topic, messages) => (sends.push(messages.length), producer.send(topic, messages)) };
  const relay = createOutboxRelay({ db, producer: counting, log, pollIntervalMs: 5_000, lingerMs: 400 });
  relay.start();
  const ids: string[] = [];
  try {
    // Let the loop go idle on its long poll (its first round, and that round's linger, pass with nothing to send).
    await new Promise((r) => setTimeout(r, 700));
    sends.length = 0;
    for (let i = 0; i < 3; i++) {
      ids.push(await registerThing(`linger-${i}-${randomName()}`));
      relay.wake();
      await new Promise((r) => setTimeout(r, 50));
    }
    await waitFor('the three at the consumer', () => ids.every((id) => handled.some((h) => h.eventId === id)));
  } finally {
    await relay.stop();
  }
  expect(sends).toEqual([3]);
});
