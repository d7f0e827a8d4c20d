import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z } from './zod-openapi';
import { pathParamNames, toOpenApiPath, type Route } from './define-route';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES, Problem } from './problem-details';

export type OpenAPIObject = ReturnType<OpenApiGeneratorV31['generateDocument']>;
export type SecuritySchemes = NonNullable<NonNullable<OpenAPIObject['components']>['securitySchemes']>;

export interface ServiceInfo {
  /** Short machine name, e.g. `projects`. */
  name: string;
  title: string;
  version: string;
  description?: string;
}

const DEFAULT_SECURITY_SCHEMES: SecuritySchemes = {
  bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
};

/** Builds the OpenAPI 3.1 document of one service from its routes. */
export function createOpenApiRegistry(routes: Route[], options: { securitySchemes?: SecuritySchemes } = {}) {
  const registry = new OpenAPIRegistry();
  const problem = registry.register('Problem', Problem);

  const securitySchemes = options.securitySchemes ?? DEFAULT_SECURITY_SCHEMES;
  const usesAuth = routes.some((route) => route.auth);
  if (usesAuth) {
    for (const [name, scheme] of Object.entries(securitySchemes)) registry.registerComponent('securitySchemes', name, scheme);
  }

  const problemResponse = (status: number, description: string): ResponseConfig => ({
    description,
    content: { [PROBLEM_CONTENT_TYPE]: { schema: problem } },
  });

  for (const route of routes) {
    const responses: Record<string, ResponseConfig> = {};
    for (const [status, spec] of Object.entries(route.responses)) {
      responses[status] = spec.schema
        ? { description: spec.description, content: { 'application/json': { schema: spec.schema } } }
        : { description: spec.description };
    }
    // The failures every route can produce, documented once here instead of in every route.
    const standardFailures: Array<[number, string]> = [
      [400, PROBLEM_TYPES.invalidRequest.title],
      [404, PROBLEM_TYPES.notFound.title],
      [409, PROBLEM_TYPES.conflict.title],
      [500, PROBLEM_TYPES.internal.title],
    ];
    if (route.request?.body) standardFailures.push([413, PROBLEM_TYPES.payloadTooLarge.title]);
    if (route.rateLimit) standardFailures.push([429, PROBLEM_TYPES.tooManyRequests.title]);
    if (route.auth) {
      standardFailures.push([401, PROBLEM_TYPES.unauthorized.title], [403, PROBLEM_TYPES.forbidden.title]);
    }
    for (const [status, description] of standardFailures) {
      responses[String(status)] ??= problemResponse(status, description);
    }

    // zod-to-openapi needs every `{param}` of the path described; default undeclared ones to strings.
    const declared = route.request?.params;
    const missing = pathParamNames(route.path).filter((name) => !declared || !(name in declared.shape));
    const params = missing.length === 0
      ? declared
      : (declared ?? z.object({})).extend(Object.fromEntries(missing.map((name) => [name, z.string()])));

    registry.registerPath({
      method: route.method,
      path: toOpenApiPath(route.path),
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: route.tags,
      ...(route.auth ? { security: Object.keys(securitySchemes).map((name) => ({ [name]: [] })) } : {}),
      // Who may call it, by the policy table's action names (the permission matrix test reads this).
      ...(route.auth && route.policy ? { 'x-linli-policy': route.policy } : {}),
      request: {
        ...(params ? { params } : {}),
        ...(route.request?.query ? { query: route.request.query } : {}),
        ...(route.request?.body
          ? { body: { required: true, content: { 'application/json': { schema: route.request.body } } } }
          : {}),
      },
      responses,
    });
  }
  return registry;
}

export function generateOpenApiDocument(registry: OpenAPIRegistry, service: ServiceInfo): OpenAPIObject {
  const generator = new OpenApiGeneratorV31(registry.definitions);
  return generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: service.title,
      version: service.version,
      ...(service.description ? { description: service.description } : {}),
    },
  });
}
