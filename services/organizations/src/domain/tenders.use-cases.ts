import { randomUUID } from 'node:crypto';
import {
  BidSubmitted,
  BidsOpened,
  ObjectionAnswered,
  ObjectionLodged,
  TenderAwarded,
  TenderCancelled,
  TenderPublished,
  TenderUnsuccessful,
  type AnswerObjectionBody,
  type AwardTenderBody,
  type BidListView,
  type BidView,
  type CancelTenderBody,
  type CreateTenderBody,
  type ListBidsQuery,
  type ListTendersQuery,
  type LodgeObjectionBody,
  type ObjectionView,
  type RetenderBody,
  type ScoreBidBody,
  type ScoreSheetView,
  type SubmitBidBody,
  type TenderDocument,
  type TenderResultsView,
  type TenderView,
  type UpdateTenderBody,
} from '@linli/contracts';
import { buildEvent } from '@linli/events';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@linli/http';
import { scrubText } from '@linli/logger';
import type { BidRecord, ScoreSheetRecord, TenderRecord } from '../data-access/tender.repository';
import type { OrganizationsWork } from '../data-access/unit-of-work';
import type { Caller, Deps } from './context';
import { page } from './pagination';
import {
  assertBidWindowOpen,
  assertMayOpen,
  assertStatus,
  awardMissing,
  beijing,
  bidAccess,
  openingOutcome,
  rankBids,
  roundOpened,
  sheetProblems,
  sheetTotal,
  standstillEnd,
  type RankableBid,
} from './tender.rules';

const SOURCE = 'organizations';

// ── views ───────────────────────────────────────────────────────────────────────────────────────
async function tenderView(work: OrganizationsWork, t: TenderRecord): Promise<TenderView> {
  let award: TenderView['award'] = null;
  if (t.awardedBidId) {
    const bid = await work.tenders.findBid(t.awardedBidId);
    const names = await work.organizations.namesByIds(bid ? [bid.organizationId] : []);
    if (bid) {
      award = {
        bidId: bid.id,
        organizationId: bid.organizationId,
        organizationName: names.get(bid.organizationId)?.name ?? '',
        amountFen: bid.priceFen,
        score: t.awardScore ?? 0,
        awardedAt: t.awardedAt!,
        awardedBy: t.awardedBy!,
      };
    }
  }
  const contract = await work.contracts.findByProject(t.projectId);
  return {
    ...t,
    award,
    contractId: contract && contract.tenderId === t.id ? contract.id : null,
  };
}

async function bidViews(work: OrganizationsWork, bids: BidRecord[]): Promise<BidView[]> {
  const names = await work.organizations.namesByIds(bids.map((b) => b.organizationId));
  return bids.map((b) => ({ ...b, organizationName: names.get(b.organizationId)?.name ?? '' }));
}

function tenderRef(t: TenderRecord) {
  return { tenderId: t.id, projectId: t.projectId, subDistrictId: t.subDistrictId, communityId: t.communityId };
}

async function loadForUpdate(work: OrganizationsWork, id: string): Promise<TenderRecord> {
  const tender = await work.tenders.findForUpdate(id);
  if (!tender) throw new NotFoundError('tender', id);
  return tender;
}

function periodsInFuture(p: { enquiryDeadline: string }, now: Date, where: 'body' | 'stored'): void {
  if (Date.parse(p.enquiryDeadline) > now.getTime()) return;
  const message = `答疑截止时间 ${beijing(p.enquiryDeadline)} 已过 (enquiryDeadline ${p.enquiryDeadline} is not in the future)`;
  if (where === 'body') throw new ValidationError(message, [{ path: 'body.enquiryDeadline', message: 'must be in the future' }]);
  throw new ConflictError(`${message.split(' (')[0]}，请先修改招标时间 (enquiryDeadline is past: update the periods first)`);
}

/**
 * What people type may carry a mobile number (a contact in a tender's description, a bidder's phone in an
 * objection): free text is masked here, before it is stored, returned or sent on.
 */
