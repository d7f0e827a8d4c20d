import { createHash } from 'node:crypto';

// Pure: the audit trail's hash chain — the canonical form of an entry, its hash, and the check that walks a
// chain. No I/O here; the repository locks and stores, this decides what is hashed and what is broken.

/** What the first entry links to. */
export const GENESIS_HASH = '0'.repeat(64);

export type AuditOutcome = 'ok' | 'refused' | 'forbidden' | 'failed';
/** before/after of an entry: plain JSON whose numbers are safe integers (a decimal travels as a string). */
export type AuditState = Record<string, unknown>;

/** Everything an entry says: exactly these fields are hashed. */
export interface AuditContent {
  seq: number;
  id: string;
  at: string;
  recordedAt: string;
  projectId: string | null;
  actor: { userId: string; role: string; scope: string };
  action: string;
  reason: string;
  outcome: AuditOutcome;
  error: string | null;
  batchId: string | null;
  before: AuditState | null;
  after: AuditState | null;
  source: { service: string; eventId: string; type: string | null };
}

/** An entry on the chain. */
export interface AuditRecord extends AuditContent {
  prevHash: string;
  hash: string;
}

/** An entry before it joins the chain (the chain gives it its seq, recordedAt and hashes). */
export type AuditDraft = Omit<AuditContent, 'seq' | 'recordedAt'>;

export class CanonicalJsonError extends Error {
  override name = 'CanonicalJsonError';
}

/**
 * Canonical JSON, so the same content always hashes the same, whatever produced it (a JS object, or the same
 * object read back from jsonb, which reorders keys): object keys sorted (by UTF-16 code units, recursively),
 * no whitespace, strings escaped as JSON.stringify does, members whose value is undefined left out (as JSON
 * does). Numbers must be safe integers — money is integer fen, and a float (0.1 + 0.2, 1e21) has more than one
 * reasonable printing — so a decimal must be given as a string; NaN, Infinity, bigint, Dates, class instances
 * and undefined inside arrays are refused rather than guessed at.
 */
export function canonicalJson(value: unknown, path = '$'): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isSafeInteger(value)) throw new CanonicalJsonError(`${path}: ${value} is not a safe integer (give decimals as strings)`);
      return String(value); // String(-0) is '0'
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value
          .map((item, i) => {
            if (item === undefined) throw new CanonicalJsonError(`${path}[${i}]: undefined has no JSON form`);
            return canonicalJson(item, `${path}[${i}]`);
          })
          .join(',')}]`;
      }
      const proto = Object.getPrototypeOf(value) as object | null;
      if (proto !== Object.prototype && proto !== null) throw new CanonicalJsonError(`${path}: only plain objects (got ${proto.constructor?.name ?? 'an instance'})`);
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k], `${path}.${k}`)}`).join(',')}}`;
    }
    default:
      throw new CanonicalJsonError(`${path}: a ${typeof value} has no JSON form`);
  }
}

/** The hashed fields of an entry, picked one by one so nothing else (labels, bookkeeping) can slip in. */
function contentOf(e: AuditContent): AuditContent {
  return {
    seq: e.seq,
    id: e.id,
    at: e.at,
    recordedAt: e.recordedAt,
    projectId: e.projectId,
    actor: { userId: e.actor.userId, role: e.actor.role, scope: e.actor.scope },
    action: e.action,
    reason: e.reason,
    outcome: e.outcome,
    error: e.error,
    batchId: e.batchId,
    before: e.before,
    after: e.after,
    source: { service: e.source.service, eventId: e.source.eventId, type: e.source.type },
  };
}

/** sha256(prevHash + canonical JSON of the content), hex. */
export function entryHash(prevHash: string, content: AuditContent): string {
  return createHash('sha256').update(prevHash, 'utf8').update(canonicalJson(contentOf(content)), 'utf8').digest('hex');
}

/** The chain's last link, as its head row keeps it. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** Timestamps as the database keeps them (timestamptz(3)): milliseconds, UTC. */
export const isoMillis = (at: string | Date): string => new Date(at).toISOString();

/** The draft as the next link after `head` (null: the first entry). */
export function sealEntry(draft: AuditDraft, head: ChainHead | null, recordedAt: Date): AuditRecord {
  const prevHash = head?.hash ?? GENESIS_HASH;
  const content: AuditContent = { ...draft, at: isoMillis(draft.at), seq: (head?.seq ?? 0) + 1, recordedAt: isoMillis(recordedAt) };
  // Refuse now what could never be verified later (a float in before/after, say): the append fails loudly.
  return { ...contentOf(content), prevHash, hash: entryHash(prevHash, content) };
}

export interface ChainBreak {
  seq: number;
  /** The hash the chain says this entry must have (null for a missing entry). */
  expectedHash: string | null;
  /** The hash stored with it (null for a missing entry). */
  storedHash: string | null;
  reason: string;
}

/**
 * Walks a chain entry by entry in seq order, holding only the last link: feed it batches, then ask `finish`
 * with the head row. The first break is the answer; nothing after it can be trusted either.
 */
export function createChainVerifier() {
  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  let checked = 0;
  return {
    get entries() {
      return checked;
    },
    check(entry: AuditRecord): ChainBreak | null {
      if (entry.seq !== expectedSeq) {
        return {
          seq: expectedSeq,
          expectedHash: null,
          storedHash: null,
          reason: `第 ${expectedSeq} 条缺失：第 ${expectedSeq - 1} 条之后直接是第 ${entry.seq} 条 (entry ${expectedSeq} is missing)`,
        };
      }
      let expected: string;
      try {
        expected = entryHash(prev, entry);
      } catch (error) {
        return { seq: entry.seq, expectedHash: null, storedHash: entry.hash, reason: `内容无法规范化，写入后被改动 (content is not canonical: ${(error as Error).message})` };
      }
      if (entry.prevHash !== prev) {
        return {
          seq: entry.seq,
          expectedHash: expected,
          storedHash: entry.hash,
          reason: `与上一条不衔接：记录的前一哈希不是第 ${entry.seq - 1} 条的哈希（条目被删除、替换或调换了顺序）(prevHash does not match entry ${entry.seq - 1})`,
        };
      }
      if (expected !== entry.hash) {
        return { seq: entry.seq, expectedHash: expected, storedHash: entry.hash, reason: '内容与哈希不符：此条在写入后被改动 (content does not match its hash)' };
      }
      prev = entry.hash;
      expectedSeq += 1;
      checked += 1;
      return null;
    },
    /** After the last entry: does the chain end where its head says it does? */
    finish(head: ChainHead | null): ChainBreak | null {
      const last = expectedSeq - 1;
      if (!head) {
        return last === 0 ? null : { seq: last, expectedHash: null, storedHash: prev, reason: '链头记录缺失 (the chain head row is missing)' };
      }
      if (head.seq > last) {
        return {
          seq: expectedSeq,
          expectedHash: head.seq === expectedSeq ? head.hash : null,
          storedHash: null,
          reason: `第 ${expectedSeq}${head.seq > expectedSeq ? `–${head.seq}` : ''} 条缺失：链头记录共 ${head.seq} 条 (entries cut off the end)`,
        };
      }
      if (head.hash !== prev) {
        return { seq: last, expectedHash: head.hash, storedHash: prev, reason: `最后一条与链头不符 (entry ${last} does not match the chain head)` };
      }
      return null;
    },
  };
}
