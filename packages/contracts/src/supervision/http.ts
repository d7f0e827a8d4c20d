import { z } from 'zod';
import { Fen, Grade, IsoDate, Severity, TargetGroup, WrittenBy, base64Text } from '../common/domain';
import { EvaluationKind } from './events';

/**
 * HTTP bodies, queries and views of the supervision service (第三方监督). Views never carry a participant's
 * phone number in clear: only `phoneMasked` (138****1234); the full number is returned by the one logged
 * reveal endpoint, to the supervisor whose agency is assigned to the contract.
 */

const text = (max: number) => z.string().trim().min(1).max(max);

export const SupervisionIdParams = z.object({ id: z.uuid() });
export const SupervisionProjectParams = z.object({ projectId: z.uuid() });

const pageQuery = {
  cursor: z.string().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
};

// ——— 机构 agencies ———

export const RegisterAgencyBody = z
  .object({
    name: z.string().trim().min(2).max(100).describe('机构名称，如 朝阳区社会工作评估中心'),
    contactName: text(50).describe('联系人'),
    contactPhone: z.string().trim().min(5).max(30).describe('机构联系电话（办公电话）'),
  })
  .strict();
export type RegisterAgencyBody = z.infer<typeof RegisterAgencyBody>;

export const AgencyView = z.object({
  id: z.uuid(),
  name: z.string(),
  contactName: z.string(),
  contactPhone: z.string(),
  createdAt: z.iso.datetime(),
  createdBy: WrittenBy,
});
export type AgencyView = z.infer<typeof AgencyView>;

// ——— 检查结果 checks ———

export const CheckFlag = z.object({
  code: z.string().describe('检查项编码，如 headcount_below_plan'),
  level: z.enum(['blocking', 'warning']).describe('blocking：阻止活动核验通过；warning：提示'),
  message: z.string().describe('原因（中文）'),
  figures: z.record(z.string(), z.union([z.number(), z.string(), z.null()])).describe('计算所用的数字'),
});
export type CheckFlag = z.infer<typeof CheckFlag>;

// ——— 电话回访 call-backs ———

export const CallOutcome = z
  .enum(['attended_received_gift', 'attended_no_gift', 'did_not_attend', 'unreachable'])
  .describe('回访结果：参加并领取礼品 / 参加未领礼品 / 未参加 / 无法联系');
export type CallOutcome = z.infer<typeof CallOutcome>;
export const CALL_OUTCOME_LABELS: Record<CallOutcome, string> = {
  attended_received_gift: '参加并领取礼品',
  attended_no_gift: '参加未领礼品',
  did_not_attend: '未参加',
  unreachable: '无法联系',
};

export const CallbackSummary = z.object({
  sampled: z.number().int(),
  done: z.number().int(),
  pending: z.number().int(),
  outcomes: z.object({
    attended_received_gift: z.number().int(),
    attended_no_gift: z.number().int(),
    did_not_attend: z.number().int(),
    unreachable: z.number().int(),
  }),
  reached: z.number().int().describe('接通人数 = 回访结果不是「无法联系」的人数'),
  discrepancyRate: z.number().min(0).max(1).nullable().describe('不符率 = (参加未领礼品 + 未参加) / 接通人数；无人接通时为 null'),
});
export type CallbackSummary = z.infer<typeof CallbackSummary>;

// ——— 合同 contracts (projection) ———

export const SupervisionContractListQuery = z.object({
  ...pageQuery,
  agencyId: z.uuid().optional(),
  organizationId: z.uuid().optional(),
  subDistrictId: z.uuid().optional(),
});

export const SupervisedContractSummary = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  projectTitle: z.string().nullable(),
  organizationId: z.uuid(),
  subDistrictId: z.uuid(),
  communityId: z.uuid().nullable(),
  level: z.string(),
  amountFen: Fen,
  startsOn: IsoDate,
  endsOn: IsoDate,
  agencyId: z.uuid().nullable(),
  assignedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type SupervisedContractSummary = z.infer<typeof SupervisedContractSummary>;