const scrubDocuments = (documents: TenderDocument[]) => documents.map((d) => (d.text === undefined ? d : { ...d, text: scrubText(d.text) }));

// ── tender lifecycle ────────────────────────────────────────────────────────────────────────────
/** 新建招标（草稿）. One live tender per project; a project that already has a contract is not tendered. */
export async function createTender({ uow, clock }: Deps, input: CreateTenderBody, caller: Caller): Promise<TenderView> {
  return uow.run(async (work) => {
    const live = await work.tenders.liveForProject(input.projectId);
    if (live.length) throw new ConflictError(`项目 ${input.projectId} 已有招标 ${live[0]!.id}（${live[0]!.status}） (the project already has a live tender)`);
    if (await work.contracts.findByProject(input.projectId)) throw new ConflictError(`项目 ${input.projectId} 已签订合同 (the project is already contracted)`);
    const created = await work.tenders.create(
      {
        id: randomUUID(),
        subDistrictId: input.subDistrictId,
        communityId: input.communityId,
        projectId: input.projectId,
        title: scrubText(input.title),
        description: scrubText(input.description),
        budgetCeilingFen: input.budgetCeilingFen,
        minimumBids: input.minimumBids,
        documents: scrubDocuments(input.documents),
        criteria: input.criteria,
        enquiryDeadline: new Date(input.enquiryDeadline),
        bidDeadline: new Date(input.bidDeadline),
        openingAt: new Date(input.openingAt),
      },
      clock(),
      caller.actor,
    );
    return tenderView(work, created);
  });
}

/** 修改招标（仅草稿）. */
export async function updateTender({ uow, clock }: Deps, id: string, input: UpdateTenderBody, caller: Caller): Promise<TenderView> {
  return uow.run(async (work) => {
    const tender = await loadForUpdate(work, id);
    caller.must('tender.manage', { subDistrictId: tender.subDistrictId });
    assertStatus(tender, ['draft'], { zh: '修改', en: 'editing' });
    const periods = {
      enquiryDeadline: input.enquiryDeadline ?? tender.enquiryDeadline,
      bidDeadline: input.bidDeadline ?? tender.bidDeadline,
      openingAt: input.openingAt ?? tender.openingAt,
    };
    const problems: { path: string; message: string }[] = [];
    if (Date.parse(periods.enquiryDeadline) > Date.parse(periods.bidDeadline)) problems.push({ path: 'body.enquiryDeadline', message: 'must not be after bidDeadline' });
    if (Date.parse(periods.bidDeadline) > Date.parse(periods.openingAt)) problems.push({ path: 'body.openingAt', message: 'must not be before bidDeadline' });
    if (problems.length) throw new ValidationError('招标时间顺序不对：答疑截止 ≤ 投标截止 ≤ 开标 (periods out of order)', problems);
    const updated = await work.tenders.update(
      id,
      {
        ...(input.title !== undefined ? { title: scrubText(input.title) } : {}),
        ...(input.description !== undefined ? { description: scrubText(input.description) } : {}),
        ...(input.budgetCeilingFen !== undefined ? { budgetCeilingFen: input.budgetCeilingFen } : {}),
        ...(input.minimumBids !== undefined ? { minimumBids: input.minimumBids } : {}),
        ...(input.documents !== undefined ? { documents: scrubDocuments(input.documents) } : {}),
        ...(input.criteria !== undefined ? { criteria: input.criteria } : {}),
        enquiryDeadline: new Date(periods.enquiryDeadline),
        bidDeadline: new Date(periods.bidDeadline),
        openingAt: new Date(periods.openingAt),
      },
      clock(),
      caller.actor,
    );
    return tenderView(work, updated);
  });
}

async function announce(work: OrganizationsWork, tender: TenderRecord, caller: Caller): Promise<void> {
  await work.outbox.append(
    'organizations',
    buildEvent(TenderPublished, {
      source: SOURCE,
      subject: tender.id,
      actor: caller.actor,
      data: {
        ...tenderRef(tender),
        round: tender.round,
        title: tender.title,
        budgetCeilingFen: tender.budgetCeilingFen,
        minimumBids: tender.minimumBids,
        enquiryDeadline: tender.enquiryDeadline,
        bidDeadline: tender.bidDeadline,
        openingAt: tender.openingAt,
      },
    }),
  );
}

