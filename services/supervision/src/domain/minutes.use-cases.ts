import { randomUUID } from 'node:crypto';
import { MinutesRecorded, type MinutesView, type RecordMinutesBody } from '@linli/contracts';
import { buildEvent } from '@linli/events';
import type { Page } from '@linli/http';
import { scrubText } from '@linli/logger';
import { SOURCE, resourceOf, type Caller, type SupervisionDeps } from './context';
import { decodeCursor, pageOf } from './pagination';
import { loadContract } from './views';

/** 例会纪要: the supervisor's weekly meeting with the organization, per contract. The event carries counts only. */
export async function recordMinutes(deps: SupervisionDeps, contractId: string, input: RecordMinutesBody, caller: Caller): Promise<MinutesView> {
  return deps.uow.run(async (work) => {
    const { contract } = await loadContract(work, contractId);
    caller.may(resourceOf(contract));
    const minutes = await work.minutes.create({
      id: randomUUID(),
      contractId,
      heldOn: input.heldOn,
      attendees: input.attendees,
      notes: scrubText(input.notes),
      createdBy: caller.actor,
    });
    await work.outbox.append(
      'supervision',
      buildEvent(MinutesRecorded, {
        source: SOURCE,
        subject: contractId,
        actor: caller.actor,
        data: { minutesId: minutes.id, contractId, projectId: contract.projectId, heldOn: minutes.heldOn, attendeeCount: minutes.attendees.length },
      }),
    );
    return minutes;
  });
}

export async function listMinutes(deps: SupervisionDeps, contractId: string, query: { limit: number; cursor?: string }, caller: Caller): Promise<Page<MinutesView>> {
  const { contract } = await loadContract(deps.uow.read, contractId);
  caller.may(resourceOf(contract));
  const rows = await deps.uow.read.minutes.list({ contractId, limit: query.limit + 1, after: decodeCursor(query.cursor) });
  return pageOf(rows, query.limit, (items) => items);
}
