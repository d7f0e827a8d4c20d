import { z } from 'zod';

/** Input of the walking-skeleton workflow started when a sub-district registers. */
export const SubDistrictOnboardingInput = z.object({
  subDistrictId: z.uuid(),
  /** How long the workflow waits before activating; policy, so tests run in seconds. */
  activationDelayMs: z.number().int().min(0),
});
export type SubDistrictOnboardingInput = z.infer<typeof SubDistrictOnboardingInput>;