/** 发布招标公告: the first round opens for bids. */
export async function publishTender({ uow, clock }: Deps, id: string, caller: Caller): Promise<TenderView> {
  return uow.run(async (work) => {
    const tender = await loadForUpdate(work, id);
    caller.must('tender.manage', { subDistrictId: tender.subDistrictId });
    assertStatus(tender, ['draft'], { zh: '发布', en: 'publishing' });
    const now = clock();
    periodsInFuture(tender, now, 'stored');
    await work.tenders.openRound({
      tenderId: id,
      round: tender.round,
      enquiryDeadline: new Date(tender.enquiryDeadline),
      bidDeadline: new Date(tender.bidDeadline),
      openingAt: new Date(tender.openingAt),
      at: now,
      by: caller.actor,
    });
    const published = await work.tenders.update(id, { status: 'published' }, now, caller.actor);
    await announce(work, published, caller);
    return tenderView(work, published);
  });
}

/** 重新招标 after 流标: same project, new periods, next round; the last round's bids stay sealed. */
export async function retender({ uow, clock }: Deps, id: string, input: RetenderBody, caller: Caller): Promise<TenderView> {
  return uow.run(async (work) => {
    const tender = await loadForUpdate(work, id);
    caller.must('tender.manage', { subDistrictId: tender.subDistrictId });
    assertStatus(tender, ['unsuccessful'], { zh: '重新招标', en: 're-tendering' });
    const now = clock();
    periodsInFuture(input, now, 'body');
    const round = tender.round + 1;
    await work.tenders.openRound({
      tenderId: id,
      round,
      enquiryDeadline: new Date(input.enquiryDeadline),
      bidDeadline: new Date(input.bidDeadline),
      openingAt: new Date(input.openingAt),
      at: now,
      by: caller.actor,
    });
    const republished = await work.tenders.update(
      id,
      { status: 'published', round, enquiryDeadline: new Date(input.enquiryDeadline), bidDeadline: new Date(input.bidDeadline), openingAt: new Date(input.openingAt) },
      now,
      caller.actor,
    );
    await announce(work, republished, caller);
    return tenderView(work, republished);
  });
}

/** 撤销招标, at any point before the contract. */
export async function cancelTender({ uow, clock }: Deps, id: string, input: CancelTenderBody, caller: Caller): Promise<TenderView> {
  return uow.run(async (work) => {
    const tender = await loadForUpdate(work, id);
    caller.must('tender.manage', { subDistrictId: tender.subDistrictId });
    assertStatus(tender, ['draft', 'published', 'unsuccessful', 'opened', 'awarded'], { zh: '撤销', en: 'cancelling' });
    const now = clock();
    if (tender.status === 'published') await work.tenders.closeRound(id, tender.round, 'cancelled', null, now);
    const reason = scrubText(input.reason);
    const cancelled = await work.tenders.update(id, { status: 'cancelled', cancelReason: reason }, now, caller.actor);
    await work.outbox.append(
      'organizations',
      buildEvent(TenderCancelled, { source: SOURCE, subject: id, actor: caller.actor, data: { ...tenderRef(tender), reason } }),
    );
    return tenderView(work, cancelled);
  });
}

export async function getTender({ uow }: Deps, id: string): Promise<TenderView> {
  const tender = await uow.read.tenders.findById(id);
  if (!tender) throw new NotFoundError('tender', id);
  return tenderView(uow.read, tender);
}

export async function listTenders({ uow }: Deps, query: ListTendersQuery) {
  const { status, subDistrictId, projectId } = query;
  const result = await page(
    query,
    ({ limit, after }) => uow.read.tenders.list({ filters: { status, subDistrictId, projectId }, limit, after }),
    (t) => ({ at: t.createdAt, id: t.id }),
  );
  return { items: await Promise.all(result.items.map((t) => tenderView(uow.read, t))), nextCursor: result.nextCursor };
}

