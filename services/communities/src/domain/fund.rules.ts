import { ConflictError } from '@linli/http';

// The yearly service fund (党组织服务群众项目经费) as arithmetic on integer fen:
//   committed = approved projects not yet paid, spent = paid tranches,
//   remaining = allocated − committed − spent.

export interface FundFigures {
  allocatedFen: number;
  committedFen: number;
  spentFen: number;
}

export const remainingOf = (f: FundFigures): number => f.allocatedFen - f.committedFen - f.spentFen;

const yuan = (fenValue: number): string => `${(fenValue / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} 元`;

/** Setting the allocation below what is already committed and spent would leave the books negative. */
export function allocate(f: FundFigures, allocatedFen: number): FundFigures {
  const used = f.committedFen + f.spentFen;
  if (allocatedFen < used) {
    throw new ConflictError(
      `下达金额 ${yuan(allocatedFen)} 低于已占用 ${yuan(f.committedFen)} 与已支出 ${yuan(f.spentFen)} 之和 (allocation below committed + spent)`,
      { allocatedFen, committedFen: f.committedFen, spentFen: f.spentFen, minimumFen: used },
      { code: 'ALLOCATION_BELOW_USED' },
    );
  }
  return { ...f, allocatedFen };
}

/** 立项占用: refused beyond what remains, with the figures. */
export function commit(f: FundFigures | null, amountFen: number, fiscalYear: number): FundFigures {
  const figures = f ?? { allocatedFen: 0, committedFen: 0, spentFen: 0 };
  const remaining = remainingOf(figures);
  if (amountFen > remaining) {
    throw new ConflictError(
      `${fiscalYear} 年度经费不足：项目预算 ${yuan(amountFen)}，可用余额 ${yuan(remaining)}（下达 ${yuan(figures.allocatedFen)}，已占用 ${yuan(figures.committedFen)}，已支出 ${yuan(figures.spentFen)}）(commitment beyond the fund)`,
      { fiscalYear, amountFen, allocatedFen: figures.allocatedFen, committedFen: figures.committedFen, spentFen: figures.spentFen, remainingFen: remaining },
      { code: 'FUND_EXCEEDED' },
    );
  }
  return { ...figures, committedFen: figures.committedFen + amountFen };
}

/**
 * 拨付: the paid amount moves from committed to spent. Only what the project still holds is released
 * from committed; a payment beyond the commitment (e.g. a contract above the approved budget) is spent all
 * the same — the money left the account — and shows as a lower (possibly negative) remaining.
 */
export function pay(f: FundFigures, commitment: { amountFen: number; paidFen: number }, amountFen: number): { figures: FundFigures; releasedFen: number; paidFen: number } {
  const stillHeld = Math.max(0, commitment.amountFen - commitment.paidFen);
  const releasedFen = Math.min(amountFen, stillHeld, f.committedFen);
  return {
    figures: { allocatedFen: f.allocatedFen, committedFen: f.committedFen - releasedFen, spentFen: f.spentFen + amountFen },
    releasedFen,
    paidFen: commitment.paidFen + amountFen,
  };
}
