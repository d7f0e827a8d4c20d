import {
  CREDIT_STATUS_LABELS,
  SERVICE_CATEGORY_LABELS,
  type CreditStatus,
  type DirectoryOfferingView,
  type DirectoryOrganizationView,
  type EventOf,
  type OfferingPublished,
  type OrganizationCreditChanged,
  type OrganizationRegistered,
  type ServiceCategory,
} from '@linli/contracts';
import { ConflictError, NotFoundError, type Page } from '@linli/http';
import type { DirectoryOfferingRecord, DirectoryOrganizationRecord } from '../data-access/directory.repository';
import type { CommunitiesWork } from '../data-access/unit-of-work';
import type { Deps } from './context';
import { page } from './pagination';

// 社会组织目录: a local projection of the organizations service's registrations, credit changes and
// offerings, so fairs and proposals can show an organization's name and credit status and refuse a
// blacklisted one without calling that service.

/** An organization may be shortlisted or chosen only when it is known here and not blacklisted. */
export const isSelectable = (org: DirectoryOrganizationRecord | null | undefined): boolean => Boolean(org && org.name !== null && org.creditStatus !== 'blacklisted');

/** 409 with the reason unless the organization may be chosen. */
export function assertSelectable(org: DirectoryOrganizationRecord | null | undefined, organizationId: string): asserts org is DirectoryOrganizationRecord {
  if (!org || org.name === null) {
    throw new ConflictError(`社会组织 ${organizationId} 尚未登记或信息尚未同步，暂不能选择 (organization not known here yet)`, { organizationId }, { code: 'ORGANIZATION_UNKNOWN' });
  }
  if (org.creditStatus === 'blacklisted') {
    throw new ConflictError(`「${org.name}」已列入黑名单，不得选择 (organization is blacklisted)`, { organizationId, creditStatus: org.creditStatus }, { code: 'ORGANIZATION_BLACKLISTED' });
  }
}

export function organizationView(org: DirectoryOrganizationRecord): DirectoryOrganizationView {
  return { id: org.id, name: org.name, creditStatus: org.creditStatus, creditStatusLabel: CREDIT_STATUS_LABELS[org.creditStatus], selectable: isSelectable(org), updatedAt: org.updatedAt };
}

export function offeringView(offering: DirectoryOfferingRecord, org: DirectoryOrganizationRecord | null | undefined): DirectoryOfferingView {
  return {
    ...offering,
    categoryLabel: SERVICE_CATEGORY_LABELS[offering.category],
    organizationName: org?.name ?? null,
    organizationCreditStatus: org?.creditStatus ?? null,
    selectable: isSelectable(org),
  };
}

/** Offering views for a batch (one lookup of their organizations). */
export async function offeringViews(work: CommunitiesWork, offerings: readonly DirectoryOfferingRecord[]): Promise<DirectoryOfferingView[]> {
  const orgs = await work.directory.organizations(offerings.map((o) => o.organizationId));
  return offerings.map((o) => offeringView(o, orgs.get(o.organizationId)));
}

// ——— projection (applied by the consumer inside its dedupe transaction) ———

export async function projectOrganizationRegistered(work: CommunitiesWork, event: EventOf<typeof OrganizationRegistered>): Promise<void> {
  const d = event.data;
  await work.directory.upsertRegistered({ id: d.organizationId, name: d.name, creditCode: d.creditCode, creditStatus: d.creditStatus, at: new Date(event.occurredAt) });
}

/** A credit change older than what the projection already holds (a late redelivery) is ignored. */
export async function projectCreditChanged(work: CommunitiesWork, event: EventOf<typeof OrganizationCreditChanged>): Promise<void> {
  const d = event.data;
  const at = new Date(event.occurredAt);
  const current = await work.directory.organization(d.organizationId);
  if (current && new Date(current.updatedAt) > at) return;
  await work.directory.setCreditStatus({ id: d.organizationId, creditStatus: d.creditStatus, reason: d.reason, at });
}

export async function projectOfferingPublished(work: CommunitiesWork, event: EventOf<typeof OfferingPublished>): Promise<void> {
  const d = event.data;
  await work.directory.upsertOffering({
    id: d.offeringId,
    organizationId: d.organizationId,
    title: d.title,
    category: d.category,
    targetGroups: d.targetGroups,
    priceMinFen: d.priceMinFen,
    priceMaxFen: d.priceMaxFen,
    publishedAt: event.occurredAt,
  });
}

// ——— reads (any signed-in user: the fair is a public event, offerings are public stalls) ———

export async function getDirectoryOrganization(deps: Deps, id: string): Promise<DirectoryOrganizationView> {
  const org = await deps.uow.read.directory.organization(id);
  if (!org) throw new NotFoundError('organization', id);
  return organizationView(org);
}

export async function listDirectoryOrganizations(deps: Deps, query: { limit: number; cursor?: string; creditStatus?: CreditStatus }): Promise<Page<DirectoryOrganizationView>> {
  return page(
    query,
    (p) => deps.uow.read.directory.listOrganizations({ creditStatus: query.creditStatus }, p),
    (r) => ({ at: r.createdAt, id: r.id }),
    (records) => records.map(organizationView),
  );
}

export async function getDirectoryOffering(deps: Deps, id: string): Promise<DirectoryOfferingView> {
  const offering = await deps.uow.read.directory.offering(id);
  if (!offering) throw new NotFoundError('offering', id);
  return (await offeringViews(deps.uow.read, [offering]))[0]!;
}

export async function listDirectoryOfferings(
  deps: Deps,
  query: { limit: number; cursor?: string; organizationId?: string; category?: ServiceCategory },
): Promise<Page<DirectoryOfferingView>> {
  return page(
    query,
    (p) => deps.uow.read.directory.listOfferings(query, p),
    (r) => ({ at: r.publishedAt, id: r.id }),
    (records) => offeringViews(deps.uow.read, records),
  );
}
