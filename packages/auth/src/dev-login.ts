import { createRateLimiter, defineRoute, type RateLimit } from '@linli/http';
import { z } from 'zod';
import { Principal } from './principal';
import { issueToken } from './tokens';

const DevLoginResponse = z.object({ token: z.string(), principal: Principal, expiresIn: z.string() });

/**
 * Login attempts: per client address (counted before the body is read, so garbage counts too), and per
 * address and user, the limit a password guesser meets. Seeding demo data logs in as many different users
 * from one address, which the per-address limit leaves room for.
 */
export const LOGIN_RATE_LIMITS = {
  perAddress: { limit: 60, windowMs: 60_000 },
  perUser: { limit: 10, windowMs: 60_000 },
} as const satisfies Record<string, RateLimit>;

/**
 * 开发登录 (development login): issues a signed token for any demo identity. Mounted only when
 * AUTH_DEV_LOGIN is on (never in production — the service config refuses that combination). Real
 * deployments put their identity provider in front and keep the same token claims.
 */
export function devLoginRoute({
  secret,
  expiresIn = '8h',
  rateLimits = LOGIN_RATE_LIMITS,
}: {
  secret: string;
  expiresIn?: string;
  rateLimits?: { perAddress: RateLimit; perUser: RateLimit };
}) {
  const perUser = createRateLimiter(rateLimits.perUser);
  return defineRoute({
    method: 'post',
    path: '/auth/dev-login',
    operationId: 'devLogin',
    summary: '开发登录：为演示用户签发令牌 (development login: issue a token for a demo user)',
    description: `同一地址每分钟最多 ${rateLimits.perAddress.limit} 次、同一地址同一用户每分钟最多 ${rateLimits.perUser.limit} 次，超过返回 429 与 Retry-After。`,
    tags: ['认证 Auth'],
    auth: false,
    rateLimit: rateLimits.perAddress,
    request: { body: Principal },
    responses: { 200: { description: '令牌', schema: DevLoginResponse } },
    handler: async ({ body }, { req }) => {
      perUser.hit(`${req.ip ?? req.socket.remoteAddress}|${body.userId}`, (seconds) => `登录尝试过于频繁，请 ${seconds} 秒后再试 (too many logins as ${body.userId}: at most ${rateLimits.perUser.limit} a minute)`);
      return { status: 200, body: { token: await issueToken(body, { secret, expiresIn }), principal: body, expiresIn } };
    },
  });
}
