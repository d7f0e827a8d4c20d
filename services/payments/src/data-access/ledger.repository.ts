import type { Actor, LedgerEntryType } from '@linli/contracts';
import type { LedgerEntry, Prisma } from './generated/prisma/client';
import type { PaymentsTx } from './prisma';

/**
 * The append-only ledger (台账). This repository is the only code that touches ledger_entries and it can
 * only INSERT and read: there is deliberately no update or delete here, so a correction is a new,
 * compensating entry. (Migrations are generated from the Prisma schema, which cannot declare a trigger
 * to forbid UPDATE/DELETE in the database; the reconciliation check catches rows changed behind our back.)
 * Balances are sums over entries, computed on read, never stored.
 */

export type AccountType = 'contract' | 'fund';

export interface LedgerEntryRecord {
  id: string;
  seq: number;
  accountType: AccountType;
  accountId: string;
  contractId: string;
  projectId: string;
  fundKind: 'community' | 'sub_district';
  fundId: string;
  subDistrictId: string;
  communityId: string | null;
  organizationId: string;
  entryType: LedgerEntryType;
  amountFen: number;
  reference: string;
  trancheId: string | null;
  description: string;
  createdBy: Actor;
  createdAt: string;
}

export type NewLedgerEntry = Omit<LedgerEntryRecord, 'seq' | 'createdAt'>;

function toRecord(row: LedgerEntry): LedgerEntryRecord {
  return {
    id: row.id,
    seq: Number(row.seq),
    accountType: row.accountType as AccountType,
    accountId: row.accountId,
    contractId: row.contractId,
    projectId: row.projectId,
    fundKind: row.fundKind as LedgerEntryRecord['fundKind'],
    fundId: row.fundId,
    subDistrictId: row.subDistrictId,
    communityId: row.communityId,
    organizationId: row.organizationId,
    entryType: row.entryType as LedgerEntryType,
    amountFen: Number(row.amountFen),
    reference: row.reference,
    trancheId: row.trancheId,
    description: row.description,
    createdBy: row.createdBy as Actor,
    createdAt: row.createdAt.toISOString(),
  };
}

export function ledgerRepository(tx: PaymentsTx) {
  return {
    /** The only write: new rows, in the given order, stamped with one instant. */
    async append(entries: readonly NewLedgerEntry[], at: Date): Promise<void> {
      for (const entry of entries) {
        await tx.ledgerEntry.create({
          data: { ...entry, amountFen: BigInt(entry.amountFen), createdBy: entry.createdBy as Prisma.InputJsonValue, createdAt: at },
        });
      }
    },
    /** One page of an account, oldest first, keyset on (created_at, seq). */
    async listForAccount(accountType: AccountType, accountId: string, { limit, after }: { limit: number; after?: { createdAt: string; seq: number } }) {
      const rows = await tx.ledgerEntry.findMany({
        where: {
          accountType,
          accountId,
          ...(after
            ? { OR: [{ createdAt: { gt: new Date(after.createdAt) } }, { createdAt: new Date(after.createdAt), seq: { gt: BigInt(after.seq) } }] }
            : {}),
        },
        orderBy: [{ createdAt: 'asc' }, { seq: 'asc' }],
        take: limit,
      });
      return rows.map(toRecord);
    },
    /** Sum of the account's entries before a position (the running balance a page starts from). */
    async balanceBefore(accountType: AccountType, accountId: string, before: { createdAt: string; seq: number }): Promise<number> {
      const result = await tx.ledgerEntry.aggregate({
        where: {
          accountType,
          accountId,
          OR: [{ createdAt: { lt: new Date(before.createdAt) } }, { createdAt: new Date(before.createdAt), seq: { lt: BigInt(before.seq) } }],
        },
        _sum: { amountFen: true },
      });
      return Number(result._sum.amountFen ?? 0n);
    },
    async balance(accountType: AccountType, accountId: string): Promise<number> {
      const result = await tx.ledgerEntry.aggregate({ where: { accountType, accountId }, _sum: { amountFen: true } });
      return Number(result._sum.amountFen ?? 0n);
    },
    /** Sums per contract and entry type on the contract accounts (plan views show them). */
    async contractSums(contractIds: readonly string[]): Promise<Map<string, Partial<Record<LedgerEntryType, number>>>> {
      const out = new Map<string, Partial<Record<LedgerEntryType, number>>>();
      if (contractIds.length === 0) return out;
      const groups = await tx.ledgerEntry.groupBy({
        by: ['accountId', 'entryType'],
        where: { accountType: 'contract', accountId: { in: [...contractIds] } },
        _sum: { amountFen: true },
      });
      for (const g of groups) {
        const sums = out.get(g.accountId) ?? {};
        sums[g.entryType as LedgerEntryType] = Number(g._sum.amountFen ?? 0n);
        out.set(g.accountId, sums);
      }
      return out;
    },
    /** Every entry about these contracts (both accounts), for reconciliation. */
    async entriesForContracts(contractIds: readonly string[]): Promise<LedgerEntryRecord[]> {
      if (contractIds.length === 0) return [];
      const rows = await tx.ledgerEntry.findMany({ where: { contractId: { in: [...contractIds] } }, orderBy: { seq: 'asc' } });
      return rows.map(toRecord);
    },
    /** Any one entry of a fund: tells whose fund it is (sub-district, community) for the access check. */
    async anyFundEntry(fundId: string): Promise<LedgerEntryRecord | null> {
      const row = await tx.ledgerEntry.findFirst({ where: { accountType: 'fund', accountId: fundId }, orderBy: { seq: 'asc' } });
      return row ? toRecord(row) : null;
    },
  };
}
export type LedgerRepository = ReturnType<typeof ledgerRepository>;
