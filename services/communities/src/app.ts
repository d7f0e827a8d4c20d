import { createAuthenticator, devLoginRoute } from '@linli/auth';
import { createHttpApp } from '@linli/http';
import type { Logger } from '@linli/logger';
import type { UnitOfWork } from './data-access/unit-of-work';
import { subDistrictRoutes } from './entry-points/http/sub-districts.routes';

export interface CommunitiesAppDeps {
  uow: UnitOfWork;
  logger: Logger;
  readiness: Record<string, () => Promise<unknown>>;
  auth: { secret: string; devLogin: boolean };
}

/** The HTTP app alone (no listening, no background work), so component tests run it in-process. */
export function createApp({ uow, logger, readiness, auth }: CommunitiesAppDeps) {
  return createHttpApp({
    service: {
      name: 'communities',
      title: '邻里 · 社区服务 (Linli communities)',
      version: '0.1.0',
      description: '街道与社区、居民意愿、推介会、项目申请与评审。Sub-districts, communities, wishes, fairs, proposals and reviews.',
    },
    logger,
    readiness,
    authenticate: createAuthenticator({ secret: auth.secret }),
    routes: [...(auth.devLogin ? [devLoginRoute({ secret: auth.secret })] : []), ...subDistrictRoutes(uow)],
  });
}
