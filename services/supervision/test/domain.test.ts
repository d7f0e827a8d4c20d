import { randomBytes, randomUUID } from 'node:crypto';
import { gradeOf, isBase64, PHOTO_MAX_BYTES, UploadPhotoBody, type CallOutcome } from '@linli/contracts';
import { ConflictError, ValidationError } from '@linli/http';
import { loadSupervisionConfig } from '../src/config';
import { createPhoneVault } from '../src/data-access/phone-vault';
import { canAutoVerify, nextStatus } from '../src/domain/activity-status';
import {
  callbackFlags,
  headcountFlags,
  invoicePeriodFlags,
  lineSpending,
  overspendFlags,
  photoFlags,
  poolCallbacks,
  summarizeCallbacks,
  yuan,
} from '../src/domain/checks';
import { beijingDate } from '../src/domain/dates';
import { computeEvaluation, INDICATOR_WEIGHTS, type EvaluationFacts } from '../src/domain/evaluation-score';
import { maskMobile, normalizeMobile } from '../src/domain/phone-numbers';
import { decodePhoto } from '../src/domain/photo-files';
import { randomSampler, sampleSize, seededSampler } from '../src/domain/sampling';

const rules = { headcountMinRatio: 0.8, discrepancyMaxRate: 0.2 };

describe('call-back sampling', () => {
  it('when a sheet has no more names than the minimum, then everybody is called', () => {
    expect(sampleSize(0, 0.1, 3)).toBe(0);
    expect(sampleSize(2, 0.1, 3)).toBe(2);
    expect(sampleSize(3, 0.1, 3)).toBe(3);
  });
  it('when 10% is fewer than the minimum, then the minimum of 3 is drawn', () => {
    expect(sampleSize(4, 0.1, 3)).toBe(3);
    expect(sampleSize(25, 0.1, 3)).toBe(3);
    expect(sampleSize(30, 0.1, 3)).toBe(3);
  });
  it('when the sheet is large, then 10% is drawn, rounded up', () => {
    expect(sampleSize(31, 0.1, 3)).toBe(4);
    expect(sampleSize(40, 0.1, 3)).toBe(4);
    expect(sampleSize(162, 0.1, 3)).toBe(17);
    expect(sampleSize(100, 0.25, 3)).toBe(25);
  });
  it('when drawing, then the sample has distinct members of the sheet and a seed reproduces it', () => {
    const names = Array.from({ length: 50 }, (_, i) => `p${i}`);
    const a = seededSampler(42)(names, 5);
    const b = seededSampler(42)(names, 5);
    const c = seededSampler(43)(names, 5);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(new Set(a).size).toBe(5);
    for (const pick of [...a, ...randomSampler(names, 5)]) expect(names).toContain(pick);
    expect(randomSampler(names, 60)).toHaveLength(50);
  });
});

describe('call-back discrepancy rate', () => {
  const outcomes = (...list: (CallOutcome | null)[]) => list;
  it('when outcomes are in, then the rate is (no gift + did not attend) / reached, unreachable excluded', () => {
    const s = summarizeCallbacks(outcomes('attended_received_gift', 'attended_no_gift', 'did_not_attend', 'unreachable', 'attended_received_gift', null));
    expect(s).toMatchObject({ sampled: 6, done: 5, pending: 1, reached: 4 });
    expect(s.discrepancyRate).toBe(0.5);
  });
  it('when nobody was reached, then the rate is null and nothing is flagged', () => {
    const s = summarizeCallbacks(outcomes('unreachable', null));
    expect(s.discrepancyRate).toBeNull();
    expect(callbackFlags(s, rules)).toEqual([]);
  });
  it('when activities are pooled for a contract, then counts add up (not an average of rates)', () => {
    const one = summarizeCallbacks(outcomes('did_not_attend'));
    const three = summarizeCallbacks(outcomes('attended_received_gift', 'attended_received_gift', 'attended_received_gift'));
    expect(poolCallbacks([one, three]).discrepancyRate).toBe(0.25);
  });
  it('when the rate exceeds 20%, then a blocking flag gives the figures in Chinese', () => {
    const flags = callbackFlags(summarizeCallbacks(outcomes('attended_received_gift', 'attended_no_gift', 'attended_received_gift')), rules);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ code: 'callback_discrepancy', level: 'blocking', figures: { attendedNoGift: 1, reached: 3 } });
    expect(flags[0]!.message).toContain('回访不符率 33.3%');
    expect(callbackFlags(summarizeCallbacks(outcomes('attended_no_gift', ...Array(4).fill('attended_received_gift'))), rules)).toEqual([]);
  });
});

