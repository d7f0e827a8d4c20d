import type { Actor } from '@linli/contracts';
import type { ContractFreeze, Prisma } from './generated/prisma/client';
import type { PaymentsTx } from './prisma';

export interface FreezeRecord {
  id: string;
  contractId: string;
  projectId: string;
  kind: 'manual' | 'finding';
  findingId: string | null;
  reason: string;
  frozenBy: Actor;
  frozenAt: string;
  liftedAt: string | null;
  liftedBy: Actor | null;
  liftReason: string | null;
}

function toRecord(row: ContractFreeze): FreezeRecord {
  return {
    id: row.id,
    contractId: row.contractId,
    projectId: row.projectId,
    kind: row.kind as FreezeRecord['kind'],
    findingId: row.findingId,
    reason: row.reason,
    frozenBy: row.frozenBy as Actor,
    frozenAt: row.frozenAt.toISOString(),
    liftedAt: row.liftedAt?.toISOString() ?? null,
    liftedBy: (row.liftedBy as Actor | null) ?? null,
    liftReason: row.liftReason,
  };
}

export function freezeRepository(tx: PaymentsTx) {
  return {
    /** Freezes in force (not lifted), oldest first. */
    async active(contractId: string): Promise<FreezeRecord[]> {
      const rows = await tx.contractFreeze.findMany({ where: { contractId, liftedAt: null }, orderBy: { frozenAt: 'asc' } });
      return rows.map(toRecord);
    },
    async activeFor(contractIds: readonly string[]): Promise<FreezeRecord[]> {
      if (contractIds.length === 0) return [];
      const rows = await tx.contractFreeze.findMany({ where: { contractId: { in: [...contractIds] }, liftedAt: null }, orderBy: { frozenAt: 'asc' } });
      return rows.map(toRecord);
    },
    async all(contractId: string): Promise<FreezeRecord[]> {
      const rows = await tx.contractFreeze.findMany({ where: { contractId }, orderBy: { frozenAt: 'asc' } });
      return rows.map(toRecord);
    },
    async findByFinding(findingId: string): Promise<FreezeRecord | null> {
      const row = await tx.contractFreeze.findUnique({ where: { findingId } });
      return row ? toRecord(row) : null;
    },
    /**
     * A new freeze. A manual one sets active_manual_contract_id, whose unique index allows one manual
     * freeze in force per contract even under concurrent requests.
     */
    async create(input: Omit<FreezeRecord, 'liftedAt' | 'liftedBy' | 'liftReason' | 'frozenAt'> & { frozenAt: Date }): Promise<FreezeRecord> {
      const row = await tx.contractFreeze.create({
        data: {
          ...input,
          activeManualContractId: input.kind === 'manual' ? input.contractId : null,
          frozenBy: input.frozenBy as Prisma.InputJsonValue,
        },
      });
      return toRecord(row);
    },
    async lift(id: string, input: { liftedBy: Actor; liftReason: string; liftedAt: Date }): Promise<FreezeRecord | null> {
      const { count } = await tx.contractFreeze.updateMany({
        where: { id, liftedAt: null },
        data: { liftedAt: input.liftedAt, liftedBy: input.liftedBy as Prisma.InputJsonValue, liftReason: input.liftReason, activeManualContractId: null },
      });
      if (count !== 1) return null;
      return toRecord((await tx.contractFreeze.findUnique({ where: { id } }))!);
    },
  };
}
export type FreezeRepository = ReturnType<typeof freezeRepository>;
