import { ApplicationFailure } from '@temporalio/activity';

/**
 * How activities call the services' HTTP APIs. The classification is the contract with the workflows:
 * - network error, timeout, 5xx, 408, 429: thrown as a plain Error, so Temporal retries with backoff;
 * - any other 4xx: a business rejection or bad data, thrown as a non-retryable ApplicationFailure that
 *   carries the problem document, so the workflow can park and wait for an admin.
 */
export interface ServiceCallOptions {
  baseUrl: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  idempotencyKey?: string;
  /** Bearer token of the caller (the worker's system token). */
  token: () => Promise<string>;
  timeoutMs?: number;
  /**
   * A rejection that only means "not yet" (e.g. a fact still travelling between services): thrown as a
   * plain Error, so Temporal retries it with backoff like a transient fault, instead of parking.
   */
  notYet?: (status: number, problem: { code?: string } | undefined) => boolean;
}

export async function callService<T>(opts: ServiceCallOptions): Promise<T> {
  const url = `${opts.baseUrl.replace(/\/$/, '')}${opts.path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: opts.method,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await opts.token()}`,
        ...(opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : {}),
      },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
  } catch (error) {
    throw new Error(`${opts.method} ${url} failed: ${(error as Error).message}`);
  }
  const text = await response.text();
  const parsed: unknown = text ? safeJson(text) : undefined;
  if (response.ok) return parsed as T;
  const detail = describeProblem(parsed) ?? text.slice(0, 500);
  const notYet = opts.notYet?.(response.status, parsed && typeof parsed === 'object' ? (parsed as { code?: string }) : undefined) ?? false;
  if (response.status >= 500 || response.status === 408 || response.status === 429 || notYet) {
    throw new Error(`${opts.method} ${url} answered ${response.status}: ${detail}`);
  }
  throw ApplicationFailure.create({
    type: `http-${response.status}`,
    message: `${opts.method} ${opts.path} rejected with ${response.status}: ${detail}`,
    nonRetryable: true,
    details: [parsed ?? text],
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeProblem(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const p = body as { title?: string; detail?: string; errors?: { path: string; message: string }[] };
  const fields = p.errors?.map((e) => `${e.path}: ${e.message}`).join('; ');
  return [p.title, p.detail, fields].filter(Boolean).join(' — ') || undefined;
}
