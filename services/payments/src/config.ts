import { assertAuthConfigSafe, authConfigShape } from '@linli/auth';
import { baseServiceConfig, databaseUrl, loadConfig, text } from '@linli/config';
import { assertTemporalCodecConfigSafe, temporalCodecConfigShape } from '@linli/temporal';
import { z } from 'zod';
import { parseDefaultPercents, parseGradePercents } from './domain/payment-plan.rules';

/** Parses a policy string with one of the domain's parsers, reporting its message as the config error. */
function policy<T>(fallback: string, parse: (raw: string) => { ok: T } | { error: string }) {
  return text({ default: fallback }).transform((raw, ctx): T => {
    const parsed = parse(raw);
    if ('error' in parsed) {
      ctx.addIssue({ code: 'custom', message: parsed.error });
      return z.NEVER;
    }
    return parsed.ok;
  });
}

const flag = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? def : v === 'true' || v === '1'));

export const PaymentsConfigSchema = baseServiceConfig(4003).extend({
  /** Forward this service's lifecycle steps to the project workflows (off only in tests that have none). */
  LIFECYCLE_BRIDGE: z.enum(['true', 'false', '1', '0']).default('true').transform((v) => v === 'true' || v === '1'),
  ...authConfigShape,
  ...temporalCodecConfigShape,
  DATABASE_URL: databaseUrl({ default: 'postgresql://postgres@127.0.0.1:55432/linli_payments' }),
  /**
   * Share of the final tranche (尾款) each year-end grade releases, in whole percent; the rest goes back
   * to the fund. Default 优 100 %, 良 90 %, 中 70 %, 差 0 %. Chinese labels are accepted: "优=100,良=90,中=70,差=0".
   */
  FINAL_TRANCHE_PERCENT_BY_GRADE: policy('excellent=100,good=90,fair=70,poor=0', parseGradePercents),
  /** The split a plan gets when none is given (contract events always use it). Must sum to 100. */
  PAYMENT_PLAN_DEFAULT_PERCENTS: policy('start_up=30,mid_term=40,final=30', parseDefaultPercents),
  /**
   * SimulatedTreasury failure switch (dev and tests): when set, every new transfer instruction is
   * rejected with this text as the reason, so the failed path can be exercised. Empty: transfers succeed.
   */
  TREASURY_SIMULATE_FAILURE: text({ default: '' }),
  /**
   * Run the Kafka consumers (contract signed, findings, evaluations, agency assignments). Tests that do
   * not exercise them switch them off so that only one instance per test run joins each consumer group.
   */
  PAYMENTS_CONSUMERS_ENABLED: flag(true),
});
export type PaymentsConfig = z.infer<typeof PaymentsConfigSchema>;

export function loadPaymentsConfig(env: NodeJS.ProcessEnv = process.env): PaymentsConfig {
  const config = loadConfig(PaymentsConfigSchema, env);
  assertAuthConfigSafe(config);
  assertTemporalCodecConfigSafe(config);
  return config;
}