describe('headcount checks', () => {
  it('when the held headcount is below 80% of the target, then it is flagged with the minimum', () => {
    const flags = headcountFlags({ headcount: 15, signInCount: null, targetHeadcount: 20 }, rules);
    expect(flags.map((f) => f.code)).toEqual(['headcount_below_plan']);
    expect(flags[0]!.message).toBe('上报参与人数 15 人，低于计划 20 人的 80%（至少 16 人）');
  });
  it('when exactly 80% came, then nothing is flagged', () => {
    expect(headcountFlags({ headcount: 16, signInCount: 16, targetHeadcount: 20 }, rules)).toEqual([]);
  });
  it('when fewer signed in than were reported, then both the plan and the report mismatch are flagged', () => {
    const codes = headcountFlags({ headcount: 20, signInCount: 10, targetHeadcount: 20 }, rules).map((f) => f.code);
    expect(codes).toEqual(['sign_in_below_plan', 'sign_in_below_reported']);
  });
  it('when the ratio is configured differently, then the threshold follows it', () => {
    expect(headcountFlags({ headcount: 15, signInCount: null, targetHeadcount: 20 }, { ...rules, headcountMinRatio: 0.5 })).toEqual([]);
  });
});

describe('invoice checks', () => {
  const lines = [
    { lineId: 'L1', activityKey: 'A1', description: '座谈会茶歇', amountFen: 100_000 },
    { lineId: 'L2', activityKey: 'A2', description: '观影场地', amountFen: 200_000 },
  ];
  it('when invoices on a line exceed its budget, then the overspend is flagged with the figures', () => {
    const spending = lineSpending(lines, [
      { lineId: 'L1', amountFen: 90_000 },
      { lineId: 'L1', amountFen: 20_050 },
      { lineId: 'L2', amountFen: 200_000 },
    ]);
    expect(spending.map((l) => [l.lineId, l.invoicedFen, l.overspentFen])).toEqual([
      ['L1', 110_050, 10_050],
      ['L2', 200_000, 0],
    ]);
    const flags = overspendFlags(spending);
    expect(flags).toHaveLength(1);
    expect(flags[0]!.message).toBe('预算行「座谈会茶歇」预算 ¥1,000.00，发票合计 ¥1,100.50，超支 ¥100.50');
    expect(flags[0]!.figures).toEqual({ lineId: 'L1', budgetFen: 100_000, invoicedFen: 110_050, overspentFen: 10_050 });
  });
  it('when an invoice is dated outside the contract period, then it is flagged; on the boundary days it is not', () => {
    const period = { startsOn: '2026-01-01', endsOn: '2026-12-31' };
    expect(invoicePeriodFlags({ number: 'N1', issuedOn: '2025-12-31' }, period)[0]!.code).toBe('invoice_outside_period');
    expect(invoicePeriodFlags({ number: 'N1', issuedOn: '2026-01-01' }, period)).toEqual([]);
    expect(invoicePeriodFlags({ number: 'N1', issuedOn: '2026-12-31' }, period)).toEqual([]);
  });
  it('when money is shown, then it is yuan from integer fen', () => {
    expect(yuan(0)).toBe('¥0.00');
    expect(yuan(400_000_05)).toBe('¥400,000.05');
  });
});

describe('photo checks', () => {
  it('when there is no photo, then verification is blocked; a photo taken another day is a warning', () => {
    expect(photoFlags([], '2026-03-10')[0]).toMatchObject({ code: 'missing_photos', level: 'blocking' });
    // 2026-03-10 17:00 UTC is already 2026-03-11 in Beijing.
    const flags = photoFlags([{ fileName: 'a.jpg', capturedAt: '2026-03-10T17:00:00Z' }], '2026-03-10');
    expect(flags).toEqual([expect.objectContaining({ code: 'photo_date_mismatch', level: 'warning' })]);
    expect(photoFlags([{ fileName: 'a.jpg', capturedAt: '2026-03-10T01:00:00Z' }], '2026-03-10')).toEqual([]);
  });
  it('when the bytes do not match the declared type, then the upload is refused naming the field', () => {
    const pngBytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2]).toString('base64');
    expect(() => decodePhoto({ contentType: 'image/jpeg', dataBase64: pngBytes })).toThrow(ValidationError);
    expect(decodePhoto({ contentType: 'image/png', dataBase64: pngBytes }).sha256).toMatch(/^[0-9a-f]{64}$/);
    const big = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(5 * 1024 * 1024)]).toString('base64');
    try {
      decodePhoto({ contentType: 'image/jpeg', dataBase64: big });
      throw new Error('expected a refusal');
    } catch (error) {
      expect((error as ValidationError).errors[0]!.path).toBe('body.dataBase64');
    }
  });
});

