/**
 * The domain error family. Use cases throw these, named for what went wrong in business terms; they know
 * nothing about HTTP. The one translator at the edge (problem-details.ts) maps them to status codes, so the
 * same use case can sit behind an HTTP route, a Kafka consumer or a Temporal activity.
 */

export interface FieldError {
  /** Where the bad value is, dotted: `budget.lines[2].unitPrice`. */
  path: string;
  message: string;
  /** Machine-readable reason, when there is one (e.g. zod's `too_small`). */
  code?: string;
}

export class DomainError extends Error {
  /** Stable, machine-readable; clients branch on this, never on the message. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Input that is well-formed but breaks a rule, with every failing field named. */
export class ValidationError extends DomainError {
  readonly errors: FieldError[];

  constructor(message: string, errors: FieldError[] = [], options?: { code?: string }) {
    super(options?.code ?? 'VALIDATION_FAILED', message);
    this.errors = errors;
  }
}

export class NotFoundError extends DomainError {
  readonly entity: string;
  readonly id: string;

  constructor(entity: string, id: string | number) {
    super('NOT_FOUND', `${entity} ${id} not found`);
    this.entity = entity;
    this.id = String(id);
  }
}

/** The request clashes with the current state: a duplicate, a stale version, a step already taken. */
export class ConflictError extends DomainError {
  readonly details?: Record<string, unknown>;

  constructor(message: string, details?: Record<string, unknown>, options?: { code?: string }) {
    super(options?.code ?? 'CONFLICT', message);
    this.details = details;
  }
}

/** The caller is not known (no or bad credentials). */
export class UnauthorizedError extends DomainError {
  constructor(message = 'authentication required') {
    super('UNAUTHORIZED', message);
  }
}

/** The caller is known but may not do this. */
export class ForbiddenError extends DomainError {
  readonly reason: string;

  constructor(reason: string) {
    super('FORBIDDEN', reason);
    this.reason = reason;
  }
}

export class TooManyRequestsError extends DomainError {
  /** Sent as Retry-After when known. */
  readonly retryAfterSeconds?: number;

  constructor(message = 'too many requests', retryAfterSeconds?: number) {
    super('TOO_MANY_REQUESTS', message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
