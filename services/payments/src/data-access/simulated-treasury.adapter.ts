import { randomBytes } from 'node:crypto';
import { TreasuryUnavailableError, type TransferInstruction, type TransferResult, type TreasuryPort } from '../domain/treasury.port';
import type { PaymentsPrisma } from './prisma';

/**
 * SIMULATED treasury — no money moves. It stands in for the treasury's payment system (国库集中支付):
 * it records every instruction in its own table (simulated_treasury_transfers) and confirms it with a
 * reference `SIM-<date>-<hex>`. Like a real payment system it is idempotent by instruction key: the same
 * key returns the first result and records nothing new.
 *
 * Failure switches, so the failure paths can be exercised:
 *   - config TREASURY_SIMULATE_FAILURE=<reason>: every new instruction is rejected with that reason;
 *   - simulate({ reject: reason }) / simulate({ loseResponses: n }) at run time (tests): reject new
 *     instructions, or record-and-confirm the next n but throw as if the answer was lost on the network.
 */
export class SimulatedTreasury implements TreasuryPort {
  private rejectReason: string | null;
  private loseResponses = 0;

  constructor(
    private readonly prisma: PaymentsPrisma,
    options: { failureReason?: string } = {},
  ) {
    this.rejectReason = options.failureReason ? options.failureReason : null;
  }

  /** Test and demo switch: `reject` (null to stop), `loseResponses` (how many confirmed answers to drop). */
  simulate(mode: { reject?: string | null; loseResponses?: number }): void {
    if (mode.reject !== undefined) this.rejectReason = mode.reject;
    if (mode.loseResponses !== undefined) this.loseResponses = mode.loseResponses;
  }

  /** The switches as they stand (the simulation route answers with them). */
  simulation(): { reject: string | null; loseResponses: number } {
    return { reject: this.rejectReason, loseResponses: this.loseResponses };
  }

  async transfer(instruction: TransferInstruction): Promise<TransferResult> {
    const existing = await this.prisma.simulatedTreasuryTransfer.findUnique({ where: { key: instruction.key } });
    if (existing) return this.answer(existing, false);
    const status = this.rejectReason ? 'rejected' : 'confirmed';
    const date = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    await this.prisma.simulatedTreasuryTransfer.createMany({
      data: [
        {
          key: instruction.key,
          reference: `SIM-${date}-${randomBytes(6).toString('hex')}`,
          trancheId: instruction.trancheId,
          contractId: instruction.contractId,
          payeeOrganizationId: instruction.payeeOrganizationId,
          amountFen: BigInt(instruction.amountFen),
          memo: instruction.memo,
          status,
          reason: this.rejectReason,
        },
      ],
      // Two concurrent calls with one key: the second records nothing and answers what the first recorded.
      skipDuplicates: true,
    });
    const recorded = (await this.prisma.simulatedTreasuryTransfer.findUnique({ where: { key: instruction.key } }))!;
    return this.answer(recorded, true);
  }

  private answer(row: { reference: string; status: string; reason: string | null }, fresh: boolean): TransferResult {
    if (fresh && this.loseResponses > 0) {
      this.loseResponses--;
      throw new TreasuryUnavailableError('simulated: the treasury answer was lost');
    }
    return row.status === 'confirmed'
      ? { reference: row.reference, status: 'confirmed' }
      : { reference: row.reference, status: 'rejected', reason: row.reason ?? '国库拒绝' };
  }
}
