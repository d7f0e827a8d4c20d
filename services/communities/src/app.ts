import { createAuthenticator, devLoginRoute } from '@linli/auth';
import { createHttpApp } from '@linli/http';
import type { Logger } from '@linli/logger';
import type { UnitOfWork } from './data-access/unit-of-work';
import { systemClock, type Clock } from './domain/context';
import { communityRoutes } from './entry-points/http/communities.routes';
import { fairRoutes } from './entry-points/http/fairs.routes';
import { needsRoutes } from './entry-points/http/needs.routes';
import { proposalRoutes } from './entry-points/http/proposals.routes';
import { subDistrictRoutes } from './entry-points/http/sub-districts.routes';

export interface CommunitiesAppDeps {
  uow: UnitOfWork;
  logger: Logger;
  readiness: Record<string, () => Promise<unknown>>;
  auth: { secret: string; devLogin: boolean };
  /** "Now" for every write (tests may pin it). */
  clock?: Clock;
}

/** The HTTP app alone (no listening, no background work), so component tests run it in-process. */
export function createApp({ uow, logger, readiness, auth, clock = systemClock }: CommunitiesAppDeps) {
  const deps = { uow, clock };
  return createHttpApp({
    service: {
      name: 'communities',
      title: '邻里 · 社区服务 (Linli communities)',
      version: '0.2.0',
      description: '街道与社区、年度经费、居民意愿、推介会、项目申请与评审。Sub-districts, communities, funds, wishes, fairs, proposals and reviews.',
    },
    logger,
    readiness,
    authenticate: createAuthenticator({ secret: auth.secret }),
    routes: [
      ...(auth.devLogin ? [devLoginRoute({ secret: auth.secret })] : []),
      ...subDistrictRoutes(deps),
      ...communityRoutes(deps),
      ...needsRoutes(deps),
      ...fairRoutes(deps),
      ...proposalRoutes(deps),
    ],
  });
}
