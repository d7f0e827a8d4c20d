import { useEffect, useState } from 'react';

/** Hash routes (#/projects/<id>?…): the service serves the console at `/` and never shadows an API path. */
export interface Route {
  page: 'overview' | 'projects' | 'stalled' | 'project' | 'batch' | 'audit';
  id?: string;
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const [pathPart = '', queryPart = ''] = hash.replace(/^#/, '').split('?');
  const parts = pathPart.split('/').filter(Boolean);
  const params = new URLSearchParams(queryPart);
  if (parts[0] === 'projects' && parts[1]) return { page: 'project', id: parts[1], params };
  if (parts[0] === 'projects') return { page: 'projects', params };
  if (parts[0] === 'stalled') return { page: 'stalled', params };
  if (parts[0] === 'batch') return { page: 'batch', params };
  if (parts[0] === 'audit') return { page: 'audit', params };
  return { page: 'overview', params };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export function href(path: string, params: Record<string, string | number | boolean | undefined | null> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '' && v !== false) q.set(k, String(v));
  const s = q.toString();
  return `#${path}${s ? `?${s}` : ''}`;
}

export function go(path: string, params: Record<string, string | number | boolean | undefined | null> = {}): void {
  window.location.hash = href(path, params);
}
