import { randomUUID } from 'node:crypto';
import { findPlantedNumbers, textOf } from '@linli/testing';
import { ENCRYPTED_ENCODING, KEY_ID_METADATA, temporalSettingsFromEnv } from '@linli/temporal';
import { ApplicationFailure } from '@temporalio/activity';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { LIFECYCLE_QUERIES, trancheWorkflowId } from '@linli/contracts';
import { actors, startLifecycleHarness, type Lifecycle } from './lifecycle-harness';

/**
 * Temporal payloads on the real server: a phone number typed into a lifecycle's title, a review reason and
 * a service's error reaches the workflow through the encrypting client and worker; the server stores
 * ciphertext only (read back by a client without the codec), while the codec opens every bit of it.
 */
const PHONE = '13933170003';
const settings = temporalSettingsFromEnv();
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

let h: Awaited<ReturnType<typeof startLifecycleHarness>>;
let raw: Client;
let rawConnection: Connection;
let p: Lifecycle;
let failedOnce = false;

beforeAll(async () => {
  h = await startLifecycleHarness({
    activities: {
      // Like a service whose problem detail quotes what a person typed: the error lands in the history.
      async requestTranche(input) {
        if (!failedOnce) {
          failedOnce = true;
          throw ApplicationFailure.create({ type: 'http-422', message: `收款账户联系人电话 ${PHONE} 与登记不符`, nonRetryable: true });
        }
        return h.mocks.impl.requestTranche(input);
      },
    },
  });
  rawConnection = await Connection.connect({ address: settings.address });
  // No data converter: what any reader of the server (its database, `temporal workflow show`, the UI) sees.
  raw = new Client({ connection: rawConnection, namespace: settings.namespace });

  p = await h.start({ title: `延静里社区老兵俱乐部（联系人 ${PHONE}）` });
  await p.update('submit', { version: 1, by: actors.secretary });
  await p.decide('pre_review', 'approve', actors.reviewer, 1, { reasons: `材料齐全，社区联系人 ${PHONE}` });
});
afterAll(async () => {
  await rawConnection?.close();
  await h?.stop();
});

/** Every Payload in a history (or any proto message), wherever it sits. */
function payloadsIn(value: unknown, found: Payload[] = []): Payload[] {
  if (!value || typeof value !== 'object' || value instanceof Uint8Array) return found;
  const v = value as Record<string, unknown>;
  if (v.metadata && typeof v.metadata === 'object' && 'data' in v) found.push(v as Payload);
  for (const key of Object.keys(v)) payloadsIn(v[key], found);
  return found;
}

describe('Temporal payloads are sealed by the codec', () => {
  /** The lifecycle's history and its start-up tranche's (a child workflow, where the activity failed). */
  let histories: Awaited<ReturnType<WorkflowHandle['fetchHistory']>>[];

  beforeAll(async () => {
    await p.decide('joint_review', 'approve', actors.reviewer);
    await p.decide('committee', 'approve', actors.committee, 1, { plannedActivities: [{ activityKey: 'A1', endsOn: '2026-08-01' }] });
    await p.update('contractSigned', { contractId: randomUUID(), amountFen: 100_000_00, startsOn: '2026-03-01', endsOn: '2026-12-31', by: actors.reviewer });
    await p.waitFor('the failed tranche to park the step', (s) => s.parked !== null);
    histories = await Promise.all(
      [p.handle.workflowId, trancheWorkflowId(p.handle.workflowId, 'start_up')].map((id) => raw.workflow.getHandle(id).fetchHistory()),
    );
  });

  it('when the history is read without the codec, then the number is nowhere: inputs, updates, activities, failures are all ciphertext', () => {
    expect(findPlantedNumbers(textOf(histories), [PHONE])).toEqual([]);
    const payloads = payloadsIn(histories);
    // Search attributes are the one clear part (ids and stages for visibility queries); everything else is sealed.
    const clear = payloads.filter((x) => text(x.metadata?.encoding) !== ENCRYPTED_ENCODING);
    expect(clear.length).toBeGreaterThan(0);
    for (const payload of clear) expect(text(payload.data)).not.toMatch(/[\u4e00-\u9fa5]/);
    const sealed = payloads.filter((x) => text(x.metadata?.encoding) === ENCRYPTED_ENCODING);
    expect(sealed.length).toBeGreaterThan(10);
    expect(new Set(sealed.map((x) => text(x.metadata?.[KEY_ID_METADATA])))).toEqual(new Set(['dev-1']));
    // The activity's failure kept its type for retry decisions, but its message went into the sealed attributes.
    const failed = histories[1]!.events!.find((e) => e.activityTaskFailedEventAttributes)!.activityTaskFailedEventAttributes!.failure!;
    expect(failed.message).toBe('Encoded failure');
    expect(text(failed.encodedAttributes!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
  });

  it('when the same history is decoded with the codec, then the title, the reason and the error are there', async () => {
    const decoded = await settings.codec.decode(payloadsIn(histories));
    const all = textOf(decoded);
    expect(all).toContain(`延静里社区老兵俱乐部（联系人 ${PHONE}）`);
    expect(all).toContain(`材料齐全，社区联系人 ${PHONE}`);
    expect(all).toContain(`收款账户联系人电话 ${PHONE} 与登记不符`);
  });

  it('when the state and the current details are queried, then the codec client reads them and a client without it gets ciphertext', async () => {
    const state = await p.state();
    expect(state.parked?.error).toContain(PHONE);
    expect(state.currentDetails).toContain(PHONE);
    await expect(raw.workflow.getHandle(p.handle.workflowId).query(LIFECYCLE_QUERIES.state)).rejects.toThrow(/binary\/encrypted/);
    const metadata = await rawConnection.workflowService.queryWorkflow({
      namespace: settings.namespace,
      execution: { workflowId: p.handle.workflowId },
      query: { queryType: '__temporal_workflow_metadata' },
    });
    const [result] = metadata.queryResult!.payloads!;
    expect(text(result!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(result!.data)).not.toContain(PHONE);
  });

  it('when an admin retries the parked step, then the lifecycle goes on (the sealed failure decoded to its reason)', async () => {
    await p.update('admin', { action: 'retry', reason: '财务已核对收款账户', by: actors.admin });
    await p.waitFor('delivery after the retry', (s) => s.stage === 'in_delivery');
    await p.record('sealed-payloads');
  });
});
