import { z } from './zod-openapi';
import { scrubText } from '@linli/logger';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  TooManyRequestsError,
  UnauthorizedError,
  ValidationError,
  type FieldError,
} from './errors';

/**
 * The one translator from "something went wrong" to an HTTP answer. Every error leaves a Linli service as
 * `application/problem+json` (RFC 9457), so clients parse failures one way whichever service they call.
 */

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const ProblemFieldError = z.object({
  path: z.string(),
  message: z.string(),
  code: z.string().optional(),
});

export const Problem = z.object({
  type: z.string().describe('URI naming the kind of problem, e.g. urn:linli:problem:invalid-request'),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional().describe('The request path that failed'),
  requestId: z.string().optional().describe('Quote this when reporting the problem'),
  code: z.string().optional().describe('Machine-readable domain error code'),
  errors: z.array(ProblemFieldError).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type Problem = z.infer<typeof Problem>;

/** Problem kinds: `type` is an absolute URN so it never pretends to be a page we host. */
export const PROBLEM_TYPES = {
  invalidRequest: { type: 'urn:linli:problem:invalid-request', title: '请求参数无效 (Invalid request)', status: 400 },
  malformedJson: { type: 'urn:linli:problem:malformed-json', title: '请求体不是有效的 JSON (Malformed JSON body)', status: 400 },
  unauthorized: { type: 'urn:linli:problem:unauthorized', title: '未登录或凭证无效 (Unauthorized)', status: 401 },
  forbidden: { type: 'urn:linli:problem:forbidden', title: '无权执行此操作 (Forbidden)', status: 403 },
  notFound: { type: 'urn:linli:problem:not-found', title: '资源不存在 (Not found)', status: 404 },
  routeNotFound: { type: 'urn:linli:problem:route-not-found', title: '接口不存在 (No such route)', status: 404 },
  conflict: { type: 'urn:linli:problem:conflict', title: '与当前状态冲突 (Conflict)', status: 409 },
  payloadTooLarge: { type: 'urn:linli:problem:payload-too-large', title: '请求体过大 (Payload too large)', status: 413 },
  unsupportedMediaType: { type: 'urn:linli:problem:unsupported-media-type', title: '不支持的请求格式 (Unsupported media type)', status: 415 },
  businessRule: { type: 'urn:linli:problem:business-rule', title: '业务规则不允许 (Business rule violated)', status: 422 },
  tooManyRequests: { type: 'urn:linli:problem:too-many-requests', title: '请求过于频繁 (Too many requests)', status: 429 },
  internal: { type: 'urn:linli:problem:internal', title: '服务器内部错误 (Internal server error)', status: 500 },
  notReady: { type: 'urn:linli:problem:not-ready', title: '服务暂不可用 (Service not ready)', status: 503 },
} as const;

export type ProblemKind = keyof typeof PROBLEM_TYPES;

export interface MappedProblem {
  problem: Problem;
  headers: Record<string, string>;
  /** True when the cause is ours, not the client's: log it with its stack. */
  serverFault: boolean;
}

export function problemOf(kind: ProblemKind, fields: Partial<Problem> = {}): Problem {
  const { type, title, status } = PROBLEM_TYPES[kind];
  return { type, title, status, ...fields };
}

/** Zod path → `budget.lines[2].unitPrice`, with an optional part prefix (`body.`). */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>, prefix?: string): string {
  let out = prefix ?? '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

/** By shape as well as class, so a ZodError from another copy of zod (another package's) is still a 400. */
export function isZodError(error: unknown): error is z.core.$ZodError {
  if (error instanceof z.core.$ZodError) return true;
  return error instanceof Error && error.name === 'ZodError' && Array.isArray((error as { issues?: unknown }).issues);
}

export function fieldErrorsOf(error: z.core.$ZodError, prefix?: string): FieldError[] {
  return error.issues.map((issue) => ({
    path: formatIssuePath(issue.path, prefix),
    message: issue.message,
    code: issue.code,
  }));
}

/** Thrown when a handler's answer does not fit its declared response schema: our bug, never the client's. */
export class ResponseContractError extends Error {
  constructor(
    readonly operationId: string,
    readonly status: number,
    readonly issues: FieldError[],
  ) {
    super(`${operationId}: response for status ${status} does not match its schema: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);
    this.name = 'ResponseContractError';
  }
}

interface BodyParserError {
  type: string;
  status?: number;
  expose?: boolean;
  limit?: number;
  message: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === 'object' && error !== null && typeof (error as { type?: unknown }).type === 'string' &&
    typeof (error as { status?: unknown }).status === 'number';
}

/** Prisma's unique-constraint clash. Matched by shape so this package needs no Prisma dependency. */
function isUniqueConstraintClash(error: unknown): error is { code: 'P2002'; meta?: { target?: unknown } } {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

/**
 * PostgreSQL's "data exception" class (SQLSTATE 22: numeric value out of range, invalid text representation,
 * NUL in text, ...) as Prisma reports it (P2020 / P2039 with the driver's original code): always caused by a
 * value sent to the database, never by the database being unwell.
 */
function isStoredValueRejected(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, meta } = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } };
  const original = meta?.driverAdapterError?.cause?.originalCode;
  if (typeof original === 'string') return original.startsWith('22');
  return code === 'P2020';
}

/**
 * Maps any thrown value to a problem. `instance` and `requestId` are filled by the caller, which knows the
 * request. Details of unexpected errors are never sent: the client gets the requestId to quote instead.
 */
export function mapErrorToProblem(error: unknown): MappedProblem {
  const client = (problem: Problem, headers: Record<string, string> = {}): MappedProblem => ({
    problem,
    headers,
    serverFault: false,
  });

  if (isZodError(error)) {
    const errors = fieldErrorsOf(error);
    return client(problemOf('invalidRequest', { detail: describeFieldCount(errors.length), errors }));
  }
  if (error instanceof ValidationError) {
    return client(problemOf('invalidRequest', { detail: error.message, code: error.code, errors: error.errors }));
  }
  if (error instanceof NotFoundError) return client(problemOf('notFound', { detail: error.message, code: error.code }));
  if (error instanceof ConflictError) {
    return client(problemOf('conflict', { detail: error.message, code: error.code, ...(error.details ? { details: error.details } : {}) }));
  }
  if (error instanceof UnauthorizedError) {
    return client(problemOf('unauthorized', { detail: error.message, code: error.code }), { 'WWW-Authenticate': 'Bearer' });
  }
  if (error instanceof ForbiddenError) return client(problemOf('forbidden', { detail: error.message, code: error.code }));
  if (error instanceof TooManyRequestsError) {
    const headers: Record<string, string> =
      error.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(Math.ceil(error.retryAfterSeconds)) };
    return client(problemOf('tooManyRequests', { detail: error.message, code: error.code }), headers);
  }
  if (error instanceof DomainError) {
    // A domain error without its own mapping is still a deliberate, client-facing refusal.
    return client(problemOf('businessRule', { detail: error.message, code: error.code }));
  }
  if (isUniqueConstraintClash(error)) {
    const target = error.meta?.target;
    const fields = Array.isArray(target) ? target.filter((t): t is string => typeof t === 'string') : [];
    const detail = fields.length > 0
      ? `a record with the same ${fields.join(', ')} already exists`
      : 'a record with the same unique value already exists';
    return client(problemOf('conflict', { detail, code: 'UNIQUE_VIOLATION' }));
  }
  if (isStoredValueRejected(error)) {
    // A value the schema let through but the column cannot hold (an integer beyond 32 bits, a malformed
    // number): the client's input, so 400. The schema should have caught it; the code tells the two apart.
    return client(problemOf('invalidRequest', { detail: 'a value is out of range or malformed for storage', code: 'VALUE_NOT_STORABLE' }));
  }
  if (isBodyParserError(error)) {
    const mapped = mapBodyParserError(error);
    if (mapped) return client(mapped);
  }
  return {
    problem: problemOf('internal', { detail: 'An unexpected error occurred. Quote the requestId when reporting it.' }),
    headers: {},
    serverFault: true,
  };
}

function mapBodyParserError(error: BodyParserError): Problem | undefined {
  switch (error.type) {
    case 'entity.too.large':
      return problemOf('payloadTooLarge', {
        detail: error.limit === undefined ? 'request body is too large' : `request body exceeds the limit of ${error.limit} bytes`,
      });
    case 'entity.parse.failed':
      return problemOf('malformedJson', { detail: 'the request body could not be parsed as JSON' });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return problemOf('unsupportedMediaType', { detail: scrubText(error.message) });
    default:
      // Other http-errors raised by Express middleware that are safe to show (expose) and the client's fault.
      if (error.expose && error.status !== undefined && error.status >= 400 && error.status < 500) {
        return { type: 'about:blank', title: scrubText(error.message), status: error.status };
      }
      return undefined;
  }
}

function describeFieldCount(count: number): string {
  return count === 1 ? '1 field is invalid' : `${count} fields are invalid`;
}
