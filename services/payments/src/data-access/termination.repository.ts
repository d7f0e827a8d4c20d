import type { Actor, TrancheKind } from '@linli/contracts';
import type { ContractTermination, Prisma } from './generated/prisma/client';
import type { PaymentsTx } from './prisma';

/** 提前终止结算 as the domain sees it: numbers for fen, an ISO instant, the actor as an object. */
export interface TerminationRecord {
  id: string;
  contractId: string;
  projectId: string;
  deliveredPermille: number;
  reason: string;
  contractAmountFen: number;
  deliveredValueFen: number;
  paidBeforeFen: number;
  owedFen: number;
  releasedFen: number;
  cancelledTranches: TrancheKind[];
  settlementTrancheId: string | null;
  terminatedBy: Actor;
  terminatedAt: string;
}

function toRecord(row: ContractTermination): TerminationRecord {
  return {
    id: row.id,
    contractId: row.contractId,
    projectId: row.projectId,
    deliveredPermille: row.deliveredPermille,
    reason: row.reason,
    contractAmountFen: Number(row.contractAmountFen),
    deliveredValueFen: Number(row.deliveredValueFen),
    paidBeforeFen: Number(row.paidBeforeFen),
    owedFen: Number(row.owedFen),
    releasedFen: Number(row.releasedFen),
    cancelledTranches: row.cancelledTranches as TrancheKind[],
    settlementTrancheId: row.settlementTrancheId,
    terminatedBy: row.terminatedBy as Actor,
    terminatedAt: row.terminatedAt.toISOString(),
  };
}

export function terminationRepository(tx: PaymentsTx) {
  return {
    async findByContractId(contractId: string): Promise<TerminationRecord | null> {
      const row = await tx.contractTermination.findUnique({ where: { contractId } });
      return row ? toRecord(row) : null;
    },
    async findFor(contractIds: readonly string[]): Promise<TerminationRecord[]> {
      if (contractIds.length === 0) return [];
      const rows = await tx.contractTermination.findMany({ where: { contractId: { in: [...contractIds] } } });
      return rows.map(toRecord);
    },
    /** contract_id is unique: a second termination of one contract fails in the database even if raced. */
    async create(input: Omit<TerminationRecord, 'terminatedAt'> & { terminatedAt: Date }): Promise<TerminationRecord> {
      const row = await tx.contractTermination.create({
        data: {
          ...input,
          contractAmountFen: BigInt(input.contractAmountFen),
          deliveredValueFen: BigInt(input.deliveredValueFen),
          paidBeforeFen: BigInt(input.paidBeforeFen),
          owedFen: BigInt(input.owedFen),
          releasedFen: BigInt(input.releasedFen),
          terminatedBy: input.terminatedBy as Prisma.InputJsonValue,
        },
      });
      return toRecord(row);
    },
  };
}
export type TerminationRepository = ReturnType<typeof terminationRepository>;
