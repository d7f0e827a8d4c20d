import { createAuthenticator, devLoginRoute } from '@linli/auth';
import { createHttpApp, type RequestHandler } from '@linli/http';
import type { Logger } from '@linli/logger';
import type { OperationsDeps } from './domain/projects.use-cases';
import type { ReconcileResult } from './domain/reconcile.use-case';
import { actionRoutes } from './entry-points/http/actions.routes';
import { auditRoutes } from './entry-points/http/audit.routes';
import { codecMiddleware, codecRoutes, type CodecOptions } from './entry-points/http/codec.routes';
import { consoleMiddleware } from './entry-points/http/console.static';
import { projectRoutes } from './entry-points/http/projects.routes';
import { streamRoutes } from './entry-points/http/stream.routes';

export interface OperationsAppDeps {
  deps: OperationsDeps;
  reconciler: { run(full?: boolean): Promise<ReconcileResult> };
  logger: Logger;
  readiness: Record<string, () => Promise<unknown>>;
  auth: { secret: string; devLogin: boolean };
  /** GET /stream (Server-Sent Events), served as middleware. */
  stream: RequestHandler;
  consoleDir: string;
  /** The Temporal payload codec, served to the Temporal UI at /codec. */
  codec: CodecOptions;
}

/** The HTTP app alone (no listening, no background work), so component tests run it in-process. */
export function createApp({ deps, reconciler, logger, readiness, auth, stream, consoleDir, codec }: OperationsAppDeps) {
  return createHttpApp({
    service: {
      name: 'operations',
      title: '邻里 · 运维服务 (Linli operations)',
      version: '0.1.0',
      description:
        '运维人员查看数百个为期一年的项目流程：总览、列表、卡住的流程、项目时间线；管理员处理停住的步骤（重试、跳过）、催办、升级、改派、提前终止，全部记入审计。控制台在 /。Operators watch project lifecycles; admins unblock them; every action audited. The console is served at /.',
    },
    logger,
    readiness,
    authenticate: createAuthenticator({ secret: auth.secret }),
    beforeRoutes: [consoleMiddleware(consoleDir), stream, codecMiddleware(codec)],
    routes: [
      ...(auth.devLogin ? [devLoginRoute({ secret: auth.secret })] : []),
      ...projectRoutes(deps),
      ...actionRoutes(deps, reconciler),
      ...auditRoutes(deps),
      ...streamRoutes({ secret: auth.secret }),
      ...codecRoutes(codec),
    ],
  });
}
