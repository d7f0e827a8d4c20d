import { EvaluationCompleted, FindingClosed, FindingRaised, type EventEnvelope } from '@linli/contracts';
import { isEvent } from '@linli/events';
import type { UnitOfWork } from '../../data-access/unit-of-work';
import { recordEvaluation, recordFinding, recordFindingClosed } from '../../domain/track-record.use-cases';

/** The supervision events the track record is built from. */
export const TRACK_RECORD_EVENTS = [EvaluationCompleted, FindingRaised, FindingClosed] as const;

/**
 * Applies supervision's evaluations and findings to the local track-record projection, inside the
 * consumer's dedupe transaction (`txNative`), so each event takes effect exactly once.
 */
export function trackRecordHandler(uow: UnitOfWork) {
  return async (event: EventEnvelope, txNative: unknown): Promise<void> => {
    await uow.within(txNative, async (work) => {
      if (isEvent(EvaluationCompleted, event)) await recordEvaluation(work, event);
      else if (isEvent(FindingRaised, event)) await recordFinding(work, event);
      else if (isEvent(FindingClosed, event)) await recordFindingClosed(work, event);
    });
  };
}
