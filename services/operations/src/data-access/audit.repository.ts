import type { OperationsTx } from './prisma';
import type { AuditEntry } from './generated/prisma/client';

export interface AuditRecord {
  id: string;
  at: string;
  userId: string;
  role: string;
  scope: string;
  action: string;
  projectId: string | null;
  reason: string;
  outcome: 'ok' | 'refused' | 'forbidden' | 'failed';
  error: string | null;
  batchId: string | null;
}

function toRecord(row: AuditEntry): AuditRecord {
  return { ...row, at: row.at.toISOString(), outcome: row.outcome as AuditRecord['outcome'] };
}

/** Append-only by construction: this repository can insert and read, never update or delete. */
export function auditRepository(tx: OperationsTx) {
  return {
    async append(entry: Omit<AuditRecord, 'at'> & { at?: string }): Promise<AuditRecord> {
      return toRecord(await tx.auditEntry.create({ data: { ...entry, at: entry.at ? new Date(entry.at) : new Date() } }));
    },
    /** Newest first; keyset on (at, id). */
    async list({ projectId, limit, after }: { projectId?: string; limit: number; after?: { at: string; id: string } }): Promise<AuditRecord[]> {
      const rows = await tx.auditEntry.findMany({
        where: {
          AND: [
            projectId ? { projectId } : {},
            after ? { OR: [{ at: { lt: new Date(after.at) } }, { at: new Date(after.at), id: { lt: after.id } }] } : {},
          ],
        },
        orderBy: [{ at: 'desc' }, { id: 'desc' }],
        take: limit,
      });
      return rows.map(toRecord);
    },
  };
}
export type AuditRepository = ReturnType<typeof auditRepository>;
