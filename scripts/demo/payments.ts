/**
 * Demo data for the payments service (资金), through its public HTTP API only, with tokens from its
 * development login.
 *
 * Payments has nothing of its own to seed: plans are made from organizations.contract.signed events.
 * So this seed shows ONE staged payment: the first contract's start-up tranche (启动资金), requested by
 * the workflow engine's identity and approved by the sub-district's finance officer (王会计), each step
 * with a fixed Idempotency-Key — which is also what makes a second run harmless (the same keys replay
 * the first results; a tranche already paid by anyone is left alone).
 *
 * ctx needed:  { urls: { payments: string },
 *                contracts?: { contractId: string }[]   — contracts signed by the organizations seed,
 *                contractIds?: string[] }                — or just their ids; both optional.
 *              With no contract it returns at once. The plan arrives by event, so it is waited for
 *              (GET /contracts/:id/payment-plan, up to `waitMs`, default 30 s).
 * returns:     { paid, existing, contractId, trancheId, skipped }
 *              paid/existing count start-up tranches paid now / found already paid; `skipped` says why
 *              nothing was done (no contract, plan never arrived, payments frozen, …), else null.
 */
import { devLogin } from '../demo-data';

export interface PaymentsSeedContext {
  urls: { payments: string };
  contracts?: { contractId: string }[];
  contractIds?: string[];
  waitMs?: number;
}

export interface PaymentsSeedResult {
  paid: number;
  existing: number;
  contractId: string | null;
  trancheId: string | null;
  skipped: string | null;
}

const DEMO_ADMIN = { userId: 'demo-admin', name: '演示管理员', role: 'admin', scope: { kind: 'platform', id: 'linli' } };
/** The workflow engine asks for tranches in the real flow; the demo uses the same role. */
const DEMO_WORKFLOW = { userId: 'system:demo-lifecycle', name: '流程引擎（演示）', role: 'system', scope: { kind: 'platform', id: 'linli' } };
const demoFinance = (subDistrictId: string) => ({ userId: 'demo-finance-wang', name: '王会计', role: 'finance', scope: { kind: 'sub-district', id: subDistrictId } });

export async function seedPayments(ctx: PaymentsSeedContext): Promise<PaymentsSeedResult> {
  const contractId = ctx.contractIds?.[0] ?? ctx.contracts?.[0]?.contractId ?? null;
  const result: PaymentsSeedResult = { paid: 0, existing: 0, contractId, trancheId: null, skipped: null };
  if (!contractId) return { ...result, skipped: 'no contracts yet: plans come from contract events' };

  const base = ctx.urls.payments;
  const call = async (token: string, method: string, path: string, key?: string) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}) },
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
  };

  const admin = await devLogin(base, DEMO_ADMIN);
  const deadline = Date.now() + (ctx.waitMs ?? 30_000);
  let plan = await call(admin, 'GET', `/contracts/${contractId}/payment-plan`);
  while (plan.status === 404 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    plan = await call(admin, 'GET', `/contracts/${contractId}/payment-plan`);
  }
  if (plan.status !== 200) return { ...result, skipped: `no payment plan for contract ${contractId} (${plan.status})` };

  const startUp = (plan.body.tranches as { id: string; kind: string; status: string }[]).find((t) => t.kind === 'start_up');
  if (!startUp) return { ...result, skipped: 'the plan has no start-up tranche' };
  result.trancheId = startUp.id;
  if (startUp.status === 'paid') return { ...result, existing: 1 };

  if (startUp.status === 'pending' || startUp.status === 'failed') {
    const workflow = await devLogin(base, DEMO_WORKFLOW);
    const requested = await call(workflow, 'POST', `/contracts/${contractId}/tranches/start_up/requests`, `demo:${contractId}:start_up:request`);
    // 409: someone (the lifecycle workflow) asked already, or the contract is frozen — said in `detail`.
    if (requested.status !== 201 && requested.status !== 409) throw new Error(`requesting the start-up tranche failed: ${requested.status} ${JSON.stringify(requested.body)}`);
    if (requested.status === 409 && !/已申请/.test(requested.body?.detail ?? '')) return { ...result, skipped: requested.body?.detail ?? 'request refused' };
  }

  const finance = await devLogin(base, demoFinance(plan.body.subDistrictId));
  const approved = await call(finance, 'POST', `/tranches/${startUp.id}/approval`, `demo:${contractId}:start_up:approve`);
  if (approved.status === 200 && approved.body.status === 'paid') return { ...result, paid: 1 };
  if (approved.status === 409) return { ...result, skipped: approved.body?.detail ?? 'approval refused' };
  throw new Error(`approving the start-up tranche failed: ${approved.status} ${JSON.stringify(approved.body)}`);
}
