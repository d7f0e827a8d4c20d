import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Logger } from '@linli/logger';
import { ValidationError, type FieldError, type ForbiddenError } from './errors';
import { ResponseContractError, fieldErrorsOf } from './problem-details';
import type { RateLimit } from './rate-limit';

/**
 * A route is declared once, as data: its schemas drive run-time validation, the response filter and the
 * OpenAPI document, so the three can never disagree. The handler receives parsed input and returns a status
 * and a body; it never touches `res` for the happy path, which keeps routes thin (parse, call one use case,
 * answer).
 */

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * The actions of the policy table, by name. Empty here (this package knows nothing of roles); @linli/auth
 * fills it by declaration merging, so a route naming an action the table lacks does not compile.
 */
export interface PolicyActionRegistry {}
export type PolicyAction = [keyof PolicyActionRegistry] extends [never] ? string : Extract<keyof PolicyActionRegistry, string>;

/**
 * What a guarded route asks of the caller's role, before its input is even parsed: the actions of the
 * policy table that grant it (any one suffices: a use case that picks the action from the input, such as a
 * community or a sub-district proposal, lists both), or `'signed-in'` for shared reference data that every
 * role may read. The use case still checks the scope of what it loads and any rule that depends on state.
 */
export type RoutePolicy = PolicyAction | readonly PolicyAction[] | 'signed-in';

export interface RouteRequestSchemas {
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
}

export interface ResponseSpec {
  description: string;
  /** The public shape. The body is `parse`d through it, so fields it does not name never leave the service. */
  schema?: z.ZodType;
}

export type ResponseSpecs = { [status: number]: ResponseSpec };

export interface RouteContext {
  req: Request;
  res: Response;
  /** Child logger carrying `reqId`. */
  log: Logger;
  requestId: string;
}

type ParamsOf<R> = R extends { params: infer S extends z.ZodType } ? z.output<S> : Record<string, string>;
type QueryOf<R> = R extends { query: infer S extends z.ZodType } ? z.output<S> : Record<string, never>;
type BodyOf<R> = R extends { body: infer S extends z.ZodType } ? z.output<S> : undefined;

export interface RouteInput<R extends RouteRequestSchemas> {
  params: ParamsOf<R>;
  query: QueryOf<R>;
  body: BodyOf<R>;
}

type BodyFor<Spec> = Spec extends { schema: infer S extends z.ZodType } ? { body: z.input<S> } : { body?: undefined };

/** One of the declared statuses, with a body of that status's schema. */
export type RouteResult<Rs extends ResponseSpecs> = {
  [K in keyof Rs & number]: { status: K; headers?: Record<string, string> } & BodyFor<Rs[K]>;
}[keyof Rs & number];

export interface RouteDefinition<R extends RouteRequestSchemas, Rs extends ResponseSpecs> {
  method: HttpMethod;
  /** Express style: `/sub-districts/:id`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  request?: R;
  responses: Rs;
  /**
   * Needs an authenticated caller (the default — secure unless said otherwise): documented with the
   * security schemes and checked by `authenticate`. `auth: false` only for public routes such as login.
   */
  auth?: boolean;
  /** See RoutePolicy. Published in the OpenAPI document as `x-linli-policy`. */
  policy?: RoutePolicy;
  /**
   * Attempts per client address, counted before anything else (authentication, parsing), so bad input
   * counts too; past it 429 with Retry-After. For routes worth guessing at, such as login.
   */
  rateLimit?: RateLimit;
  /**
   * Called when the caller is refused before the handler runs (the role check of `policy`), with the raw,
   * unvalidated request: for routes whose refusals are themselves on record, such as audited admin actions.
   */
  onForbidden?: (refusal: ForbiddenError, ctx: RouteContext) => Promise<void>;
  handler: (input: RouteInput<R>, ctx: RouteContext) => Promise<RouteResult<NoInfer<Rs>>>;
}