describe('activity status machine', () => {
  it('when steps happen in order, then held → signed_in → called_back → verified', () => {
    expect(nextStatus('held', 'record_sign_in')).toBe('signed_in');
    expect(nextStatus('signed_in', 'complete_callbacks')).toBe('called_back');
    expect(nextStatus('called_back', 'verify')).toBe('verified');
  });
  it('when a step comes out of order, then it is a conflict with the reason', () => {
    expect(() => nextStatus('signed_in', 'record_sign_in')).toThrow(ConflictError);
    expect(() => nextStatus('signed_in', 'verify')).toThrow('回访尚未全部完成');
    expect(() => nextStatus('verified', 'verify')).toThrow('活动已核验');
    expect(() => nextStatus('held', 'complete_callbacks')).toThrow(ConflictError);
  });
  it('when call-backs are complete, then it verifies automatically only without blocking flags', () => {
    const warning = { code: 'w', level: 'warning' as const, message: '', figures: {} };
    const blocking = { ...warning, level: 'blocking' as const };
    expect(canAutoVerify('called_back', [warning])).toBe(true);
    expect(canAutoVerify('called_back', [warning, blocking])).toBe(false);
    expect(canAutoVerify('signed_in', [])).toBe(false);
  });
});

describe('phone numbers', () => {
  it('when numbers come in usual spellings, then they normalize to 11 digits; others are refused', () => {
    expect(normalizeMobile('13812345678')).toBe('13812345678');
    expect(normalizeMobile('+86 138-1234-5678')).toBe('13812345678');
    expect(normalizeMobile('8613812345678')).toBe('13812345678');
    expect(normalizeMobile('12812345678')).toBeNull();
    expect(normalizeMobile('1381234567')).toBeNull();
    expect(normalizeMobile('010-65123456')).toBeNull();
  });
  it('when shown, then only the first 3 and last 4 digits remain', () => {
    expect(maskMobile('13812345678')).toBe('138****5678');
  });
});

describe('phone vault (AES-256-GCM + HMAC)', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);
  const hmacKey = randomBytes(32);
  const rowId = randomUUID();

  it('when a number is sealed, then the ciphertext does not contain it and opens back only for its own row', () => {
    const vault = createPhoneVault({ currentKeyId: 'k1', keys: { k1 }, hmacKey });
    const sealed = vault.seal('13912345678', rowId);
    expect(sealed.keyId).toBe('k1');
    expect(sealed.ciphertext.includes(Buffer.from('13912345678'))).toBe(false);
    expect(vault.open(sealed, rowId)).toBe('13912345678');
    expect(() => vault.open(sealed, randomUUID())).toThrow();
    // A fresh IV each time: the same number never seals to the same bytes.
    expect(vault.seal('13912345678', rowId).ciphertext.equals(sealed.ciphertext)).toBe(false);
  });
  it('when the ciphertext is tampered with, then opening fails', () => {
    const vault = createPhoneVault({ currentKeyId: 'k1', keys: { k1 }, hmacKey });
    const sealed = vault.seal('13912345678', rowId);
    sealed.ciphertext[sealed.ciphertext.length - 1]! ^= 1;
    expect(() => vault.open(sealed, rowId)).toThrow();
  });
  it('when keys are rotated, then old numbers still open with the retired key and new ones use the new key', () => {
    const before = createPhoneVault({ currentKeyId: 'k1', keys: { k1 }, hmacKey }).seal('13912345678', rowId);
    const after = createPhoneVault({ currentKeyId: 'k2', keys: { k1, k2 }, hmacKey });
    expect(after.open(before, rowId)).toBe('13912345678');
    expect(after.seal('13912345678', rowId).keyId).toBe('k2');
    expect(() => createPhoneVault({ currentKeyId: 'k2', keys: { k2 }, hmacKey }).open(before, rowId)).toThrow(/k1/);
  });
  it('when fingerprinting, then equal numbers match under the same HMAC key and differ under another', () => {
    const vault = createPhoneVault({ currentKeyId: 'k1', keys: { k1 }, hmacKey });
    expect(vault.fingerprint('13912345678')).toBe(createPhoneVault({ currentKeyId: 'k2', keys: { k2 }, hmacKey }).fingerprint('13912345678'));
    expect(vault.fingerprint('13912345678')).not.toBe(createPhoneVault({ currentKeyId: 'k1', keys: { k1 }, hmacKey: randomBytes(32) }).fingerprint('13912345678'));
    expect(vault.fingerprint('13912345678')).not.toContain('13912345678');
  });
});