export const ActivityStatus = z
  .enum(['held', 'signed_in', 'called_back', 'verified'])
  .describe('活动状态：已开展 → 已签到 → 已回访 → 已核验');
export type ActivityStatus = z.infer<typeof ActivityStatus>;
export const ACTIVITY_STATUS_LABELS: Record<ActivityStatus, string> = {
  held: '已开展（待签到单）',
  signed_in: '已签到（回访中）',
  called_back: '已回访（待核验）',
  verified: '已核验',
};

export const SupervisedContractView = SupervisedContractSummary.extend({
  fiscalYear: z.number().int().nullable(),
  planReceived: z.boolean().describe('是否已收到立项计划（communities.proposal.approved）'),
  assignments: z.array(
    z.object({ agencyId: z.uuid(), agencyName: z.string(), assignedAt: z.iso.datetime(), assignedBy: WrittenBy, endedAt: z.iso.datetime().nullable() }),
  ),
  activities: z.array(
    z.object({
      activityKey: z.string(),
      title: z.string(),
      startsOn: IsoDate,
      endsOn: IsoDate,
      venue: z.string(),
      targetHeadcount: z.number().int(),
      targetGroup: TargetGroup,
      status: z.union([z.literal('planned'), ActivityStatus]),
      heldActivityId: z.uuid().nullable(),
      heldOn: IsoDate.nullable(),
      headcount: z.number().int().nullable(),
      signInCount: z.number().int().nullable(),
    }),
  ),
  budgetLines: z.array(
    z.object({
      lineId: z.string(),
      activityKey: z.string().nullable(),
      kind: z.string(),
      description: z.string(),
      amountFen: Fen,
      invoicedFen: Fen,
      overspentFen: Fen.describe('超支金额（发票合计 − 预算），未超支为 0'),
    }),
  ),
  totals: z.object({
    plannedActivities: z.number().int(),
    heldActivities: z.number().int(),
    verifiedActivities: z.number().int(),
    targetHeadcount: z.number().int(),
    headcount: z.number().int(),
    signIns: z.number().int(),
    budgetFen: Fen,
    invoicedFen: Fen,
  }),
  callbacks: CallbackSummary,
  satisfaction: z.object({ responses: z.number().int(), average: z.number().nullable() }),
  openFindings: z.object({ minor: z.number().int(), major: z.number().int(), severe: z.number().int() }),
  flags: z.array(CheckFlag),
});
export type SupervisedContractView = z.infer<typeof SupervisedContractView>;

export const AssignAgencyBody = z.object({ agencyId: z.uuid().describe('受委托的监督机构') }).strict();
export type AssignAgencyBody = z.infer<typeof AssignAgencyBody>;

export const AssignmentView = z.object({
  contractId: z.uuid(),
  agencyId: z.uuid(),
  agencyName: z.string(),
  previousAgencyId: z.uuid().nullable(),
  assignedAt: z.iso.datetime(),
  assignedBy: WrittenBy,
});
export type AssignmentView = z.infer<typeof AssignmentView>;

// ——— 活动 held activities ———

export const ReportActivityBody = z
  .object({
    activityKey: z.string().min(1).max(60).describe('计划活动编号（立项计划中的 activityKey）'),
    heldOn: IsoDate.describe('开展日期'),
    venue: text(200).describe('地点'),
    headcount: z.number().int().min(0).max(100_000).describe('上报参与人数'),
    description: z.string().trim().max(4000).default('').describe('活动情况'),
  })
  .strict();
export type ReportActivityBody = z.infer<typeof ReportActivityBody>;

export const ActivityListQuery = z.object({
  ...pageQuery,
  contractId: z.uuid().optional(),
  status: ActivityStatus.optional(),
});

