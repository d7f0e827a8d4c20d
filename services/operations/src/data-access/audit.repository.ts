import { GENESIS_HASH, type AuditOutcome, type AuditRecord, type AuditState, type ChainHead } from '../domain/audit-chain';
import type { OperationsTx } from './prisma';
import { Prisma, type AuditEntry } from './generated/prisma/client';

export interface AuditFilter {
  projectId?: string;
  actorUserId?: string;
  action?: string;
  /** occurred at or after */
  from?: string;
  /** occurred before */
  to?: string;
}

export type AuditOrder = 'newest' | 'oldest';

function toRecord(row: AuditEntry): AuditRecord {
  return {
    seq: Number(row.seq),
    id: row.id,
    at: row.at.toISOString(),
    recordedAt: row.recordedAt.toISOString(),
    projectId: row.projectId,
    actor: { userId: row.actorUserId, role: row.actorRole, scope: row.actorScope },
    action: row.action,
    reason: row.reason,
    outcome: row.outcome as AuditOutcome,
    error: row.error,
    batchId: row.batchId,
    before: row.before as AuditState | null,
    after: row.after as AuditState | null,
    source: { service: row.sourceService, eventId: row.sourceEventId, type: row.sourceType },
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

const json = (v: AuditState | null) => (v === null ? Prisma.DbNull : (v as Prisma.InputJsonObject));

/**
 * The audit chain (audit_entries + its head row). Append-only by construction: entries can be appended and
 * read, never updated or deleted — no such method exists. The head row is the one thing that moves.
 */
export function auditRepository(tx: OperationsTx) {
  return {
    /**
     * Appends at the end of the chain, inside the caller's transaction: locks the head row (concurrent appends
     * queue here until this transaction ends, so the chain never forks and seq has no gaps), then — unless an
     * entry from the same source is already on the chain (a redelivered event: that one is returned) — lets
     * `seal` build the entry from the head, inserts it and moves the head.
     */
    async append(source: { service: string; eventId: string }, seal: (head: ChainHead) => AuditRecord): Promise<{ entry: AuditRecord; created: boolean }> {
      // The first append ever creates the head; ON CONFLICT waits for a concurrent creator and then does nothing.
      await tx.$executeRaw`INSERT INTO audit_chain_head (id, seq, hash, updated_at) VALUES (1, 0, ${GENESIS_HASH}, now()) ON CONFLICT (id) DO NOTHING`;
      const [head] = await tx.$queryRaw<{ seq: bigint; hash: string }[]>`SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE`;
      const existing = await tx.auditEntry.findUnique({ where: { sourceService_sourceEventId: { sourceService: source.service, sourceEventId: source.eventId } } });
      if (existing) return { entry: toRecord(existing), created: false };
      const e = seal({ seq: Number(head!.seq), hash: head!.hash });
      await tx.auditEntry.create({
        data: {
          seq: BigInt(e.seq),
          id: e.id,
          at: new Date(e.at),
          recordedAt: new Date(e.recordedAt),
          projectId: e.projectId,
          actorUserId: e.actor.userId,
          actorRole: e.actor.role,
          actorScope: e.actor.scope,
          action: e.action,
          reason: e.reason,
          outcome: e.outcome,
          error: e.error,
          batchId: e.batchId,
          before: json(e.before),
          after: json(e.after),
          sourceService: e.source.service,
          sourceEventId: e.source.eventId,
          sourceType: e.source.type,
          prevHash: e.prevHash,
          hash: e.hash,
        },
      });
      await tx.auditChainHead.update({ where: { id: 1 }, data: { seq: BigInt(e.seq), hash: e.hash, updatedAt: new Date(e.recordedAt) } });
      return { entry: e, created: true };
    },

    /** A page of entries in chain order (newest: seq descending), after the cursor's seq. */
    async list(filter: AuditFilter, page: { limit: number; order: AuditOrder; afterSeq?: number }): Promise<AuditRecord[]> {
      const newest = page.order === 'newest';
      const rows = await tx.auditEntry.findMany({
        where: {
          ...(filter.projectId ? { projectId: filter.projectId } : {}),
          ...(filter.actorUserId ? { actorUserId: filter.actorUserId } : {}),
          ...(filter.action ? { action: filter.action } : {}),
          ...(filter.from || filter.to ? { at: { ...(filter.from ? { gte: new Date(filter.from) } : {}), ...(filter.to ? { lt: new Date(filter.to) } : {}) } } : {}),
          ...(page.afterSeq !== undefined ? { seq: newest ? { lt: BigInt(page.afterSeq) } : { gt: BigInt(page.afterSeq) } } : {}),
        },
        orderBy: { seq: newest ? 'desc' : 'asc' },
        take: page.limit,
      });
      return rows.map(toRecord);
    },

    /** The chain from seq afterSeq+1 up to upToSeq, in order, at most `limit` entries (verification reads it in batches). */
    async chain(afterSeq: number, upToSeq: number, limit: number): Promise<AuditRecord[]> {
      const rows = await tx.auditEntry.findMany({ where: { seq: { gt: BigInt(afterSeq), lte: BigInt(upToSeq) } }, orderBy: { seq: 'asc' }, take: limit });
      return rows.map(toRecord);
    },

    /** The head row: the last seq and hash (null before the first append). */
    async head(): Promise<ChainHead | null> {
      const row = await tx.auditChainHead.findUnique({ where: { id: 1 } });
      return row ? { seq: Number(row.seq), hash: row.hash } : null;
    },
  };
}
export type AuditRepository = ReturnType<typeof auditRepository>;
