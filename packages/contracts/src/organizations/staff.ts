import { z } from 'zod';
import { WrittenBy } from '../common/domain';

/** 人员名册 (staff roster), project teams and staff changes (人员变更). No phone numbers: not needed here. */
export const StaffRole = z.enum(['project_lead', 'social_worker', 'volunteer', 'other']).describe('岗位：项目主管 / 社工 / 志愿者 / 其他');
export type StaffRole = z.infer<typeof StaffRole>;
export const STAFF_ROLE_LABELS: Record<StaffRole, string> = { project_lead: '项目主管', social_worker: '社工', volunteer: '志愿者', other: '其他' };

export const SocialWorkerCertificate = z
  .enum(['none', 'assistant_social_worker', 'social_worker', 'senior_social_worker'])
  .describe('社工职业资格：无 / 助理社会工作师 / 社会工作师 / 高级社会工作师');
export type SocialWorkerCertificate = z.infer<typeof SocialWorkerCertificate>;
export const SOCIAL_WORKER_CERTIFICATE_LABELS: Record<SocialWorkerCertificate, string> = {
  none: '无',
  assistant_social_worker: '助理社会工作师',
  social_worker: '社会工作师',
  senior_social_worker: '高级社会工作师',
};

export const AddStaffMemberBody = z
  .object({
    name: z.string().trim().min(1).max(50),
    role: StaffRole,
    certificate: SocialWorkerCertificate.default('none'),
  })
  .strict();
export type AddStaffMemberBody = z.infer<typeof AddStaffMemberBody>;

export const UpdateStaffMemberBody = z
  .object({
    role: StaffRole.optional(),
    certificate: SocialWorkerCertificate.optional(),
    active: z.boolean().optional().describe('false：已离职（不能再分派到项目）'),
  })
  .strict();
export type UpdateStaffMemberBody = z.infer<typeof UpdateStaffMemberBody>;

export const StaffMemberView = z.object({
  id: z.uuid(),
  organizationId: z.uuid(),
  name: z.string(),
  role: StaffRole,
  certificate: SocialWorkerCertificate,
  active: z.boolean(),
  createdAt: z.iso.datetime(),
  createdBy: WrittenBy,
  updatedAt: z.iso.datetime(),
  updatedBy: WrittenBy,
});
export type StaffMemberView = z.infer<typeof StaffMemberView>;

export const StaffMemberParams = z.object({ id: z.uuid(), staffId: z.uuid() });

export const AssignStaffBody = z
  .object({ staffId: z.uuid(), projectRole: z.string().trim().min(1).max(50).describe('在项目中的角色，如 项目主管、活动社工') })
  .strict();
export type AssignStaffBody = z.infer<typeof AssignStaffBody>;

export const StaffAssignmentView = z.object({
  id: z.uuid(),
  staffId: z.uuid(),
  staffName: z.string(),
  projectRole: z.string(),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime().nullable(),
  /** Set when the person came in through an approved change request (a replacement, not the initial team). */
  viaChangeId: z.uuid().nullable(),
  createdBy: WrittenBy,
});
export type StaffAssignmentView = z.infer<typeof StaffAssignmentView>;

export const ProjectTeamParams = z.object({ id: z.uuid(), projectId: z.uuid() });

export const RequestStaffChangeBody = z
  .object({
    outStaffId: z.uuid().describe('换下的人员'),
    inStaffId: z.uuid().describe('换上的人员'),
    reason: z.string().trim().min(2).max(1000),
  })
  .strict();
export type RequestStaffChangeBody = z.infer<typeof RequestStaffChangeBody>;

export const StaffChangeStatus = z.enum(['pending', 'approved', 'rejected']).describe('待审批 / 已批准（已生效） / 已驳回');
export type StaffChangeStatus = z.infer<typeof StaffChangeStatus>;

export const DecideStaffChangeBody = z
  .object({ outcome: z.enum(['approve', 'reject']), reason: z.string().trim().min(2).max(1000) })
  .strict();
export type DecideStaffChangeBody = z.infer<typeof DecideStaffChangeBody>;

export const StaffChangeView = z.object({
  id: z.uuid(),
  organizationId: z.uuid(),
  projectId: z.uuid(),
  contractId: z.uuid(),
  subDistrictId: z.uuid(),
  outStaffId: z.uuid(),
  outStaffName: z.string(),
  inStaffId: z.uuid(),
  inStaffName: z.string(),
  reason: z.string(),
  status: StaffChangeStatus,
  requestedAt: z.iso.datetime(),
  requestedBy: WrittenBy,
  decidedAt: z.iso.datetime().nullable(),
  decidedBy: WrittenBy.nullable(),
  decisionReason: z.string().nullable(),
});
export type StaffChangeView = z.infer<typeof StaffChangeView>;

export const StaffChangeIdParams = z.object({ id: z.uuid() });

export const ListStaffChangesQuery = z.object({
  cursor: z.string().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  status: StaffChangeStatus.optional(),
  organizationId: z.uuid().optional(),
  projectId: z.uuid().optional(),
  subDistrictId: z.uuid().optional(),
});
export type ListStaffChangesQuery = z.infer<typeof ListStaffChangesQuery>;

/** A project's team with its history and turnover (人员流动): replacements ÷ initial team size. */
export const ProjectTeamView = z.object({
  organizationId: z.uuid(),
  projectId: z.uuid(),
  contractId: z.uuid(),
  subDistrictId: z.uuid(),
  current: z.array(StaffAssignmentView),
  history: z.array(StaffAssignmentView),
  changes: z.array(StaffChangeView),
  initialTeamSize: z.number().int(),
  replacements: z.number().int(),
  /** null while the team is empty. */
  turnoverRate: z.number().nullable(),
});
export type ProjectTeamView = z.infer<typeof ProjectTeamView>;
