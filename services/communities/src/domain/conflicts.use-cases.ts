import { randomUUID } from 'node:crypto';
import type { ConflictDeclarationView, DeclareConflictBody } from '@linli/contracts';
import { ForbiddenError, NotFoundError } from '@linli/http';
import { scrubText } from '@linli/logger';
import type { ProposalRecord } from '../data-access/proposal.repository';
import type { CommunitiesWork } from '../data-access/unit-of-work';
import type { Caller, Deps } from './context';

/**
 * 回避 (conflicts of interest): a reviewer or committee member who has a stake in a proposal — a relative
 * runs the organization, they sit on its board — declares it, with the reason, and from then on records no
 * decision on that proposal (nor accepts its flagged lines). The others at the gate decide without them.
 * A declaration is kept for good: it is part of the record of how the proposal was reviewed.
 */

const resourceOf = (p: ProposalRecord) => ({ subDistrictId: p.subDistrictId, communityId: p.communityId, organizationId: p.organizationId });

async function load(work: CommunitiesWork, id: string, lock = false): Promise<ProposalRecord> {
  const proposal = lock ? await work.proposals.lock(id) : await work.proposals.findById(id);
  if (!proposal) throw new NotFoundError('proposal', id);
  return proposal;
}

/** 声明回避. Declaring again returns the first declaration (`created: false`), so a retry is harmless. */
export async function declareConflict(
  deps: Deps,
  proposalId: string,
  input: DeclareConflictBody,
  caller: Caller,
): Promise<{ declaration: ConflictDeclarationView; created: boolean }> {
  return deps.uow.run(async (work) => {
    const p = await load(work, proposalId, true);
    caller.must('proposal.conflict.declare', resourceOf(p));
    const userId = caller.principal.userId;
    const earlier = await work.proposals.conflicts(proposalId, userId);
    if (earlier[0]) return { declaration: earlier[0], created: false };
    await work.proposals.addConflict({ id: randomUUID(), proposalId, userId, reason: scrubText(input.reason), at: deps.clock(), by: caller.actor });
    return { declaration: (await work.proposals.conflicts(proposalId, userId))[0]!, created: true };
  });
}

/** 回避声明列表, for those who review and those who run the platform. */
export async function listConflicts(deps: Deps, proposalId: string, caller: Caller): Promise<{ items: ConflictDeclarationView[] }> {
  const p = await load(deps.uow.read, proposalId);
  caller.must('proposal.conflict.read', resourceOf(p));
  return { items: await deps.uow.read.proposals.conflicts(proposalId) };
}

/** Refuses (403, with the declaration's reason) a review act by someone who declared a conflict with the proposal. */
export async function assertNotConflicted(work: CommunitiesWork, proposalId: string, caller: Caller): Promise<void> {
  const [declared] = await work.proposals.conflicts(proposalId, caller.principal.userId);
  if (!declared) return;
  throw new ForbiddenError(
    `您已声明回避本项目（${declared.reason}），不能对其作出评审决定，请由其他评审人员决定 (you declared a conflict of interest with this proposal and may not decide it)`,
  );
}