// ── bids ────────────────────────────────────────────────────────────────────────────────────────
/** 投标, before the bid deadline; one bid per organization and round; sealed until the opening. */
export async function submitBid({ uow, clock }: Deps, tenderId: string, input: SubmitBidBody, caller: Caller): Promise<BidView> {
  return uow.run(async (work) => {
    const tender = await loadForUpdate(work, tenderId);
    const now = clock();
    assertBidWindowOpen(tender, now);
    const organization = await work.organizations.findById(input.organizationId);
    if (!organization) throw new NotFoundError('organization', input.organizationId);
    if (organization.creditStatus === 'blacklisted') {
      throw new ConflictError(`「${organization.name}」已列入黑名单，不得投标 (a blacklisted organization cannot bid)`);
    }
    const existing = await work.tenders.findBidOf(tenderId, tender.round, input.organizationId);
    if (existing) throw new ConflictError(`本组织已在第 ${tender.round} 轮投标（${existing.id}） (already bid in this round)`);

    const problems: { path: string; message: string }[] = [];
    if (input.priceFen > tender.budgetCeilingFen) {
      problems.push({ path: 'body.priceFen', message: `报价 ${input.priceFen} 分超过最高限价 ${tender.budgetCeilingFen} 分 (price exceeds the budget ceiling)` });
    }
    const members = new Map((await work.staff.membersByIds(input.staffPlan.map((s) => s.staffId))).map((m) => [m.id, m]));
    const seen = new Set<string>();
    input.staffPlan.forEach((entry, i) => {
      const member = members.get(entry.staffId);
      if (!member || member.organizationId !== input.organizationId) {
        problems.push({ path: `body.staffPlan[${i}].staffId`, message: '不是本组织名册中的人员 (not on this organization’s roster)' });
      } else if (!member.active) {
        problems.push({ path: `body.staffPlan[${i}].staffId`, message: `「${member.name}」已离职 (inactive)` });
      } else if (seen.has(entry.staffId)) {
        problems.push({ path: `body.staffPlan[${i}].staffId`, message: '重复安排 (listed twice)' });
      }
      seen.add(entry.staffId);
    });
    if (problems.length) throw new ValidationError(`投标文件有误：${problems.map((p) => p.message).join('；')}`, problems);

    const bid = await work.tenders.createBid({
      id: randomUUID(),
      tenderId,
      round: tender.round,
      organizationId: input.organizationId,
      priceFen: input.priceFen,
      technicalProposal: scrubText(input.technicalProposal),
      staffPlan: input.staffPlan.map((e) => ({ staffId: e.staffId, staffName: members.get(e.staffId)!.name, projectRole: e.projectRole })),
      at: now,
      by: caller.actor,
    });
    await work.outbox.append(
      'organizations',
      buildEvent(BidSubmitted, {
        source: SOURCE,
        subject: tenderId,
        actor: caller.actor,
        data: { tenderId, organizationId: bid.organizationId, bidId: bid.id, submittedAt: bid.submittedAt },
      }),
    );
    return (await bidViews(work, [bid]))[0]!;
  });
}

/** 查看投标文件: the bidder always; others only after the opening and as the policy allows. */
export async function getBid({ uow }: Deps, tenderId: string, bidId: string, caller: Caller): Promise<BidView> {
  const tender = await uow.read.tenders.findById(tenderId);
  if (!tender) throw new NotFoundError('tender', tenderId);
  const bid = await uow.read.tenders.findBid(bidId);
  if (!bid || bid.tenderId !== tenderId) throw new NotFoundError('bid', bidId);
  const access = bidAccess(caller.principal, tender, bid, roundOpened(tender, bid.round));
  if (!access.allowed) throw new ForbiddenError(access.reason);
  return (await bidViews(uow.read, [bid]))[0]!;
}

/**
 * 投标列表. Sealed round: the caller's own organization's bids only, and the count only for the
 * tender's sub-district staff and platform roles. Opened round: those see every bid; a bidder still
 * sees only its own.
 */
