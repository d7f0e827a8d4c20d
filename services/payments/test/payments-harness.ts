import { randomUUID } from 'node:crypto';
import type { Principal } from '@linli/auth';
import { TEST_ADMIN, createTestDatabase, tokenFor } from '@linli/testing';
import { loadPaymentsConfig } from '../src/config';
import { createUnitOfWork } from '../src/data-access/unit-of-work';
import { recordAgencyAssignment, recordEvaluation } from '../src/domain/contract-facts.use-cases';
import { startPaymentsService } from '../src/start';

/**
 * The payments service in-process (port 0, its own database) and an HTTP client with real tokens.
 * Consumers are off unless asked for, so that only the consumer test file joins the run's consumer groups.
 */
export async function startPayments(opts: { consumers?: boolean; env?: Record<string, string> } = {}) {
  const db = await createTestDatabase('payments');
  const service = await startPaymentsService(
    loadPaymentsConfig({ ...process.env, PORT: '0', DATABASE_URL: db.url, PAYMENTS_CONSUMERS_ENABLED: opts.consumers ? 'true' : 'false', ...opts.env }),
  );
  const uow = createUnitOfWork(service.prisma);

  const api = async (method: string, path: string, opt: { body?: unknown; as?: Principal | null; key?: string | null } = {}) => {
    const as = opt.as === undefined ? TEST_ADMIN : opt.as;
    const res = await fetch(`${service.url}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(as ? { authorization: `Bearer ${await tokenFor(as)}` } : {}),
        ...(opt.key ? { 'idempotency-key': opt.key } : {}),
      },
      body: opt.body === undefined ? undefined : JSON.stringify(opt.body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as any, contentType: res.headers.get('content-type'), headers: res.headers };
  };

  return {
    service,
    api,
    uow,
    db,
    /** What the supervision consumer would store from supervision.evaluation.completed. */
    evaluate: (contractId: string, projectId: string, kind: 'mid_term' | 'year_end', grade: 'excellent' | 'good' | 'fair' | 'poor', passed = true) =>
      uow.run((work) =>
        recordEvaluation(work, { evaluationId: randomUUID(), contractId, projectId, kind, score: { excellent: 95, good: 85, fair: 70, poor: 40 }[grade], grade, passed }, new Date()),
      ),
    assignAgency: (contractId: string, projectId: string, agencyId: string) => uow.run((work) => recordAgencyAssignment(work, { contractId, projectId, agencyId }, new Date())),
    async stop() {
      await service.stop();
      await db.drop();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startPayments>>;

/** One contract's ids, with the principals that act on it. */
export function contractWorld() {
  const ids = {
    contractId: randomUUID(),
    projectId: randomUUID(),
    organizationId: randomUUID(),
    subDistrictId: randomUUID(),
    communityId: randomUUID(),
    agencyId: randomUUID(),
  };
  const sd = { kind: 'sub-district' as const, id: ids.subDistrictId };
  const who = {
    finance: { userId: 'u-finance-wang', name: '王会计', role: 'finance', scope: sd } as Principal,
    finance2: { userId: 'u-finance-li', name: '李会计', role: 'finance', scope: sd } as Principal,
    otherFinance: { userId: 'u-finance-zhao', role: 'finance', scope: { kind: 'sub-district', id: randomUUID() } } as Principal,
    system: { userId: 'system:workflow', name: '流程引擎', role: 'system', scope: { kind: 'platform', id: 'linli' } } as Principal,
    admin: TEST_ADMIN,
    operator: { userId: 'u-operator', role: 'operator', scope: { kind: 'platform', id: 'linli' } } as Principal,
    reviewer: { userId: 'u-reviewer', role: 'subdistrict_reviewer', scope: sd } as Principal,
    committee: { userId: 'u-committee', role: 'committee_member', scope: sd } as Principal,
    secretary: { userId: 'u-secretary', role: 'community_secretary', scope: { kind: 'community', id: ids.communityId }, subDistrictId: ids.subDistrictId } as Principal,
    resident: { userId: 'u-resident', role: 'resident_rep', scope: { kind: 'community', id: ids.communityId } } as Principal,
    orgStaff: { userId: 'u-org', role: 'org_staff', scope: { kind: 'organization', id: ids.organizationId } } as Principal,
    supervisor: { userId: 'u-supervisor', role: 'supervisor', scope: { kind: 'agency', id: ids.agencyId } } as Principal,
  };
  const planBody = (amountFen: number, extra: Record<string, unknown> = {}) => ({
    contractId: ids.contractId,
    projectId: ids.projectId,
    organizationId: ids.organizationId,
    subDistrictId: ids.subDistrictId,
    communityId: ids.communityId,
    level: 'community',
    amountFen,
    ...extra,
  });
  return { ids, who, planBody };
}

type World = ReturnType<typeof contractWorld>;

/**
 * The disbursement steps over HTTP, as the lifecycle runs them: the workflow engine (system) requests a
 * tranche, finance approves it. `harness` is read at call time (it is started in beforeAll).
 */
export function disbursementSteps(harness: () => Harness) {
  const request = (w: World, kind: string, key: string | null = randomUUID(), as: Principal = w.who.system) =>
    harness().api('POST', `/contracts/${w.ids.contractId}/tranches/${kind}/requests`, { as, key });
  const approve = (w: World, trancheId: string, key: string | null = randomUUID(), as: Principal = w.who.finance) =>
    harness().api('POST', `/tranches/${trancheId}/approval`, { as, key });
  /** Requests and approves: the tranche is paid (or the test fails here). */
  async function pay(w: World, kind: string) {
    const requested = await request(w, kind);
    expect(requested.status).toBe(201);
    const approved = await approve(w, requested.body.id);
    expect(approved.body.status).toBe('paid');
    return approved.body;
  }
  return { request, approve, pay };
}
