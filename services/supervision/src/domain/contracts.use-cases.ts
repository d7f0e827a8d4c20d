import { randomUUID } from 'node:crypto';
import {
  ContractAssigned,
  type AssignAgencyBody,
  type AssignmentView,
  type ContractSigned,
  type EventOf,
  type ProposalApproved,
  type SupervisedContractSummary,
  type SupervisedContractView,
} from '@linli/contracts';
import { buildEvent } from '@linli/events';
import { ConflictError, NotFoundError, type Page } from '@linli/http';
import type { ContractFilter } from '../data-access/contract.repository';
import type { SupervisionWork } from '../data-access/unit-of-work';
import { SOURCE, ownScope, resourceOf, visibleContracts, type Caller, type SupervisionDeps } from './context';
import { EMPTY_PAGE, decodeCursor, pageOf } from './pagination';
import { contractSummary, contractView, loadContract } from './views';

// ——— Projection of other services' events (applied by the consumer, inside its dedupe transaction) ———

/**
 * 立项: keeps the approved plan (planned activities, budget lines) the supervisor checks delivery against.
 * A newer proposal version replaces the plan; an older one arriving late is ignored.
 */
export async function projectApprovedProposal(work: SupervisionWork, event: EventOf<typeof ProposalApproved>): Promise<void> {
  const data = event.data;
  const existing = await work.contracts.findProject(data.projectId);
  if (existing && existing.version > data.version) return;
  await work.contracts.saveProject({
    id: data.projectId,
    version: data.version,
    title: data.title,
    fiscalYear: data.fiscalYear,
    level: data.level,
    subDistrictId: data.subDistrictId,
    communityId: data.communityId,
    organizationId: data.organizationId,
    budgetTotalFen: data.budgetTotalFen,
    approvedAt: new Date(event.occurredAt),
    planned: data.plannedActivities.map((p) => ({ ...p })),
    lines: data.budgetLines.map((l) => ({ lineId: l.lineId, activityKey: l.activityKey, kind: l.kind, description: l.description, amountFen: l.amountFen })),
  });
}

/** 签订合同: the contract the supervision is about (id ↔ project, parties, period, amount). */
export async function projectSignedContract(work: SupervisionWork, event: EventOf<typeof ContractSigned>): Promise<void> {
  const data = event.data;
  await work.contracts.saveContract({
    id: data.contractId,
    projectId: data.projectId,
    organizationId: data.organizationId,
    subDistrictId: data.subDistrictId,
    communityId: data.communityId,
    level: data.level,
    amountFen: data.amountFen,
    startsOn: data.startsOn,
    endsOn: data.endsOn,
    signedAt: new Date(event.occurredAt),
  });
}

// ——— 委托第三方监督 assignment ———

/**
 * Assigns an agency to supervise a contract. A contract has one supervising agency at a time: assigning
 * another one ends the current assignment (the history is kept and shown), and from then on only the new
 * agency's supervisors act on the contract — including seeing participants' phone numbers.
 */
export async function assignAgency(deps: SupervisionDeps, contractId: string, input: AssignAgencyBody, caller: Caller): Promise<AssignmentView> {
  return deps.uow.run(async (work) => {
    const { contract } = await loadContract(work, contractId, { lock: true });
    caller.may(resourceOf(contract));
    const agency = await work.agencies.findById(input.agencyId);
    if (!agency) throw new NotFoundError('agency', input.agencyId);
    if (contract.agencyId === agency.id) {
      throw new ConflictError(`该合同已委托「${agency.name}」监督 (this agency is already assigned)`, { agencyId: agency.id });
    }
    const at = deps.now();
    await work.contracts.assign({ id: randomUUID(), contractId, agencyId: agency.id, at, createdBy: caller.actor });
    await work.outbox.append(
      'supervision',
      buildEvent(ContractAssigned, {
        source: SOURCE,
        subject: contractId,
        actor: caller.actor,
        data: { contractId, projectId: contract.projectId, agencyId: agency.id, previousAgencyId: contract.agencyId },
      }),
    );
    return {
      contractId,
      agencyId: agency.id,
      agencyName: agency.name,
      previousAgencyId: contract.agencyId,
      assignedAt: at.toISOString(),
      assignedBy: caller.actor,
    };
  });
}

// ——— reads ———

export async function getContract(deps: SupervisionDeps, id: string, caller: Caller): Promise<SupervisedContractView> {
  const work = deps.uow.read;
  const ctx = await loadContract(work, id);
  caller.may(resourceOf(ctx.contract));
  return contractView(work, deps.rules, ctx, deps.now());
}

/** The contracts the caller's scope covers: a supervisor sees their agency's, an organization its own, ... */
export async function listContracts(
  deps: SupervisionDeps,
  query: { limit: number; cursor?: string } & ContractFilter,
  caller: Caller,
): Promise<Page<SupervisedContractSummary>> {
  caller.may(ownScope(caller.scope));
  const { limit, cursor, ...wanted } = query;
  const filter = visibleContracts(caller.scope, wanted);
  if (!filter) return EMPTY_PAGE;
  const rows = await deps.uow.read.contracts.listContracts({ limit: limit + 1, after: decodeCursor(cursor), filter });
  return pageOf(rows, limit, async (items) => {
    const projects = await deps.uow.read.contracts.findProjects([...new Set(items.map((c) => c.projectId))]);
    return items.map((c) => contractSummary(c, projects.find((p) => p.id === c.projectId) ?? null));
  });
}
