import { webcrypto } from 'node:crypto';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { UnauthorizedError } from '@linli/http';
import { Principal } from './principal';

const ISSUER = 'linli';
const AUDIENCE = 'linli';
const ALG = 'HS256';

export interface TokenSettings {
  /** Shared HMAC secret (AUTH_JWT_SECRET), at least 32 characters. */
  secret: string;
  /** Lifetime, e.g. '8h'. */
  expiresIn?: string;
}

/**
 * The HMAC key, imported once per secret: handing jose the raw bytes makes it import the key again on
 * every request, which was the largest part of verifying a token (docs/benchmarks.md).
 */
type HmacKey = Parameters<typeof jwtVerify>[1] & Parameters<SignJWT['sign']>[0];
const keys = new Map<string, Promise<HmacKey>>();
const keyOf = (secret: string): Promise<HmacKey> => {
  if (secret.length < 32) throw new Error('AUTH_JWT_SECRET must be at least 32 characters');
  let key = keys.get(secret);
  if (!key) {
    key = webcrypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']) as Promise<HmacKey>;
    keys.set(secret, key);
  }
  return key;
};

/**
 * Tokens already verified, until they expire: a caller sends the same token with every request, and its
 * signature, issuer, audience and claims cannot change. Keyed by secret and the exact token text; only
 * successes are kept; bounded (the oldest entries go first).
 */
const VERIFIED_MAX = 10_000;
const verified = new Map<string, { principal: Principal; expiresAtMs: number }>();

export async function issueToken(principal: Principal, { secret, expiresIn = '8h' }: TokenSettings): Promise<string> {
  const p = Principal.parse(principal);
  return new SignJWT({ name: p.name, role: p.role, scope: p.scope, sd: p.subDistrictId })
    .setProtectedHeader({ alg: ALG })
    .setSubject(p.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(await keyOf(secret));
}

/** Verifies signature, issuer, audience, expiry and claim shape; any failure is a 401 with the reason. */
export async function verifyToken(token: string, { secret }: Pick<TokenSettings, 'secret'>): Promise<Principal> {
  const cacheKey = `${secret}\u0000${token}`;
  const known = verified.get(cacheKey);
  if (known) {
    if (known.expiresAtMs > Date.now()) return known.principal;
    verified.delete(cacheKey);
  }
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, await keyOf(secret), { issuer: ISSUER, audience: AUDIENCE, algorithms: [ALG] }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new UnauthorizedError('令牌已过期 (token expired)');
    throw new UnauthorizedError('令牌无效 (invalid token)');
  }
  const parsed = Principal.safeParse({ userId: payload.sub, name: payload.name, role: payload.role, scope: payload.scope, subDistrictId: payload.sd });
  if (!parsed.success) throw new UnauthorizedError('令牌内容无效 (token claims invalid)');
  if (typeof payload.exp === 'number') {
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
    verified.set(cacheKey, { principal: parsed.data, expiresAtMs: payload.exp * 1000 });
  }
  return parsed.data;
}
