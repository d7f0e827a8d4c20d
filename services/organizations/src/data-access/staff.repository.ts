import type {
  Actor,
  SocialWorkerCertificate,
  StaffAssignmentView,
  StaffChangeStatus,
  StaffChangeView,
  StaffMemberView,
  StaffRole,
} from '@linli/contracts';
import type { Prisma, ProjectAssignment, StaffChange, StaffMember } from './generated/prisma/client';
import type { OrganizationsTx } from './prisma';
import { actorFrom, iso, isoOrNull, type After } from './rows';

export type StaffMemberRecord = StaffMemberView;
export type AssignmentRecord = StaffAssignmentView & { organizationId: string; projectId: string; contractId: string };
export type StaffChangeRecord = StaffChangeView;

function memberView(row: StaffMember): StaffMemberRecord {
  return {
    id: row.id,
    organizationId: row.organizationId,
    name: row.name,
    role: row.role as StaffRole,
    certificate: row.certificate as SocialWorkerCertificate,
    active: row.active,
    createdAt: iso(row.createdAt),
    createdBy: actorFrom(row.createdBy),
    updatedAt: iso(row.updatedAt),
    updatedBy: actorFrom(row.updatedBy),
  };
}

function assignmentView(row: ProjectAssignment & { staff: Pick<StaffMember, 'name'> }): AssignmentRecord {
  return {
    id: row.id,
    organizationId: row.organizationId,
    projectId: row.projectId,
    contractId: row.contractId,
    staffId: row.staffId,
    staffName: row.staff.name,
    projectRole: row.projectRole,
    startedAt: iso(row.startedAt),
    endedAt: isoOrNull(row.endedAt),
    viaChangeId: row.viaChangeId,
    createdBy: actorFrom(row.createdBy),
  };
}

async function changeViews(tx: OrganizationsTx, rows: StaffChange[]): Promise<StaffChangeRecord[]> {
  const ids = [...new Set(rows.flatMap((r) => [r.outStaffId, r.inStaffId]))];
  const people = await tx.staffMember.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  const names = new Map(people.map((p) => [p.id, p.name]));
  return rows.map((row) => ({
    id: row.id,
    organizationId: row.organizationId,
    projectId: row.projectId,
    contractId: row.contractId,
    subDistrictId: row.subDistrictId,
    outStaffId: row.outStaffId,
    outStaffName: names.get(row.outStaffId) ?? '',
    inStaffId: row.inStaffId,
    inStaffName: names.get(row.inStaffId) ?? '',
    reason: row.reason,
    status: row.status as StaffChangeStatus,
    requestedAt: iso(row.requestedAt),
    requestedBy: actorFrom(row.requestedBy),
    decidedAt: isoOrNull(row.decidedAt),
    decidedBy: row.decidedBy ? actorFrom(row.decidedBy) : null,
    decisionReason: row.decisionReason,
  }));
}

const staffName = { staff: { select: { name: true } } } as const;

