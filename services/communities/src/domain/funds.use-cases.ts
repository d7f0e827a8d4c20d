import { randomUUID } from 'node:crypto';
import {
  FUND_MOVEMENT_LABELS,
  ServiceFundAllocated,
  ServiceFundCommitted,
  ServiceFundSpent,
  type Actor,
  type AllocateFundBody,
  type EventOf,
  type ListFundsQuery,
  type ServiceFundDetailView,
  type ServiceFundView,
  type TranchePaid,
} from '@linli/contracts';
import { buildEvent } from '@linli/events';
import { ConflictError, NotFoundError, type Page } from '@linli/http';
import { scrubText } from '@linli/logger';
import type { Logger } from '@linli/logger';
import type { FundRecord } from '../data-access/fund.repository';
import type { CommunitiesWork } from '../data-access/unit-of-work';
import { SOURCE, type Caller, type Deps } from './context';
import { loadCommunity } from './communities.use-cases';
import { allocate, commit, pay, remainingOf } from './fund.rules';
import { page } from './pagination';

async function views(work: CommunitiesWork, records: FundRecord[]): Promise<ServiceFundView[]> {
  const subDistricts = await work.subDistricts.names(records.map((r) => r.subDistrictId));
  const communities = await work.communities.names(records.flatMap((r) => (r.communityId ? [r.communityId] : [])));
  return records.map((r) => ({
    ...r,
    subDistrictName: subDistricts.get(r.subDistrictId) ?? '',
    communityName: r.communityId ? (communities.get(r.communityId)?.name ?? null) : null,
    remainingFen: remainingOf(r),
  }));
}

const figuresOf = (f: FundRecord) => ({
  fundId: f.id,
  subDistrictId: f.subDistrictId,
  communityId: f.communityId,
  fiscalYear: f.fiscalYear,
  allocatedFen: f.allocatedFen,
  committedFen: f.committedFen,
  spentFen: f.spentFen,
  remainingFen: remainingOf(f),
});

/**
 * 下达年度经费: sets (not adds to) a fund line's allocation for a fiscal year, creating the line on first
 * use. Lowering it below committed + spent is refused. Setting the same amount again changes nothing
 * (idempotent: no movement, no event).
 */
async function setAllocation(
  deps: Deps,
  holder: { subDistrictId: string; communityId: string | null },
  fiscalYear: number,
  input: AllocateFundBody,
  actor: Actor,
): Promise<ServiceFundView> {
  return deps.uow.run(async (work) => {
    const now = deps.clock();
    let fund = await work.funds.lockFor(holder.subDistrictId, holder.communityId, fiscalYear);
    if (fund && fund.allocatedFen === input.allocatedFen) return (await views(work, [fund]))[0]!;
    const previousAllocatedFen = fund?.allocatedFen ?? 0;
    if (!fund) {
      allocate({ allocatedFen: 0, committedFen: 0, spentFen: 0 }, input.allocatedFen);
      fund = await work.funds.create({ id: randomUUID(), ...holder, fiscalYear, allocatedFen: input.allocatedFen, at: now, by: actor });
    } else {
      fund = await work.funds.setFigures(fund.id, allocate(fund, input.allocatedFen), now, actor);
    }
    await work.funds.addMovement({ id: randomUUID(), fundId: fund.id, kind: 'allocated', amountFen: input.allocatedFen - previousAllocatedFen, note: input.note === undefined ? null : scrubText(input.note), at: now, by: actor });
    await work.outbox.append(
      'communities',
      buildEvent(ServiceFundAllocated, { source: SOURCE, subject: fund.id, actor, data: { ...figuresOf(fund), previousAllocatedFen } }),
    );
    return (await views(work, [fund]))[0]!;
  });
}

export async function allocateCommunityFund(deps: Deps, communityId: string, fiscalYear: number, input: AllocateFundBody, caller: Caller): Promise<ServiceFundView> {
  const community = await loadCommunity(deps.uow.read, communityId);
  caller.must('fund.allocate', { subDistrictId: community.subDistrictId, communityId });
  return setAllocation(deps, { subDistrictId: community.subDistrictId, communityId }, fiscalYear, input, caller.actor);
}

/** The sub-district's own line, drawn on by 街道级 projects (communityId null). */
export async function allocateSubDistrictFund(deps: Deps, subDistrictId: string, fiscalYear: number, input: AllocateFundBody, caller: Caller): Promise<ServiceFundView> {
  if (!(await deps.uow.read.subDistricts.findById(subDistrictId))) throw new NotFoundError('sub-district', subDistrictId);
  caller.must('fund.allocate', { subDistrictId });
  return setAllocation(deps, { subDistrictId, communityId: null }, fiscalYear, input, caller.actor);
}

