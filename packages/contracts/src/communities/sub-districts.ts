import { z } from 'zod';
import { defineEvent } from '../events/envelope';

/** 街道 (sub-district): the government level that buys services for its communities. */
export const SubDistrictStatus = z.enum(['pending', 'active']).describe('pending：刚登记；active：开通流程已完成');

export const RegisterSubDistrictBody = z
  .object({
    name: z.string().trim().min(2).max(50).describe('街道名称，如 八里庄街道'),
    district: z.string().trim().min(2).max(50).describe('所属区，如 朝阳区'),
  })
  .strict();
export type RegisterSubDistrictBody = z.infer<typeof RegisterSubDistrictBody>;

export const SubDistrictView = z.object({
  id: z.uuid(),
  name: z.string(),
  district: z.string(),
  status: SubDistrictStatus,
  createdAt: z.iso.datetime(),
  activatedAt: z.iso.datetime().nullable(),
});
export type SubDistrictView = z.infer<typeof SubDistrictView>;

export const SubDistrictIdParams = z.object({ id: z.uuid() });

export const SubDistrictRegistered = defineEvent({
  type: 'communities.sub-district.registered',
  version: 1,
  description: '街道已登记',
  data: z.object({ subDistrictId: z.uuid(), name: z.string(), district: z.string() }),
});

export const SubDistrictActivated = defineEvent({
  type: 'communities.sub-district.activated',
  version: 1,
  description: '街道开通流程已完成',
  data: z.object({ subDistrictId: z.uuid(), activatedAt: z.iso.datetime() }),
});
