/**
 * Demo data for the supervision service (第三方监督), through its public HTTP API only, with a token from
 * its development login.
 *
 * ctx needed:  { urls: { supervision: string },
 *                contracts?: { contractId: string }[] }  — contracts signed by the organizations seed (optional).
 *              Contracts reach supervision as organizations.contract.signed events, so each one is waited
 *              for (GET /contracts/:id, up to `waitMs`, default 30 s) before it is assigned; one that never
 *              arrives is reported in `missingContracts`, not fatal.
 * returns:     { created, existing, agencies: { [name]: id }, assignments: { [contractId]: agencyId },
 *                missingContracts: string[] }
 *
 * Agencies are plausible Beijing third-party evaluators (the article names none). Contracts are assigned
 * round-robin as the demo admin; a contract that already has an agency keeps it (no reassignment on a
 * second run). Idempotent: an existing agency answers 409 and its id is looked up by name.
 */
import { devLogin } from '../demo-data';

export const DEMO_AGENCIES = [
  { name: '朝阳区社会工作评估中心', contactName: '王慧敏', contactPhone: '010-65098812' },
  { name: '东城区社会组织服务评估所', contactName: '刘建平', contactPhone: '010-84021736' },
  { name: '北京社会服务第三方评估研究院', contactName: '陈雪', contactPhone: '010-62215590' },
];

const DEMO_ADMIN = { userId: 'demo-admin', name: '演示管理员', role: 'admin', scope: { kind: 'platform', id: 'linli' } };

export interface SupervisionSeedContext {
  urls: { supervision: string };
  contracts?: { contractId: string }[];
  waitMs?: number;
}

export async function seedSupervision(ctx: SupervisionSeedContext): Promise<{
  created: number;
  existing: number;
  agencies: Record<string, string>;
  assignments: Record<string, string>;
  missingContracts: string[];
}> {
  const base = ctx.urls.supervision;
  const token = await devLogin(base, DEMO_ADMIN);
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
  };

  let created = 0;
  let existing = 0;
  const agencies: Record<string, string> = {};
  for (const agency of DEMO_AGENCIES) {
    const res = await call('POST', '/agencies', agency);
    if (res.status === 201) {
      created++;
      agencies[agency.name] = res.body.id;
    } else if (res.status === 409) {
      existing++;
      agencies[agency.name] = await findAgencyId(call, agency.name);
    } else {
      throw new Error(`seeding agency ${agency.name} failed: ${res.status} ${JSON.stringify(res.body)}`);
    }
  }

  const assignments: Record<string, string> = {};
  const missingContracts: string[] = [];
  const agencyIds = DEMO_AGENCIES.map((a) => agencies[a.name]!);
  for (const [index, { contractId }] of (ctx.contracts ?? []).entries()) {
    const contract = await waitForContract(call, contractId, ctx.waitMs ?? 30_000);
    if (!contract) {
      missingContracts.push(contractId);
      continue;
    }
    if (contract.agencyId) {
      existing++;
      assignments[contractId] = contract.agencyId;
      continue;
    }
    const agencyId = agencyIds[index % agencyIds.length]!;
    const res = await call('POST', `/contracts/${contractId}/assignment`, { agencyId });
    if (res.status === 200) created++;
    else if (res.status === 409) existing++;
    else throw new Error(`assigning contract ${contractId} failed: ${res.status} ${JSON.stringify(res.body)}`);
    assignments[contractId] = agencyId;
  }
  return { created, existing, agencies, assignments, missingContracts };
}

type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

async function findAgencyId(call: Call, name: string): Promise<string> {
  let cursor: string | null = null;
  do {
    const page: { body: { items: { id: string; name: string }[]; nextCursor: string | null } } = await call(
      'GET',
      `/agencies?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    const found = page.body.items.find((a) => a.name === name);
    if (found) return found.id;
    cursor = page.body.nextCursor;
  } while (cursor);
  throw new Error(`agency ${name} answered 409 but is not in the list`);
}

/** The contract projection, once organizations.contract.signed has been consumed; null after `waitMs`. */
async function waitForContract(call: Call, contractId: string, waitMs: number): Promise<{ agencyId: string | null } | null> {
  const started = Date.now();
  for (;;) {
    const res = await call('GET', `/contracts/${contractId}`);
    if (res.status === 200) return res.body;
    if (res.status !== 404) throw new Error(`reading contract ${contractId} failed: ${res.status} ${JSON.stringify(res.body)}`);
    if (Date.now() - started > waitMs) return null;
    await new Promise((r) => setTimeout(r, 500));
  }
}
