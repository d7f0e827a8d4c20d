import './zod-openapi';
export * from './errors';
export {
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPES,
  Problem,
  ProblemFieldError,
  ResponseContractError,
  fieldErrorsOf,
  formatIssuePath,
  isZodError,
  mapErrorToProblem,
  problemOf,
  type MappedProblem,
  type ProblemKind,
} from './problem-details';
export {
  defineRoute,
  pathParamNames,
  toOpenApiPath,
  type HttpMethod,
  type PolicyAction,
  type PolicyActionRegistry,
  type ResponseSpec,
  type ResponseSpecs,
  type Route,
  type RouteContext,
  type RouteDefinition,
  type RouteInput,
  type RouteRequestSchemas,
  type RoutePolicy,
  type RouteResult,
} from './define-route';
export {
  createHttpApp,
  sendProblem,
  type CreateHttpAppOptions,
  type HttpApp,
  type ReadinessCheck,
} from './create-http-app';
export { type OpenAPIObject, type SecuritySchemes, type ServiceInfo } from './openapi-document';
export {
  startHttpServer,
  type RunningHttpServer,
  type ShutdownHook,
  type StartHttpServerOptions,
} from './start-http-server';
export { installProcessHandlers, type ProcessHandlerOptions } from './process-handlers';
export { Page, paginationQuery, type PaginationQuery } from './pagination';
export { createRateLimiter, type RateLimit } from './rate-limit';
// Services type their middleware and `ctx.req` with these, without depending on @types/express themselves.
export type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
