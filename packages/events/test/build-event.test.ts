import { EventEnvelope } from '@linli/contracts';
import { buildEvent, InvalidEventError } from '../src';
import { ThingRegistered } from './support/test-events';

test('when an event is built, then it is a valid envelope with a fresh id, the subject as key and the time of building', () => {
  const now = new Date('2025-03-01T08:00:00.000Z');
  const actor = { userId: 'u-1', role: 'community-secretary' };
  const a = buildEvent(ThingRegistered, { source: 'communities', subject: 'thing-1', actor, correlationId: 'req-9', data: { thingId: 'thing-1', amountFen: 200 } }, now);
  const b = buildEvent(ThingRegistered, { source: 'communities', subject: 'thing-1', data: { thingId: 'thing-1', amountFen: 200 } }, now);

  expect(EventEnvelope.parse(a)).toEqual(a);
  expect(a).toMatchObject({ type: 'test.thing.registered', version: 1, source: 'communities', subject: 'thing-1', occurredAt: '2025-03-01T08:00:00.000Z', actor, correlationId: 'req-9', data: { thingId: 'thing-1', amountFen: 200 } });
  expect(a.id).not.toBe(b.id);
  expect(b).not.toHaveProperty('actor');
  expect(b).not.toHaveProperty('correlationId');
});

test('when the data breaks the event definition, then building throws naming the field', () => {
  const build = () => buildEvent(ThingRegistered, { source: 'communities', subject: 's', data: { thingId: 't', amountFen: 1.5 } });
  expect(build).toThrow(InvalidEventError);
  expect(build).toThrow(/test\.thing\.registered@1: data\.amountFen: /);
});

test('when the envelope itself would be invalid (empty subject), then building throws', () => {
  expect(() => buildEvent(ThingRegistered, { source: 'communities', subject: '', data: { thingId: 't', amountFen: 1 } })).toThrow(/subject: /);
});
