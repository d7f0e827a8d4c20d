import { randomUUID } from 'node:crypto';
import {
  SubDistrictActivated,
  SubDistrictRegistered,
  type Actor,
  type RegisterSubDistrictBody,
  type SubDistrictView,
} from '@linli/contracts';
import { buildEvent } from '@linli/events';
import { ConflictError, NotFoundError, ValidationError } from '@linli/http';
import type { UnitOfWork } from '../data-access/unit-of-work';

const SOURCE = 'communities';

/**
 * 登记街道. The name is unique. The registration event starts the onboarding workflow (through the
 * outbox and Kafka, so a crash right after the commit still starts it).
 */
export async function registerSubDistrict(uow: UnitOfWork, input: RegisterSubDistrictBody, actor: Actor): Promise<SubDistrictView> {
  return uow.run(async ({ subDistricts, outbox }) => {
    if (await subDistricts.findByName(input.name)) throw new ConflictError(`街道「${input.name}」已登记 (sub-district already registered)`);
    const created = await subDistricts.create({ id: randomUUID(), name: input.name, district: input.district, createdBy: actor.userId });
    await outbox.append(
      'communities',
      buildEvent(SubDistrictRegistered, { source: SOURCE, subject: created.id, actor, data: { subDistrictId: created.id, name: created.name, district: created.district } }),
    );
    return created;
  });
}

/** Completes onboarding. Idempotent: the workflow's activity may deliver it more than once. */
export async function activateSubDistrict(uow: UnitOfWork, id: string, actor: Actor, now = new Date()): Promise<SubDistrictView> {
  return uow.run(async ({ subDistricts, outbox }) => {
    const current = await subDistricts.findById(id);
    if (!current) throw new NotFoundError('sub-district', id);
    if (current.status === 'active') return current;
    const activated = await subDistricts.activate(id, now);
    await outbox.append(
      'communities',
      buildEvent(SubDistrictActivated, { source: SOURCE, subject: id, actor, data: { subDistrictId: id, activatedAt: activated.activatedAt! } }),
    );
    return activated;
  });
}

export async function getSubDistrict(uow: UnitOfWork, id: string): Promise<SubDistrictView> {
  const found = await uow.read.subDistricts.findById(id);
  if (!found) throw new NotFoundError('sub-district', id);
  return found;
}

/** Opaque cursor: the position after the last item of the previous page. */
function encodeCursor(item: SubDistrictView): string {
  return Buffer.from(JSON.stringify({ c: item.createdAt, i: item.id })).toString('base64url');
}
function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const { c, i } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { c: unknown; i: unknown };
    if (typeof c === 'string' && typeof i === 'string' && !Number.isNaN(Date.parse(c))) return { createdAt: c, id: i };
  } catch {
    // fall through to the validation error below
  }
  throw new ValidationError('游标无效 (invalid cursor)', [{ path: 'query.cursor', message: 'not a cursor returned by this list' }]);
}

export async function listSubDistricts(uow: UnitOfWork, { limit, cursor }: { limit: number; cursor?: string }) {
  const after = cursor ? decodeCursor(cursor) : undefined;
  const rows = await uow.read.subDistricts.list({ limit: limit + 1, after });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
