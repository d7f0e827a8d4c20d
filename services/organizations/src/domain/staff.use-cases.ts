import { randomUUID } from 'node:crypto';
import {
  StaffChangeDecided,
  StaffChangeRequested,
  type AddStaffMemberBody,
  type AssignStaffBody,
  type DecideStaffChangeBody,
  type ListStaffChangesQuery,
  type ProjectTeamView,
  type RequestStaffChangeBody,
  type StaffAssignmentView,
  type StaffChangeView,
  type StaffMemberView,
  type UpdateStaffMemberBody,
} from '@linli/contracts';
import { buildEvent } from '@linli/events';
import { ConflictError, NotFoundError } from '@linli/http';
import { scrubText } from '@linli/logger';
import type { ContractRecord } from '../data-access/contract.repository';
import type { AssignmentRecord } from '../data-access/staff.repository';
import type { OrganizationsWork } from '../data-access/unit-of-work';
import type { Caller, Deps } from './context';
import { page } from './pagination';
import { currentMembers, isOnTeam, turnover } from './team.rules';

const SOURCE = 'organizations';

function publicAssignment({ organizationId: _o, projectId: _p, contractId: _c, ...view }: AssignmentRecord): StaffAssignmentView {
  return view;
}

/** A project team exists only where the organization holds the project's contract. */
async function contractOf(contracts: OrganizationsWork['contracts'], organizationId: string, projectId: string): Promise<ContractRecord> {
  const contract = await contracts.findByProject(projectId);
  if (!contract || contract.organizationId !== organizationId) {
    throw new ConflictError(`本组织未签订项目 ${projectId} 的合同，不能为其安排人员 (the organization holds no contract for this project)`);
  }
  return contract;
}

async function memberOf(staff: OrganizationsWork['staff'], organizationId: string, staffId: string): Promise<StaffMemberView> {
  const member = await staff.findMember(staffId);
  if (!member || member.organizationId !== organizationId) throw new NotFoundError('staff member', staffId);
  return member;
}

// ── roster ──────────────────────────────────────────────────────────────────────────────────────
export async function addStaffMember({ uow, clock }: Deps, organizationId: string, input: AddStaffMemberBody, caller: Caller): Promise<StaffMemberView> {
  return uow.run(async ({ organizations, staff }) => {
    if (!(await organizations.findById(organizationId))) throw new NotFoundError('organization', organizationId);
    return staff.addMember({ id: randomUUID(), organizationId, ...input, at: clock(), by: caller.actor });
  });
}

/** Someone still on a project team cannot leave the roster: replace them through a change request first. */
export async function updateStaffMember({ uow, clock }: Deps, organizationId: string, staffId: string, input: UpdateStaffMemberBody, caller: Caller) {
  return uow.run(async ({ staff }) => {
    const member = await memberOf(staff, organizationId, staffId);
    if (input.active === false && member.active) {
      const busy = await staff.activeAssignmentsOf(staffId);
      if (busy.length) {
        throw new ConflictError(
          `「${member.name}」仍在项目 ${busy.map((a) => a.projectId).join('、')} 的团队中，请先申请人员变更 (still assigned to a project: request a staff change first)`,
        );
      }
    }
    return staff.updateMember(staffId, input, clock(), caller.actor);
  });
}

export async function listStaff({ uow }: Deps, organizationId: string, query: { limit: number; cursor?: string }) {
  if (!(await uow.read.organizations.findById(organizationId))) throw new NotFoundError('organization', organizationId);
  return page(query, ({ limit, after }) => uow.read.staff.listMembers({ organizationId, limit, after }), (m) => ({ at: m.createdAt, id: m.id }));
}

// ── project teams ───────────────────────────────────────────────────────────────────────────────
/** 分派人员: joins the project's initial team (replacements go through requestStaffChange). */
export async function assignStaff({ uow, clock }: Deps, organizationId: string, projectId: string, input: AssignStaffBody, caller: Caller): Promise<StaffAssignmentView> {
  return uow.run(async ({ contracts, staff }) => {
    const contract = await contractOf(contracts, organizationId, projectId);
    const member = await memberOf(staff, organizationId, input.staffId);
    if (!member.active) throw new ConflictError(`「${member.name}」已离职，不能分派 (staff member is inactive)`);
    await staff.lockProject(organizationId, projectId);
    const team = await staff.assignments(organizationId, projectId);
    if (isOnTeam(team, member.id)) throw new ConflictError(`「${member.name}」已在项目团队中 (already on the project team)`);
    const assigned = await staff.assign({
      id: randomUUID(),
      organizationId,
      projectId,
      contractId: contract.id,
      staffId: member.id,
      projectRole: input.projectRole,
      at: clock(),
      by: caller.actor,
    });
    return publicAssignment(assigned);
  });
}

export async function getProjectTeam({ uow }: Deps, organizationId: string, projectId: string): Promise<ProjectTeamView> {
  const contract = await uow.read.contracts.findByProject(projectId);
  if (!contract || contract.organizationId !== organizationId) throw new NotFoundError('project team', `${organizationId}/${projectId}`);
  const history = await uow.read.staff.assignments(organizationId, projectId);
  const changes = await uow.read.staff.changesFor(organizationId, projectId);
  return {
    organizationId,
    projectId,
    contractId: contract.id,
    subDistrictId: contract.subDistrictId,
    current: currentMembers(history).map(publicAssignment),
    history: history.map(publicAssignment),
    changes,
    ...turnover(history),
  };
}