export const HeldActivitySummary = z.object({
  id: z.uuid(),
  contractId: z.uuid(),
  projectId: z.uuid(),
  activityKey: z.string(),
  title: z.string(),
  heldOn: IsoDate,
  headcount: z.number().int(),
  targetHeadcount: z.number().int(),
  signInCount: z.number().int().nullable(),
  status: ActivityStatus,
  createdAt: z.iso.datetime(),
  createdBy: WrittenBy,
});
export type HeldActivitySummary = z.infer<typeof HeldActivitySummary>;

export const SupervisionInvoiceView = z.object({
  id: z.uuid(),
  contractId: z.uuid(),
  activityId: z.uuid().nullable(),
  number: z.string(),
  issuer: z.string(),
  amountFen: Fen,
  issuedOn: IsoDate,
  lineId: z.string(),
  lineDescription: z.string(),
  flags: z.array(CheckFlag),
  createdAt: z.iso.datetime(),
  createdBy: WrittenBy,
});
export type SupervisionInvoiceView = z.infer<typeof SupervisionInvoiceView>;

export const HeldActivityView = z.object({
  id: z.uuid(),
  contractId: z.uuid(),
  projectId: z.uuid(),
  activityKey: z.string(),
  planned: z.object({
    title: z.string(),
    startsOn: IsoDate,
    endsOn: IsoDate,
    venue: z.string(),
    targetHeadcount: z.number().int(),
    targetGroup: TargetGroup,
  }),
  heldOn: IsoDate,
  venue: z.string(),
  headcount: z.number().int(),
  description: z.string(),
  status: ActivityStatus,
  statusLabel: z.string(),
  signIn: z.object({ count: z.number().int(), recordedAt: z.iso.datetime(), recordedBy: WrittenBy }).nullable(),
  photos: z.object({ count: z.number().int() }),
  invoices: z.array(SupervisionInvoiceView),
  callbacks: CallbackSummary,
  verification: z
    .object({ mode: z.enum(['auto', 'manual']), note: z.string(), at: z.iso.datetime(), by: WrittenBy })
    .nullable(),
  flags: z.array(CheckFlag),
  createdAt: z.iso.datetime(),
  createdBy: WrittenBy,
});
export type HeldActivityView = z.infer<typeof HeldActivityView>;

/** Mainland mobile: 11 digits from 1[3-9]; spaces, dashes and a +86/86 prefix are tolerated on input. */
export const MAINLAND_MOBILE_INPUT = /^(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}$/;

export const RecordSignInSheetBody = z
  .object({
    participants: z
      .array(
        z
          .object({
            name: text(50).describe('姓名'),
            phone: z.string().trim().max(32, { abort: true }).regex(MAINLAND_MOBILE_INPUT, '不是有效的大陆手机号 (not a mainland mobile number)').describe('手机号'),
          })
          .strict(),
      )
      .min(1)
      .max(1000),
  })
  .strict();
export type RecordSignInSheetBody = z.infer<typeof RecordSignInSheetBody>;

export const SignInSheetView = z.object({
  activityId: z.uuid(),
  count: z.number().int(),
  sampledCount: z.number().int().describe('抽中回访的人数（名单仅监督机构可见）'),
  recordedAt: z.iso.datetime(),
  recordedBy: WrittenBy,
  participants: z.array(z.object({ id: z.uuid(), position: z.number().int(), name: z.string(), phoneMasked: z.string() })),
});
export type SignInSheetView = z.infer<typeof SignInSheetView>;

export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
export const PhotoContentType = z.enum(['image/jpeg', 'image/png']);
export type PhotoContentType = z.infer<typeof PhotoContentType>;

export const UploadPhotoBody = z
  .object({
    fileName: text(200),
    contentType: PhotoContentType,
    dataBase64: base64Text({
      maxLength: Math.ceil(PHOTO_MAX_BYTES / 3) * 4 + 4,
      tooLong: '照片超过 5 MB (photo larger than 5 MB)',
      notBase64: '不是 base64 (not base64)',
    }).min(4),
    capturedAt: z.iso.datetime({ offset: true }).describe('拍摄时间'),
  })
  .strict();
