import { defineRoute } from '@linli/http';
import { z } from 'zod';
import { Principal } from './principal';
import { issueToken } from './tokens';

const DevLoginResponse = z.object({ token: z.string(), principal: Principal, expiresIn: z.string() });

/**
 * 开发登录 (development login): issues a signed token for any demo identity. Mounted only when
 * AUTH_DEV_LOGIN is on (never in production — the service config refuses that combination). Real
 * deployments put their identity provider in front and keep the same token claims.
 */
export function devLoginRoute({ secret, expiresIn = '8h' }: { secret: string; expiresIn?: string }) {
  return defineRoute({
    method: 'post',
    path: '/auth/dev-login',
    operationId: 'devLogin',
    summary: '开发登录：为演示用户签发令牌 (development login: issue a token for a demo user)',
    tags: ['认证 Auth'],
    auth: false,
    request: { body: Principal },
    responses: { 200: { description: '令牌', schema: DevLoginResponse } },
    handler: async ({ body }) => ({ status: 200, body: { token: await issueToken(body, { secret, expiresIn }), principal: body, expiresIn } }),
  });
}
