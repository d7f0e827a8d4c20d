import type { Action } from '@linli/auth';
import { REVIEW_GATE_LABELS, type ProposalStatus, type ReviewGate, type ReviewOutcome } from '@linli/contracts';

// The review gates as a pure state machine: 预审 → 联审 → 工委会. Any gate may approve (on to the next),
// return for revision (打回) or reject (否决). `checkReview` is free of I/O and throws nothing, so the same
// rule can back a workflow Update validator when the lifecycle workflow takes over the review (issue 4):
// this file imports types and labels only. The use cases turn a refusal into a 409 (`reviewTransition`).

export const GATE_ORDER: readonly ReviewGate[] = ['pre_review', 'joint_review', 'committee'];

/** The policy action a reviewer needs at each gate. */
export const GATE_ACTION: Record<ReviewGate, Action> = {
  pre_review: 'proposal.review.pre',
  joint_review: 'proposal.review.joint',
  committee: 'proposal.review.committee',
};

export interface ReviewState {
  status: ProposalStatus;
  currentGate: ReviewGate | null;
  /** The frozen version under review. */
  reviewVersion: number | null;
  /** Flagged lines of the version under review that no reviewer accepted. */
  openFlags: readonly string[];
}

export interface ReviewInput {
  gate: ReviewGate;
  outcome: ReviewOutcome;
  version: number;
}

export type ReviewTransition =
  | { kind: 'advance'; status: 'submitted'; nextGate: ReviewGate }
  | { kind: 'approve'; status: 'approved' }
  | { kind: 'return'; status: 'returned' }
  | { kind: 'reject'; status: 'rejected' };

const STATUS_WORDS: Record<ProposalStatus, string> = { draft: '草稿', submitted: '评审中', returned: '已退回修改', approved: '已立项', rejected: '已否决' };

/** Why a decision cannot be taken now: a stable code, the reason in words and the figures behind it. */
export interface ReviewRefusal {
  code: 'NOT_UNDER_REVIEW' | 'WRONG_GATE' | 'STALE_VERSION' | 'OPEN_BUDGET_FLAGS';
  reason: string;
  details: Record<string, unknown>;
}

/**
 * The decision's effect, or why it is refused. Returns rather than throws, and imports nothing with I/O,
 * so a workflow Update validator can call it as it is.
 */
export function checkReview(state: ReviewState, input: ReviewInput): { ok: true; transition: ReviewTransition } | ({ ok: false } & ReviewRefusal) {
  if (state.status !== 'submitted' || !state.currentGate || state.reviewVersion === null) {
    return { ok: false, code: 'NOT_UNDER_REVIEW', reason: `项目申请${STATUS_WORDS[state.status]}，不在评审中 (the proposal is ${state.status}, not under review)`, details: { status: state.status } };
  }
  if (input.gate !== state.currentGate) {
    return {
      ok: false,
      code: 'WRONG_GATE',
      reason: `当前评审环节是「${REVIEW_GATE_LABELS[state.currentGate]}」，不能记录「${REVIEW_GATE_LABELS[input.gate]}」的决定 (wrong gate: the proposal is at ${state.currentGate})`,
      details: { currentGate: state.currentGate, gate: input.gate },
    };
  }
  if (input.version !== state.reviewVersion) {
    return {
      ok: false,
      code: 'STALE_VERSION',
      reason: `送审版本是第 ${state.reviewVersion} 版，决定针对的是第 ${input.version} 版 (stale version: version ${state.reviewVersion} is under review)`,
      details: { reviewVersion: state.reviewVersion, version: input.version },
    };
  }
  switch (input.outcome) {
    case 'return':
      return { ok: true, transition: { kind: 'return', status: 'returned' } };
    case 'reject':
      return { ok: true, transition: { kind: 'reject', status: 'rejected' } };
    case 'approve': {
      if (input.gate === 'pre_review' && state.openFlags.length > 0) {
        return {
          ok: false,
          code: 'OPEN_BUDGET_FLAGS',
          reason: `预算行 ${state.openFlags.join('、')} 超出参考价，须先由评审人员说明理由接受，才能通过预审 (lines ${state.openFlags.join(', ')} are flagged above the reference price)`,
          details: { openFlags: [...state.openFlags] },
        };
      }
      const next = GATE_ORDER[GATE_ORDER.indexOf(input.gate) + 1];
      return { ok: true, transition: next ? { kind: 'advance', status: 'submitted', nextGate: next } : { kind: 'approve', status: 'approved' } };
    }
  }
}

/** Whether a proposal in this status can be edited (its working version) and submitted. */
export function isEditable(status: ProposalStatus): boolean {
  return status === 'draft' || status === 'returned';
}
