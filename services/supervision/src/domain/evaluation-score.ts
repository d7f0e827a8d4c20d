import {
  GRADE_LABELS,
  gradeOf,
  type CallbackSummary,
  type EvaluationIndicator,
  type EvaluationKind,
  type EvaluationSheet,
} from '@linli/contracts';
import { ValidationError } from '@linli/http';

/**
 * 中期检查 / 结项评估: a 100-point score from five indicators with fixed weights. Each indicator earns
 * weight × its ratio (capped at 1); the supervisor may submit their own score for any indicator (0 …
 * weight), which replaces the computed one and is shown beside it. Grade 优/良/中/差 at 90/80/60.
 *
 *   活动完成率 activities     30 × held ÷ due planned activities
 *   参与人数达成率 participation 25 × sign-ins ÷ target headcount of the due planned activities
 *   满意度 satisfaction       20 × (average − 1) ÷ 4 over survey scores 1–5 (no responses: 0)
 *   回访一致率 callbacks      15 × (1 − discrepancy rate) (nobody reached yet: 0)
 *   材料完整度 materials      10 × present ÷ required checklist items (year end: + the final report,
 *                             present once the close-out material is submitted or the supervisor attests it)
 *
 * "Due" planned activities: for the mid-term check those whose planned period ended by the evaluation
 * date (none due → full marks for the two activity indicators); for the year-end evaluation all of them.
 *
 * Passing: mid-term — grade is not 差 (poor). Year-end — grade is not 差 AND no severe (严重) finding is
 * still open: the year-end result releases the final payment, which an unresolved severe finding must block.
 */
export const INDICATOR_WEIGHTS: Record<EvaluationIndicator, number> = {
  activities: 30,
  participation: 25,
  satisfaction: 20,
  callbacks: 15,
  materials: 10,
};
const INDICATOR_LABELS: Record<EvaluationIndicator, string> = {
  activities: '活动完成率',
  participation: '参与人数达成率',
  satisfaction: '满意度',
  callbacks: '回访一致率',
  materials: '材料完整度',
};

