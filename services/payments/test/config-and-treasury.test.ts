import { loadPaymentsConfig } from '../src/config';
import { SimulatedTreasury } from '../src/data-access/simulated-treasury.adapter';
import { TreasuryUnavailableError } from '../src/domain/treasury.port';

describe('payments configuration', () => {
  it('when nothing is set, then the defaults are 30/40/30 and 优 100 / 良 90 / 中 70 / 差 0, port 4003, treasury succeeding', () => {
    const config = loadPaymentsConfig({});
    expect(config.PORT).toBe(4003);
    expect(config.DATABASE_URL).toContain('linli_payments');
    expect(config.FINAL_TRANCHE_PERCENT_BY_GRADE).toEqual({ excellent: 100, good: 90, fair: 70, poor: 0 });
    expect(config.PAYMENT_PLAN_DEFAULT_PERCENTS.map((t) => [t.kind, t.percent])).toEqual([['start_up', 30], ['mid_term', 40], ['final', 30]]);
    expect(config.TREASURY_SIMULATE_FAILURE).toBe('');
    expect(config.PAYMENTS_CONSUMERS_ENABLED).toBe(true);
  });

  it('when the policies are misconfigured, then start-up fails naming every bad variable', () => {
    expect(() => loadPaymentsConfig({ FINAL_TRANCHE_PERCENT_BY_GRADE: '优=100,良=90', PAYMENT_PLAN_DEFAULT_PERCENTS: 'start_up=50,final=40' })).toThrow(
      /FINAL_TRANCHE_PERCENT_BY_GRADE: missing grades: fair, poor[\s\S]*PAYMENT_PLAN_DEFAULT_PERCENTS: .*90/,
    );
  });
});

/** An in-memory stand-in for the one table the SimulatedTreasury writes. */
function fakePrisma() {
  const rows = new Map<string, any>();
  return {
    rows,
    simulatedTreasuryTransfer: {
      findUnique: async ({ where }: any) => rows.get(where.key) ?? null,
      createMany: async ({ data }: any) => {
        let count = 0;
        for (const row of data) if (!rows.has(row.key)) (rows.set(row.key, row), count++);
        return { count };
      },
    },
  };
}
const instruction = (key: string) => ({ key, trancheId: 't', contractId: 'c', payeeOrganizationId: 'o', amountFen: 300_000, memo: '启动资金' });

describe('the SimulatedTreasury adapter', () => {
  it('when the same instruction key comes twice, then the first result is returned and one transfer is recorded', async () => {
    const prisma = fakePrisma();
    const treasury = new SimulatedTreasury(prisma as never);
    const first = await treasury.transfer(instruction('t:1'));
    const again = await treasury.transfer(instruction('t:1'));
    expect(first).toEqual({ status: 'confirmed', reference: expect.stringMatching(/^SIM-/) });
    expect(again).toEqual(first);
    expect(prisma.rows.size).toBe(1);
  });

  it('when TREASURY_SIMULATE_FAILURE is set, then new instructions are rejected with that reason', async () => {
    const treasury = new SimulatedTreasury(fakePrisma() as never, { failureReason: '国库系统维护中' });
    expect(await treasury.transfer(instruction('t:1'))).toMatchObject({ status: 'rejected', reason: '国库系统维护中' });
  });

  it('when an answer is lost, then the call throws but the transfer is recorded, and the retry returns it', async () => {
    const prisma = fakePrisma();
    const treasury = new SimulatedTreasury(prisma as never);
    treasury.simulate({ loseResponses: 1 });
    await expect(treasury.transfer(instruction('t:1'))).rejects.toBeInstanceOf(TreasuryUnavailableError);
    expect(prisma.rows.size).toBe(1);
    expect(await treasury.transfer(instruction('t:1'))).toMatchObject({ status: 'confirmed', reference: prisma.rows.get('t:1').reference });
  });
});
