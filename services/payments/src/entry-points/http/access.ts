import { authorize, type Action, type Principal } from '@linli/auth';
import { ValidationError, type Request } from '@linli/http';
import type { Guard } from '../../domain/payments.deps';
import type { ListRestriction } from '../../domain/payment-plans.use-cases';

/** The policy check for one contract, run by the use case once it has loaded the contract's scope. */
export function guardFor(principal: Principal, action: Action): Guard {
  return (scope) => authorize(principal, action, scope);
}

/**
 * What a caller may list: everything inside their own scope. The role is checked against the policy
 * table here (with the caller's own scope as the resource); the use case then restricts the query.
 */
export function listRestrictionFor(principal: Principal, action: Action): ListRestriction {
  const { kind, id } = principal.scope;
  const restriction: ListRestriction =
    kind === 'sub-district'
      ? { subDistrictId: id }
      : kind === 'community'
        ? { communityId: id }
        : kind === 'organization'
          ? { organizationId: id }
          : kind === 'agency'
            ? { agencyId: id }
            : {};
  authorize(principal, action, restriction);
  return restriction;
}

const KEY = /^[\x21-\x7e]{1,200}$/;

/** The Idempotency-Key header (required on request and approve): 1–200 printable ASCII characters. */
export function idempotencyKeyOf(req: Request): string {
  const value = req.header('idempotency-key');
  if (value === undefined || value.trim() === '') {
    throw new ValidationError('缺少 Idempotency-Key 请求头 (the Idempotency-Key header is required)', [
      { path: 'headers.idempotency-key', message: 'required: a unique key per intended payment step, e.g. a UUID' },
    ]);
  }
  if (!KEY.test(value)) {
    throw new ValidationError('Idempotency-Key 请求头无效 (invalid Idempotency-Key header)', [
      { path: 'headers.idempotency-key', message: '1-200 printable ASCII characters without spaces' },
    ]);
  }
  return value;
}

export const IDEMPOTENCY_NOTE =
  '需要请求头 Idempotency-Key（缺少则 400）：同一键重复提交返回第一次的结果（相同状态码与内容，响应头 Idempotent-Replayed: true），不会重复付款；同一键用于其他款项则 409。 ' +
  'Requires the Idempotency-Key header: a repeat with the same key returns the first result and moves no money.';