export async function listBids({ uow }: Deps, tenderId: string, query: ListBidsQuery, caller: Caller): Promise<BidListView> {
  const tender = await uow.read.tenders.findById(tenderId);
  if (!tender) throw new NotFoundError('tender', tenderId);
  const round = query.round ?? tender.round;
  const opened = roundOpened(tender, round);
  const managesTender = caller.can('bid.read', { subDistrictId: tender.subDistrictId });
  const seesAll = opened && managesTender;
  const ownOrganization = caller.organizationId;
  const bidCount = opened || managesTender ? await uow.read.tenders.countBids(tenderId, round) : null;
  if (!seesAll && !ownOrganization) return { sealed: !opened, bidCount, items: [], nextCursor: null };
  const result = await page(
    query,
    ({ limit, after }) => uow.read.tenders.listBids({ tenderId, round, organizationId: seesAll ? undefined : ownOrganization!, limit, after }),
    (b) => ({ at: b.submittedAt, id: b.id }),
  );
  return { sealed: !opened, bidCount, items: await bidViews(uow.read, result.items), nextCursor: result.nextCursor };
}

/**
 * 开标, by the tender's manager at or after the opening time. Fewer bids than the minimum: 流标, and
 * the bids are not opened (they stay sealed).
 */
export async function openBids({ uow, clock }: Deps, tenderId: string, caller: Caller): Promise<TenderView> {
  return uow.run(async (work) => {
    const tender = await loadForUpdate(work, tenderId);
    caller.must('tender.manage', { subDistrictId: tender.subDistrictId });
    const now = clock();
    assertMayOpen(tender, now);
    const bids = await work.tenders.countBids(tenderId, tender.round);
    const outcome = openingOutcome(bids, tender.minimumBids);
    await work.tenders.closeRound(tenderId, tender.round, outcome, bids, now);
    const updated = await work.tenders.update(tenderId, { status: outcome }, now, caller.actor);
    if (outcome === 'unsuccessful') {
      await work.outbox.append(
        'organizations',
        buildEvent(TenderUnsuccessful, {
          source: SOURCE,
          subject: tenderId,
          actor: caller.actor,
          data: { ...tenderRef(tender), round: tender.round, bids, minimumBids: tender.minimumBids },
        }),
      );
    } else {
      await work.outbox.append(
        'organizations',
        buildEvent(BidsOpened, {
          source: SOURCE,
          subject: tenderId,
          actor: caller.actor,
          data: { ...tenderRef(tender), round: tender.round, bids, openedAt: now.toISOString() },
        }),
      );
    }
    return tenderView(work, updated);
  });
}

// ── scoring and award ───────────────────────────────────────────────────────────────────────────
function sheetView(s: ScoreSheetRecord): ScoreSheetView {
  return { bidId: s.bidId, scorer: s.scorer, scores: s.scores, total: s.total, comment: s.comment, scoredAt: s.scoredAt };
}

/** 专题会评分: one sheet per scorer and bid, revisable until the award. */
export async function scoreBid({ uow, clock }: Deps, tenderId: string, bidId: string, input: ScoreBidBody, caller: Caller): Promise<ScoreSheetView> {
  return uow.run(async (work) => {
    const tender = await loadForUpdate(work, tenderId);
    caller.must('tender.score', { subDistrictId: tender.subDistrictId });
    const bid = await work.tenders.findBid(bidId);
    if (!bid || bid.tenderId !== tenderId) throw new NotFoundError('bid', bidId);
    assertStatus(tender, ['opened'], { zh: '评分', en: 'scoring' });
    if (bid.round !== tender.round) throw new ConflictError(`该投标属于第 ${bid.round} 轮，已不在评审中 (the bid belongs to an earlier round)`);
    const problems = sheetProblems(tender.criteria, input.scores);
    if (problems.length) throw new ValidationError(`评分表有误：${problems.map((p) => p.message).join('；')}`, problems);
    const sheet = await work.tenders.upsertSheet({
      bidId,
      scorerUserId: caller.actor.userId,
      scorer: caller.actor,
      scores: input.scores,
      total: sheetTotal(tender.criteria, input.scores),
      comment: input.comment === undefined ? null : scrubText(input.comment),
      at: clock(),
    });
    return sheetView(sheet);
  });
}

