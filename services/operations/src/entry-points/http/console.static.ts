import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Request, Response } from '@linli/http';

const ASSET_NAME = /^\/assets\/([A-Za-z0-9._-]+)$/;

/**
 * The operations console (web/, built by Vite into web/dist) served by this service: index.html at `/`
 * and the hashed bundles under /assets (flat names only, so no path can leave the folder). The console
 * routes with the URL hash (#/projects/…), so no API path is ever shadowed by a page.
 */
export function consoleMiddleware(dir: string) {
  const index = path.join(dir, 'index.html');
  return (req: Request, res: Response, next: (err?: unknown) => void) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path === '/' || req.path === '/index.html') {
      if (!existsSync(index)) {
        res.status(503).type('text/plain; charset=utf-8').send('运维控制台尚未构建：pnpm --filter @linli/operations run build:console (console not built)');
        return;
      }
      res.setHeader('cache-control', 'no-cache');
      res.sendFile(index);
      return;
    }
    const asset = ASSET_NAME.exec(req.path);
    if (asset) {
      const file = path.join(dir, 'assets', asset[1]!);
      if (!existsSync(file)) return next();
      // Vite puts a content hash in every asset name: cache for good.
      res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      res.sendFile(file);
      return;
    }
    next();
  };
}
