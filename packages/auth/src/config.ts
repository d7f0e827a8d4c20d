import { z } from 'zod';

/** Known to everyone reading this repository: accepted only outside production. */
export const DEV_JWT_SECRET = 'linli-dev-secret-not-for-production-0123456789';

const flag = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? def : v === 'true' || v === '1'));

/** The auth part of every service's configuration (extend your schema with `.extend(authConfigShape)`). */
export const authConfigShape = {
  AUTH_JWT_SECRET: z.string().min(32, 'at least 32 characters').default(DEV_JWT_SECRET),
  /** POST /auth/dev-login issues tokens for demo users; never on in production. */
  AUTH_DEV_LOGIN: flag(true),
};

/** Refuses what must never reach production: the public dev secret, or the dev login switched on. */
export function assertAuthConfigSafe(config: { NODE_ENV?: string; AUTH_JWT_SECRET: string; AUTH_DEV_LOGIN: boolean }): void {
  if (config.NODE_ENV !== 'production') return;
  const problems = [
    config.AUTH_JWT_SECRET === DEV_JWT_SECRET ? 'AUTH_JWT_SECRET: the development secret cannot be used in production' : null,
    config.AUTH_DEV_LOGIN ? 'AUTH_DEV_LOGIN: must be false in production' : null,
  ].filter(Boolean);
  if (problems.length) throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
}