export type UploadPhotoBody = z.infer<typeof UploadPhotoBody>;

export const PhotoView = z.object({
  id: z.uuid(),
  activityId: z.uuid(),
  fileName: z.string(),
  contentType: PhotoContentType,
  sizeBytes: z.number().int(),
  sha256: z.string(),
  capturedAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  createdBy: WrittenBy,
});
export type PhotoView = z.infer<typeof PhotoView>;

export const PhotoContentView = z.object({ id: z.uuid(), contentType: PhotoContentType, sha256: z.string(), dataBase64: z.string() });
export type PhotoContentView = z.infer<typeof PhotoContentView>;

export const RecordInvoiceBody = z
  .object({
    number: z.string().trim().min(4).max(40).regex(/^[A-Za-z0-9 -]+$/, '发票号码只含字母、数字 (letters and digits only)').describe('发票号码'),
    issuer: text(200).describe('开票单位'),
    amountFen: Fen.refine((v) => v > 0, '金额须大于 0 (must be positive)'),
    issuedOn: IsoDate.describe('开票日期'),
    lineId: z.string().min(1).describe('所列支的预算行（立项预算中的 lineId）'),
  })
  .strict();
export type RecordInvoiceBody = z.infer<typeof RecordInvoiceBody>;

export const VerifyActivityBody = z.object({ note: z.string().trim().min(2).max(2000).describe('核验说明') }).strict();

export const CallTaskListQuery = z.object({
  ...pageQuery,
  contractId: z.uuid().optional(),
  activityId: z.uuid().optional(),
  status: z.enum(['pending', 'done']).optional(),
});

export const CallTaskView = z.object({
  id: z.uuid(),
  activityId: z.uuid(),
  contractId: z.uuid(),
  activityKey: z.string(),
  heldOn: IsoDate,
  participant: z.object({ id: z.uuid(), name: z.string(), phoneMasked: z.string() }),
  status: z.enum(['pending', 'done']),
  outcome: CallOutcome.nullable(),
  outcomeLabel: z.string().nullable(),
  note: z.string().nullable(),
  calledAt: z.iso.datetime().nullable(),
  calledBy: WrittenBy.nullable(),
  createdAt: z.iso.datetime(),
});
export type CallTaskView = z.infer<typeof CallTaskView>;

export const RecordCallOutcomeBody = z
  .object({ outcome: CallOutcome, note: z.string().trim().max(1000).default('') })
  .strict();
export type RecordCallOutcomeBody = z.infer<typeof RecordCallOutcomeBody>;

export const PhoneRevealView = z.object({
  callTaskId: z.uuid(),
  participantId: z.uuid(),
  name: z.string(),
  phone: z.string().describe('完整手机号（本次查看已记录）'),
  revealedAt: z.iso.datetime(),
});
export type PhoneRevealView = z.infer<typeof PhoneRevealView>;

export const PhoneRevealLogView = z.object({
  id: z.uuid(),
  participantId: z.uuid(),
  callTaskId: z.uuid(),
  activityId: z.uuid(),
  contractId: z.uuid(),
  agencyId: z.uuid(),
  revealedAt: z.iso.datetime(),
  revealedBy: WrittenBy,
});
export type PhoneRevealLogView = z.infer<typeof PhoneRevealLogView>;

// ——— 问题 findings ———

export const SEVERITY_LABELS: Record<Severity, string> = { minor: '一般', major: '较重', severe: '严重' };
export const FindingStatus = z.enum(['open', 'rectified', 'closed']).describe('待整改 / 已提交整改 / 已关闭');
export type FindingStatus = z.infer<typeof FindingStatus>;

export const RaiseFindingBody = z
  .object({
    severity: Severity,
    summary: text(200).describe('问题摘要'),
    details: z.string().trim().max(4000).default(''),
    rectifyBy: IsoDate.describe('整改期限'),
    activityId: z.uuid().optional().describe('相关活动（可选）'),
  })
  .strict();
