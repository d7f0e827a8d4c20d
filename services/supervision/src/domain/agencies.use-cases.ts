import { randomUUID } from 'node:crypto';
import { AgencyRegistered, type AgencyView, type RegisterAgencyBody } from '@linli/contracts';
import { buildEvent } from '@linli/events';
import { ConflictError, NotFoundError, type Page } from '@linli/http';
import { SOURCE, type Caller, type SupervisionDeps } from './context';
import { decodeCursor, pageOf } from './pagination';

/** 登记第三方监督机构. Names are unique (one agency, one record). Agencies serve many sub-districts. */
export async function registerAgency(deps: SupervisionDeps, input: RegisterAgencyBody, caller: Caller): Promise<AgencyView> {
  return deps.uow.run(async ({ agencies, outbox }) => {
    caller.may({});
    if (await agencies.findByName(input.name)) throw new ConflictError(`机构「${input.name}」已登记 (agency already registered)`);
    const created = await agencies.create({ id: randomUUID(), ...input, createdBy: caller.actor });
    await outbox.append(
      'supervision',
      buildEvent(AgencyRegistered, { source: SOURCE, subject: created.id, actor: caller.actor, data: { agencyId: created.id, name: created.name } }),
    );
    return created;
  });
}

export async function getAgency(deps: SupervisionDeps, id: string): Promise<AgencyView> {
  const found = await deps.uow.read.agencies.findById(id);
  if (!found) throw new NotFoundError('agency', id);
  return found;
}

export async function listAgencies(deps: SupervisionDeps, { limit, cursor }: { limit: number; cursor?: string }): Promise<Page<AgencyView>> {
  const rows = await deps.uow.read.agencies.list({ limit: limit + 1, after: decodeCursor(cursor) });
  return pageOf(rows, limit, (items) => items);
}
