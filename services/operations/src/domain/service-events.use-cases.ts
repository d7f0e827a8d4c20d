import type { EventEnvelope } from '@linli/contracts';
import type { OperationsWork } from '../data-access/unit-of-work';
import type { DirectoryKind, FundFigures } from '../data-access/project-event.repository';
import { summarizeServiceEvent } from './project-story';
import { changeOf } from './views';

const REGISTERED = /^[a-z]+\.(sub-district|community|organization|agency)\.registered$/;
const ID_FIELD: Record<DirectoryKind, string> = { 'sub-district': 'subDistrictId', community: 'communityId', organization: 'organizationId', agency: 'agencyId' };

/**
 * Keeps what operations needs from the other services' events: every event whose data names a project
 * (for the project's timeline and budget), who supervises which project (scopes supervisors' lists),
 * and the names of sub-districts, communities, organizations and agencies.
 */
export async function applyServiceEvent(work: OperationsWork, event: EventEnvelope, description: string, now: Date): Promise<'project' | 'directory' | 'fund' | 'ignored'> {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const fund = fundFiguresOf(event.type, data, event.occurredAt);
  if (fund) await work.events.fund(fund);
  const registered = REGISTERED.exec(event.type);
  if (registered) {
    const kind = registered[1] as DirectoryKind;
    const id = data[ID_FIELD[kind]];
    if (typeof id === 'string' && typeof data.name === 'string') {
      await work.events.name(kind, id, data.name);
      return 'directory';
    }
  }
  const projectId = data.projectId;
  if (typeof projectId !== 'string') return fund ? 'fund' : 'ignored';
  const recorded = await work.events.record({
    eventId: event.id,
    projectId,
    type: event.type,
    version: event.version,
    source: event.type.split('.')[0] ?? event.source,
    occurredAt: event.occurredAt,
    actor: event.actor ? { userId: event.actor.userId, role: event.actor.role } : null,
    summary: summarizeServiceEvent(event.type, data, description),
    data,
  });
  if (event.type === 'supervision.contract.assigned' && typeof data.agencyId === 'string' && typeof data.contractId === 'string') {
    await work.events.assignSupervisor({ projectId, agencyId: data.agencyId, contractId: data.contractId, assignedAt: event.occurredAt });
  }
  // A project page open in a browser shows the new timeline entry without a reload.
  const row = recorded ? await work.projects.findById(projectId) : null;
  if (row) await work.announce(changeOf(row, 'service-event', now));
  return 'project';
}

/** communities.fund.* events carry the fund's current figures; anything else (or a changed shape) is not a fund. */
function fundFiguresOf(type: string, d: Record<string, unknown>, occurredAt: string): FundFigures | null {
  if (!type.startsWith('communities.fund.')) return null;
  const n = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : null);
  const [allocated, committed, spent, year] = [n(d.allocatedFen), n(d.committedFen), n(d.spentFen), n(d.fiscalYear)];
  if (typeof d.fundId !== 'string' || typeof d.subDistrictId !== 'string' || allocated === null || committed === null || spent === null || year === null) return null;
  return {
    fundId: d.fundId,
    subDistrictId: d.subDistrictId,
    communityId: typeof d.communityId === 'string' ? d.communityId : null,
    fiscalYear: year,
    allocatedFen: allocated,
    committedFen: committed,
    spentFen: spent,
    asOf: occurredAt,
  };
}