export interface EvaluationFacts {
  kind: EvaluationKind;
  asOf: string;
  planned: readonly { activityKey: string; endsOn: string; targetHeadcount: number }[];
  held: readonly { activityKey: string; signInCount: number | null; photoCount: number }[];
  invoiceCount: number;
  /** 结项报告: with the close-out material (and its Beijing date), attested by the supervisor, or none yet. */
  finalReport: { via: 'close_out'; on: string } | { via: 'attested' } | null;
  satisfaction: { responses: number; average: number | null };
  callbacks: CallbackSummary;
  openSevereFindings: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const finalReportDetail = (report: EvaluationFacts['finalReport']) =>
  report === null ? '未收到' : report.via === 'close_out' ? `已随结项材料提交（${report.on}）` : '监督机构确认已收到';
const pct = (r: number) => `${round1(r * 100)}%`;

export function computeEvaluation(
  facts: EvaluationFacts,
  submitted: Partial<Record<EvaluationIndicator, number>> = {},
): EvaluationSheet {
  for (const [indicator, value] of Object.entries(submitted) as [EvaluationIndicator, number][]) {
    if (value > INDICATOR_WEIGHTS[indicator]) {
      throw new ValidationError('指标得分超过权重 (indicator score above its weight)', [
        { path: `body.indicatorScores.${indicator}`, message: `at most ${INDICATOR_WEIGHTS[indicator]}` },
      ]);
    }
  }

  const due = facts.kind === 'year_end' ? facts.planned : facts.planned.filter((p) => p.endsOn <= facts.asOf);
  const dueKeys = new Set(due.map((p) => p.activityKey));
  const heldDue = facts.held.filter((h) => dueKeys.has(h.activityKey));
  const participants = heldDue.reduce((sum, h) => sum + (h.signInCount ?? 0), 0);
  const targetHeadcount = due.reduce((sum, p) => sum + p.targetHeadcount, 0);

  const signed = facts.held.filter((h) => h.signInCount !== null).length;
  const photographed = facts.held.filter((h) => h.photoCount > 0).length;
  const heldCount = facts.held.length;
  const materials: EvaluationSheet['materials'] = [
    {
      item: 'sign_ins',
      label: '签到单',
      status: heldCount > 0 && signed === heldCount ? 'present' : 'absent',
      detail: `${signed}/${heldCount} 场活动有签到单`,
    },
    {
      item: 'photos',
      label: '活动照片',
      status: heldCount > 0 && photographed === heldCount ? 'present' : 'absent',
      detail: `${photographed}/${heldCount} 场活动有照片`,
    },
    { item: 'invoices', label: '发票', status: facts.invoiceCount > 0 ? 'present' : 'absent', detail: `已登记 ${facts.invoiceCount} 张发票` },
    facts.kind === 'year_end'
      ? { item: 'final_report', label: '结项报告', status: facts.finalReport ? 'present' : 'absent', detail: finalReportDetail(facts.finalReport) }
      : { item: 'final_report', label: '结项报告', status: 'not_required', detail: '中期检查不要求' },
  ];
  const required = materials.filter((m) => m.status !== 'not_required');
  const present = required.filter((m) => m.status === 'present').length;

  const activitiesRatio = due.length === 0 ? 1 : Math.min(1, heldDue.length / due.length);
  const participationRatio = targetHeadcount === 0 ? 1 : Math.min(1, participants / targetHeadcount);
  const { average } = facts.satisfaction;
  const rate = facts.callbacks.discrepancyRate;

  const computed: Record<EvaluationIndicator, { ratio: number; basis: string }> = {
    activities: {
      ratio: activitiesRatio,
      basis: due.length === 0 ? '尚无到期的计划活动' : `已开展 ${heldDue.length} / 到期计划 ${due.length} 场（${pct(activitiesRatio)}）`,
    },
    participation: {
      ratio: participationRatio,
      basis: targetHeadcount === 0 ? '尚无到期的计划人数' : `签到 ${participants} / 计划 ${targetHeadcount} 人（${pct(participationRatio)}）`,
    },
    satisfaction: {
      ratio: average === null ? 0 : (average - 1) / 4,
      basis: average === null ? '无满意度调查数据' : `${facts.satisfaction.responses} 份问卷，平均 ${round1(average)} 分（1–5）`,
    },
    callbacks: {
      ratio: rate === null ? 0 : 1 - rate,
      basis: rate === null ? '尚无接通的回访' : `接通 ${facts.callbacks.reached} 人，不符率 ${pct(rate)}`,
    },
    materials: { ratio: required.length === 0 ? 1 : present / required.length, basis: `材料 ${present}/${required.length} 项齐全` },
  };

  const scores = (Object.keys(INDICATOR_WEIGHTS) as EvaluationIndicator[]).map((indicator) => {
    const weight = INDICATOR_WEIGHTS[indicator];
    const value = round1(weight * computed[indicator].ratio);
    const given = submitted[indicator];
    return {
      indicator,
      label: INDICATOR_LABELS[indicator],
      weight,
      computed: value,
      submitted: given ?? null,
      score: given ?? value,
      basis: computed[indicator].basis,
    };
  });
  const score = Math.min(100, round1(scores.reduce((sum, s) => sum + s.score, 0)));
  const grade = gradeOf(score);
  const passed = facts.kind === 'mid_term' ? grade !== 'poor' : grade !== 'poor' && facts.openSevereFindings === 0;

  return {
    kind: facts.kind,
    asOf: facts.asOf,
    materials,
    indicators: {
      activitiesDue: due.length,
      activitiesHeld: heldDue.length,
      targetHeadcount,
      participants,
      satisfactionAverage: average === null ? null : Math.round(average * 100) / 100,
      surveyResponses: facts.satisfaction.responses,
      discrepancyRate: rate,
      callbacksReached: facts.callbacks.reached,
      openSevereFindings: facts.openSevereFindings,
    },
    scores,
    score,
    grade,
    gradeLabel: GRADE_LABELS[grade],
    passed,
    passRule:
      facts.kind === 'mid_term'
        ? '中期检查：等级非「差」（≥60 分）即通过'
        : '结项评估：等级非「差」（≥60 分）且无未关闭的严重问题即通过',
  };
}
