import type { Actor } from '@linli/contracts';
import type { IdempotencyRecord as Row, Prisma } from './generated/prisma/client';
import type { PaymentsTx } from './prisma';

export type IdempotentOperation = 'tranche.request' | 'tranche.approve' | 'contract.terminate';

export interface IdempotencyRecord {
  operation: IdempotentOperation;
  key: string;
  fingerprint: string;
  state: 'in_progress' | 'completed';
  targetId: string | null;
  statusCode: number | null;
  responseBody: unknown;
}

function toRecord(row: Row): IdempotencyRecord {
  return {
    operation: row.operation as IdempotentOperation,
    key: row.key,
    fingerprint: row.fingerprint,
    state: row.state as IdempotencyRecord['state'],
    targetId: row.targetId,
    statusCode: row.statusCode,
    responseBody: row.responseBody,
  };
}

export function idempotencyRepository(tx: PaymentsTx) {
  return {
    /**
     * Claims (operation, key) for this transaction: INSERT … ON CONFLICT DO NOTHING. A concurrent claim of
     * the same key waits on the primary key until the first transaction ends, then finds the row (false)
     * if it committed, or claims it (true) if it rolled back — so only one request ever does the work.
     */
    async claim(input: { operation: IdempotentOperation; key: string; fingerprint: string; createdBy: Actor; targetId?: string }): Promise<boolean> {
      const { count } = await tx.idempotencyRecord.createMany({
        data: [{ ...input, state: 'in_progress', createdBy: input.createdBy as Prisma.InputJsonValue }],
        skipDuplicates: true,
      });
      return count === 1;
    },
    async find(operation: IdempotentOperation, key: string): Promise<IdempotencyRecord | null> {
      const row = await tx.idempotencyRecord.findUnique({ where: { operation_key: { operation, key } } });
      return row ? toRecord(row) : null;
    },
    async setTarget(operation: IdempotentOperation, key: string, targetId: string): Promise<void> {
      await tx.idempotencyRecord.update({ where: { operation_key: { operation, key } }, data: { targetId } });
    },
    async complete(operation: IdempotentOperation, key: string, response: { statusCode: number; body: unknown }, at: Date): Promise<void> {
      await tx.idempotencyRecord.updateMany({
        where: { operation, key, state: 'in_progress' },
        data: { state: 'completed', statusCode: response.statusCode, responseBody: response.body as Prisma.InputJsonValue, completedAt: at },
      });
    },
    /** Completes every claim still waiting on this disbursement (concurrent approvals of one transfer). */
    async completeForTarget(operation: IdempotentOperation, targetId: string, response: { statusCode: number; body: unknown }, at: Date): Promise<void> {
      await tx.idempotencyRecord.updateMany({
        where: { operation, targetId, state: 'in_progress' },
        data: { state: 'completed', statusCode: response.statusCode, responseBody: response.body as Prisma.InputJsonValue, completedAt: at },
      });
    },
  };
}
export type IdempotencyRepository = ReturnType<typeof idempotencyRepository>;