async function rankable(work: OrganizationsWork, tender: TenderRecord) {
  const bids = await work.tenders.bidsOfRound(tender.id, tender.round);
  const names = await work.organizations.namesByIds(bids.map((b) => b.organizationId));
  const sheets = await work.tenders.sheetsFor(bids.map((b) => b.id));
  const candidates: (RankableBid & { bid: BidRecord; ineligibleReason: string | null })[] = bids.map((b) => {
    const org = names.get(b.organizationId);
    const blacklisted = org?.creditStatus === 'blacklisted';
    return {
      id: b.id,
      organizationName: org?.name ?? '',
      priceFen: b.priceFen,
      submittedAt: b.submittedAt,
      eligible: !blacklisted,
      ineligibleReason: blacklisted ? '投标组织已列入黑名单 (the bidder is blacklisted)' : null,
      bid: b,
    };
  });
  return { candidates, sheets };
}

/** 评审结果: the ranking as it stands, for the tender's sub-district staff, once opened. */
export async function getResults({ uow }: Deps, tenderId: string, caller: Caller): Promise<TenderResultsView> {
  const tender = await uow.read.tenders.findById(tenderId);
  if (!tender) throw new NotFoundError('tender', tenderId);
  caller.must('bid.read', { subDistrictId: tender.subDistrictId });
  if (!roundOpened(tender, tender.round)) throw new ConflictError('尚未开标，投标文件仍密封 (bids are still sealed: the tender has not been opened)');
  const { candidates, sheets } = await rankable(uow.read, tender);
  const ranked = new Map(rankBids(candidates, sheets).map((r) => [r.bidId, r]));
  const ranking = candidates
    .map((c) => ({
      rank: ranked.get(c.id)!.rank,
      bidId: c.id,
      organizationId: c.bid.organizationId,
      organizationName: c.organizationName,
      priceFen: c.priceFen,
      submittedAt: c.submittedAt,
      score: ranked.get(c.id)!.score,
      sheets: sheets.filter((s) => s.bidId === c.id).map(sheetView),
      eligible: c.eligible,
      ineligibleReason: c.ineligibleReason,
    }))
    .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity));
  return {
    tenderId,
    round: tender.round,
    status: tender.status,
    scorers: [...new Set(sheets.map((s) => s.scorerUserId))].sort(),
    missing: tender.status === 'opened' ? awardMissing(candidates, sheets) : [],
    ranking,
  };
}

/** 定标: the top-ranked eligible bid wins; the standstill period (公示期) starts now. */
export async function awardTender({ uow, clock }: Deps, tenderId: string, input: AwardTenderBody, caller: Caller): Promise<TenderView> {
  return uow.run(async (work) => {
    const tender = await loadForUpdate(work, tenderId);
    caller.must('tender.award', { subDistrictId: tender.subDistrictId });
    assertStatus(tender, ['opened'], { zh: '定标', en: 'awarding' });
    const { candidates, sheets } = await rankable(work, tender);
    const missing = awardMissing(candidates, sheets);
    if (missing.length) throw new ConflictError(`评分未完成，不能定标：${missing.join('；')}`, { missing });
    const winnerRank = rankBids(candidates, sheets).find((r) => r.rank === 1)!;
    const winner = candidates.find((c) => c.id === winnerRank.bidId)!;
    const now = clock();
    const standstillEndsAt = standstillEnd(now, input.standstillHours);
    const awarded = await work.tenders.update(
      tenderId,
      { status: 'awarded', awardedBidId: winner.id, awardScore: winnerRank.score, awardedAt: now, awardedBy: caller.actor, standstillEndsAt },
      now,
      caller.actor,
    );
    await work.outbox.append(
      'organizations',
      buildEvent(TenderAwarded, {
        source: SOURCE,
        subject: tenderId,
        actor: caller.actor,
        data: {
          ...tenderRef(tender),
          round: tender.round,
          bidId: winner.id,
          organizationId: winner.bid.organizationId,
          amountFen: winner.priceFen,
          score: winnerRank.score!,
          awardedAt: now.toISOString(),
          standstillEndsAt: standstillEndsAt.toISOString(),
        },
      }),
    );
    return tenderView(work, awarded);
  });
}

