/**
 * The workflow checks its input without zod (lifecycleInputOf, so zod is not evaluated again for every
 * cached workflow). It must give exactly what the contract's zod schema gives: the same object, key for
 * key and in the same order, for every input the schema accepts, and a refusal for every input it refuses.
 * A replayed lifecycle then starts from the same input it started from under the schema.
 */
import { LifecycleInput, lifecycleInputOf } from '@linli/contracts/src/workflows/project-lifecycle';

const valid = {
  projectId: '3f1d2c4b-5a6e-4f70-8a91-b2c3d4e5f607',
  level: 'community',
  title: '老兵俱乐部',
  subDistrictId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
  communityId: 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e',
  organizationId: 'c3d4e5f6-a7b8-4c9d-8e1f-2a3b4c5d6e7f',
  fiscalYear: 2026,
} as const;

/** The same input with one field replaced (or removed, for undefined). */
const withField = (base: Record<string, unknown>, key: string, value: unknown) => {
  const copy: Record<string, unknown> = { ...base };
  if (value === undefined) delete copy[key];
  else copy[key] = value;
  return copy;
};

const ODD_VALUES: unknown[] = [undefined, null, '', 'x', 0, -1, 1, 1.5, 2026, Number.NaN, 2 ** 60, true, [], {}, '2026', 'community'];
const UUIDS = ['00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '3F1D2C4B-5A6E-4F70-8A91-B2C3D4E5F607', '3f1d2c4b-5a6e-9f70-8a91-b2c3d4e5f607', '3f1d2c4b5a6e4f708a91b2c3d4e5f607', '3f1d2c4b-5a6e-4f70-7a91-b2c3d4e5f607'];
const DURATIONS: unknown[] = [{ workingDays: 3 }, { ms: 1000 }, { workingDays: 0 }, { ms: -5 }, { workingDays: 2, ms: 9 }, { ms: 9, workingDays: 0 }, { workingDays: 1.5 }, { days: 3 }, 'P3D', 5, null];
const DATETIMES: unknown[] = [
  '2026-12-20T18:00:00+08:00',
  '2026-12-20T10:00:00Z',
  '2026-12-20T10:00:00.123Z',
  '2024-02-29T00:00:00Z',
  '2026-02-29T00:00:00Z',
  '2026-04-31T00:00:00Z',
  '2026-12-20T24:00:00Z',
  '2026-12-20T10:00Z',
  '2026-12-20T10:00:00',
  '2026-12-20 10:00:00Z',
  '2026-12-20T10:00:00+0800',
  '2026-12-20',
  1_766_224_800_000,
];

function corpus(): unknown[] {
  const inputs: unknown[] = [valid, { ...valid, extra: 'dropped' }, null, 'input', [], {}];
  for (const key of [...Object.keys(valid), 'proposalVersion', 'policy']) {
    for (const value of [...ODD_VALUES, ...UUIDS]) inputs.push(withField(valid, key, value));
  }
  inputs.push(withField(valid, 'level', 'sub_district'), withField(valid, 'communityId', null));
  for (const key of ['reviewGate', 'revision', 'tenderStep', 'contract', 'signInSheet', 'activityReport', 'evaluation', 'payment']) {
    for (const value of DURATIONS) inputs.push({ ...valid, policy: { [key]: value } });
  }
  for (const value of DATETIMES) inputs.push({ ...valid, policy: { closeOutBy: value } });
  for (const value of [...ODD_VALUES, 99, 100, 12_000]) inputs.push({ ...valid, policy: { continueAsNewAfterEvents: value } });
  inputs.push({ ...valid, proposalVersion: 3, policy: { reviewGate: { ms: 50 }, closeOutBy: '2026-06-30T12:00:00+08:00', continueAsNewAfterEvents: 200, unknown: 1 } });
  return inputs;
}

type Outcome = { ok: true; json: string } | { ok: false };

const viaSchema = (input: unknown): Outcome => {
  const parsed = LifecycleInput.safeParse(input);
  return parsed.success ? { ok: true, json: JSON.stringify(parsed.data) } : { ok: false };
};
const viaWorkflowCheck = (input: unknown): Outcome => {
  try {
    return { ok: true, json: JSON.stringify(lifecycleInputOf(input)) };
  } catch {
    return { ok: false };
  }
};

test('the workflow’s input check gives what the zod schema gives, for each of several hundred inputs', () => {
  const inputs = corpus();
  expect(inputs.length).toBeGreaterThan(300);
  const differences = inputs.map((input) => ({ input, schema: viaSchema(input), workflow: viaWorkflowCheck(input) })).filter((r) => JSON.stringify(r.schema) !== JSON.stringify(r.workflow));
  expect(differences).toEqual([]);
  // Both kinds are in the corpus: accepted ones (with defaults filled) and refused ones.
  expect(inputs.filter((i) => viaSchema(i).ok).length).toBeGreaterThan(50);
  expect(inputs.filter((i) => !viaSchema(i).ok).length).toBeGreaterThan(100);
});

test('a refused input names every failing field', () => {
  expect(() => lifecycleInputOf({ ...valid, projectId: 'nope', fiscalYear: 'x', policy: { reviewGate: { days: 1 }, continueAsNewAfterEvents: 5 } })).toThrow(
    /projectId: .*fiscalYear: .*policy\.reviewGate: .*policy\.continueAsNewAfterEvents: /,
  );
});