export function staffRepository(tx: OrganizationsTx) {
  return {
    // ── roster ──
    async findMember(id: string): Promise<StaffMemberRecord | null> {
      const row = await tx.staffMember.findUnique({ where: { id } });
      return row ? memberView(row) : null;
    },
    async membersByIds(ids: string[]): Promise<StaffMemberRecord[]> {
      return (await tx.staffMember.findMany({ where: { id: { in: [...new Set(ids)] } } })).map(memberView);
    },
    async addMember(input: { id: string; organizationId: string; name: string; role: StaffRole; certificate: SocialWorkerCertificate; at: Date; by: Actor }) {
      const { at, by, ...rest } = input;
      return memberView(await tx.staffMember.create({ data: { ...rest, createdAt: at, createdBy: by, updatedAt: at, updatedBy: by } }));
    },
    async updateMember(id: string, fields: { role?: StaffRole; certificate?: SocialWorkerCertificate; active?: boolean }, at: Date, by: Actor) {
      return memberView(await tx.staffMember.update({ where: { id }, data: { ...fields, updatedAt: at, updatedBy: by } }));
    },
    async listMembers({ organizationId, limit, after }: { organizationId: string; limit: number; after?: After }): Promise<StaffMemberRecord[]> {
      const rows = await tx.staffMember.findMany({
        where: {
          organizationId,
          ...(after ? { OR: [{ createdAt: { gt: new Date(after.at) } }, { createdAt: new Date(after.at), id: { gt: after.id } }] } : {}),
        },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: limit,
      });
      return rows.map(memberView);
    },

    // ── project teams ──
    /** Every assignment the organization ever had on the project (the history), oldest first. */
    async assignments(organizationId: string, projectId: string): Promise<AssignmentRecord[]> {
      const rows = await tx.projectAssignment.findMany({
        where: { organizationId, projectId },
        orderBy: [{ startedAt: 'asc' }, { id: 'asc' }],
        include: staffName,
      });
      return rows.map(assignmentView);
    },
    async assign(input: { id: string; organizationId: string; projectId: string; contractId: string; staffId: string; projectRole: string; at: Date; by: Actor; viaChangeId?: string }) {
      const row = await tx.projectAssignment.create({
        data: {
          id: input.id,
          organizationId: input.organizationId,
          projectId: input.projectId,
          contractId: input.contractId,
          staffId: input.staffId,
          projectRole: input.projectRole,
          startedAt: input.at,
          viaChangeId: input.viaChangeId ?? null,
          createdBy: input.by,
        },
        include: staffName,
      });
      return assignmentView(row);
    },
    async activeAssignmentsOf(staffId: string): Promise<AssignmentRecord[]> {
      const rows = await tx.projectAssignment.findMany({ where: { staffId, endedAt: null }, include: staffName });
      return rows.map(assignmentView);
    },
    async endAssignment(id: string, at: Date): Promise<void> {
      await tx.projectAssignment.update({ where: { id }, data: { endedAt: at } });
    },
    /** Serializes team changes on one project (two approvals must not both replace the same person). */
    async lockProject(organizationId: string, projectId: string): Promise<void> {
      await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`team:${organizationId}:${projectId}`}))`;
    },

    // ── change requests ──
    async findChange(id: string): Promise<StaffChangeRecord | null> {
      const row = await tx.staffChange.findUnique({ where: { id } });
      return row ? (await changeViews(tx, [row]))[0]! : null;
    },
    async changesFor(organizationId: string, projectId: string): Promise<StaffChangeRecord[]> {
      const rows = await tx.staffChange.findMany({ where: { organizationId, projectId }, orderBy: [{ requestedAt: 'asc' }, { id: 'asc' }] });
      return changeViews(tx, rows);
    },
    async createChange(input: {
      id: string;
      organizationId: string;
      projectId: string;
      contractId: string;
      subDistrictId: string;
      outStaffId: string;
      inStaffId: string;
      reason: string;
      at: Date;
      by: Actor;
    }): Promise<StaffChangeRecord> {
      const { at, by, ...rest } = input;
      const row = await tx.staffChange.create({ data: { ...rest, requestedAt: at, requestedBy: by } });
      return (await changeViews(tx, [row]))[0]!;
    },
    async decideChange(id: string, input: { status: 'approved' | 'rejected'; reason: string; at: Date; by: Actor }): Promise<StaffChangeRecord> {
      const row = await tx.staffChange.update({
        where: { id },
        data: { status: input.status, decisionReason: input.reason, decidedAt: input.at, decidedBy: input.by },
      });
      return (await changeViews(tx, [row]))[0]!;
    },
    async listChanges({
      filters,
      limit,
      after,
    }: {
      filters: { status?: StaffChangeStatus; organizationId?: string; projectId?: string; subDistrictId?: string };
      limit: number;
      after?: After;
    }): Promise<StaffChangeRecord[]> {
      const where: Prisma.StaffChangeWhereInput = {
        ...(filters.status ? { status: filters.status } : {}),
        ...(filters.organizationId ? { organizationId: filters.organizationId } : {}),
        ...(filters.projectId ? { projectId: filters.projectId } : {}),
        ...(filters.subDistrictId ? { subDistrictId: filters.subDistrictId } : {}),
        ...(after ? { OR: [{ requestedAt: { gt: new Date(after.at) } }, { requestedAt: new Date(after.at), id: { gt: after.id } }] } : {}),
      };
      const rows = await tx.staffChange.findMany({ where, orderBy: [{ requestedAt: 'asc' }, { id: 'asc' }], take: limit });
      return changeViews(tx, rows);
    },
  };
}
export type StaffRepository = ReturnType<typeof staffRepository>;
