import { createHash, randomUUID } from 'node:crypto';
import { buildEvent } from '@linli/events';
import { ActivityVerified, EvaluationCompleted, PaymentsFrozen, ReviewDecisionRecorded, ServiceFundAllocated, TranchePaid } from '@linli/contracts';
import { CanonicalJsonError, GENESIS_HASH, canonicalJson, createChainVerifier, entryHash, sealEntry, type AuditDraft, type AuditRecord } from '../src/domain/audit-chain';
import { AUDITED_EVENT_TYPES, AUDIT_ACTION_LABELS, auditDraftOfEvent } from '../src/domain/audit-decisions';

const P = '11111111-1111-4111-8111-111111111111';
const reviewer = { userId: 'u-sun', role: 'subdistrict_reviewer', scope: 'sub-district:22222222-2222-4222-8222-222222222222' };

function draft(n: number, overrides: Partial<AuditDraft> = {}): AuditDraft {
  return {
    id: randomUUID(),
    at: new Date(Date.UTC(2026, 2, 1, 8, 0, n)).toISOString(),
    projectId: P,
    actor: reviewer,
    action: 'proposal.review.pre',
    reason: `第 ${n} 条：预算合理`,
    outcome: 'ok',
    error: null,
    batchId: null,
    before: { gate: 'pre_review', version: 1 },
    after: { outcome: 'approve', amountFen: 1_000_000 + n },
    source: { service: 'communities', eventId: randomUUID(), type: 'communities.proposal.decision-recorded' },
    ...overrides,
  };
}

/** A chain of n entries, each sealed onto the one before. */
function chain(n: number): AuditRecord[] {
  const out: AuditRecord[] = [];
  for (let i = 1; i <= n; i++) out.push(sealEntry(draft(i), out[out.length - 1] ?? null, new Date(Date.UTC(2026, 2, 1, 9, 0, i))));
  return out;
}

function verify(entries: AuditRecord[], head = entries.length ? { seq: entries[entries.length - 1]!.seq, hash: entries[entries.length - 1]!.hash } : null) {
  const v = createChainVerifier();
  for (const e of entries) {
    const broken = v.check(e);
    if (broken) return { broken, entries: v.entries };
  }
  return { broken: v.finish(head), entries: v.entries };
}

describe('canonical JSON', () => {
  it('when keys come in any order or nesting, then the text is the same: sorted keys, no whitespace', () => {
    const a = { b: 1, a: { y: [3, { d: true, c: null }], x: '二' } };
    const b = { a: { x: '二', y: [3, { c: null, d: true }] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"x":"二","y":[3,{"c":null,"d":true}]},"b":1}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
    // jsonb gives keys back shortest first; the canonical form does not care.
    expect(canonicalJson(JSON.parse('{"zz":1,"a":2}'))).toBe('{"a":2,"zz":1}');
  });

  it('when strings hold quotes, newlines or non-Latin text, then they are escaped exactly as JSON does, and arrays keep their order', () => {
    expect(canonicalJson({ s: '他说"好"\n' })).toBe('{"s":"他说\\"好\\"\\n"}');
    expect(canonicalJson([2, 1])).toBe('[2,1]');
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  it('when a member is undefined, then it is left out, as JSON leaves it; -0 prints as 0', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(canonicalJson({ n: -0 })).toBe('{"n":0}');
  });

  it('when a value has no single printing (a float, NaN, Infinity, an unsafe integer, a bigint, a Date, undefined in an array), then it is refused with its path', () => {
    expect(() => canonicalJson({ after: { score: 87.5 } })).toThrow(new CanonicalJsonError('$.after.score: 87.5 is not a safe integer (give decimals as strings)'));
    expect(() => canonicalJson({ x: 0.1 + 0.2 })).toThrow(CanonicalJsonError);
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, 10n, new Date(0), [undefined], () => 1]) {
      expect(() => canonicalJson({ v: bad })).toThrow(CanonicalJsonError);
    }
    expect(canonicalJson({ score: '87.5', fen: 9_007_199_254_740_991 })).toBe('{"fen":9007199254740991,"score":"87.5"}');
  });
});

