import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { linliDataConverter, temporalSettingsFromEnv } from '@linli/temporal';
import { Worker } from '@temporalio/worker';

/**
 * Determinism guard: recorded histories of every lifecycle path (test/histories, made by running the
 * workflow tests with RECORD_HISTORIES=1) must replay on the current workflow code without a
 * nondeterminism error. A change to running workflow code that would break them must be guarded with
 * patched() — and the recordings are kept, not re-recorded, so old executions stay covered.
 */
const dir = path.join(__dirname, 'histories');
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
// Histories are stored sealed by the payload codec (recorded with the development key); the older
// recordings, made before the codec, are in clear and pass through its decode unchanged.
const dataConverter = linliDataConverter(temporalSettingsFromEnv().codec);

describe('workflow replay', () => {
  it('when histories were recorded, then there is one for every lifecycle path', () => {
    expect(files.sort()).toEqual(
      [
        'approved-straight-through-announced.json',
        'approved-straight-through.json',
        'deadline-escalated.json',
        'invalid-updates-refused.json',
        'overdue-deliverable.json',
        'parked-admin-retry.json',
        'payments-frozen-released.json',
        'rejected.json',
        'returned-at-joint_review.json',
        'sealed-payloads.json',
        'tender-retendered.json',
        'terminated-settled.json',
        'terminated-settled-final-tranche.json',
        'terminated-nothing-owed.json',
      ].sort(),
    );
  });

  it.each(files)('when %s is replayed on the current code, then it is deterministic', async (file) => {
    const { workflowId, history } = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { workflowId: string; history: unknown };
    await Worker.runReplayHistory({ workflowsPath: require.resolve('../src/workflows'), replayName: file, dataConverter }, history, workflowId);
  });
});