describe('configuration', () => {
  it('when production runs with the development PII keys, then start-up is refused naming them', () => {
    // A production Temporal codec key, so that only the PII keys are at fault here.
    const env = { NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(40), AUTH_DEV_LOGIN: 'false', TEMPORAL_CODEC_KEY: randomBytes(32).toString('base64') };
    expect(() => loadSupervisionConfig(env)).toThrow(/PII_ENCRYPTION_KEY[\s\S]*PII_HMAC_KEY/);
    const keys = { PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'), PII_HMAC_KEY: randomBytes(32).toString('base64') };
    expect(loadSupervisionConfig({ ...env, ...keys }).PII_ENCRYPTION_KEY).toBe(keys.PII_ENCRYPTION_KEY);
  });
  it('when a key is not 32 bytes of base64, then the error names the variable but not the value', () => {
    const bad = Buffer.from('short').toString('base64');
    expect(() => loadSupervisionConfig({ PII_ENCRYPTION_KEY: bad })).toThrow(/PII_ENCRYPTION_KEY: expected 32 bytes/);
    try {
      loadSupervisionConfig({ PII_ENCRYPTION_KEY: bad });
    } catch (error) {
      expect((error as Error).message).not.toContain(bad);
    }
  });
  it('when sampling and thresholds are configured, then they are read', () => {
    const config = loadSupervisionConfig({ CALLBACK_SAMPLE_RATE: '0.2', CALLBACK_SAMPLE_MIN: '5', HEADCOUNT_MIN_RATIO: '0.9', DISCREPANCY_MAX_RATE: '0.1' });
    expect(config).toMatchObject({ CALLBACK_SAMPLE_RATE: 0.2, CALLBACK_SAMPLE_MIN: 5, HEADCOUNT_MIN_RATIO: 0.9, DISCREPANCY_MAX_RATE: 0.1 });
    expect(loadSupervisionConfig({}).CALLBACK_SAMPLE_RATE).toBe(0.1);
  });
});

describe('evaluation score and grade', () => {
  const perfectCallbacks = summarizeCallbacks(['attended_received_gift', 'attended_received_gift', 'attended_received_gift']);
  const facts = (over: Partial<EvaluationFacts> = {}): EvaluationFacts => ({
    kind: 'year_end',
    asOf: '2026-12-20',
    planned: [
      { activityKey: 'A1', endsOn: '2026-03-31', targetHeadcount: 20 },
      { activityKey: 'A2', endsOn: '2026-10-31', targetHeadcount: 30 },
    ],
    held: [
      { activityKey: 'A1', signInCount: 20, photoCount: 2 },
      { activityKey: 'A2', signInCount: 30, photoCount: 1 },
    ],
    invoiceCount: 3,
    finalReport: { via: 'close_out', on: '2026-12-18' },
    satisfaction: { responses: 10, average: 5 },
    callbacks: perfectCallbacks,
    openSevereFindings: 0,
    ...over,
  });

  it('when the grade thresholds are crossed, then 优/良/中/差 switch at 90/80/60', () => {
    expect([100, 90, 89.9, 80, 79.9, 60, 59.9, 0].map(gradeOf)).toEqual(['excellent', 'excellent', 'good', 'good', 'fair', 'fair', 'poor', 'poor']);
  });
  it('when everything is delivered and confirmed, then the score is 100 (优) and the weights add up to 100', () => {
    const sheet = computeEvaluation(facts());
    expect(Object.values(INDICATOR_WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
    expect(sheet.score).toBe(100);
    expect(sheet).toMatchObject({ grade: 'excellent', gradeLabel: '优', passed: true });
    expect(sheet.materials.every((m) => m.status === 'present')).toBe(true);
  });
  it('when half the activities were held, satisfaction is 3/5 and a third of calls disagree, then each indicator scores its share', () => {
    const sheet = computeEvaluation(
      facts({
        held: [{ activityKey: 'A1', signInCount: 20, photoCount: 1 }],
        satisfaction: { responses: 4, average: 3 },
        callbacks: summarizeCallbacks(['attended_received_gift', 'attended_received_gift', 'did_not_attend']),
        finalReport: null,
      }),
    );
    const score = Object.fromEntries(sheet.scores.map((s) => [s.indicator, s.score]));
    expect(score).toEqual({ activities: 15, participation: 10, satisfaction: 10, callbacks: 10, materials: 7.5 });
    expect(sheet.score).toBe(52.5);
    expect(sheet.grade).toBe('poor');
    expect(sheet.passed).toBe(false);
  });
  it('when the final report came with the close-out material or the supervisor attests it, then it counts as present and says how', () => {
    const report = (finalReport: EvaluationFacts['finalReport']) => computeEvaluation(facts({ finalReport })).materials.find((m) => m.item === 'final_report');
    expect(report({ via: 'close_out', on: '2026-12-18' })).toMatchObject({ status: 'present', detail: '已随结项材料提交（2026-12-18）' });
    expect(report({ via: 'attested' })).toMatchObject({ status: 'present', detail: '监督机构确认已收到' });
    expect(report(null)).toMatchObject({ status: 'absent', detail: '未收到' });
  });
  it('when the supervisor submits an indicator score, then it replaces the computed one and both are shown', () => {
    const sheet = computeEvaluation(facts({ satisfaction: { responses: 0, average: null } }), { satisfaction: 15 });
    const satisfaction = sheet.scores.find((s) => s.indicator === 'satisfaction')!;
    expect(satisfaction).toMatchObject({ computed: 0, submitted: 15, score: 15, basis: '无满意度调查数据' });
    expect(sheet.score).toBe(95);
    expect(() => computeEvaluation(facts(), { callbacks: 16 })).toThrow(ValidationError);
  });
  it('when it is the mid-term check, then only activities due by then count and the final report is not required', () => {
    const sheet = computeEvaluation(facts({ kind: 'mid_term', asOf: '2026-06-30', held: [{ activityKey: 'A1', signInCount: 20, photoCount: 1 }] }));
    expect(sheet.indicators).toMatchObject({ activitiesDue: 1, activitiesHeld: 1, targetHeadcount: 20, participants: 20 });
    expect(sheet.materials.find((m) => m.item === 'final_report')!.status).toBe('not_required');
    expect(sheet.score).toBe(100);
  });
  it('when a severe finding is still open at year end, then a passing grade still does not pass; at mid-term it does', () => {
    expect(computeEvaluation(facts({ openSevereFindings: 1 }))).toMatchObject({ grade: 'excellent', passed: false });
    expect(computeEvaluation(facts({ kind: 'mid_term', openSevereFindings: 1 }))).toMatchObject({ passed: true });
  });
});

describe('dates', () => {
  it('when it is evening in UTC, then it is already the next day in Beijing', () => {
    expect(beijingDate(new Date('2026-06-15T15:59:59Z'))).toBe('2026-06-15');
    expect(beijingDate(new Date('2026-06-15T16:00:00Z'))).toBe('2026-06-16');
  });
});

describe('photo uploads: base64 text', () => {
  const pattern = /^[A-Za-z0-9+/]+={0,2}$/;
  it('when short texts are checked, then the one-pass check agrees with the documented pattern', () => {
    for (const text of ['QUJD', 'QUI=', 'QQ==', 'QQ===', '=', '', 'AA!A', 'A B', '/9j/+A==', 'abc=d', '中文']) {
      expect([text, isBase64(text)]).toEqual([text, pattern.test(text)]);
    }
  });
  it('when a photo near 5 MB is checked, then it passes without a pattern running over megabytes (CI once saw a RangeError there)', () => {
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(PHOTO_MAX_BYTES - 10)]).toString('base64');
    expect(isBase64(photo)).toBe(true);
    const parsed = UploadPhotoBody.safeParse({ fileName: 'a.jpg', contentType: 'image/jpeg', dataBase64: photo, capturedAt: '2026-03-10T02:00:00Z' });
    expect(parsed.success).toBe(true);
  });
  it('when the text is too long, then only its size is reported', () => {
    const parsed = UploadPhotoBody.safeParse({ fileName: 'a.jpg', contentType: 'image/jpeg', dataBase64: `${'A'.repeat(7_000_000)}!`, capturedAt: '2026-03-10T02:00:00Z' });
    expect(parsed.success ? [] : parsed.error.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['dataBase64', '照片超过 5 MB (photo larger than 5 MB)']]);
  });
});
