import { EvaluationCompleted, FindingClosed, FindingRaised, type EventOf, type Severity, type TrackRecordView } from '@linli/contracts';
import { NotFoundError } from '@linli/http';
import type { EvaluationRow } from '../data-access/track-record.repository';
import type { OrganizationsWork } from '../data-access/unit-of-work';
import type { Deps } from './context';

/**
 * 履约记录 (track record), from this service's contracts and supervision's evaluations and findings,
 * which arrive as events and are kept in a local projection (no other service's database is read).
 */

/** Pure: the figures a community sees when it shortlists an organization. */
export function summarizeTrackRecord(evaluations: readonly EvaluationRow[], findings: readonly { severity: Severity; closed: boolean }[]) {
  const yearEnd = evaluations.filter((e) => e.kind === 'year_end');
  const completed = new Set(yearEnd.map((e) => e.contractId)).size;
  const averageScore = yearEnd.length ? Math.round((yearEnd.reduce((sum, e) => sum + e.score, 0) / yearEnd.length) * 100) / 100 : null;
  const findingsBySeverity: Record<Severity, number> = { minor: 0, major: 0, severe: 0 };
  for (const f of findings) findingsBySeverity[f.severity] += 1;
  return { completed, averageScore, findingsBySeverity, openFindings: findings.filter((f) => !f.closed).length };
}

export async function getTrackRecord({ uow }: Deps, organizationId: string): Promise<TrackRecordView> {
  const organization = await uow.read.organizations.findById(organizationId);
  if (!organization) throw new NotFoundError('organization', organizationId);
  const contracts = await uow.read.contracts.summaryFor(organizationId);
  const evaluations = await uow.read.trackRecord.evaluationsOf(organizationId);
  const findings = await uow.read.trackRecord.findingsOf(organizationId);
  return {
    organizationId,
    organizationName: organization.name,
    creditStatus: organization.creditStatus,
    contracts: contracts.count,
    contractedAmountFen: contracts.amountFen,
    ...summarizeTrackRecord(evaluations, findings),
    grades: evaluations.map(({ organizationId: _o, ...e }) => e),
  };
}

// Consumers (run inside the consumer's dedupe transaction).
export async function recordEvaluation(work: OrganizationsWork, event: EventOf<typeof EvaluationCompleted>): Promise<void> {
  const { evaluationId, ...rest } = event.data;
  await work.trackRecord.saveEvaluation({ evaluationId, ...rest, evaluatedAt: event.occurredAt });
}

export async function recordFinding(work: OrganizationsWork, event: EventOf<typeof FindingRaised>): Promise<void> {
  await work.trackRecord.saveFinding({ ...event.data, raisedAt: event.occurredAt });
}

export async function recordFindingClosed(work: OrganizationsWork, event: EventOf<typeof FindingClosed>): Promise<void> {
  await work.trackRecord.closeFinding(event.data.findingId, event.occurredAt);
}