// ── change requests ─────────────────────────────────────────────────────────────────────────────
/** 申请人员变更 (who out, who in, why). Takes effect only when the sub-district approves it. */
export async function requestStaffChange({ uow, clock }: Deps, organizationId: string, projectId: string, input: RequestStaffChangeBody, caller: Caller): Promise<StaffChangeView> {
  return uow.run(async ({ contracts, staff, outbox }) => {
    const contract = await contractOf(contracts, organizationId, projectId);
    if (input.outStaffId === input.inStaffId) throw new ConflictError('换下与换上的人员相同 (outStaffId and inStaffId are the same person)');
    const out = await memberOf(staff, organizationId, input.outStaffId);
    const incoming = await memberOf(staff, organizationId, input.inStaffId);
    await staff.lockProject(organizationId, projectId);
    const team = await staff.assignments(organizationId, projectId);
    if (!isOnTeam(team, out.id)) throw new ConflictError(`「${out.name}」不在项目团队中 (the person to replace is not on the team)`);
    if (!incoming.active) throw new ConflictError(`「${incoming.name}」已离职，不能换上 (the incoming person is inactive)`);
    if (isOnTeam(team, incoming.id)) throw new ConflictError(`「${incoming.name}」已在项目团队中 (the incoming person is already on the team)`);
    const pending = (await staff.changesFor(organizationId, projectId)).find((c) => c.status === 'pending' && c.outStaffId === out.id);
    if (pending) throw new ConflictError(`「${out.name}」已有待审批的变更申请 ${pending.id} (a change for this person is already pending)`);
    // Free text may carry a mobile number: stored, returned and sent on masked.
    const reason = scrubText(input.reason);
    const change = await staff.createChange({
      id: randomUUID(),
      organizationId,
      projectId,
      contractId: contract.id,
      subDistrictId: contract.subDistrictId,
      outStaffId: out.id,
      inStaffId: incoming.id,
      reason,
      at: clock(),
      by: caller.actor,
    });
    await outbox.append(
      'organizations',
      buildEvent(StaffChangeRequested, {
        source: SOURCE,
        subject: change.id,
        actor: caller.actor,
        data: {
          changeId: change.id,
          organizationId,
          projectId,
          contractId: contract.id,
          subDistrictId: contract.subDistrictId,
          outStaffId: out.id,
          inStaffId: incoming.id,
          reason,
        },
      }),
    );
    return change;
  });
}

/** 审批人员变更 by a reviewer of the project's sub-district: approved → applied at once; or rejected. */
export async function decideStaffChange({ uow, clock }: Deps, changeId: string, input: DecideStaffChangeBody, caller: Caller): Promise<StaffChangeView> {
  return uow.run(async ({ staff, outbox }) => {
    const change = await staff.findChange(changeId);
    if (!change) throw new NotFoundError('staff change', changeId);
    caller.must('staff.change.approve', { subDistrictId: change.subDistrictId });
    await staff.lockProject(change.organizationId, change.projectId);
    const current = (await staff.findChange(changeId))!;
    if (current.status !== 'pending') throw new ConflictError(`该变更申请已${current.status === 'approved' ? '批准' : '驳回'} (the change was already decided)`);
    const now = clock();
    if (input.outcome === 'approve') {
      const team = await staff.assignments(change.organizationId, change.projectId);
      const outgoing = team.find((a) => a.staffId === change.outStaffId && a.endedAt === null);
      if (!outgoing) throw new ConflictError(`「${change.outStaffName}」已不在项目团队中 (the person to replace has left the team)`);
      const incoming = await staff.findMember(change.inStaffId);
      if (!incoming?.active) throw new ConflictError(`「${change.inStaffName}」已离职 (the incoming person is inactive)`);
      if (isOnTeam(team, change.inStaffId)) throw new ConflictError(`「${change.inStaffName}」已在项目团队中 (already on the team)`);
      await staff.endAssignment(outgoing.id, now);
      await staff.assign({
        id: randomUUID(),
        organizationId: change.organizationId,
        projectId: change.projectId,
        contractId: change.contractId,
        staffId: change.inStaffId,
        projectRole: outgoing.projectRole,
        at: now,
        by: caller.actor,
        viaChangeId: change.id,
      });
    }
    const reason = scrubText(input.reason);
    const decided = await staff.decideChange(changeId, { status: input.outcome === 'approve' ? 'approved' : 'rejected', reason, at: now, by: caller.actor });
    const stats = turnover(await staff.assignments(change.organizationId, change.projectId));
    await outbox.append(
      'organizations',
      buildEvent(StaffChangeDecided, {
        source: SOURCE,
        subject: change.id,
        actor: caller.actor,
        data: {
          changeId: change.id,
          organizationId: change.organizationId,
          projectId: change.projectId,
          subDistrictId: change.subDistrictId,
          outcome: decided.status as 'approved' | 'rejected',
          reason,
          replacements: stats.replacements,
          turnoverRate: stats.turnoverRate,
        },
      }),
    );
    return decided;
  });
}

export async function getStaffChange({ uow }: Deps, id: string): Promise<StaffChangeView> {
  const found = await uow.read.staff.findChange(id);
  if (!found) throw new NotFoundError('staff change', id);
  return found;
}

export async function listStaffChanges({ uow }: Deps, query: ListStaffChangesQuery) {
  const { status, organizationId, projectId, subDistrictId } = query;
  return page(
    query,
    ({ limit, after }) => uow.read.staff.listChanges({ filters: { status, organizationId, projectId, subDistrictId }, limit, after }),
    (c) => ({ at: c.requestedAt, id: c.id }),
  );
}
