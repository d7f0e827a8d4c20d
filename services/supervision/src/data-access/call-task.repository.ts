import type { Actor, CallOutcome } from '@linli/contracts';
import type { Activity, CallTask, Participant, PhoneReveal, Prisma } from './generated/prisma/client';
import type { SupervisionTx } from './prisma';
import type { ContractFilter } from './contract.repository';
import { actorColumn, actorOf, afterWhere, isoDate, keysetOrder, optionalActor, optionalDateTime, type After } from './rows';

export interface CallTaskRecord {
  id: string;
  activityId: string;
  contractId: string;
  activityKey: string;
  heldOn: string;
  participant: { id: string; name: string; phoneMasked: string };
  status: 'pending' | 'done';
  outcome: CallOutcome | null;
  note: string | null;
  calledAt: string | null;
  calledBy: Actor | null;
  createdAt: string;
}

export interface PhoneRevealRecord {
  id: string;
  participantId: string;
  callTaskId: string;
  activityId: string;
  contractId: string;
  agencyId: string;
  createdAt: string;
  createdBy: Actor;
}

const withRefs = {
  activity: { select: { activityKey: true, heldOn: true } },
  participant: { select: { id: true, name: true, phoneMasked: true } },
} as const;

type TaskRow = CallTask & { activity: Pick<Activity, 'activityKey' | 'heldOn'>; participant: Pick<Participant, 'id' | 'name' | 'phoneMasked'> };

const toTask = (row: TaskRow): CallTaskRecord => ({
  id: row.id,
  activityId: row.activityId,
  contractId: row.contractId,
  activityKey: row.activity.activityKey,
  heldOn: isoDate(row.activity.heldOn),
  participant: row.participant,
  status: row.status as CallTaskRecord['status'],
  outcome: row.outcome as CallOutcome | null,
  note: row.note,
  calledAt: optionalDateTime(row.calledAt),
  calledBy: optionalActor(row.calledBy),
  createdAt: row.createdAt.toISOString(),
});

const toReveal = (row: PhoneReveal): PhoneRevealRecord => ({
  id: row.id,
  participantId: row.participantId,
  callTaskId: row.callTaskId,
  activityId: row.activityId,
  contractId: row.contractId,
  agencyId: row.agencyId,
  createdAt: row.createdAt.toISOString(),
  createdBy: actorOf(row.createdBy),
});

export function callTaskRepository(tx: SupervisionTx) {
  return {
    async createMany(rows: readonly { id: string; activityId: string; contractId: string; participantId: string }[]): Promise<void> {
      await tx.callTask.createMany({ data: rows.map((r) => ({ ...r, status: 'pending' })) });
    },
    async findById(id: string): Promise<CallTaskRecord | null> {
      const row = await tx.callTask.findUnique({ where: { id }, include: withRefs });
      return row ? toTask(row) : null;
    },
    /** Outcomes of every sampled call of these activities (null = not called yet). */
    async outcomesOf(activityIds: readonly string[]): Promise<{ activityId: string; outcome: CallOutcome | null }[]> {
      const rows = await tx.callTask.findMany({ where: { activityId: { in: [...activityIds] } }, select: { activityId: true, outcome: true } });
      return rows.map((r) => ({ activityId: r.activityId, outcome: r.outcome as CallOutcome | null }));
    },
    /** Records an outcome once: false when another request recorded it first. */
    async recordOutcome(id: string, input: { outcome: CallOutcome; note: string; at: Date; by: Actor }): Promise<boolean> {
      const { count } = await tx.callTask.updateMany({
        where: { id, status: 'pending' },
        data: { status: 'done', outcome: input.outcome, note: input.note, calledAt: input.at, calledBy: actorColumn(input.by) },
      });
      return count === 1;
    },
    async list({
      limit,
      after,
      contracts,
      contractId,
      activityId,
      status,
    }: {
      limit: number;
      after?: After;
      contracts: ContractFilter;
      contractId?: string;
      activityId?: string;
      status?: 'pending' | 'done';
    }): Promise<CallTaskRecord[]> {
      const where: Prisma.CallTaskWhereInput = {
        contract: contracts,
        ...(contractId ? { contractId } : {}),
        ...(activityId ? { activityId } : {}),
        ...(status ? { status } : {}),
        ...afterWhere(after),
      };
      return (await tx.callTask.findMany({ where, include: withRefs, orderBy: keysetOrder, take: limit })).map(toTask);
    },

    async logReveal(input: Omit<PhoneRevealRecord, 'createdAt'> & { at: Date }): Promise<PhoneRevealRecord> {
      const { at, createdBy, ...fields } = input;
      return toReveal(await tx.phoneReveal.create({ data: { ...fields, createdAt: at, createdBy: actorColumn(createdBy) } }));
    },
    async listReveals({ contractId, limit, after }: { contractId: string; limit: number; after?: After }): Promise<PhoneRevealRecord[]> {
      return (await tx.phoneReveal.findMany({ where: { contractId, ...afterWhere(after) }, orderBy: keysetOrder, take: limit })).map(toReveal);
    },
  };
}
export type CallTaskRepository = ReturnType<typeof callTaskRepository>;