// ── objections ──────────────────────────────────────────────────────────────────────────────────
/** 提出异议, during the standstill period, by an organization that bid in the awarded round. */
export async function lodgeObjection({ uow, clock }: Deps, tenderId: string, input: LodgeObjectionBody, caller: Caller): Promise<ObjectionView> {
  return uow.run(async (work) => {
    const tender = await loadForUpdate(work, tenderId);
    assertStatus(tender, ['awarded'], { zh: '提出异议', en: 'lodging an objection' });
    const now = clock();
    if (now.getTime() >= Date.parse(tender.standstillEndsAt!)) {
      throw new ConflictError(`公示期已于 ${beijing(tender.standstillEndsAt!)} 结束 (the standstill period ended at ${tender.standstillEndsAt})`);
    }
    if (!(await work.tenders.findBidOf(tenderId, tender.round, input.organizationId))) {
      throw new ConflictError('只有本轮投标人可以提出异议 (only organizations that bid in this round may object)');
    }
    const objection = await work.tenders.createObjection({ id: randomUUID(), tenderId, organizationId: input.organizationId, grounds: scrubText(input.grounds), at: now, by: caller.actor });
    await work.outbox.append(
      'organizations',
      buildEvent(ObjectionLodged, {
        source: SOURCE,
        subject: tenderId,
        actor: caller.actor,
        data: { objectionId: objection.id, tenderId, projectId: tender.projectId, organizationId: input.organizationId, lodgedAt: objection.lodgedAt },
      }),
    );
    return objection;
  });
}

/** 答复异议. The contract cannot be signed while any objection is unanswered. */
export async function answerObjection({ uow, clock }: Deps, objectionId: string, input: AnswerObjectionBody, caller: Caller): Promise<ObjectionView> {
  return uow.run(async (work) => {
    const objection = await work.tenders.findObjection(objectionId);
    if (!objection) throw new NotFoundError('objection', objectionId);
    const tender = await loadForUpdate(work, objection.tenderId);
    caller.must('objection.answer', { subDistrictId: tender.subDistrictId });
    const current = (await work.tenders.findObjection(objectionId))!;
    if (current.status !== 'open') throw new ConflictError('该异议已答复 (the objection was already answered)');
    const answered = await work.tenders.answerObjection(objectionId, scrubText(input.answer), clock(), caller.actor);
    await work.outbox.append(
      'organizations',
      buildEvent(ObjectionAnswered, {
        source: SOURCE,
        subject: tender.id,
        actor: caller.actor,
        data: { objectionId, tenderId: tender.id, projectId: tender.projectId, organizationId: answered.organizationId, answeredAt: answered.answeredAt! },
      }),
    );
    return answered;
  });
}

/** The tender's sub-district staff see every objection; an organization sees its own. */
export async function listObjections({ uow }: Deps, tenderId: string, caller: Caller): Promise<{ items: ObjectionView[]; nextCursor: null }> {
  const tender = await uow.read.tenders.findById(tenderId);
  if (!tender) throw new NotFoundError('tender', tenderId);
  if (caller.can('bid.read', { subDistrictId: tender.subDistrictId })) return { items: await uow.read.tenders.objectionsOf(tenderId), nextCursor: null };
  if (caller.organizationId) return { items: await uow.read.tenders.objectionsOf(tenderId, caller.organizationId), nextCursor: null };
  throw new ForbiddenError('只有招标方与提出异议的组织可查看异议 (only the tender’s managers and the objecting organization may read objections)');
}

