import { TreasurySimulationBody, TreasurySimulationView } from '@linli/contracts';
import { defineRoute } from '@linli/http';
import { scrubText } from '@linli/logger';

/** The simulated treasury's failure switches, as the app sees them. */
export interface TreasurySimulation {
  simulate(mode: { reject?: string | null; loseResponses?: number }): void;
  simulation(): { reject: string | null; loseResponses: number };
}

const tags = ['模拟国库 Simulated treasury'];

/**
 * 模拟国库故障: lets an admin make the simulated treasury reject new transfers (or drop answers), so a
 * demo or a test can show what a failed transfer does to a project (the tranche fails, the lifecycle
 * parks it for an admin). Registered only with the simulated treasury outside production.
 */
export function treasurySimulationRoutes(simulation: TreasurySimulation) {
  return [
    defineRoute({
      method: 'get',
      path: '/simulated-treasury',
      operationId: 'getTreasurySimulation',
      policy: 'treasury.simulate',
      summary: '模拟国库的故障开关 (the simulated treasury’s failure switches; development only)',
      tags,
      responses: { 200: { description: '当前开关', schema: TreasurySimulationView } },
      handler: async () => ({ status: 200, body: simulation.simulation() }),
    }),
    defineRoute({
      method: 'put',
      path: '/simulated-treasury',
      operationId: 'setTreasurySimulation',
      policy: 'treasury.simulate',
      summary: '设置模拟国库故障：退回新的转账、丢弃回执 (make new transfers fail; development only)',
      tags,
      request: { body: TreasurySimulationBody },
      responses: { 200: { description: '新的开关', schema: TreasurySimulationView } },
      handler: async ({ body }) => {
        // The reason becomes the failed transfer's reason, in the ledger, events and the lifecycle: masked
        // once here, like every other free text (there is no use case in between for a development switch).
        const reject = typeof body.reject === 'string' ? scrubText(body.reject) : body.reject;
        simulation.simulate({ reject, ...(body.loseResponses !== undefined ? { loseResponses: body.loseResponses } : {}) });
        return { status: 200, body: simulation.simulation() };
      },
    }),
  ];
}
