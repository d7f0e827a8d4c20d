import type { Actor } from '@linli/contracts';
import type { MeetingMinutes } from './generated/prisma/client';
import type { SupervisionTx } from './prisma';
import { actorColumn, actorOf, afterWhere, dateColumn, isoDate, keysetOrder, type After } from './rows';

export interface MinutesRecord {
  id: string;
  contractId: string;
  heldOn: string;
  attendees: string[];
  notes: string;
  createdAt: string;
  createdBy: Actor;
}

const toMinutes = (row: MeetingMinutes): MinutesRecord => ({
  id: row.id,
  contractId: row.contractId,
  heldOn: isoDate(row.heldOn),
  attendees: row.attendees,
  notes: row.notes,
  createdAt: row.createdAt.toISOString(),
  createdBy: actorOf(row.createdBy),
});

export function minutesRepository(tx: SupervisionTx) {
  return {
    async create(input: Omit<MinutesRecord, 'createdAt'>): Promise<MinutesRecord> {
      return toMinutes(await tx.meetingMinutes.create({ data: { ...input, heldOn: dateColumn(input.heldOn), createdBy: actorColumn(input.createdBy) } }));
    },
    async list({ contractId, limit, after }: { contractId: string; limit: number; after?: After }): Promise<MinutesRecord[]> {
      return (await tx.meetingMinutes.findMany({ where: { contractId, ...afterWhere(after) }, orderBy: keysetOrder, take: limit })).map(toMinutes);
    },
  };
}
export type MinutesRepository = ReturnType<typeof minutesRepository>;
