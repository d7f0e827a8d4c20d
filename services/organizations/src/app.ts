import { createAuthenticator, devLoginRoute } from '@linli/auth';
import { createHttpApp } from '@linli/http';
import type { Logger } from '@linli/logger';
import type { UnitOfWork } from './data-access/unit-of-work';
import { systemClock, type Clock } from './domain/context';
import { contractRoutes } from './entry-points/http/contracts.routes';
import { offeringRoutes } from './entry-points/http/offerings.routes';
import { organizationRoutes } from './entry-points/http/organizations.routes';
import { staffRoutes } from './entry-points/http/staff.routes';
import { tenderRoutes } from './entry-points/http/tenders.routes';

export interface OrganizationsAppDeps {
  uow: UnitOfWork;
  logger: Logger;
  readiness: Record<string, () => Promise<unknown>>;
  auth: { secret: string; devLogin: boolean };
  /** "Now" for deadlines and standstill periods; tests pass a clock they control. */
  clock?: Clock;
}

/** The HTTP app alone (no listening, no background work), so component tests run it in-process. */
export function createApp({ uow, logger, readiness, auth, clock = systemClock }: OrganizationsAppDeps) {
  const deps = { uow, clock };
  return createHttpApp({
    service: {
      name: 'organizations',
      title: '邻里 · 社会组织服务 (Linli organizations)',
      version: '0.1.0',
      description:
        '社会组织登记与信用、服务清单、人员名册与项目人员变更、招投标（密封投标、专题会评分、公示与异议）、合同、履约记录。' +
        ' Registry and credit, offerings, staff and staff changes, tenders (sealed bids, scoring, standstill, objections), contracts, track records.',
    },
    logger,
    readiness,
    authenticate: createAuthenticator({ secret: auth.secret }),
    routes: [
      ...(auth.devLogin ? [devLoginRoute({ secret: auth.secret })] : []),
      ...organizationRoutes(deps),
      ...offeringRoutes(deps),
      ...staffRoutes(deps),
      ...tenderRoutes(deps),
      ...contractRoutes(deps),
    ],
  });
}
