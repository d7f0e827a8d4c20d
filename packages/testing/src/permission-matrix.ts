import { ROLES, ROLE_SCOPE, decide, isAction, ownResource, type Principal, type Role } from '@linli/auth';
import { tokenFor } from './tokens';

/**
 * Every role × every route of a running service, over real HTTP, held against the policy table.
 *
 * The routes come from the service's own OpenAPI document: each guarded operation carries the actions it
 * needs as `x-linli-policy` (from `policy` in defineRoute). The expected answer comes from `decide()` in
 * @linli/auth, never from a copy: a role no listed action allows must get 403 with a problem+json body
 * whose detail is the table's reason; a role one of them allows must get anything but 403 (and no 5xx).
 *
 * Callers hold tokens scoped to one made-up id, and every path parameter is that same id: the scope check
 * passes wherever the resource is named by the path (an organization's own offerings), so an allowed role
 * meets "not found" or "invalid" rather than a scope refusal. Bodies are `{}`: refusals come before the
 * input is parsed, so a denied role is refused whatever it sends.
 */

export const MATRIX_SCOPE_ID = '0b9d7a4e-5c1f-4e2a-9d3b-6f8e1c2a4b5d';

export interface MatrixOperation {
  method: string;
  path: string;
  operationId: string;
  policy: readonly string[] | 'signed-in';
  hasBody: boolean;
}

export interface MatrixMismatch {
  operation: string;
  role: Role;
  expected: string;
  got: string;
}

export interface MatrixResult {
  operations: MatrixOperation[];
  requests: number;
  /** How many calls the table refused and allowed (both must occur, or the matrix tested nothing). */
  refused: number;
  allowed: number;
  /** Guarded operations that declare no policy, or name actions the table lacks. */
  undeclared: string[];
  mismatches: MatrixMismatch[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export function matrixPrincipal(role: Role): Principal {
  return { userId: `matrix-${role}`, name: `矩阵测试-${role}`, role, scope: { kind: ROLE_SCOPE[role], id: MATRIX_SCOPE_ID } };
}

interface OpenApiOperation {
  operationId?: string;
  security?: unknown[];
  requestBody?: unknown;
  'x-linli-policy'?: unknown;
}

/** The guarded operations of a service's OpenAPI document, with what each declares. */
export function guardedOperations(document: { paths?: Record<string, Record<string, OpenApiOperation>> }): {
  operations: MatrixOperation[];
  undeclared: string[];
} {
  const operations: MatrixOperation[] = [];
  const undeclared: string[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op || !op.security || op.security.length === 0) continue; // public: login, the ticketed stream
      const name = `${method.toUpperCase()} ${path} (${op.operationId})`;
      const policy = op['x-linli-policy'];
      const valid =
        policy === 'signed-in' ||
        (Array.isArray(policy) && policy.length > 0 && policy.every((a) => typeof a === 'string' && isAction(a)));
      if (!valid) {
        undeclared.push(`${name}: x-linli-policy ${JSON.stringify(policy)}`);
        continue;
      }
      operations.push({ method, path, operationId: op.operationId ?? name, policy: policy as MatrixOperation['policy'], hasBody: op.requestBody !== undefined });
    }
  }
  return { operations, undeclared };
}

/** What the table says for this role on this operation: allowed, or the reasons a refusal must name. */
export function expectedFor(role: Role, policy: MatrixOperation['policy']): { allowed: true } | { allowed: false; reasons: string[] } {
  if (policy === 'signed-in') return { allowed: true };
  const principal = matrixPrincipal(role);
  const reasons: string[] = [];
  for (const action of policy) {
    if (!isAction(action)) throw new Error(`unknown action ${action}`);
    const decision = decide(principal, action, ownResource(principal));
    if (decision.allowed) return { allowed: true };
    reasons.push(decision.reason);
  }
  return { allowed: false, reasons };
}

