import type { Actor, TargetGroup } from '@linli/contracts';
import type { Assignment, BudgetLine, Contract, PlannedActivity, Project } from './generated/prisma/client';
import type { SupervisionTx } from './prisma';
import { actorColumn, actorOf, afterWhere, dateColumn, fen, isoDate, keysetOrder, optionalDateTime, type After } from './rows';

export interface PlannedRecord {
  activityKey: string;
  title: string;
  startsOn: string;
  endsOn: string;
  venue: string;
  targetHeadcount: number;
  targetGroup: TargetGroup;
}
export interface LineRecord {
  lineId: string;
  activityKey: string | null;
  kind: string;
  description: string;
  amountFen: number;
}
export interface ProjectRecord {
  id: string;
  version: number;
  title: string;
  fiscalYear: number;
  level: string;
  subDistrictId: string;
  communityId: string | null;
  organizationId: string;
  budgetTotalFen: number;
  approvedAt: string;
  planned: PlannedRecord[];
  lines: LineRecord[];
}
export interface ContractRecord {
  id: string;
  projectId: string;
  organizationId: string;
  subDistrictId: string;
  communityId: string | null;
  level: string;
  amountFen: number;
  startsOn: string;
  endsOn: string;
  signedAt: string;
  agencyId: string | null;
  assignedAt: string | null;
  createdAt: string;
}
export interface AssignmentRecord {
  id: string;
  contractId: string;
  agencyId: string;
  createdAt: string;
  createdBy: Actor;
  endedAt: string | null;
}
/** Which contracts a list may show (the caller's scope, plus the user's filters). */
export interface ContractFilter {
  agencyId?: string;
  organizationId?: string;
  subDistrictId?: string;
  communityId?: string;
}

const toPlanned = (row: PlannedActivity): PlannedRecord => ({
  activityKey: row.activityKey,
  title: row.title,
  startsOn: isoDate(row.startsOn),
  endsOn: isoDate(row.endsOn),
  venue: row.venue,
  targetHeadcount: row.targetHeadcount,
  targetGroup: row.targetGroup as TargetGroup,
});
const toLine = (row: BudgetLine): LineRecord => ({
  lineId: row.lineId,
  activityKey: row.activityKey,
  kind: row.kind,
  description: row.description,
  amountFen: fen(row.amountFen),
});
const toProject = (row: Project & { plannedActivities: PlannedActivity[]; budgetLines: BudgetLine[] }): ProjectRecord => ({
  id: row.id,
  version: row.version,
  title: row.title,
  fiscalYear: row.fiscalYear,
  level: row.level,
  subDistrictId: row.subDistrictId,
  communityId: row.communityId,
  organizationId: row.organizationId,
  budgetTotalFen: fen(row.budgetTotalFen),
  approvedAt: row.approvedAt.toISOString(),
  planned: row.plannedActivities.map(toPlanned),
  lines: row.budgetLines.map(toLine),
});
const toContract = (row: Contract): ContractRecord => ({
  id: row.id,
  projectId: row.projectId,
  organizationId: row.organizationId,
  subDistrictId: row.subDistrictId,
  communityId: row.communityId,
  level: row.level,
  amountFen: fen(row.amountFen),
  startsOn: isoDate(row.startsOn),
  endsOn: isoDate(row.endsOn),
  signedAt: row.signedAt.toISOString(),
  agencyId: row.agencyId,
  assignedAt: optionalDateTime(row.assignedAt),
  createdAt: row.createdAt.toISOString(),
});
const toAssignment = (row: Assignment): AssignmentRecord => ({
  id: row.id,
  contractId: row.contractId,
  agencyId: row.agencyId,
  createdAt: row.createdAt.toISOString(),
  createdBy: actorOf(row.createdBy),
  endedAt: optionalDateTime(row.endedAt),
});

const withPlan = {
  plannedActivities: { orderBy: { position: 'asc' as const } },
  budgetLines: { orderBy: { position: 'asc' as const } },
};

function contractWhere(filter: ContractFilter) {
  return {
    ...(filter.agencyId ? { agencyId: filter.agencyId } : {}),
    ...(filter.organizationId ? { organizationId: filter.organizationId } : {}),
    ...(filter.subDistrictId ? { subDistrictId: filter.subDistrictId } : {}),
    ...(filter.communityId ? { communityId: filter.communityId } : {}),
  };
}