/** The type-erased form `createHttpApp` takes, so routes with different schemas fit in one array. */
export interface Route {
  method: HttpMethod;
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  request?: RouteRequestSchemas;
  responses: ResponseSpecs;
  auth: boolean;
  /** Normalised: a list of actions, or `'signed-in'`; absent when the route declares none. */
  policy?: readonly string[] | 'signed-in';
  onForbidden?: (refusal: ForbiddenError, ctx: RouteContext) => Promise<void>;
  rateLimit?: RateLimit;
  handler: (
    input: { params: unknown; query: unknown; body: unknown },
    ctx: RouteContext,
  ) => Promise<{ status: number; body?: unknown; headers?: Record<string, string> }>;
}

// `{}` as the default: a route without `request` gets raw params, no query and no body.
export function defineRoute<R extends RouteRequestSchemas = {}, Rs extends ResponseSpecs = ResponseSpecs>(
  definition: RouteDefinition<R, Rs>,
): Route {
  if (Object.keys(definition.responses).length === 0) {
    throw new Error(`${definition.operationId}: declare at least one response`);
  }
  const { policy } = definition;
  return {
    ...definition,
    auth: definition.auth ?? true,
    ...(policy === undefined ? {} : { policy: policy === 'signed-in' ? policy : typeof policy === 'string' ? [policy] : [...policy] }),
  } as unknown as Route;
}

/** `/sub-districts/:id` → `/sub-districts/{id}` */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

export function pathParamNames(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1] as string);
}

/**
 * Parses all three parts before reporting, so the client learns about every bad field in one round trip.
 * Without a schema: params stay raw strings, query is empty, body is undefined (unvalidated input is not
 * handed to use cases).
 */
export function parseRouteInput(route: Route, req: Request): { params: unknown; query: unknown; body: unknown } {
  const errors: FieldError[] = [];
  const part = (name: 'params' | 'query' | 'body', schema: z.ZodType | undefined, raw: unknown, fallback: unknown) => {
    if (!schema) return fallback;
    const result = schema.safeParse(raw);
    if (result.success) return result.data;
    errors.push(...fieldErrorsOf(result.error, name));
    return undefined;
  };

  // PostgreSQL text cannot hold U+0000, and no honest form sends it: refuse it here, by field, for every route.
  for (const [name, raw] of [['params', req.params], ['query', req.query], ['body', req.body]] as const) {
    for (const where of nulCharacterPaths(raw, name)) errors.push({ path: where, message: '不能包含空字符 U+0000 (must not contain NUL characters)', code: 'nul_character' });
  }

  const params = part('params', route.request?.params, { ...req.params }, { ...req.params });
  const query = part('query', route.request?.query, { ...(req.query as Record<string, unknown>) }, {});
  const body = part('body', route.request?.body, req.body, undefined);

  if (errors.length > 0) {
    throw new ValidationError(errors.length === 1 ? '1 field is invalid' : `${errors.length} fields are invalid`, errors);
  }
  return { params, query, body };
}

/** Where in a parsed JSON value (keys included) a string holds U+0000, as `body.items[2].name` paths. */
export function nulCharacterPaths(value: unknown, path: string, found: string[] = [], depth = 0): string[] {
  if (depth > 64 || found.length >= 20) return found;
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => nulCharacterPaths(item, `${path}[${i}]`, found, depth + 1));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const at = `${path}.${key.replace(/\u0000/g, '\\0')}`;
      if (key.includes('\u0000')) found.push(at);
      nulCharacterPaths(item, at, found, depth + 1);
    }
  }
  return found;
}

/** Sends the handler's answer through the declared schema for its status. */
export function sendRouteResult(
  route: Route,
  res: Response,
  result: { status: number; body?: unknown; headers?: Record<string, string> },
): void {
  const spec = route.responses[result.status];
  if (!spec) {
    throw new Error(`${route.operationId} answered ${result.status}, which is not among its declared responses`);
  }
  if (result.headers) res.set(result.headers);

  if (!spec.schema) {
    if (result.body !== undefined) {
      // A body without a schema could carry anything, internal columns included: refuse rather than leak.
      throw new Error(`${route.operationId} answered ${result.status} with a body but declares no schema for it`);
    }
    res.status(result.status).end();
    return;
  }
  const parsed = spec.schema.safeParse(result.body);
  if (!parsed.success) {
    throw new ResponseContractError(route.operationId, result.status, fieldErrorsOf(parsed.error, 'response'));
  }
  res.status(result.status).json(parsed.data);
}
