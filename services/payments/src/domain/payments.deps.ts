import type { Grade, TrancheSpec } from '@linli/contracts';
import { ValidationError } from '@linli/http';
import type { UnitOfWork } from '../data-access/unit-of-work';
import type { TreasuryPort } from './treasury.port';

/** What the use cases need from the outside world. */
export interface PaymentsDeps {
  uow: UnitOfWork;
  treasury: TreasuryPort;
  policy: {
    /** Share of the final tranche per year-end grade (config FINAL_TRANCHE_PERCENT_BY_GRADE). */
    finalPercentByGrade: Record<Grade, number>;
    /** The split a plan gets when none is given (config PAYMENT_PLAN_DEFAULT_PERCENTS). */
    defaultTranches: TrancheSpec[];
  };
  log: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
  now?: () => Date;
}

/** Whose money a contract is: what the policy table checks a caller's scope against. */
export interface ContractScope {
  subDistrictId: string;
  communityId: string | null;
  organizationId: string;
  agencyId: string | null;
}

/**
 * The route's authorization, deferred until the use case has loaded the resource: the route decides
 * (authorize(principal, action, scope)), the use case supplies the scope. Throws to refuse.
 */
export type Guard = (scope: ContractScope) => void;

export const clock = (deps: Pick<PaymentsDeps, 'now'>): Date => (deps.now ? deps.now() : new Date());

/** Opaque cursors: the position after the last item of the previous page. */
export function encodeCursor(position: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor<T>(cursor: string, check: (value: Record<string, unknown>) => T | null): T {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (parsed && typeof parsed === 'object') {
      const value = check(parsed as Record<string, unknown>);
      if (value) return value;
    }
  } catch {
    // fall through to the validation error below
  }
  throw new ValidationError('游标无效 (invalid cursor)', [{ path: 'query.cursor', message: 'not a cursor returned by this list' }]);
}

export const timeAndId = (v: Record<string, unknown>) =>
  typeof v.c === 'string' && typeof v.i === 'string' && !Number.isNaN(Date.parse(v.c)) ? { createdAt: v.c, id: v.i } : null;

export const timeAndSeq = (v: Record<string, unknown>) =>
  typeof v.c === 'string' && typeof v.s === 'number' && Number.isSafeInteger(v.s) && !Number.isNaN(Date.parse(v.c)) ? { createdAt: v.c, seq: v.s } : null;
