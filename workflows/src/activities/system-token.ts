import { SYSTEM_PRINCIPAL, issueToken } from '@linli/auth';

/**
 * The worker calls services as the workflow engine (role `system`), with a short-lived signed token that
 * is minted on demand and reused until shortly before it expires.
 */
export function systemTokenProvider(secret: string, lifetimeSeconds = 3600): () => Promise<string> {
  let cached: { token: string; expiresAt: number } | undefined;
  return async () => {
    const now = Date.now();
    if (!cached || cached.expiresAt - now < 5 * 60_000) {
      cached = { token: await issueToken(SYSTEM_PRINCIPAL, { secret, expiresIn: `${lifetimeSeconds}s` }), expiresAt: now + lifetimeSeconds * 1000 };
    }
    return cached.token;
  };
}
