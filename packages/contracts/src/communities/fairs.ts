import { z } from 'zod';
import { Fen, IsoDate, ServiceCategory, TargetGroup, WrittenBy } from '../common/domain';
import { CreditStatus } from '../organizations/events';

// ——— 社会组织目录 (the local projection of the organizations service's registry and offerings) ———

export const DirectoryOrganizationView = z.object({
  id: z.uuid(),
  /** null while only a credit change has arrived (registration not yet seen). */
  name: z.string().nullable(),
  creditStatus: CreditStatus,
  creditStatusLabel: z.string(),
  /** false when blacklisted or not yet fully known: such an organization cannot be shortlisted or chosen. */
  selectable: z.boolean(),
  updatedAt: z.iso.datetime(),
});
export type DirectoryOrganizationView = z.infer<typeof DirectoryOrganizationView>;

export const DirectoryOfferingView = z.object({
  id: z.uuid(),
  organizationId: z.uuid(),
  organizationName: z.string().nullable(),
  organizationCreditStatus: CreditStatus.nullable(),
  selectable: z.boolean(),
  title: z.string(),
  category: ServiceCategory,
  categoryLabel: z.string(),
  targetGroups: z.array(TargetGroup),
  priceMinFen: Fen,
  priceMaxFen: Fen,
  publishedAt: z.iso.datetime(),
});
export type DirectoryOfferingView = z.infer<typeof DirectoryOfferingView>;

export const DirectoryIdParams = z.object({ id: z.uuid() });

export const ListDirectoryOrganizationsQuery = z.object({
  cursor: z.string().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  creditStatus: CreditStatus.optional(),
});

export const ListDirectoryOfferingsQuery = z.object({
  cursor: z.string().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  organizationId: z.uuid().optional(),
  category: ServiceCategory.optional(),
});

// ——— 推介会 (fairs), stalls and shortlists ———

export const CreateFairBody = z
  .object({
    subDistrictId: z.uuid(),
    title: z.string().trim().min(2).max(200).describe('如 体育馆路街道2026年社会组织服务项目推介会'),
    venue: z.string().trim().min(1).max(200),
    heldOn: IsoDate,
    description: z.string().trim().max(4000).optional(),
  })
  .strict();
export type CreateFairBody = z.infer<typeof CreateFairBody>;

export const AddStallBody = z
  .object({
    offeringId: z.uuid().describe('社会组织服务清单编号（来自社会组织服务）'),
    booth: z.string().trim().min(1).max(20).optional().describe('展位号'),
  })
  .strict();
export type AddStallBody = z.infer<typeof AddStallBody>;

export const StallView = z.object({
  id: z.uuid(),
  fairId: z.uuid(),
  booth: z.string().nullable(),
  offering: DirectoryOfferingView,
  /** How many communities have shortlisted this stall. */
  shortlistedBy: z.number().int(),
  createdAt: z.iso.datetime(),
  createdBy: WrittenBy,
});
export type StallView = z.infer<typeof StallView>;

export const FairView = z.object({
  id: z.uuid(),
  subDistrictId: z.uuid(),
  subDistrictName: z.string(),
  title: z.string(),
  venue: z.string(),
  heldOn: IsoDate,
  description: z.string().nullable(),
  stallCount: z.number().int(),
  createdAt: z.iso.datetime(),
  createdBy: WrittenBy,
});
export type FairView = z.infer<typeof FairView>;

export const FairDetailView = FairView.extend({ stalls: z.array(StallView) });
export type FairDetailView = z.infer<typeof FairDetailView>;

export const FairIdParams = z.object({ id: z.uuid() });

export const ListFairsQuery = z.object({
  cursor: z.string().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  subDistrictId: z.uuid().optional(),
});

export const ShortlistBody = z
  .object({
    communityId: z.uuid().describe('登记意向的社区（社区书记本人所在社区）'),
    offeringId: z.uuid().describe('推介会上展出的服务清单'),
    note: z.string().trim().min(1).max(2000).describe('意向说明，如 居民呼声高，想进一步洽谈'),
  })
  .strict();
export type ShortlistBody = z.infer<typeof ShortlistBody>;

export const ShortlistEntryView = z.object({
  id: z.uuid(),
  fairId: z.uuid(),
  stallId: z.uuid(),
  communityId: z.uuid(),
  communityName: z.string(),
  offering: DirectoryOfferingView,
  note: z.string(),
  createdAt: z.iso.datetime(),
  createdBy: WrittenBy,
});
export type ShortlistEntryView = z.infer<typeof ShortlistEntryView>;

export const ListShortlistQuery = z.object({
  cursor: z.string().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  communityId: z.uuid().optional(),
});
