import { DEV_JWT_SECRET, issueToken, type Principal } from '@linli/auth';

/** A signed token for a test principal, with the secret the services under test verify against. */
export async function tokenFor(principal: Principal): Promise<string> {
  return issueToken(principal, { secret: process.env.AUTH_JWT_SECRET ?? DEV_JWT_SECRET });
}

export const TEST_ADMIN: Principal = { userId: 'test-admin', name: '测试管理员', role: 'admin', scope: { kind: 'platform', id: 'linli' } };
