/**
 * The treasury (国库集中支付) seen from the payments domain: one call that moves money for a tranche.
 * The only adapter shipped is SimulatedTreasury (src/data-access/simulated-treasury.adapter.ts), which
 * records the instruction and confirms it; no money moves. A real adapter implements this interface.
 *
 * Contract for adapters: `transfer` is idempotent by `instruction.key` — the same key returns the first
 * result and never moves money twice. The payments service records the key on the disbursement BEFORE
 * calling and reuses it on every retry, so a crash between the call and the commit cannot pay twice.
 */
export interface TransferInstruction {
  /** Idempotency key of the instruction: `<trancheId>:<attempt>`. */
  key: string;
  trancheId: string;
  contractId: string;
  payeeOrganizationId: string;
  amountFen: number;
  memo: string;
}

export interface TransferResult {
  /** The treasury's reference (回单号). */
  reference: string;
  /** confirmed: the money moved; rejected: it did not (the reason says why). */
  status: 'confirmed' | 'rejected';
  reason?: string;
}

export interface TreasuryPort {
  transfer(instruction: TransferInstruction): Promise<TransferResult>;
}

/** The treasury could not be reached or did not answer; the outcome is unknown and the call may be repeated. */
export class TreasuryUnavailableError extends Error {
  override name = 'TreasuryUnavailableError';
}