export async function getFund(deps: Deps, id: string, caller: Caller): Promise<ServiceFundDetailView> {
  const work = deps.uow.read;
  const fund = await work.funds.findById(id);
  if (!fund) throw new NotFoundError('fund', id);
  caller.must('community.read', { subDistrictId: fund.subDistrictId, communityId: fund.communityId });
  const movements = await work.funds.movements(id);
  return { ...(await views(work, [fund]))[0]!, movements: movements.map((m) => ({ ...m, kindLabel: FUND_MOVEMENT_LABELS[m.kind] })) };
}

export async function listFunds(deps: Deps, query: ListFundsQuery, caller: Caller): Promise<Page<ServiceFundView>> {
  const visible = caller.visibility('community.read');
  return page(
    query,
    (p) => deps.uow.read.funds.list({ ...query, visible }, p),
    (r) => ({ at: r.createdAt, id: r.id }),
    (records) => views(deps.uow.read, records),
  );
}

/**
 * 立项占用 (inside the committee-approval transaction): the approved budget is committed against the
 * proposal's fund line for its fiscal year — refused with the figures when it does not fit.
 */
export async function commitToFund(
  work: CommunitiesWork,
  proposal: { id: string; subDistrictId: string; communityId: string | null; fiscalYear: number },
  amountFen: number,
  at: Date,
  actor: Actor,
): Promise<void> {
  const fund = await work.funds.lockFor(proposal.subDistrictId, proposal.communityId, proposal.fiscalYear);
  const figures = commit(fund, amountFen, proposal.fiscalYear);
  if (!fund) {
    throw new ConflictError(`${proposal.fiscalYear} 年度经费尚未下达 (no fund allocated for ${proposal.fiscalYear})`, { fiscalYear: proposal.fiscalYear, amountFen, allocatedFen: 0 }, { code: 'FUND_EXCEEDED' });
  }
  const updated = await work.funds.setFigures(fund.id, figures, at, actor);
  await work.funds.createCommitment({ proposalId: proposal.id, fundId: updated.id, amountFen, at });
  await work.funds.addMovement({ id: randomUUID(), fundId: updated.id, kind: 'committed', amountFen, projectId: proposal.id, at, by: actor });
  await work.outbox.append(
    'communities',
    buildEvent(ServiceFundCommitted, { source: SOURCE, subject: updated.id, actor, data: { ...figuresOf(updated), projectId: proposal.id, amountFen } }),
  );
}

/**
 * 拨付入账 (payments.tranche.paid, applied inside the consumer's dedupe transaction): moves the amount from
 * committed to spent on the fund the project committed to. A tranche counts once even if it arrives again
 * under another event id. A payment for a project this service never approved (no commitment) is logged
 * and skipped: there is no fund line it could belong to.
 */
export async function applyTranchePaid(work: CommunitiesWork, event: EventOf<typeof TranchePaid>, log: Pick<Logger, 'warn' | 'info'>): Promise<void> {
  const data = event.data;
  const commitment = await work.funds.findCommitment(data.projectId);
  if (!commitment) {
    log.warn({ projectId: data.projectId, trancheId: data.trancheId }, 'tranche paid for a project without a fund commitment here; skipped');
    return;
  }
  if (await work.funds.trancheCounted(data.trancheId)) return;
  const fund = await work.funds.lockById(commitment.fundId);
  if (!fund) return;
  const actor: Actor = event.actor ?? { userId: 'payments', role: 'system' };
  const at = new Date(data.paidAt);
  const { figures, releasedFen, paidFen } = pay(fund, commitment, data.amountFen);
  const updated = await work.funds.setFigures(fund.id, figures, new Date(), actor);
  await work.funds.setCommitmentPaid(data.projectId, paidFen);
  await work.funds.addMovement({ id: randomUUID(), fundId: fund.id, kind: 'paid', amountFen: data.amountFen, projectId: data.projectId, trancheId: data.trancheId, at, by: actor });
  await work.outbox.append(
    'communities',
    buildEvent(ServiceFundSpent, {
      source: SOURCE,
      subject: fund.id,
      actor,
      correlationId: event.id,
      data: { ...figuresOf(updated), projectId: data.projectId, trancheId: data.trancheId, amountFen: data.amountFen, releasedFromCommittedFen: releasedFen },
    }),
  );
}
