import { z } from 'zod';
import { PROJECT_LEVELS } from '../workflows/project-lifecycle.constants';

/** Money is integer fen (分) of CNY, never a float; totals are computed, never typed in. */
export const Fen = z.number().int().min(0).max(10_000_000_000).describe('金额（分，整数）');
export type Fen = z.infer<typeof Fen>;

/** Service categories, shared by residents' wishes (居民意愿) and organizations' offerings (服务清单). */
export const ServiceCategory = z
  .enum(['elderly_care', 'children', 'veterans', 'building_culture', 'resident_deliberation', 'disability', 'other'])
  .describe('服务类别：养老 / 亲子与儿童 / 老兵 / 楼门文化 / 居民议事厅 / 助残 / 其他');
export type ServiceCategory = z.infer<typeof ServiceCategory>;
export const SERVICE_CATEGORY_LABELS: Record<ServiceCategory, string> = {
  elderly_care: '养老',
  children: '亲子与儿童',
  veterans: '老兵',
  building_culture: '楼门文化',
  resident_deliberation: '居民议事厅',
  disability: '助残',
  other: '其他',
};

export const TargetGroup = z
  .enum(['elderly', 'children', 'families', 'veterans', 'disabled', 'residents', 'youth', 'other'])
  .describe('服务对象：老年人 / 儿童 / 家庭 / 退役军人 / 残障人士 / 全体居民 / 青少年 / 其他');
export type TargetGroup = z.infer<typeof TargetGroup>;
export const TARGET_GROUP_LABELS: Record<TargetGroup, string> = {
  elderly: '老年人',
  children: '儿童',
  families: '家庭',
  veterans: '退役军人',
  disabled: '残障人士',
  residents: '全体居民',
  youth: '青少年',
  other: '其他',
};

/** 社区级 (a community buys for itself) or 街道级 (the sub-district buys; goes to tender). */
export const ProjectLevel = z.enum(PROJECT_LEVELS).describe('项目层级：社区级 / 街道级（需招投标）');
export type ProjectLevel = z.infer<typeof ProjectLevel>;

/** Evaluation grade 优/良/中/差 at 90/80/60. */
export const Grade = z.enum(['excellent', 'good', 'fair', 'poor']).describe('评估等级：优 / 良 / 中 / 差');
export type Grade = z.infer<typeof Grade>;
export const GRADE_LABELS: Record<Grade, string> = { excellent: '优', good: '良', fair: '中', poor: '差' };
export function gradeOf(score: number): Grade {
  if (score >= 90) return 'excellent';
  if (score >= 80) return 'good';
  if (score >= 60) return 'fair';
  return 'poor';
}

export const Severity = z.enum(['minor', 'major', 'severe']).describe('问题严重程度：一般 / 较重 / 严重（严重问题冻结拨付）');
export type Severity = z.infer<typeof Severity>;

/** ISO calendar date (YYYY-MM-DD), for periods and deadlines that are days, not instants. */
export const IsoDate = z.iso.date();

/** Who did a write and when: every view of a written record carries it. */
export const WrittenBy = z.object({ userId: z.string(), role: z.string(), scope: z.string().optional() });

/**
 * base64 text (A–Z, a–z, 0–9, + and /, then at most two '='), checked in one pass. Not a regular
 * expression: over megabytes of text V8's backtracking can exhaust its stack (a RangeError, seen in CI on a
 * 7 MB upload), which would turn a valid photo into a 500.
 */
export function isBase64(text: string): boolean {
  let end = text.length;
  for (let pad = 0; pad < 2 && end > 0 && text.charCodeAt(end - 1) === 61 /* = */; pad++) end--;
  if (end === 0) return false;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
    if (!ok) return false;
  }
  return true;
}

/**
 * base64 text of at most `maxLength` characters. Refused on its length alone when too long (abort: no
 * other check runs over it), then checked by isBase64; the OpenAPI document still shows the pattern.
 */
export function base64Text({ maxLength, tooLong, notBase64, allowEmpty = false }: { maxLength: number; tooLong?: string; notBase64: string; allowEmpty?: boolean }) {
  return z
    .string()
    .max(maxLength, { ...(tooLong ? { error: tooLong } : {}), abort: true })
    .refine((text) => (allowEmpty && text === '') || isBase64(text), { error: notBase64 })
    .meta({ pattern: allowEmpty ? '^[A-Za-z0-9+/]*={0,2}$' : '^[A-Za-z0-9+/]+={0,2}$' });
}
