import type { ReviewDecisionListView, SubDistrictView } from '@linli/contracts';
import { ApplicationFailure } from '@temporalio/activity';
import { callService } from './service-client';

export interface CommunitiesActivityDeps {
  communitiesUrl: string;
  token: () => Promise<string>;
}

/** Activities that reach the communities service, only through its HTTP API. */
export function createCommunitiesActivities({ communitiesUrl, token }: CommunitiesActivityDeps) {
  return {
    async activateSubDistrict(input: { subDistrictId: string; idempotencyKey: string }): Promise<SubDistrictView> {
      return callService<SubDistrictView>({
        baseUrl: communitiesUrl,
        method: 'POST',
        path: `/sub-districts/${encodeURIComponent(input.subDistrictId)}/activation`,
        idempotencyKey: input.idempotencyKey,
        token,
      });
    },
    /**
     * A review decision reaches the lifecycle from the communities service, which recorded it with the
     * proposal first (its outbox event is what the bridge forwards). Before the lifecycle moves on, this
     * checks that the proposal's record really holds the decision: the workflow never gets ahead of it.
     */
    async applyReviewDecision(input: { projectId: string; gate: string; outcome: string; version: number }): Promise<void> {
      // The decisions alone: the whole proposal page would cost the service a dozen queries per gate.
      const decisions = await callService<ReviewDecisionListView>({ baseUrl: communitiesUrl, method: 'GET', path: `/proposals/${encodeURIComponent(input.projectId)}/decisions`, token });
      const recorded = decisions.items.some((d) => d.gate === input.gate && d.outcome === input.outcome && d.version === input.version);
      if (!recorded) {
        throw ApplicationFailure.create({
          type: 'DecisionNotRecorded',
          message: `项目申请 ${input.projectId} 没有第 ${input.version} 版「${input.gate}」的「${input.outcome}」决定记录`,
          nonRetryable: true,
        });
      }
    },
  };
}
export type CommunitiesActivities = ReturnType<typeof createCommunitiesActivities>;
