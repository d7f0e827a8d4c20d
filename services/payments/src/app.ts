import { createAuthenticator, devLoginRoute } from '@linli/auth';
import { createHttpApp } from '@linli/http';
import type { Logger } from '@linli/logger';
import type { PaymentsDeps } from './domain/payments.deps';
import { freezeRoutes } from './entry-points/http/freezes.routes';
import { ledgerRoutes } from './entry-points/http/ledger.routes';
import { paymentPlanRoutes } from './entry-points/http/payment-plans.routes';
import { terminationRoutes } from './entry-points/http/terminations.routes';
import { trancheRoutes } from './entry-points/http/tranches.routes';
import { treasurySimulationRoutes, type TreasurySimulation } from './entry-points/http/treasury-simulation.routes';

export interface PaymentsAppDeps {
  deps: PaymentsDeps;
  logger: Logger;
  readiness: Record<string, () => Promise<unknown>>;
  auth: { secret: string; devLogin: boolean };
  /** The simulated treasury's switches, exposed at /simulated-treasury (development and tests only). */
  treasurySimulation?: TreasurySimulation;
}

/** The HTTP app alone (no listening, no background work), so component tests run it in-process. */
export function createApp({ deps, logger, readiness, auth, treasurySimulation }: PaymentsAppDeps) {
  return createHttpApp({
    service: {
      name: 'payments',
      title: '邻里 · 资金服务 (Linli payments)',
      version: '0.1.0',
      description:
        '拨付计划、分阶段拨付（启动资金 / 中期款 / 尾款）、冻结、提前终止结算、台账与对账。Payment plans, staged disbursement with idempotency keys, freezes, early-termination settlement, an append-only ledger and reconciliation.',
    },
    logger,
    readiness,
    authenticate: createAuthenticator({ secret: auth.secret }),
    routes: [
      ...(auth.devLogin ? [devLoginRoute({ secret: auth.secret })] : []),
      ...paymentPlanRoutes(deps),
      ...trancheRoutes(deps),
      ...freezeRoutes(deps),
      ...terminationRoutes(deps),
      ...ledgerRoutes(deps),
      ...(treasurySimulation ? treasurySimulationRoutes(treasurySimulation) : []),
    ],
  });
}
