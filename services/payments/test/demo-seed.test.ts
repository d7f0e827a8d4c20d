import { seedPayments } from '../../../scripts/demo/payments';
import { contractWorld, startPayments, type Harness } from './payments-harness';

describe('the payments demo seed (scripts/demo/payments.ts)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startPayments();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('when there is no contract, then it returns at once and writes nothing', async () => {
    const result = await seedPayments({ urls: { payments: h.service.url } });
    expect(result).toMatchObject({ paid: 0, existing: 0, skipped: expect.stringContaining('no contracts') });
    expect(await h.service.prisma.outboxEvent.count()).toBe(0);
  });

  it('when a contract has a plan, then its start-up tranche is paid with idempotency keys, and a second run pays nothing more', async () => {
    const w = contractWorld();
    await h.api('POST', '/payment-plans', { body: w.planBody(8_000_000), as: w.who.finance });
    const first = await seedPayments({ urls: { payments: h.service.url }, contracts: [{ contractId: w.ids.contractId }], waitMs: 1_000 });
    expect(first).toMatchObject({ paid: 1, existing: 0, skipped: null, contractId: w.ids.contractId });
    const second = await seedPayments({ urls: { payments: h.service.url }, contractIds: [w.ids.contractId], waitMs: 1_000 });
    expect(second).toMatchObject({ paid: 0, existing: 1 });
    const tranche = await h.api('GET', `/tranches/${first.trancheId}`, { as: w.who.finance });
    expect(tranche.body).toMatchObject({ status: 'paid', paidAmountFen: 2_400_000, disbursements: [{ requestedBy: { role: 'system' }, approvedBy: { userId: 'demo-finance-wang' } }] });
    expect(await h.service.prisma.simulatedTreasuryTransfer.count()).toBe(1);
  });

  it('when the plan never arrives, then it says so instead of failing', async () => {
    const w = contractWorld();
    const result = await seedPayments({ urls: { payments: h.service.url }, contractIds: [w.ids.contractId], waitMs: 600 });
    expect(result.skipped).toContain('no payment plan');
  });
});
