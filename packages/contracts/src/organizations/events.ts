import { z } from 'zod';
import { defineEvent } from '../events/envelope';
import { Fen, ProjectLevel, ServiceCategory, TargetGroup } from '../common/domain';

/**
 * Events of the organizations service that other services consume. The organizations service may add
 * more events beside these; changing one of these in a breaking way means a new version.
 */
export const CreditStatus = z.enum(['good', 'watch', 'blacklisted']).describe('信用状况：良好 / 关注 / 黑名单（不得选择或投标）');
export type CreditStatus = z.infer<typeof CreditStatus>;

export const OrganizationRegistered = defineEvent({
  type: 'organizations.organization.registered',
  version: 1,
  description: '社会组织已登记',
  data: z.object({ organizationId: z.uuid(), name: z.string(), creditCode: z.string(), creditStatus: CreditStatus }),
});

export const OrganizationCreditChanged = defineEvent({
  type: 'organizations.organization.credit-changed',
  version: 1,
  description: '社会组织信用状况变更',
  data: z.object({ organizationId: z.uuid(), creditStatus: CreditStatus, reason: z.string() }),
});

export const OfferingPublished = defineEvent({
  type: 'organizations.offering.published',
  version: 1,
  description: '服务清单（摊位）已发布',
  data: z.object({
    offeringId: z.uuid(),
    organizationId: z.uuid(),
    title: z.string(),
    category: ServiceCategory,
    targetGroups: z.array(TargetGroup),
    priceMinFen: Fen,
    priceMaxFen: Fen,
  }),
});

/** The purchase contract between the sub-district and the organization; the payment plan hangs off it. */
export const ContractSigned = defineEvent({
  type: 'organizations.contract.signed',
  version: 1,
  description: '合同已签订',
  data: z.object({
    contractId: z.uuid(),
    projectId: z.uuid(),
    organizationId: z.uuid(),
    subDistrictId: z.uuid(),
    communityId: z.uuid().nullable(),
    level: ProjectLevel,
    amountFen: Fen,
    startsOn: z.iso.date(),
    endsOn: z.iso.date(),
    tenderId: z.uuid().nullable(),
  }),
});
