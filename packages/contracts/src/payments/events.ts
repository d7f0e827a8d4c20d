import { z } from 'zod';
import { defineEvent } from '../events/envelope';
import { Fen } from '../common/domain';

/** Events of the payments service that other services consume (the service may add more beside these). */
export const TrancheKind = z.enum(['start_up', 'mid_term', 'final']).describe('拨付阶段：启动资金 / 中期款 / 尾款');
export type TrancheKind = z.infer<typeof TrancheKind>;

export const TranchePaid = defineEvent({
  type: 'payments.tranche.paid',
  version: 1,
  description: '款项已拨付',
  data: z.object({
    contractId: z.uuid(),
    projectId: z.uuid(),
    trancheId: z.uuid(),
    kind: TrancheKind,
    amountFen: Fen,
    subDistrictId: z.uuid(),
    communityId: z.uuid().nullable(),
    paidAt: z.iso.datetime(),
  }),
});
