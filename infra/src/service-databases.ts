/**
 * One PostgreSQL database per service: a service owns its tables and no other service reads them.
 * `up` creates these when missing; service configs build their DATABASE_URL from these names.
 */
export const SERVICE_DATABASES = [
  'linli_communities',
  'linli_organizations',
  'linli_payments',
  'linli_supervision',
  'linli_operations',
] as const;

export type ServiceDatabase = (typeof SERVICE_DATABASES)[number];
