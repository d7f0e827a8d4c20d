import { UnauthorizedError, type Request, type Response, type Route } from '@linli/http';
import type { Principal } from './principal';
import { authorizeRoute } from './route-policy';
import { verifyToken } from './tokens';

const PRINCIPAL = Symbol('linli.principal');

/**
 * The `authenticate` hook for @linli/http: a Bearer token is required and verified on every guarded route,
 * then the caller's role is held against the route's `policy` (403 with the reason) before its input is parsed.
 */
export function createAuthenticator({ secret }: { secret: string }) {
  return async (req: Request, res: Response, route?: Pick<Route, 'policy'>): Promise<void> => {
    const header = req.header('authorization');
    if (!header) throw new UnauthorizedError('缺少令牌 (missing bearer token)');
    const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(header);
    if (!match) throw new UnauthorizedError('令牌格式错误 (expected "Authorization: Bearer <token>")');
    const principal = await verifyToken(match[1]!, { secret });
    (res.locals as Record<symbol, Principal>)[PRINCIPAL] = principal;
    if (route) authorizeRoute(principal, route);
  };
}

/** The verified principal of a guarded route's request. */
export function principalOf(res: Response): Principal {
  const principal = (res.locals as Record<symbol, Principal | undefined>)[PRINCIPAL];
  if (!principal) throw new UnauthorizedError('未认证 (not authenticated)');
  return principal;
}
