import { z } from 'zod';
import { WrittenBy } from '../common/domain';
import { CreditStatus } from './events';

/** HTTP bodies and views of the organizations registry (社会组织登记). */

export const RegistrationType = z
  .enum(['social_group', 'private_non_enterprise', 'foundation', 'enterprise', 'other'])
  .describe('登记类型：社会团体 / 民办非企业单位 / 基金会 / 企业 / 其他');
export type RegistrationType = z.infer<typeof RegistrationType>;
export const REGISTRATION_TYPE_LABELS: Record<RegistrationType, string> = {
  social_group: '社会团体',
  private_non_enterprise: '民办非企业单位',
  foundation: '基金会',
  enterprise: '企业',
  other: '其他',
};

export const AnnualInspectionResult = z.enum(['passed', 'basically_passed', 'failed']).describe('年检结论：合格 / 基本合格 / 不合格');
export type AnnualInspectionResult = z.infer<typeof AnnualInspectionResult>;
export const ANNUAL_INSPECTION_RESULT_LABELS: Record<AnnualInspectionResult, string> = {
  passed: '合格',
  basically_passed: '基本合格',
  failed: '不合格',
};

export const CREDIT_STATUS_LABELS: Record<CreditStatus, string> = { good: '良好', watch: '关注', blacklisted: '黑名单' };

export const RegisterOrganizationBody = z
  .object({
    name: z.string().trim().min(2).max(100).describe('组织名称，如 银天使智慧社区公益促进中心'),
    creditCode: z
      .string()
      .trim()
      .toUpperCase()
      .describe('统一社会信用代码（18位，GB 32100-2015；服务端逐位校验并指出错误的字符）'),
    registrationType: RegistrationType,
    address: z.string().trim().max(200).optional(),
    description: z.string().trim().max(2000).optional(),
  })
  .strict();
export type RegisterOrganizationBody = z.infer<typeof RegisterOrganizationBody>;

export const UpdateCreditStatusBody = z
  .object({ creditStatus: CreditStatus, reason: z.string().trim().min(2).max(1000).describe('变更理由（必填，记录在案）') })
  .strict();
export type UpdateCreditStatusBody = z.infer<typeof UpdateCreditStatusBody>;

export const RecordAnnualInspectionBody = z
  .object({
    year: z.number().int().min(2000).max(2100).describe('年检年度'),
    result: AnnualInspectionResult,
    remarks: z.string().trim().max(1000).optional(),
  })
  .strict();
export type RecordAnnualInspectionBody = z.infer<typeof RecordAnnualInspectionBody>;

export const AnnualInspectionView = z.object({
  year: z.number().int(),
  result: AnnualInspectionResult,
  remarks: z.string().nullable(),
  recordedAt: z.iso.datetime(),
  recordedBy: WrittenBy,
});
export type AnnualInspectionView = z.infer<typeof AnnualInspectionView>;

export const CreditChangeView = z.object({
  from: CreditStatus,
  to: CreditStatus,
  reason: z.string(),
  changedAt: z.iso.datetime(),
  changedBy: WrittenBy,
});
export type CreditChangeView = z.infer<typeof CreditChangeView>;

export const OrganizationView = z.object({
  id: z.uuid(),
  name: z.string(),
  creditCode: z.string(),
  registrationType: RegistrationType,
  /** From the code's positions 1–2, e.g. "民政 · 民办非企业单位". */
  registeredWith: z.string(),
  address: z.string().nullable(),
  description: z.string().nullable(),
  creditStatus: CreditStatus,
  creditReason: z.string().nullable(),
  creditChangedAt: z.iso.datetime().nullable(),
  latestInspection: AnnualInspectionView.nullable(),
  createdAt: z.iso.datetime(),
  createdBy: WrittenBy,
});
export type OrganizationView = z.infer<typeof OrganizationView>;

export const OrganizationDetailView = OrganizationView.extend({
  annualInspections: z.array(AnnualInspectionView),
  creditHistory: z.array(CreditChangeView),
});
export type OrganizationDetailView = z.infer<typeof OrganizationDetailView>;

export const OrganizationIdParams = z.object({ id: z.uuid() });

export const ListOrganizationsQuery = z.object({
  cursor: z.string().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  creditStatus: CreditStatus.optional(),
  registrationType: RegistrationType.optional(),
  q: z.string().trim().min(1).max(100).optional().describe('按名称搜索（包含）'),
});
export type ListOrganizationsQuery = z.infer<typeof ListOrganizationsQuery>;