async function call(baseUrl: string, op: MatrixOperation, token: string): Promise<{ status: number; contentType: string; body: any }> {
  const url = baseUrl + op.path.replace(/\{[^}]+\}/g, MATRIX_SCOPE_ID);
  const controller = new AbortController();
  const res = await fetch(url, {
    method: op.method.toUpperCase(),
    headers: { authorization: `Bearer ${token}`, ...(op.hasBody ? { 'content-type': 'application/json' } : {}) },
    body: op.hasBody ? '{}' : undefined,
    signal: controller.signal,
  });
  const contentType = res.headers.get('content-type') ?? '';
  if (contentType.startsWith('text/event-stream')) {
    controller.abort(); // a stream never ends by itself: its status is all we need
    return { status: res.status, contentType, body: undefined };
  }
  const text = await res.text();
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: kept as text for the report
  }
  return { status: res.status, contentType, body };
}

/** Runs the whole matrix against a service listening at `baseUrl`. */
export async function runPermissionMatrix(baseUrl: string, opts: { concurrency?: number; roles?: readonly Role[] } = {}): Promise<MatrixResult> {
  const document = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as Parameters<typeof guardedOperations>[0];
  const { operations, undeclared } = guardedOperations(document);
  const roles = opts.roles ?? ROLES;
  const tokens = new Map<Role, string>();
  for (const role of roles) tokens.set(role, await tokenFor(matrixPrincipal(role)));

  const cases = operations.flatMap((op) => roles.map((role) => ({ op, role })));
  const mismatches: MatrixMismatch[] = [];
  let next = 0;
  let refused = 0;
  const worker = async () => {
    while (next < cases.length) {
      const { op, role } = cases[next++]!;
      const expected = expectedFor(role, op.policy);
      if (!expected.allowed) refused += 1;
      const got = await call(baseUrl, op, tokens.get(role)!);
      const operation = `${op.method.toUpperCase()} ${op.path} (${op.operationId})`;
      const summary = `${got.status} ${typeof got.body === 'object' ? JSON.stringify(got.body?.detail ?? got.body) : String(got.body ?? '').slice(0, 200)}`;
      if (expected.allowed) {
        if (got.status === 403 || got.status >= 500) mismatches.push({ operation, role, expected: 'allowed (anything but 403 and 5xx)', got: summary });
      } else {
        const detail = typeof got.body?.detail === 'string' ? (got.body.detail as string) : '';
        const ok =
          got.status === 403 &&
          got.contentType.startsWith('application/problem+json') &&
          expected.reasons.every((reason) => detail.includes(reason));
        if (!ok) mismatches.push({ operation, role, expected: `403 problem+json naming: ${expected.reasons.join(' | ')}`, got: summary });
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker));
  return { operations, requests: cases.length, refused, allowed: cases.length - refused, undeclared, mismatches };
}

/**
 * The matrix as a test of its own, for a service's test folder: `start` brings the service up the way its
 * other tests do (in-process, real PostgreSQL) and answers its URL.
 */
export function describePermissionMatrix(service: string, start: () => Promise<{ url: string; stop: () => Promise<void> }>): void {
  describe(`${service}: every role × every route against the policy table, and the body size limit`, () => {
    let running: { url: string; stop: () => Promise<void> } | undefined;
    beforeAll(async () => {
      running = await start();
    });
    afterAll(async () => {
      await running?.stop();
    });

    it('when each role calls each route, then the roles the table refuses get 403 with its reason and the roles it allows never get 403', async () => {
      const result = await runPermissionMatrix(running!.url);
      expect(result.undeclared).toEqual([]);
      expect(result.mismatches).toEqual([]);
      expect(result.requests).toBe(result.operations.length * ROLES.length);
      expect(result.refused).toBeGreaterThan(0);
      expect(result.allowed).toBeGreaterThan(0);
    });

    it('when a body larger than any limit is sent, then 413 problem+json, whoever sends it', async () => {
      const document = (await (await fetch(`${running!.url}/openapi.json`)).json()) as Parameters<typeof guardedOperations>[0];
      const target = guardedOperations(document).operations.find((op) => op.hasBody);
      expect(target).toBeDefined();
      const huge = JSON.stringify({ padding: 'x'.repeat(9 * 1024 * 1024) }); // above every service's limit (supervision's 8 MB photos)
      const res = await fetch(running!.url + target!.path.replace(/\{[^}]+\}/g, MATRIX_SCOPE_ID), {
        method: target!.method.toUpperCase(),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(matrixPrincipal('admin'))}` },
        body: huge,
      });
      expect(res.status).toBe(413);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await res.json()).toMatchObject({ status: 413, type: 'urn:linli:problem:payload-too-large' });
    });
  });
}
