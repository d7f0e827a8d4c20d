import { randomUUID } from 'node:crypto';
import { OfferingPublished, type CreateOfferingBody, type ListOfferingsQuery, type OfferingView, type UpdateOfferingBody } from '@linli/contracts';
import { buildEvent } from '@linli/events';
import { ConflictError, NotFoundError, ValidationError } from '@linli/http';
import { scrubText } from '@linli/logger';
import type { OfferingRecord } from '../data-access/offering.repository';
import type { OrganizationsWork } from '../data-access/unit-of-work';
import type { Caller, Deps } from './context';
import { page } from './pagination';

const SOURCE = 'organizations';

async function publish(outbox: OrganizationsWork['outbox'], offering: OfferingRecord, caller: Caller): Promise<void> {
  await outbox.append(
    'organizations',
    buildEvent(OfferingPublished, {
      source: SOURCE,
      subject: offering.id,
      actor: caller.actor,
      data: {
        offeringId: offering.id,
        organizationId: offering.organizationId,
        title: offering.title,
        category: offering.category,
        targetGroups: offering.targetGroups,
        priceMinFen: offering.priceMinFen,
        priceMaxFen: offering.priceMaxFen,
      },
    }),
  );
}

/** A blacklisted organization cannot be chosen, so it may not set up a stall either. */
async function assertMayPublish(organizations: OrganizationsWork['organizations'], organizationId: string): Promise<void> {
  const organization = await organizations.findById(organizationId);
  if (!organization) throw new NotFoundError('organization', organizationId);
  if (organization.creditStatus === 'blacklisted') {
    throw new ConflictError(`「${organization.name}」已列入黑名单，不得发布服务清单 (a blacklisted organization cannot publish offerings)`);
  }
}

/** 发布服务清单 (set up a stall). Titles are unique per organization. */
export async function createOffering({ uow, clock }: Deps, organizationId: string, input: CreateOfferingBody, caller: Caller): Promise<OfferingView> {
  return uow.run(async ({ organizations, offerings, outbox }) => {
    await assertMayPublish(organizations, organizationId);
    // Free text may carry a mobile number: stored, compared, returned and sent on (to communities) masked.
    const text = { title: scrubText(input.title), description: scrubText(input.description) };
    if (await offerings.findByTitle(organizationId, text.title)) {
      throw new ConflictError(`本组织已有名为「${text.title}」的服务 (an offering with this title exists)`);
    }
    const created = await offerings.create({ id: randomUUID(), organizationId, ...input, ...text, at: clock(), by: caller.actor });
    await publish(outbox, created, caller);
    return created;
  });
}

/** 修改服务清单: republishes the offering (offering.published again, with the new content). */
export async function updateOffering({ uow, clock }: Deps, id: string, input: UpdateOfferingBody, caller: Caller): Promise<OfferingView> {
  return uow.run(async ({ organizations, offerings, outbox }) => {
    const current = await offerings.findById(id);
    if (!current) throw new NotFoundError('offering', id);
    caller.must('offering.manage', { organizationId: current.organizationId });
    await assertMayPublish(organizations, current.organizationId);
    const merged = {
      category: input.category ?? current.category,
      targetGroups: input.targetGroups ?? current.targetGroups,
      title: scrubText(input.title ?? current.title),
      description: scrubText(input.description ?? current.description),
      priceMinFen: input.priceMinFen ?? current.priceMinFen,
      priceMaxFen: input.priceMaxFen ?? current.priceMaxFen,
    };
    if (merged.priceMinFen > merged.priceMaxFen) {
      throw new ValidationError('价格上限不得低于下限 (priceMaxFen must be ≥ priceMinFen)', [
        { path: input.priceMaxFen !== undefined ? 'body.priceMaxFen' : 'body.priceMinFen', message: `range would be ${merged.priceMinFen}–${merged.priceMaxFen}` },
      ]);
    }
    if (merged.title !== current.title && (await offerings.findByTitle(current.organizationId, merged.title))) {
      throw new ConflictError(`本组织已有名为「${merged.title}」的服务 (an offering with this title exists)`);
    }
    const updated = await offerings.update(id, merged, clock(), caller.actor);
    await publish(outbox, updated, caller);
    return updated;
  });
}

export async function getOffering({ uow }: Deps, id: string): Promise<OfferingView> {
  const found = await uow.read.offerings.findById(id);
  if (!found) throw new NotFoundError('offering', id);
  return found;
}

export async function listOfferings({ uow }: Deps, query: ListOfferingsQuery) {
  const { category, targetGroup, organizationId } = query;
  return page(
    query,
    ({ limit, after }) => uow.read.offerings.list({ filters: { category, targetGroup, organizationId }, limit, after }),
    (o) => ({ at: o.createdAt, id: o.id }),
  );
}
