import { stdSerializers } from 'pino';

/**
 * Personal data must never reach the logs in clear (residents' phone numbers above all). Two nets, because
 * either alone leaks: field names catch `{ phone: ... }` wherever the key is known, and the text scrub catches
 * a number typed into a free-text field ("请联系 13812345678"), an error message, or a key nobody foresaw.
 */

/** Keys whose value is a phone number: masked (138****1234) so support can still tell two numbers apart. */
export const PHONE_KEYS = ['phone', 'phoneNumber', 'mobile', 'mobilePhone', 'contactPhone'] as const;

/** Keys whose value is a secret or an identity document: replaced outright. */
export const SECRET_KEYS = [
  'idCard',
  'idCardNumber',
  'password',
  'token',
  'accessToken',
  'refreshToken',
  'authorization',
  'cookie',
] as const;

export const REDACTED = '[REDACTED]';

const phoneKeys = new Set<string>(PHONE_KEYS);
const secretKeys = new Set<string>(SECRET_KEYS);

/**
 * A mainland mobile number (1[3-9] + 9 digits), optionally with +86/86 in front and written 3-4-4 with spaces
 * or dashes. The digit look-arounds keep it from biting into longer numbers (timestamps, amounts, ids).
 */
const MOBILE = /(?<!\d)((?:\+|00)?86[-\s]?)?(1[3-9]\d)[-\s]?(\d{4})[-\s]?(\d{4})(?!\d)/;

/**
 * A UUID-like token (8-4-4-4-12 hex). Its digit groups can look like a number: `…-8e7f-a13812345678` holds
 * an 11-digit run beside a hex letter, `…-a138-1234-5678-…` a 3-4-4 one between dashes. Ids travel in log
 * lines and texts and must stay intact, so a UUID is matched first, as a whole, and given back unchanged;
 * letters are not look-arounds of the number itself, so "请联系13812345678" or "tel13812345678" still match.
 */
const UUID_LIKE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

const MOBILE_IN_TEXT = new RegExp(`(${UUID_LIKE.source})|${MOBILE.source}`, 'gi');

/** Keeps the first 3 and last 4 digits: `13812341234` → `138****1234`. Too short to keep anything → `****`. */
export function maskPhone(phone: string | number): string {
  let digits = String(phone).replace(/\D/g, '');
  if (digits.length === 13 && digits.startsWith('86')) digits = digits.slice(2);
  // Keeping 3 + 4 digits of anything shorter than 11 would reveal most or all of it.
  if (digits.length < 11) return '****';
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** Masks every mainland mobile number inside a piece of text. */
export function scrubText(text: string): string {
  return text.replace(MOBILE_IN_TEXT, (match, uuid: string | undefined, prefix: string | undefined, head: string, _mid: string, tail: string) => {
    if (uuid !== undefined) return match;
    return `${prefix ?? ''}${head}****${tail}`;
  });
}

const ALREADY_MASKED = /^\d{3}\*{4}\d{4}$/;

/** The censor for a sensitive key: phone-like values masked, everything else replaced. */
export function censorValue(key: string, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  if (phoneKeys.has(key) && (typeof value === 'string' || typeof value === 'number')) {
    // Several redaction paths can match one key; masking twice would turn 138****1234 into ****.
    if (typeof value === 'string' && ALREADY_MASKED.test(value)) return value;
    return maskPhone(value);
  }
  return REDACTED;
}

function isSensitiveKey(key: string): boolean {
  return phoneKeys.has(key) || secretKeys.has(key);
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Returns a copy of `value` that is safe to log or show: sensitive keys censored at any depth, phone numbers
 * inside strings masked, Errors turned into plain `{ type, message, stack, ... }` objects (scrubbed too).
 * Other class instances (Dates, Buffers, ...) are kept as they are. The input is never mutated.
 */
export function scrubPersonalData<T>(value: T): T {
  return scrub(value, new WeakMap(), 0) as T;
}

const MAX_DEPTH = 20;

function scrub(value: unknown, seen: WeakMap<object, unknown>, depth: number): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_DEPTH) return '[too deep]';
  const known = seen.get(value);
  if (known !== undefined) return known;

  if (value instanceof Error) {
    const serialized = stdSerializers.err(value) as unknown as Record<string, unknown>;
    const copy: Record<string, unknown> = {};
    seen.set(value, copy);
    for (const [key, field] of Object.entries(serialized)) copy[key] = scrubField(key, field, seen, depth);
    return copy;
  }
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(scrub(item, seen, depth + 1));
    return copy;
  }
  if (!isPlainObject(value)) return value;

  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  for (const [key, field] of Object.entries(value)) copy[key] = scrubField(key, field, seen, depth);
  return copy;
}

function scrubField(key: string, field: unknown, seen: WeakMap<object, unknown>, depth: number): unknown {
  return isSensitiveKey(key) ? censorValue(key, field) : scrub(field, seen, depth + 1);
}

/** Scrubs only the string literals of a serialized JSON line, so numbers and structure stay valid JSON. */
export function scrubJsonLine(line: string): string {
  if (!/\d{11}|\d{3}[-\s]\d{4}/.test(line)) return line; // fast path: nothing phone-shaped at all
  return line.replace(/"(?:[^"\\]|\\.)*"/g, (literal) => scrubText(literal));
}
