import { randomUUID } from 'node:crypto';
import { ledgerRepository } from '../src/data-access/ledger.repository';
import { contractWorld, startPayments, type Harness } from './payments-harness';

describe('ledger and reconciliation over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startPayments();
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function paidStartUp(amountFen: number, extra: Record<string, unknown> = {}) {
    const w = contractWorld();
    expect((await h.api('POST', '/payment-plans', { body: w.planBody(amountFen, extra), as: w.who.finance })).status).toBe(201);
    const requested = await h.api('POST', `/contracts/${w.ids.contractId}/tranches/start_up/requests`, { as: w.who.system, key: randomUUID() });
    const paid = await h.api('POST', `/tranches/${requested.body.id}/approval`, { as: w.who.finance, key: randomUUID() });
    expect(paid.body.status).toBe('paid');
    return { ...w, startUpId: requested.body.id as string };
  }

  it('when the contract ledger is paged one entry at a time, then each entry carries the running balance derived from all before it', async () => {
    const w = await paidStartUp(12_345);
    const first = await h.api('GET', `/contracts/${w.ids.contractId}/ledger?limit=1`, { as: w.who.secretary });
    expect(first.status).toBe(200);
    expect(first.body.items).toEqual([expect.objectContaining({ entryType: 'plan_committed', amountFen: 12_345, balanceAfterFen: 12_345, accountType: 'contract' })]);
    expect(first.body.balanceFen).toBe(12_345 - 3_703);
    const second = await h.api('GET', `/contracts/${w.ids.contractId}/ledger?limit=1&cursor=${first.body.nextCursor}`, { as: w.who.secretary });
    expect(second.body.items).toEqual([expect.objectContaining({ entryType: 'tranche_paid', amountFen: -3_703, balanceAfterFen: 8_642, trancheId: w.startUpId })]);
    expect(second.body.nextCursor).toBeNull();
    expect((await h.api('GET', `/contracts/${w.ids.contractId}/ledger?cursor=bogus`, { as: w.who.finance })).status).toBe(400);
    expect((await h.api('GET', `/contracts/${w.ids.contractId}/ledger`, { as: w.who.otherFinance })).status).toBe(403);
    expect((await h.api('GET', `/contracts/${randomUUID()}/ledger`, { as: w.who.finance })).status).toBe(404);
  });

  it('when a purchase is the sub-district’s own (no community), then its fund ledger is the sub-district’s', async () => {
    const w = await paidStartUp(1_000, { communityId: null, level: 'sub_district' });
    const fund = await h.api('GET', `/funds/${w.ids.subDistrictId}/ledger`, { as: w.who.finance });
    expect(fund.status).toBe(200);
    expect(fund.body.items).toEqual([expect.objectContaining({ fundKind: 'sub_district', fundId: w.ids.subDistrictId, amountFen: -1_000 })]);
    expect((await h.api('GET', `/funds/${w.ids.subDistrictId}/ledger`, { as: w.who.secretary })).status).toBe(403);
    expect((await h.api('GET', `/funds/${randomUUID()}/ledger`, { as: w.who.finance })).status).toBe(404);
  });

  it('when the ledger code is read, then it can only append: the repository offers no update or delete', () => {
    const methods = Object.keys(ledgerRepository({} as never));
    expect(methods).toContain('append');
    expect(methods.filter((m) => /update|delete|remove|upsert|set/i.test(m))).toEqual([]);
  });

  it('when everything was written by the service, then reconciliation finds no mismatch', async () => {
    const w = await paidStartUp(777);
    const one = await h.api('GET', `/contracts/${w.ids.contractId}/reconciliation`, { as: w.who.finance });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ ok: true, contractsChecked: 1, mismatches: [] });
    const sub = await h.api('GET', '/reconciliation', { as: w.who.finance });
    expect(sub.body).toMatchObject({ ok: true, contractsChecked: 1 });
  });

  it('when a tranche is marked paid straight in the database with no ledger entry, then reconciliation reports it (per contract and for the sub-district)', async () => {
    const w = await paidStartUp(1_000_001);
    const plan = await h.api('GET', `/contracts/${w.ids.contractId}/payment-plan`, { as: w.who.finance });
    const midTerm = plan.body.tranches.find((t: any) => t.kind === 'mid_term');
    // Planted inconsistency, bypassing the service.
    await h.service.prisma.tranche.update({ where: { id: midTerm.id }, data: { status: 'paid', paidAmountFen: 400_000n, paidAt: new Date() } });

    const report = await h.api('GET', `/contracts/${w.ids.contractId}/reconciliation`, { as: w.who.finance });
    expect(report.body.ok).toBe(false);
    expect(report.body.mismatches).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ trancheId: midTerm.id, code: 'paid_without_ledger_entry', expected: -400_000, actual: null }),
        expect.objectContaining({ trancheId: midTerm.id, code: 'paid_without_disbursement' }),
        expect.objectContaining({ code: 'balance_mismatch', expected: 300_001, actual: 700_001 }),
      ]),
    );
    const all = await h.api('GET', `/reconciliation?subDistrictId=${w.ids.subDistrictId}`, { as: w.who.operator });
    expect(all.body.ok).toBe(false);
    expect(all.body.mismatches.map((m: any) => m.code)).toContain('paid_without_ledger_entry');
    // Platform-wide, the clean contracts of the other tests are checked too and stay clean.
    const everything = await h.api('GET', '/reconciliation', { as: w.who.admin });
    expect(everything.body.contractsChecked).toBeGreaterThan(1);
    expect(new Set(everything.body.mismatches.map((m: any) => m.contractId))).toEqual(new Set([w.ids.contractId]));
  });

  it('when a ledger row is altered behind the service’s back, then reconciliation reports the difference', async () => {
    const w = await paidStartUp(5_000);
    await h.service.prisma.ledgerEntry.updateMany({ where: { trancheId: w.startUpId, entryType: 'tranche_paid' }, data: { amountFen: -1_000n } });
    const report = await h.api('GET', `/contracts/${w.ids.contractId}/reconciliation`, { as: w.who.finance });
    expect(report.body.mismatches.map((m: any) => m.code)).toEqual(['paid_amount_mismatch', 'balance_mismatch']);
    await h.service.prisma.ledgerEntry.updateMany({ where: { trancheId: w.startUpId, entryType: 'tranche_paid' }, data: { amountFen: -1_500n } });
  });

  it('when someone without the reconcile action asks, then 403; finance asking for another sub-district, then 403', async () => {
    const w = await paidStartUp(100);
    expect((await h.api('GET', '/reconciliation', { as: w.who.secretary })).status).toBe(403);
    expect((await h.api('GET', `/contracts/${w.ids.contractId}/reconciliation`, { as: w.who.supervisor })).status).toBe(403);
    expect((await h.api('GET', `/reconciliation?subDistrictId=${randomUUID()}`, { as: w.who.finance })).status).toBe(403);
    expect((await h.api('GET', '/reconciliation', { as: null })).status).toBe(401);
  });
});