export type RaiseFindingBody = z.infer<typeof RaiseFindingBody>;

export const FindingNoteBody = z.object({ note: z.string().trim().min(2).max(4000) }).strict();

export const FindingListQuery = z.object({
  ...pageQuery,
  contractId: z.uuid().optional(),
  severity: Severity.optional(),
  status: FindingStatus.optional(),
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional().describe('true：已过整改期限仍未提交整改'),
});

const NoteBy = z.object({ note: z.string(), at: z.iso.datetime(), by: WrittenBy });

export const FindingView = z.object({
  id: z.uuid(),
  contractId: z.uuid(),
  projectId: z.uuid(),
  organizationId: z.uuid(),
  activityId: z.uuid().nullable(),
  severity: Severity,
  severityLabel: z.string(),
  summary: z.string(),
  details: z.string(),
  rectifyBy: IsoDate,
  status: FindingStatus,
  overdue: z.boolean(),
  rectification: NoteBy.nullable(),
  closure: NoteBy.nullable(),
  createdAt: z.iso.datetime(),
  createdBy: WrittenBy,
});
export type FindingView = z.infer<typeof FindingView>;

// ——— 例会 minutes ———

export const RecordMinutesBody = z
  .object({
    heldOn: IsoDate,
    attendees: z.array(text(100)).min(1).max(50),
    notes: z.string().trim().min(1).max(10_000),
  })
  .strict();
export type RecordMinutesBody = z.infer<typeof RecordMinutesBody>;

export const MinutesView = z.object({
  id: z.uuid(),
  contractId: z.uuid(),
  heldOn: IsoDate,
  attendees: z.array(z.string()),
  notes: z.string(),
  createdAt: z.iso.datetime(),
  createdBy: WrittenBy,
});
export type MinutesView = z.infer<typeof MinutesView>;

// ——— 满意度调查 surveys ———

export const RecordSurveyResponseBody = z
  .object({
    respondentName: z.string().trim().min(1).max(50).optional().describe('受访居民（可不填）'),
    score: z.number().int().min(1).max(5).describe('满意度 1–5'),
    comment: z.string().trim().max(2000).default(''),
  })
  .strict();
export type RecordSurveyResponseBody = z.infer<typeof RecordSurveyResponseBody>;

export const SurveyResponseView = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  respondentName: z.string().nullable(),
  score: z.number().int(),
  comment: z.string(),
  createdAt: z.iso.datetime(),
  createdBy: WrittenBy,
});
export type SurveyResponseView = z.infer<typeof SurveyResponseView>;

// ——— 结项材料 close-out ———

const url = z.url({ protocol: /^https?$/, error: '须为 http(s) 链接 (an http(s) url)' }).max(1000);
/**
 * Either a link to the file or its text: a document with neither says nothing. Checked even when another
 * field of the same object failed (`when`), so one answer names every failing field.
 */
