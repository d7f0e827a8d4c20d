import type { Actor } from '@linli/contracts';
import type { CloseOut, Prisma } from './generated/prisma/client';
import type { SupervisionTx } from './prisma';
import { actorColumn, actorOf } from './rows';

export interface CloseOutRecord {
  id: string;
  contractId: string;
  projectId: string;
  organizationId: string;
  finalReport: { title: string; text: string | null; url: string | null };
  summary: string;
  documents: { name: string; url: string | null; text: string | null }[];
  submittedAt: string;
  submittedBy: Actor;
}

const toCloseOut = (row: CloseOut): CloseOutRecord => ({
  id: row.id,
  contractId: row.contractId,
  projectId: row.projectId,
  organizationId: row.organizationId,
  finalReport: row.finalReport as unknown as CloseOutRecord['finalReport'],
  summary: row.summary,
  documents: row.documents as unknown as CloseOutRecord['documents'],
  submittedAt: row.submittedAt.toISOString(),
  submittedBy: actorOf(row.submittedBy),
});

export function closeOutRepository(tx: SupervisionTx) {
  return {
    async findByContract(contractId: string): Promise<CloseOutRecord | null> {
      const row = await tx.closeOut.findUnique({ where: { contractId } });
      return row ? toCloseOut(row) : null;
    },
    async create(input: CloseOutRecord): Promise<CloseOutRecord> {
      const row = await tx.closeOut.create({
        data: {
          ...input,
          finalReport: input.finalReport as Prisma.InputJsonObject,
          documents: input.documents as Prisma.InputJsonArray,
          submittedAt: new Date(input.submittedAt),
          submittedBy: actorColumn(input.submittedBy),
        },
      });
      return toCloseOut(row);
    },
  };
}
export type CloseOutRepository = ReturnType<typeof closeOutRepository>;
