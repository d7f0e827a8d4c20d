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

const keyOf = (secret: string) => {
  if (secret.length < 32) throw new Error('AUTH_JWT_SECRET must be at least 32 characters');
  return new TextEncoder().encode(secret);
};

export async function issueToken(principal: Principal, { secret, expiresIn = '8h' }: TokenSettings): Promise<string> {
  const p = Principal.parse(principal);
  return new SignJWT({ name: p.name, role: p.role, scope: p.scope, sd: p.subDistrictId })
    .setProtectedHeader({ alg: ALG })
    .setSubject(p.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(keyOf(secret));
}

/** Verifies signature, issuer, audience, expiry and claim shape; any failure is a 401 with the reason. */
export async function verifyToken(token: string, { secret }: Pick<TokenSettings, 'secret'>): Promise<Principal> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, keyOf(secret), { issuer: ISSUER, audience: AUDIENCE, algorithms: [ALG] }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new UnauthorizedError('令牌已过期 (token expired)');
    throw new UnauthorizedError('令牌无效 (invalid token)');
  }
  const parsed = Principal.safeParse({ userId: payload.sub, name: payload.name, role: payload.role, scope: payload.scope, subDistrictId: payload.sd });
  if (!parsed.success) throw new UnauthorizedError('令牌内容无效 (token claims invalid)');
  return parsed.data;
}
