import type { Actor, Grade, TrancheKind, TrancheStatus } from '@linli/contracts';
import type { Prisma } from './generated/prisma/client';
import { toDisbursementRecord, toTrancheRecord, type DisbursementRecord, type TrancheRecord } from './payment-plan.repository';
import type { PaymentsTx } from './prisma';

export interface TrancheListFilter {
  contractId?: string;
  projectId?: string;
  communityId?: string;
  subDistrictId?: string;
  organizationId?: string;
  status?: TrancheStatus;
  kind?: TrancheKind;
  contractIds?: string[];
}

/** The fields a state change of a tranche may set (always together with its new status). */
export interface TrancheChange {
  status: TrancheStatus;
  attempts?: number;
  payableFen?: number | null;
  reductionFen?: number | null;
  grade?: Grade | null;
  paidAmountFen?: number | null;
  paidAt?: Date | null;
}

const big = (n: number | null | undefined) => (n === undefined ? undefined : n === null ? null : BigInt(n));

export function trancheRepository(tx: PaymentsTx) {
  return {
    async findById(id: string): Promise<TrancheRecord | null> {
      const row = await tx.tranche.findUnique({ where: { id }, include: { disbursements: true } });
      return row ? toTrancheRecord(row) : null;
    },
    /**
     * Optimistic state change: applies only if nobody changed the tranche since `expectedVersion` was read.
     * A concurrent writer blocks on the row lock, then finds the version moved and gets false.
     */
    async change(id: string, expectedVersion: number, change: TrancheChange, at: Date): Promise<boolean> {
      const { count } = await tx.tranche.updateMany({
        where: { id, version: expectedVersion },
        data: {
          status: change.status,
          attempts: change.attempts,
          payableFen: big(change.payableFen),
          reductionFen: big(change.reductionFen),
          grade: change.grade,
          paidAmountFen: big(change.paidAmountFen),
          paidAt: change.paidAt,
          version: { increment: 1 },
          updatedAt: at,
        },
      });
      return count === 1;
    },
    async createDisbursement(input: { id: string; trancheId: string; attempt: number; amountFen: number; requestKey: string; requestedBy: Actor; requestedAt: Date }): Promise<DisbursementRecord> {
      const row = await tx.disbursement.create({
        data: { ...input, status: 'requested', amountFen: BigInt(input.amountFen), requestedBy: input.requestedBy as Prisma.InputJsonValue },
      });
      return toDisbursementRecord(row);
    },
    async findDisbursement(id: string): Promise<DisbursementRecord | null> {
      const row = await tx.disbursement.findUnique({ where: { id } });
      return row ? toDisbursementRecord(row) : null;
    },
    /** requested → approved, recording the treasury instruction key before the treasury is called. */
    async approveDisbursement(id: string, input: { approvedBy: Actor; approvedAt: Date; transferKey: string }): Promise<boolean> {
      const { count } = await tx.disbursement.updateMany({
        where: { id, status: 'requested' },
        data: { status: 'approved', approvedBy: input.approvedBy as Prisma.InputJsonValue, approvedAt: input.approvedAt, transferKey: input.transferKey },
      });
      return count === 1;
    },
    /**
     * approved → paid. `paidTrancheId` is unique in the database: a second paid disbursement of the same
     * tranche fails with a unique violation even if the code above were wrong.
     */
    async markPaid(id: string, input: { trancheId: string; reference: string | null; paidAt: Date }): Promise<boolean> {
      const { count } = await tx.disbursement.updateMany({
        where: { id, status: 'approved' },
        data: { status: 'paid', paidTrancheId: input.trancheId, transferReference: input.reference, paidAt: input.paidAt },
      });
      return count === 1;
    },
    async markFailed(id: string, input: { reference: string | null; reason: string; failedAt: Date }): Promise<boolean> {
      const { count } = await tx.disbursement.updateMany({
        where: { id, status: 'approved' },
        data: { status: 'failed', transferReference: input.reference, failureReason: input.reason, failedAt: input.failedAt },
      });
      return count === 1;
    },
    /** Approved but not settled: a crash or an unreachable treasury left them in flight. */
    async listInFlightDisbursementIds(): Promise<string[]> {
      const rows = await tx.disbursement.findMany({ where: { status: 'approved' }, select: { id: true }, orderBy: { approvedAt: 'asc' } });
      return rows.map((r) => r.id);
    },
    async list(filter: TrancheListFilter, { limit, after }: { limit: number; after?: { createdAt: string; id: string } }): Promise<TrancheRecord[]> {
      const rows = await tx.tranche.findMany({
        where: {
          AND: [
            filter.contractId ? { contractId: filter.contractId } : {},
            filter.contractIds ? { contractId: { in: filter.contractIds } } : {},
            filter.projectId ? { projectId: filter.projectId } : {},
            filter.communityId ? { communityId: filter.communityId } : {},
            filter.subDistrictId ? { subDistrictId: filter.subDistrictId } : {},
            filter.organizationId ? { organizationId: filter.organizationId } : {},
            filter.status ? { status: filter.status } : {},
            filter.kind ? { kind: filter.kind } : {},
            after
              ? { OR: [{ createdAt: { gt: new Date(after.createdAt) } }, { createdAt: new Date(after.createdAt), id: { gt: after.id } }] }
              : {},
          ],
        },
        include: { disbursements: true },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: limit,
      });
      return rows.map(toTrancheRecord);
    },
  };
}
export type TrancheRepository = ReturnType<typeof trancheRepository>;
