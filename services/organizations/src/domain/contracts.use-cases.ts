import { randomUUID } from 'node:crypto';
import { ContractSigned, type ListPurchaseContractsQuery, type PurchaseContractView, type SignPurchaseContractBody } from '@linli/contracts';
import { buildEvent } from '@linli/events';
import { ConflictError, NotFoundError } from '@linli/http';
import type { ContractRecord } from '../data-access/contract.repository';
import type { OrganizationsWork } from '../data-access/unit-of-work';
import type { Caller, Deps } from './context';
import { page } from './pagination';
import { assertStatus, beijing } from './tender.rules';

const SOURCE = 'organizations';

async function contractView(work: OrganizationsWork, c: ContractRecord): Promise<PurchaseContractView> {
  const names = await work.organizations.namesByIds([c.organizationId]);
  return { ...c, organizationName: names.get(c.organizationId)?.name ?? '' };
}

async function assertChoosable(work: OrganizationsWork, organizationId: string): Promise<void> {
  const organization = await work.organizations.findById(organizationId);
  if (!organization) throw new NotFoundError('organization', organizationId);
  if (organization.creditStatus === 'blacklisted') {
    throw new ConflictError(`「${organization.name}」已列入黑名单，不能签约 (a blacklisted organization cannot be contracted)`);
  }
}

/**
 * 签订合同. Sub-district level: only for an awarded tender, after the standstill period, with every
 * objection answered; the amount is the winning bid's price. Community level: signed directly for
 * the amount given. One contract per project either way.
 */
export async function signContract({ uow, clock }: Deps, input: SignPurchaseContractBody, caller: Caller): Promise<PurchaseContractView> {
  return uow.run(async (work) => {
    const now = clock();
    let contract: Omit<ContractRecord, 'signedAt' | 'signedBy'>;
    if (input.level === 'sub_district') {
      const tender = await work.tenders.findForUpdate(input.tenderId);
      if (!tender) throw new NotFoundError('tender', input.tenderId);
      caller.must('contract.sign', { subDistrictId: tender.subDistrictId });
      assertStatus(tender, ['awarded'], { zh: '签约', en: 'signing' });
      if (now.getTime() < Date.parse(tender.standstillEndsAt!)) {
        throw new ConflictError(`公示期至 ${beijing(tender.standstillEndsAt!)} 结束，之后方可签约 (the standstill period runs until ${tender.standstillEndsAt})`);
      }
      if (tender.openObjections > 0) {
        throw new ConflictError(`尚有 ${tender.openObjections} 条异议未答复，不能签约 (${tender.openObjections} objection(s) still unanswered)`);
      }
      const bid = (await work.tenders.findBid(tender.awardedBidId!))!;
      await assertChoosable(work, bid.organizationId);
      contract = {
        id: randomUUID(),
        projectId: tender.projectId,
        organizationId: bid.organizationId,
        subDistrictId: tender.subDistrictId,
        communityId: tender.communityId,
        level: 'sub_district',
        tenderId: tender.id,
        bidId: bid.id,
        amountFen: bid.priceFen,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
      };
    } else {
      caller.must('contract.sign', { subDistrictId: input.subDistrictId });
      await assertChoosable(work, input.organizationId);
      const tendered = await work.tenders.liveForProject(input.projectId);
      if (tendered.length) throw new ConflictError(`项目 ${input.projectId} 正在招标（${tendered[0]!.id}），须按中标结果签约 (the project is tendered: sign from the tender)`);
      contract = {
        id: randomUUID(),
        projectId: input.projectId,
        organizationId: input.organizationId,
        subDistrictId: input.subDistrictId,
        communityId: input.communityId,
        level: 'community',
        tenderId: null,
        bidId: null,
        amountFen: input.amountFen,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
      };
    }
    const existing = await work.contracts.findByProject(contract.projectId);
    if (existing) throw new ConflictError(`项目 ${contract.projectId} 已签订合同 ${existing.id} (the project already has a contract)`);
    const signed = await work.contracts.create({ ...contract, at: now, by: caller.actor });
    if (signed.tenderId) await work.tenders.update(signed.tenderId, { status: 'contracted' }, now, caller.actor);
    await work.outbox.append(
      'organizations',
      buildEvent(ContractSigned, {
        source: SOURCE,
        subject: signed.id,
        actor: caller.actor,
        data: {
          contractId: signed.id,
          projectId: signed.projectId,
          organizationId: signed.organizationId,
          subDistrictId: signed.subDistrictId,
          communityId: signed.communityId,
          level: signed.level,
          amountFen: signed.amountFen,
          startsOn: signed.startsOn,
          endsOn: signed.endsOn,
          tenderId: signed.tenderId,
        },
      }),
    );
    return contractView(work, signed);
  });
}

export async function getContract({ uow }: Deps, id: string): Promise<PurchaseContractView> {
  const found = await uow.read.contracts.findById(id);
  if (!found) throw new NotFoundError('contract', id);
  return contractView(uow.read, found);
}

export async function listContracts({ uow }: Deps, query: ListPurchaseContractsQuery) {
  const { organizationId, projectId, subDistrictId, level } = query;
  const result = await page(
    query,
    ({ limit, after }) => uow.read.contracts.list({ filters: { organizationId, projectId, subDistrictId, level }, limit, after }),
    (c) => ({ at: c.signedAt, id: c.id }),
  );
  const names = await uow.read.organizations.namesByIds(result.items.map((c) => c.organizationId));
  return { items: result.items.map((c) => ({ ...c, organizationName: names.get(c.organizationId)?.name ?? '' })), nextCursor: result.nextCursor };
}