describe('the hash chain', () => {
  it('when an entry is sealed, then its hash is sha256(prevHash + canonical JSON of exactly its content fields), and it links to the one before', () => {
    const [first, second] = chain(2) as [AuditRecord, AuditRecord];
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
    const { prevHash, hash, ...content } = second;
    expect(hash).toBe(createHash('sha256').update(prevHash + canonicalJson(content)).digest('hex'));
    // Fields beside the content (a label added by a view) do not change the hash.
    expect(entryHash(prevHash, { ...second, actionLabel: '预审会决定' } as AuditRecord)).toBe(hash);
  });

  it('when the same content is read back with keys reordered and timestamps as the database prints them, then the hash is the same', () => {
    const [e] = chain(1) as [AuditRecord];
    const roundTrip = JSON.parse(JSON.stringify({ ...e, before: JSON.parse('{"version":1,"gate":"pre_review"}') })) as AuditRecord;
    expect(entryHash(GENESIS_HASH, roundTrip)).toBe(e.hash);
  });

  it('when before/after holds a float, then sealing refuses it (it could never be verified later)', () => {
    expect(() => sealEntry(draft(1, { after: { score: 87.5 } }), null, new Date())).toThrow(CanonicalJsonError);
  });

  it('when the chain is intact, then the verifier passes every entry and the head', () => {
    expect(verify(chain(5))).toEqual({ broken: null, entries: 5 });
    expect(verify([], null)).toEqual({ broken: null, entries: 0 });
  });

  it('when a reason is changed, then that entry is the first broken one, with the hash it should have and the hash it has', () => {
    const c = chain(5);
    c[2] = { ...c[2]!, reason: '改过的理由' };
    const { broken } = verify(c);
    expect(broken).toMatchObject({ seq: 3, storedHash: c[2]!.hash, reason: expect.stringContaining('内容与哈希不符') });
    expect(broken!.expectedHash).not.toBe(c[2]!.hash);
  });

  it('when an entry is deleted, then the verifier names the missing seq', () => {
    const c = chain(5);
    const { broken } = verify([...c.slice(0, 2), ...c.slice(3)]);
    expect(broken).toMatchObject({ seq: 3, expectedHash: null, storedHash: null, reason: expect.stringContaining('第 3 条缺失') });
  });

  it('when two entries swap places (their seq exchanged), then the first of them is broken', () => {
    const c = chain(5);
    const swapped = [c[0]!, { ...c[2]!, seq: 2 }, { ...c[1]!, seq: 3 }, c[3]!, c[4]!];
    expect(verify(swapped).broken).toMatchObject({ seq: 2, reason: expect.stringContaining('不衔接') });
  });

  it('when an entry is rewritten with a fresh hash, then the next entry no longer links to it', () => {
    const c = chain(4);
    const forged = { ...c[1]!, reason: '伪造' };
    forged.hash = entryHash(forged.prevHash, forged);
    expect(verify([c[0]!, forged, c[2]!, c[3]!]).broken).toMatchObject({ seq: 3, reason: expect.stringContaining('不衔接') });
  });

  it('when the last entries are cut off, then the head still counts them: the first missing seq is named', () => {
    const c = chain(5);
    const head = { seq: 5, hash: c[4]!.hash };
    expect(verify(c.slice(0, 4), head).broken).toMatchObject({ seq: 5, expectedHash: c[4]!.hash, storedHash: null });
    expect(verify(c.slice(0, 2), head).broken).toMatchObject({ seq: 3, expectedHash: null, reason: expect.stringContaining('第 3–5 条缺失') });
    expect(verify(c, null).broken).toMatchObject({ seq: 5, reason: expect.stringContaining('链头记录缺失') });
  });
});

