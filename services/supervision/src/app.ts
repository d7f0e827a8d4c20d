import { createAuthenticator, devLoginRoute } from '@linli/auth';
import { createHttpApp } from '@linli/http';
import type { Logger } from '@linli/logger';
import type { SupervisionDeps } from './domain/context';
import { activityRoutes } from './entry-points/http/activities.routes';
import { agencyRoutes } from './entry-points/http/agencies.routes';
import { callBackRoutes } from './entry-points/http/call-backs.routes';
import { closeOutRoutes } from './entry-points/http/close-out.routes';
import { contractRoutes } from './entry-points/http/contracts.routes';
import { findingRoutes } from './entry-points/http/findings.routes';
import { recordRoutes } from './entry-points/http/records.routes';

export interface SupervisionAppDeps {
  deps: SupervisionDeps;
  logger: Logger;
  readiness: Record<string, () => Promise<unknown>>;
  auth: { secret: string; devLogin: boolean };
}

/** Photos arrive as base64 JSON (≤ 5 MB decoded ≈ 6.7 MB encoded), hence the larger body limit. */
export const BODY_LIMIT = '8mb';

/** The HTTP app alone (no listening, no background work), so component tests run it in-process. */
export function createApp({ deps, logger, readiness, auth }: SupervisionAppDeps) {
  return createHttpApp({
    service: {
      name: 'supervision',
      title: '邻里 · 第三方监督 (Linli supervision)',
      version: '0.1.0',
      description:
        '第三方监督与评估：活动、签到单（手机号加密、掩码）、照片、发票、电话回访、问题整改、例会、满意度、结项材料与评估。' +
        ' Third-party supervision: activities, sign-in sheets, photos, invoices, call-backs, findings, minutes, surveys, close-out, evaluations.',
    },
    logger,
    readiness,
    bodyLimit: BODY_LIMIT,
    authenticate: createAuthenticator({ secret: auth.secret }),
    routes: [
      ...(auth.devLogin ? [devLoginRoute({ secret: auth.secret })] : []),
      ...agencyRoutes(deps),
      ...contractRoutes(deps),
      ...activityRoutes(deps),
      ...callBackRoutes(deps),
      ...findingRoutes(deps),
      ...recordRoutes(deps),
      ...closeOutRoutes(deps),
    ],
  });
}