export function contractRepository(tx: SupervisionTx) {
  return {
    async findProject(id: string): Promise<ProjectRecord | null> {
      const row = await tx.project.findUnique({ where: { id }, include: withPlan });
      return row ? toProject(row) : null;
    },
    async findProjects(ids: readonly string[]): Promise<ProjectRecord[]> {
      return (await tx.project.findMany({ where: { id: { in: [...ids] } }, include: withPlan })).map(toProject);
    },
    /** Replaces the project and its plan wholesale (the approved proposal is the source of truth). */
    async saveProject(project: Omit<ProjectRecord, 'approvedAt'> & { approvedAt: Date }): Promise<void> {
      const { planned, lines, ...fields } = project;
      const data = { ...fields, budgetTotalFen: BigInt(fields.budgetTotalFen) };
      await tx.plannedActivity.deleteMany({ where: { projectId: project.id } });
      await tx.budgetLine.deleteMany({ where: { projectId: project.id } });
      await tx.project.upsert({ where: { id: project.id }, create: data, update: data });
      await tx.plannedActivity.createMany({
        data: planned.map((p, position) => ({ ...p, projectId: project.id, position, startsOn: dateColumn(p.startsOn), endsOn: dateColumn(p.endsOn) })),
      });
      await tx.budgetLine.createMany({
        data: lines.map((l, position) => ({ ...l, projectId: project.id, position, amountFen: BigInt(l.amountFen) })),
      });
    },

    async findContract(id: string): Promise<ContractRecord | null> {
      const row = await tx.contract.findUnique({ where: { id } });
      return row ? toContract(row) : null;
    },
    /** Reads the contract and locks its row until the transaction ends (assignments change one at a time). */
    async lockContract(id: string): Promise<ContractRecord | null> {
      await tx.$queryRaw`SELECT id FROM contracts WHERE id = ${id}::uuid FOR UPDATE`;
      const row = await tx.contract.findUnique({ where: { id } });
      return row ? toContract(row) : null;
    },
    async findContractsByProject(projectId: string): Promise<ContractRecord[]> {
      return (await tx.contract.findMany({ where: { projectId }, orderBy: keysetOrder })).map(toContract);
    },
    async findContracts(ids: readonly string[]): Promise<ContractRecord[]> {
      return (await tx.contract.findMany({ where: { id: { in: [...ids] } } })).map(toContract);
    },
    /** The projection of a signed contract; keeps the assignment, which is ours. */
    async saveContract(contract: Omit<ContractRecord, 'agencyId' | 'assignedAt' | 'createdAt' | 'signedAt'> & { signedAt: Date }): Promise<void> {
      const data = { ...contract, amountFen: BigInt(contract.amountFen), startsOn: dateColumn(contract.startsOn), endsOn: dateColumn(contract.endsOn) };
      await tx.contract.upsert({ where: { id: contract.id }, create: data, update: data });
    },
    async listContracts({ limit, after, filter }: { limit: number; after?: After; filter: ContractFilter }): Promise<ContractRecord[]> {
      const rows = await tx.contract.findMany({ where: { ...contractWhere(filter), ...afterWhere(after) }, orderBy: keysetOrder, take: limit });
      return rows.map(toContract);
    },
    /** Ids of the contracts a scope may see (used to narrow activity, call-task and finding lists). */
    async contractIds(filter: ContractFilter): Promise<string[]> {
      return (await tx.contract.findMany({ where: contractWhere(filter), select: { id: true } })).map((r) => r.id);
    },

    async assign(input: { id: string; contractId: string; agencyId: string; at: Date; createdBy: Actor }): Promise<void> {
      await tx.assignment.updateMany({ where: { contractId: input.contractId, endedAt: null }, data: { endedAt: input.at } });
      await tx.assignment.create({
        data: { id: input.id, contractId: input.contractId, agencyId: input.agencyId, createdAt: input.at, createdBy: actorColumn(input.createdBy) },
      });
      await tx.contract.update({ where: { id: input.contractId }, data: { agencyId: input.agencyId, assignedAt: input.at } });
    },
    async assignments(contractId: string): Promise<AssignmentRecord[]> {
      return (await tx.assignment.findMany({ where: { contractId }, orderBy: keysetOrder })).map(toAssignment);
    },
  };
}
export type ContractRepository = ReturnType<typeof contractRepository>;
