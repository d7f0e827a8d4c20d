import type { SubDistrictView } from '@linli/contracts';
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
  };
}
export type CommunitiesActivities = ReturnType<typeof createCommunitiesActivities>;
