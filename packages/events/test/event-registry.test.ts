import { defineEvent } from '@linli/contracts';
import { z } from 'zod';
import { buildEvent, classifyMessage, createEventRegistry, isEvent } from '../src';
import { SomethingElse, ThingRegistered } from './support/test-events';

const ThingRegisteredV2 = defineEvent({ ...ThingRegistered, version: 2, data: z.object({ thingId: z.string(), amountFen: z.number().int(), note: z.string() }) });
const registry = createEventRegistry([ThingRegistered, ThingRegisteredV2]);

test('when a registry is built, then it finds definitions by type and version and lists versions', () => {
  expect(registry.get('test.thing.registered', 2)).toBe(ThingRegisteredV2);
  expect(registry.get('test.thing.registered', 3)).toBeUndefined();
  expect(registry.has('test.thing.registered')).toBe(true);
  expect(registry.has(SomethingElse.type)).toBe(false);
  expect(registry.versions('test.thing.registered')).toEqual([1, 2]);
});

test('when two different schemas claim one type and version, then the registry refuses them', () => {
  const clash = defineEvent({ ...ThingRegistered, data: z.object({}) });
  expect(() => createEventRegistry([ThingRegistered, clash])).toThrow('two different definitions for test.thing.registered@1');
  expect(() => createEventRegistry([ThingRegistered, ThingRegistered])).not.toThrow();
});

test('when messages are classified, then unknown types are ignored and unreadable ones dead-lettered with the field', () => {
  const good = buildEvent(ThingRegistered, { source: 's', subject: 'x', data: { thingId: 'x', amountFen: 1 } });
  const verdict = classifyMessage(Buffer.from(JSON.stringify(good)), registry);
  expect(verdict).toMatchObject({ kind: 'apply', definition: ThingRegistered, event: good });
  if (verdict.kind === 'apply') expect(isEvent(ThingRegistered, verdict.event) && verdict.event.data.amountFen).toBe(1);

  const other = buildEvent(SomethingElse, { source: 's', subject: 'x', data: {} });
  expect(classifyMessage(Buffer.from(JSON.stringify(other)), registry)).toEqual({ kind: 'ignore', type: SomethingElse.type });
  expect(classifyMessage(null, registry)).toEqual({ kind: 'dead-letter', reason: 'message has no value' });
  expect(classifyMessage(Buffer.from(JSON.stringify({ ...good, version: 2 })), registry)).toEqual({
    kind: 'dead-letter',
    reason: 'invalid data for test.thing.registered@2: data.note: Invalid input: expected string, received undefined',
  });
  expect(classifyMessage(Buffer.from(JSON.stringify({ ...good, id: 'nope' })), registry)).toMatchObject({ kind: 'dead-letter', reason: expect.stringMatching(/^invalid envelope: id: /) });
});
