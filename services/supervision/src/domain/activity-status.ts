import type { ActivityStatus, CheckFlag } from '@linli/contracts';
import { ConflictError } from '@linli/http';
import { hasBlocking } from './checks';

/**
 * A held activity moves one way: 已开展 held → 已签到 signed_in (sign-in sheet recorded, call-back sample
 * drawn) → 已回访 called_back (every sampled call has an outcome) → 已核验 verified. Verification is
 * automatic when the last step completes and no check raises a blocking flag; otherwise the assigned
 * supervisor verifies by hand, with a note saying why the flags are acceptable. These are the same steps
 * the project lifecycle workflow tracks per planned activity.
 */
export type ActivityStep = 'record_sign_in' | 'complete_callbacks' | 'verify';

const TRANSITIONS: Record<ActivityStep, { from: ActivityStatus; to: ActivityStatus; refusal: string }> = {
  record_sign_in: { from: 'held', to: 'signed_in', refusal: '签到单已录入 (the sign-in sheet is already recorded)' },
  complete_callbacks: { from: 'signed_in', to: 'called_back', refusal: '该活动不在回访阶段 (the activity is not awaiting call-backs)' },
  verify: { from: 'called_back', to: 'verified', refusal: '' },
};

export function nextStatus(current: ActivityStatus, step: ActivityStep): ActivityStatus {
  const rule = TRANSITIONS[step];
  if (current === rule.from) return rule.to;
  if (step === 'verify') {
    throw new ConflictError(
      current === 'verified'
        ? '活动已核验 (the activity is already verified)'
        : '回访尚未全部完成，不能核验 (call-backs are not complete; cannot verify yet)',
      { status: current },
    );
  }
  throw new ConflictError(rule.refusal, { status: current });
}

/** Automatic verification: all call-backs done and nothing blocking. */
export function canAutoVerify(status: ActivityStatus, flags: readonly CheckFlag[]): boolean {
  return status === 'called_back' && !hasBlocking(flags);
}