const linkOrText = <T extends { url?: string; text?: string }>(d: T) => d.url !== undefined || d.text !== undefined;
const evenWithOtherIssues = { when: (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null };

export const SubmitCloseOutBody = z
  .object({
    finalReport: z
      .object({
        title: text(200).describe('结项报告标题'),
        text: z.string().trim().min(1).max(50_000).optional().describe('报告正文'),
        url: url.optional().describe('报告文件链接'),
      })
      .strict()
      .refine(linkOrText, { message: '须提供报告正文或链接 (give the text or a url)', path: ['text'], ...evenWithOtherIssues })
      .describe('结项报告（正文或链接，至少其一）'),
    summary: text(4000).describe('全年服务总结：完成情况、受益人数、经费使用'),
    documents: z
      .array(
        z
          .object({
            name: text(200).describe('材料名称，如 活动台账、经费决算表'),
            url: url.optional(),
            text: z.string().trim().min(1).max(20_000).optional(),
          })
          .strict()
          .refine(linkOrText, { message: '须提供链接或正文 (give a url or the text)', path: ['url'], ...evenWithOtherIssues }),
      )
      .max(50)
      .default([])
      .describe('其他结项材料'),
  })
  .strict();
export type SubmitCloseOutBody = z.infer<typeof SubmitCloseOutBody>;

export const CloseOutView = z.object({
  id: z.uuid(),
  contractId: z.uuid(),
  projectId: z.uuid(),
  organizationId: z.uuid(),
  finalReport: z.object({ title: z.string(), text: z.string().nullable(), url: z.string().nullable() }),
  summary: z.string(),
  documents: z.array(z.object({ name: z.string(), url: z.string().nullable(), text: z.string().nullable() })),
  submittedAt: z.iso.datetime(),
  submittedBy: WrittenBy,
});
export type CloseOutView = z.infer<typeof CloseOutView>;

// ——— 评估 evaluations ———

export const EvaluationIndicator = z
  .enum(['activities', 'participation', 'satisfaction', 'callbacks', 'materials'])
  .describe('指标：活动完成率 / 参与人数达成率 / 满意度 / 回访一致率 / 材料完整度');
export type EvaluationIndicator = z.infer<typeof EvaluationIndicator>;

export const EVALUATION_KIND_LABELS: Record<EvaluationKind, string> = { mid_term: '中期检查', year_end: '结项评估' };

export const EvaluationPreviewQuery = z.object({ kind: EvaluationKind });

export const RecordEvaluationBody = z
  .object({
    kind: EvaluationKind,
    finalReportReceived: z
      .boolean()
      .default(false)
      .describe('监督机构确认已另行收到结项报告；已提交结项材料（POST /contracts/:id/close-out）时报告自动计为齐全'),
    indicatorScores: z
      .partialRecord(EvaluationIndicator, z.number().min(0).max(100))
      .default({})
      .describe('监督机构对某些指标的打分（覆盖计算值，不得超过该指标权重）'),
    note: z.string().trim().max(4000).default(''),
  })
  .strict();
export type RecordEvaluationBody = z.infer<typeof RecordEvaluationBody>;

export const MaterialItem = z.enum(['sign_ins', 'photos', 'invoices', 'final_report']);

export const EvaluationSheet = z.object({
  kind: EvaluationKind,
  asOf: IsoDate,
  materials: z.array(
    z.object({ item: MaterialItem, label: z.string(), status: z.enum(['present', 'absent', 'not_required']), detail: z.string() }),
  ),
  indicators: z.object({
    activitiesDue: z.number().int(),
    activitiesHeld: z.number().int(),
    targetHeadcount: z.number().int(),
    participants: z.number().int(),
    satisfactionAverage: z.number().nullable(),
    surveyResponses: z.number().int(),
    discrepancyRate: z.number().nullable(),
    callbacksReached: z.number().int(),
    openSevereFindings: z.number().int(),
  }),
  scores: z.array(
    z.object({
      indicator: EvaluationIndicator,
      label: z.string(),
      weight: z.number(),
      computed: z.number(),
      submitted: z.number().nullable(),
      score: z.number(),
      basis: z.string(),
    }),
  ),
  score: z.number().min(0).max(100),
  grade: Grade,
  gradeLabel: z.string(),
  passed: z.boolean(),
  passRule: z.string(),
});
export type EvaluationSheet = z.infer<typeof EvaluationSheet>;

export const EvaluationView = z.object({
  id: z.uuid(),
  contractId: z.uuid(),
  projectId: z.uuid(),
  kind: EvaluationKind,
  score: z.number(),
  grade: Grade,
  passed: z.boolean(),
  sheet: EvaluationSheet,
  note: z.string(),
  createdAt: z.iso.datetime(),
  createdBy: WrittenBy,
});
export type EvaluationView = z.infer<typeof EvaluationView>;

export const SupervisionPageQuery = z.object(pageQuery);