describe('which events are decisions', () => {
  const finance = { userId: 'u-cai', role: 'finance', scope: 'sub-district:s' };

  it('when a reviewer records a decision, then the entry says who, which gate, the outcome and the reasons, from the service and event it came from', () => {
    const event = buildEvent(ReviewDecisionRecorded, {
      source: 'communities',
      subject: P,
      actor: reviewer,
      data: { projectId: P, version: 2, gate: 'joint_review', outcome: 'return', reasons: '大巴租车单价偏高', decidedBy: 'u-sun', decidedAt: new Date().toISOString() },
    });
    const id = randomUUID();
    expect(auditDraftOfEvent(event, id)).toEqual({
      id,
      at: event.occurredAt,
      projectId: P,
      actor: reviewer,
      action: 'proposal.review.joint',
      reason: '大巴租车单价偏高',
      outcome: 'ok',
      error: null,
      batchId: null,
      before: { gate: 'joint_review', gateLabel: '联审会', version: 2 },
      after: { outcome: 'return', outcomeLabel: '打回修改', version: 2 },
      source: { service: 'communities', eventId: event.id, type: 'communities.proposal.decision-recorded' },
    });
  });

  it('when the system acted, or an activity was verified automatically, or the event is a record of work, then it is no decision', () => {
    const system = { userId: 'system:workflow', role: 'system', scope: 'platform:linli' };
    const frozen = { contractId: randomUUID(), projectId: P, freezeId: randomUUID(), kind: 'finding' as const, findingId: randomUUID(), reason: '严重问题', frozenAt: new Date().toISOString() };
    expect(auditDraftOfEvent(buildEvent(PaymentsFrozen, { source: 'payments', subject: P, actor: system, data: frozen }), randomUUID())).toBeNull();
    expect(auditDraftOfEvent(buildEvent(PaymentsFrozen, { source: 'payments', subject: P, data: frozen }), randomUUID())).toBeNull();
    expect(auditDraftOfEvent(buildEvent(PaymentsFrozen, { source: 'payments', subject: P, actor: { userId: 'u-li', role: 'supervisor', scope: 'agency:a' }, data: frozen }), randomUUID())).toMatchObject({
      action: 'payment.freeze',
      reason: '严重问题',
      before: { frozen: false },
      after: { frozen: true },
    });
    const activity = { activityId: randomUUID(), contractId: randomUUID(), projectId: P, organizationId: randomUUID(), activityKey: 'A1', status: 'verified' as const, discrepancyRate: 0.125 };
    expect(auditDraftOfEvent(buildEvent(ActivityVerified, { source: 'supervision', subject: P, actor: finance, data: { ...activity, mode: 'auto' } }), randomUUID())).toBeNull();
    expect(auditDraftOfEvent(buildEvent(ActivityVerified, { source: 'supervision', subject: P, actor: finance, data: { ...activity, mode: 'manual' } }), randomUUID())?.after).toMatchObject({ discrepancyRate: '0.125' });
    const paid = { contractId: randomUUID(), projectId: P, trancheId: randomUUID(), kind: 'start_up' as const, amountFen: 1, subDistrictId: randomUUID(), communityId: null, paidAt: new Date().toISOString() };
    expect(auditDraftOfEvent(buildEvent(TranchePaid, { source: 'payments', subject: P, actor: finance, data: paid }), randomUUID())).toBeNull();
  });

  it('when decimals (a score) or an action on no project (a fund allocated) are recorded, then the score is a string and projectId is null; every entry seals', () => {
    const evaluation = buildEvent(EvaluationCompleted, {
      source: 'supervision',
      subject: P,
      actor: { userId: 'u-li', role: 'supervisor', scope: 'agency:a' },
      data: { evaluationId: randomUUID(), contractId: randomUUID(), projectId: P, organizationId: randomUUID(), kind: 'year_end', score: 86.5, grade: 'good', passed: true },
    });
    const e = auditDraftOfEvent(evaluation, randomUUID())!;
    expect(e).toMatchObject({ action: 'evaluation.year-end', after: { score: '86.5', grade: 'good', gradeLabel: '良', passed: true } });
    const fund = buildEvent(ServiceFundAllocated, {
      source: 'communities',
      subject: randomUUID(),
      actor: finance,
      data: { fundId: randomUUID(), subDistrictId: randomUUID(), communityId: null, fiscalYear: 2026, allocatedFen: 500_000_00, committedFen: 0, spentFen: 0, remainingFen: 500_000_00, previousAllocatedFen: 400_000_00 },
    });
    const f = auditDraftOfEvent(fund, randomUUID())!;
    expect(f).toMatchObject({ action: 'fund.allocate', projectId: null, before: { allocatedFen: 400_000_00 }, after: { allocatedFen: 500_000_00 } });
    expect(() => sealEntry(e, null, new Date())).not.toThrow();
    expect(() => sealEntry(f, null, new Date())).not.toThrow();
  });

  it('when an action has a label, then it is in Chinese', () => {
    expect(AUDITED_EVENT_TYPES.length).toBeGreaterThan(25);
    for (const code of Object.keys(AUDIT_ACTION_LABELS)) expect(AUDIT_ACTION_LABELS[code]).toMatch(/[\u4e00-\u9fff]/);
  });
});
