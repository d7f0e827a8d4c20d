import { randomUUID } from 'node:crypto';
import {
  BudgetFlagAccepted,
  ITEM_KIND_LABELS,
  PROJECT_LEVEL_LABELS,
  PROPOSAL_STATUS_LABELS,
  ProposalApproved,
  ProposalDrafted,
  ProposalSubmitted,
  REVIEW_GATE_LABELS,
  REVIEW_OUTCOME_LABELS,
  ReviewDecisionRecorded,
  type AcceptFlagBody,
  type CreateProposalBody,
  type ListProposalsQuery,
  type ProposalDiffView,
  type ProposalSummaryView,
  type ProposalVersionView,
  type ProposalView,
  type ReviewDecisionListView,
  type RecordDecisionBody,
  type UpdateProposalBody,
} from '@linli/contracts';
import { buildEvent } from '@linli/events';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldError, type Page } from '@linli/http';
import { scrubText } from '@linli/logger';
import type { AcceptanceRecord, ProposalRecord, VersionRecord } from '../data-access/proposal.repository';
import type { CommunitiesWork } from '../data-access/unit-of-work';
import { contentInputOf, contentProblems, openFlags, priceContent, submissionProblems, totalsOf, type ContentInput } from './budget.rules';
import { loadCommunity } from './communities.use-cases';
import { assertNotConflicted } from './conflicts.use-cases';
import { SOURCE, type Caller, type Deps } from './context';
import { assertSelectable } from './directory.use-cases';
import { remainingOf } from './fund.rules';
import { commitToFund } from './funds.use-cases';
import { page } from './pagination';
import { priceBook } from './reference-prices.use-cases';
import { GATE_ACTION, checkReview, isEditable, type ReviewInput, type ReviewState, type ReviewTransition } from './review.rules';
import { diffVersions } from './proposal-diff';

// 项目申请: drafting (the community, with the chosen organization writing plan and budget), submission,
// the three review gates, revisions as new versions, and approval that commits the fund.
//
// Who may do what (the policy table decides roles; these functions pass it the proposal's scope):
// - community-level: the community's secretary drafts, edits and submits (proposal.write / .submit);
//   the chosen organization's staff may edit the activity plan and budget only (proposal.write, by organization);
// - sub-district-level (communityId null): the sub-district's reviewers draft, edit and submit
//   (proposal.subdistrict.write); the chosen organization's staff again edit plan and budget only;
// - everyone in proposal.read sees the proposals of their scope; reviewers decide at their gate.

const resourceOf = (p: ProposalRecord) => ({ subDistrictId: p.subDistrictId, communityId: p.communityId, organizationId: p.organizationId });

async function loadProposal(work: CommunitiesWork, id: string, opts: { lock?: boolean } = {}): Promise<ProposalRecord> {
  const proposal = opts.lock ? await work.proposals.lock(id) : await work.proposals.findById(id);
  if (!proposal) throw new NotFoundError('proposal', id);
  return proposal;
}

async function loadVersion(work: CommunitiesWork, id: string, version: number): Promise<VersionRecord> {
  const found = await work.proposals.version(id, version);
  if (!found) throw new NotFoundError('proposal version', `${id}@${version}`);
  return found;
}

const withBodyPrefix = (problems: FieldError[]): FieldError[] => problems.map((p) => ({ ...p, path: `body.${p.path}` }));

// ——— views ———

export function versionView(v: VersionRecord, acceptances: readonly AcceptanceRecord[]): ProposalVersionView {
  const accepted = new Map(acceptances.map((a) => [a.lineKey, a]));
  return {
    version: v.version,
    frozen: v.frozenAt !== null,
    frozenAt: v.frozenAt,
    frozenBy: v.frozenBy,
    title: v.title,
    fiscalYear: v.fiscalYear,
    summary: v.summary,
    offeringId: v.offeringId,
    organizationId: v.organizationId,
    activities: v.activities,
    itemLines: v.itemLines.map((l) => {
      const acceptance = accepted.get(l.lineKey);
      return {
        ...l,
        itemKindLabel: ITEM_KIND_LABELS[l.itemKind],
        flag: l.flag ? { ...l.flag, accepted: acceptance ? { reason: acceptance.reason, acceptedAt: acceptance.acceptedAt, acceptedBy: acceptance.acceptedBy } : null } : null,
      };
    }),
    staffLines: v.staffLines,
    totals: totalsOf(v.activities, v.itemLines, v.staffLines),
    openFlags: openFlags(v.itemLines, new Set(accepted.keys())),
    createdAt: v.createdAt,
    createdBy: v.createdBy,
    updatedAt: v.updatedAt,
    updatedBy: v.updatedBy,
  };
}

/** Runs independent lookups one after another, or all at once. */
async function lookUp<T extends readonly (() => Promise<unknown>)[]>(parallel: boolean, fns: T): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  if (parallel) return (await Promise.all(fns.map((fn) => fn()))) as never;
  const results: unknown[] = [];
  for (const fn of fns) results.push(await fn());
  return results as never;
}

/**
 * The proposal's page. Inside a transaction its queries go one after another (they share the connection);
 * `parallel` (outside a transaction only) sends the independent ones at once over the pool.
 */
async function proposalView(work: CommunitiesWork, p: ProposalRecord, { parallel = false } = {}): Promise<ProposalView> {
  const version = await loadVersion(work, p.id, p.currentVersion);
  const [acceptances, subDistricts, communities, org, offering, decisions, fund, commitment] = await lookUp(parallel, [
    () => work.proposals.acceptances(p.id, p.currentVersion),
    () => work.subDistricts.names([p.subDistrictId]),
    () => work.communities.names(p.communityId ? [p.communityId] : []),
    () => work.directory.organization(version.organizationId),
    () => (version.offeringId ? work.directory.offering(version.offeringId) : Promise.resolve(null)),
    () => work.proposals.decisions(p.id),
    () => work.funds.findFor(p.subDistrictId, p.communityId, version.fiscalYear),
    () => work.funds.findCommitment(p.id),
  ] as const);
  const content = versionView(version, acceptances);
  const figures = fund ?? { allocatedFen: 0, committedFen: 0, spentFen: 0 };
  const remainingFen = remainingOf(figures);
  return {
    ...content,
    id: p.id,
    level: p.level,
    levelLabel: PROJECT_LEVEL_LABELS[p.level],
    status: p.status,
    statusLabel: PROPOSAL_STATUS_LABELS[p.status],
    currentGate: p.currentGate,
    currentGateLabel: p.currentGate ? REVIEW_GATE_LABELS[p.currentGate] : null,
    subDistrictId: p.subDistrictId,
    subDistrictName: subDistricts.get(p.subDistrictId) ?? '',
    communityId: p.communityId,
    communityName: p.communityId ? (communities.get(p.communityId)?.name ?? null) : null,
    organizationName: org?.name ?? null,
    organizationCreditStatus: org?.creditStatus ?? null,
    offeringTitle: offering?.title ?? null,
    version: p.currentVersion,
    reviewVersion: p.reviewVersion,
    decisions: decisions.map((d) => ({ ...d, gateLabel: REVIEW_GATE_LABELS[d.gate], outcomeLabel: REVIEW_OUTCOME_LABELS[d.outcome] })),
    fund: {
      fundId: fund?.id ?? null,
      fiscalYear: version.fiscalYear,
      allocatedFen: figures.allocatedFen,
      committedFen: figures.committedFen,
      spentFen: figures.spentFen,
      remainingFen,
      fits: commitment !== null || content.totals.grandTotalFen <= remainingFen,
    },
    commitmentFen: commitment?.amountFen ?? null,
    submittedAt: p.submittedAt,
    submittedBy: p.submittedBy,
    approvedAt: p.approvedAt,
  };
}

async function summaryViews(work: CommunitiesWork, records: ProposalRecord[]): Promise<ProposalSummaryView[]> {
  const communities = await work.communities.names(records.flatMap((r) => (r.communityId ? [r.communityId] : [])));
  const orgs = await work.directory.organizations(records.map((r) => r.organizationId));
  return records.map((r) => ({
    id: r.id,
    level: r.level,
    status: r.status,
    statusLabel: PROPOSAL_STATUS_LABELS[r.status],
    currentGate: r.currentGate,
    title: r.title,
    fiscalYear: r.fiscalYear,
    subDistrictId: r.subDistrictId,
    communityId: r.communityId,
    communityName: r.communityId ? (communities.get(r.communityId)?.name ?? null) : null,
    organizationId: r.organizationId,
    organizationName: orgs.get(r.organizationId)?.name ?? null,
    offeringId: r.offeringId,
    version: r.currentVersion,
    reviewVersion: r.reviewVersion,
    grandTotalFen: r.grandTotalFen,
    openFlagCount: r.openFlagCount,
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    updatedAt: r.updatedAt,
  }));
}

// ——— choosing the organization ———

/**
 * The offering (if any) decides the organization; either must be in the directory, and the organization
 * may not be blacklisted (409 otherwise).
 */
async function chooseOrganization(work: CommunitiesWork, choice: { offeringId: string | null; organizationId?: string }): Promise<{ offeringId: string | null; organizationId: string }> {
  let organizationId = choice.organizationId;
  if (choice.offeringId) {
    const offering = await work.directory.offering(choice.offeringId);
    if (!offering) {
      throw new ConflictError(`服务清单 ${choice.offeringId} 尚未同步到本服务，暂不能选择 (offering not known here yet)`, { offeringId: choice.offeringId }, { code: 'OFFERING_UNKNOWN' });
    }
    if (organizationId && organizationId !== offering.organizationId) {
      throw new ValidationError('服务清单不属于所填社会组织 (the offering belongs to another organization)', [
        { path: 'body.organizationId', message: `服务清单「${offering.title}」属于另一家社会组织 (offering is ${offering.organizationId}'s)` },
      ]);
    }
    organizationId = offering.organizationId;
  }
  assertSelectable(await work.directory.organization(organizationId!), organizationId!);
  return { offeringId: choice.offeringId, organizationId: organizationId! };
}

function assertContent(input: ContentInput): void {
  const problems = contentProblems(input);
  if (problems.length > 0) throw new ValidationError(problems.length === 1 ? problems[0]!.message : `${problems.length} 处预算或计划有误 (${problems.length} problems)`, withBodyPrefix(problems));
}

/**
 * What people type may carry a mobile number ("联系人 13812345678"): the prose of a proposal is masked before
 * it is stored, so every view, version, diff and event (the approved plan goes to three services) holds the mask.
 */
function scrubContent(input: ContentInput): ContentInput {
  return {
    ...input,
    title: scrubText(input.title),
    summary: scrubText(input.summary),
    activities: input.activities.map((a) => ({ ...a, title: scrubText(a.title) })),
    itemLines: input.itemLines.map((l) => ({ ...l, description: scrubText(l.description) })),
  };
}

// ——— drafting ———

/** 起草项目申请. */
export async function createProposal(deps: Deps, input: CreateProposalBody, caller: Caller): Promise<ProposalView> {
  let subDistrictId: string;
  if (input.level === 'community') {
    const community = await loadCommunity(deps.uow.read, input.communityId!);
    subDistrictId = community.subDistrictId;
    caller.must('proposal.write', { subDistrictId, communityId: community.id });
    if (input.subDistrictId && input.subDistrictId !== subDistrictId) {
      throw new ValidationError('社区不属于所填街道 (community is in another sub-district)', [{ path: 'body.subDistrictId', message: `社区属于街道 ${subDistrictId}` }]);
    }
  } else {
    subDistrictId = input.subDistrictId!;
    caller.must('proposal.subdistrict.write', { subDistrictId });
    if (!(await deps.uow.read.subDistricts.findById(subDistrictId))) throw new NotFoundError('sub-district', subDistrictId);
  }
  return deps.uow.run(async (work) => {
    const chosen = await chooseOrganization(work, { offeringId: input.offeringId ?? null, organizationId: input.organizationId });
    const contentInput = scrubContent({
      title: input.title,
      fiscalYear: input.fiscalYear,
      summary: input.summary,
      ...chosen,
      activities: input.activities,
      itemLines: input.itemLines,
      staffLines: input.staffLines,
    });
    assertContent(contentInput);
    const book = await priceBook(work, subDistrictId);
    const content = priceContent(contentInput, book.references, book.marginPercent);
    const id = randomUUID();
    const at = deps.clock();
    const communityId = input.level === 'community' ? input.communityId! : null;
    await work.proposals.create({ id, level: input.level, subDistrictId, communityId, content, openFlagCount: openFlags(content.itemLines, new Set()).length, at, by: caller.actor });
    await work.outbox.append(
      'communities',
      buildEvent(ProposalDrafted, {
        source: SOURCE,
        subject: id,
        actor: caller.actor,
        data: { projectId: id, level: input.level, subDistrictId, communityId, organizationId: content.organizationId, offeringId: content.offeringId, title: content.title, fiscalYear: content.fiscalYear },
      }),
    );
    return proposalView(work, (await work.proposals.findById(id))!);
  });
}

const HEADER_FIELDS = ['title', 'fiscalYear', 'summary', 'offeringId', 'organizationId'] as const;

/** Who is editing: the drafting side (everything) or the chosen organization (plan and budget only). */
function editMode(caller: Caller, p: ProposalRecord): 'full' | 'plan_and_budget' {
  if (caller.principal.role === 'org_staff') {
    caller.must('proposal.write', { organizationId: p.organizationId });
    return 'plan_and_budget';
  }
  if (p.level === 'community') caller.must('proposal.write', { subDistrictId: p.subDistrictId, communityId: p.communityId });
  else caller.must('proposal.subdistrict.write', { subDistrictId: p.subDistrictId });
  return 'full';
}

function notEditable(p: ProposalRecord): ConflictError {
  return new ConflictError(
    `项目申请${PROPOSAL_STATUS_LABELS[p.status]}，不能修改；退回修改后才能编写新版本 (the proposal is ${p.status}; only drafts and returned proposals are editable)`,
    { status: p.status },
    { code: 'NOT_EDITABLE' },
  );
}

/** 修改项目申请 (the working version): arrays replace the stored ones whole; totals and flags are recomputed. */
export async function updateProposal(deps: Deps, id: string, input: UpdateProposalBody, caller: Caller): Promise<ProposalView> {
  return deps.uow.run(async (work) => {
    const p = await loadProposal(work, id, { lock: true });
    const mode = editMode(caller, p);
    if (mode === 'plan_and_budget') {
      const touched = HEADER_FIELDS.filter((f) => input[f] !== undefined);
      if (touched.length > 0) {
        throw new ForbiddenError(`社会组织人员只能修改活动计划与预算，不能修改 ${touched.join('、')} (organization staff may edit the plan and budget only)`);
      }
    }
    if (!isEditable(p.status)) throw notEditable(p);
    const current = await loadVersion(work, id, p.currentVersion);
    if (current.frozenAt) throw notEditable(p);
    const base = contentInputOf(current);
    let chosen = { offeringId: base.offeringId, organizationId: base.organizationId };
    if (input.offeringId !== undefined) {
      // A new offering decides the organization; dropping the offering (null) keeps the organization unless one is named.
      chosen = await chooseOrganization(work, { offeringId: input.offeringId, organizationId: input.organizationId ?? (input.offeringId ? undefined : base.organizationId) });
    } else if (input.organizationId !== undefined && input.organizationId !== base.organizationId) {
      // Another organization: the old offering was theirs, so it no longer applies.
      chosen = await chooseOrganization(work, { offeringId: null, organizationId: input.organizationId });
    }
    const merged = scrubContent({
      title: input.title ?? base.title,
      fiscalYear: input.fiscalYear ?? base.fiscalYear,
      summary: input.summary ?? base.summary,
      ...chosen,
      activities: input.activities ?? base.activities,
      itemLines: input.itemLines ?? base.itemLines,
      staffLines: input.staffLines ?? base.staffLines,
    });
    assertContent(merged);
    const book = await priceBook(work, p.subDistrictId);
    const content = priceContent(merged, book.references, book.marginPercent);
    const at = deps.clock();
    if (!(await work.proposals.saveWorkingVersion(id, p.currentVersion, content, at, caller.actor))) throw notEditable(p);
    await work.proposals.update(
      id,
      {
        title: content.title,
        fiscalYear: content.fiscalYear,
        organizationId: content.organizationId,
        offeringId: content.offeringId,
        grandTotalFen: content.grandTotalFen,
        openFlagCount: openFlags(content.itemLines, new Set()).length,
      },
      at,
      caller.actor,
    );
    return proposalView(work, (await work.proposals.findById(id))!);
  });
}

// ——— submission ———

/**
 * 提交: freezes the working version (flags recomputed against today's reference prices) and enters the
 * review at 预审. The organization must still be selectable (it may have been blacklisted since drafting).
 */
export async function submitProposal(deps: Deps, id: string, body: { version?: number } | undefined, caller: Caller): Promise<ProposalView> {
  return deps.uow.run(async (work) => {
    const p = await loadProposal(work, id, { lock: true });
    if (p.level === 'community') caller.must('proposal.submit', resourceOf(p));
    else caller.must('proposal.subdistrict.write', { subDistrictId: p.subDistrictId });
    if (!isEditable(p.status)) {
      throw new ConflictError(`项目申请${PROPOSAL_STATUS_LABELS[p.status]}，不能再次提交 (the proposal is ${p.status})`, { status: p.status }, { code: 'NOT_SUBMITTABLE' });
    }
    if (body?.version !== undefined && body.version !== p.currentVersion) {
      throw new ConflictError(`当前版本是第 ${p.currentVersion} 版，提交的是第 ${body.version} 版 (stale version)`, { currentVersion: p.currentVersion, version: body.version }, { code: 'STALE_VERSION' });
    }
    const current = await loadVersion(work, id, p.currentVersion);
    assertSelectable(await work.directory.organization(current.organizationId), current.organizationId);
    const missing = submissionProblems(current);
    if (missing.length > 0) throw new ConflictError(`项目申请不完整：${missing.join('；')}`, { problems: missing }, { code: 'INCOMPLETE' });
    const book = await priceBook(work, p.subDistrictId);
    const content = priceContent(contentInputOf(current), book.references, book.marginPercent);
    const at = deps.clock();
    if (!(await work.proposals.freezeVersion(id, current.version, content, at, caller.actor))) throw notEditable(p);
    await work.proposals.update(
      id,
      {
        status: 'submitted',
        currentGate: 'pre_review',
        reviewVersion: current.version,
        grandTotalFen: content.grandTotalFen,
        openFlagCount: openFlags(content.itemLines, new Set()).length,
        submittedAt: at,
        submittedBy: caller.actor,
      },
      at,
      caller.actor,
    );
    await work.outbox.append(
      'communities',
      buildEvent(ProposalSubmitted, {
        source: SOURCE,
        subject: id,
        actor: caller.actor,
        data: {
          projectId: id,
          version: current.version,
          subDistrictId: p.subDistrictId,
          communityId: p.communityId,
          organizationId: content.organizationId,
          level: p.level,
          title: content.title,
          budgetTotalFen: content.grandTotalFen,
        },
      }),
    );
    return proposalView(work, (await work.proposals.findById(id))!);
  });
}

// ——— review ———

/** The transition a decision causes, or a 409 with the reason why it cannot be taken now. */
export function reviewTransition(state: ReviewState, input: ReviewInput): ReviewTransition {
  const checked = checkReview(state, input);
  if (!checked.ok) throw new ConflictError(checked.reason, checked.details, { code: checked.code });
  return checked.transition;
}

export interface DecisionResult {
  proposal: ProposalView;
  /** true when the same decisionId had already been recorded: nothing new was written. */
  replayed: boolean;
}

/**
 * 记录评审决定 at the proposal's current gate, on the version under review. The rules are the pure
 * `reviewTransition`; this function loads, applies and records (one transaction with its events):
 * approve → next gate, or at 工委会 approval with the fund commitment and `proposal.approved`;
 * return → a new working version copied from the reviewed one; reject → the end.
 * Idempotent by `decisionId`, so the lifecycle workflow can deliver it more than once.
 */
export async function recordReviewDecision(deps: Deps, id: string, input: RecordDecisionBody, caller: Caller): Promise<DecisionResult> {
  const recorded: { replayed: boolean } = await deps.uow.run(async (work) => {
    const p = await loadProposal(work, id, { lock: true });
    caller.must(GATE_ACTION[input.gate], resourceOf(p));
    await assertNotConflicted(work, id, caller);
    if (input.decisionId) {
      const earlier = (await work.proposals.decisions(id)).find((d) => d.id === input.decisionId);
      if (earlier) {
        if (earlier.gate === input.gate && earlier.outcome === input.outcome && earlier.version === input.version) {
          return { replayed: true };
        }
        throw new ConflictError(`决定编号 ${input.decisionId} 已用于另一项决定 (decisionId already used for a different decision)`, { decisionId: input.decisionId }, { code: 'DECISION_ID_REUSED' });
      }
    }
    const reviewed = p.reviewVersion !== null ? await loadVersion(work, id, p.reviewVersion) : null;
    const accepted = reviewed ? await work.proposals.acceptances(id, reviewed.version) : [];
    const transition = reviewTransition(
      {
        status: p.status,
        currentGate: p.currentGate,
        reviewVersion: p.reviewVersion,
        openFlags: reviewed ? openFlags(reviewed.itemLines, new Set(accepted.map((a) => a.lineKey))) : [],
      },
      input,
    );
    const version = reviewed!; // reviewTransition refused unless a version is under review
    const at = deps.clock();
    const decisionId = input.decisionId ?? randomUUID();
    // A reviewer's reasons are free text and go on to Kafka and the lifecycle: masked here, once, for all of them.
    const reasons = scrubText(input.reasons);
    await work.proposals.addDecision({ id: decisionId, proposalId: id, version: version.version, gate: input.gate, outcome: input.outcome, reasons, minutesRef: input.minutesRef ?? null, at, by: caller.actor });
    await work.outbox.append(
      'communities',
      buildEvent(ReviewDecisionRecorded, {
        source: SOURCE,
        subject: id,
        actor: caller.actor,
        data: { projectId: id, version: version.version, gate: input.gate, outcome: input.outcome, reasons, decidedBy: caller.actor.userId, decidedAt: at.toISOString() },
      }),
    );

    switch (transition.kind) {
      case 'advance':
        await work.proposals.update(id, { currentGate: transition.nextGate }, at, caller.actor);
        break;
      case 'reject':
        await work.proposals.update(id, { status: 'rejected', currentGate: null }, at, caller.actor);
        break;
      case 'return': {
        // The reviewed snapshot stays as it was; the community revises a copy, as the next version.
        const book = await priceBook(work, p.subDistrictId);
        const next = priceContent(contentInputOf(version), book.references, book.marginPercent);
        await work.proposals.createVersion(id, version.version + 1, next, at, caller.actor);
        await work.proposals.update(
          id,
          { status: 'returned', currentGate: null, reviewVersion: null, currentVersion: version.version + 1, grandTotalFen: next.grandTotalFen, openFlagCount: openFlags(next.itemLines, new Set()).length },
          at,
          caller.actor,
        );
        break;
      }
      case 'approve': {
        await work.proposals.update(id, { status: 'approved', currentGate: null, approvedAt: at }, at, caller.actor);
        await work.outbox.append(
          'communities',
          buildEvent(ProposalApproved, {
            source: SOURCE,
            subject: id,
            actor: caller.actor,
            data: {
              projectId: id,
              version: version.version,
              subDistrictId: p.subDistrictId,
              communityId: p.communityId,
              organizationId: version.organizationId,
              offeringId: version.offeringId,
              level: p.level,
              title: version.title,
              fiscalYear: version.fiscalYear,
              budgetTotalFen: version.grandTotalFen,
              plannedActivities: version.activities,
              budgetLines: [
                ...version.itemLines.map((l) => ({ lineId: l.lineKey, activityKey: l.activityKey, kind: 'item' as const, description: l.description, amountFen: l.amountFen })),
                ...version.staffLines.map((l) => ({
                  lineId: l.lineKey,
                  activityKey: l.activityKey,
                  kind: 'staff' as const,
                  description: `${l.role} ${l.person}（${l.hours} 小时）`,
                  amountFen: l.amountFen,
                })),
              ],
            },
          }),
        );
        // The fund last: its row lock (every approval of the community's year takes it) is then held only
        // for the commitment's own writes and the commit, not for the proposal's.
        await commitToFund(work, { id, subDistrictId: p.subDistrictId, communityId: p.communityId, fiscalYear: version.fiscalYear }, version.grandTotalFen, at, caller.actor);
        break;
      }
    }
    return { replayed: false };
  });
  // The page is built after the commit, outside the proposal's and the fund's locks, its lookups at once:
  // under 20 reviewers the locks were held while a dozen reads went one after another.
  const p = await loadProposal(deps.uow.read, id);
  return { proposal: await proposalView(deps.uow.read, p, { parallel: true }), replayed: recorded.replayed };
}

/**
 * 接受超参考价预算行: at 预审, a reviewer may accept a flagged line with a reason (who/when/why kept),
 * which lets the proposal pass pre-review. Acceptances belong to the version reviewed: a revision is
 * checked afresh.
 */
export async function acceptBudgetFlag(deps: Deps, id: string, lineKey: string, input: AcceptFlagBody, caller: Caller): Promise<ProposalView> {
  return deps.uow.run(async (work) => {
    const p = await loadProposal(work, id, { lock: true });
    caller.must('budget.flag.accept', resourceOf(p));
    await assertNotConflicted(work, id, caller);
    if (p.status !== 'submitted' || p.currentGate !== 'pre_review' || p.reviewVersion === null) {
      throw new ConflictError('只能在预审环节接受超参考价的预算行 (flags are accepted at pre-review only)', { status: p.status, currentGate: p.currentGate }, { code: 'NOT_AT_PRE_REVIEW' });
    }
    if (input.version !== p.reviewVersion) {
      throw new ConflictError(`送审版本是第 ${p.reviewVersion} 版，不是第 ${input.version} 版 (stale version)`, { reviewVersion: p.reviewVersion, version: input.version }, { code: 'STALE_VERSION' });
    }
    const version = await loadVersion(work, id, p.reviewVersion);
    const line = version.itemLines.find((l) => l.lineKey === lineKey);
    if (!line) throw new NotFoundError('budget line', lineKey);
    if (!line.flag) throw new ConflictError(`预算行 ${lineKey} 未超出参考价，无需接受 (line is not flagged)`, { lineKey }, { code: 'NOT_FLAGGED' });
    const accepted = await work.proposals.acceptances(id, version.version);
    if (accepted.some((a) => a.lineKey === lineKey)) throw new ConflictError(`预算行 ${lineKey} 已被接受 (already accepted)`, { lineKey }, { code: 'ALREADY_ACCEPTED' });
    const at = deps.clock();
    const reason = scrubText(input.reason);
    await work.proposals.addAcceptance({ proposalId: id, version: version.version, lineKey, reason, at, by: caller.actor });
    const stillOpen = openFlags(version.itemLines, new Set([...accepted.map((a) => a.lineKey), lineKey]));
    await work.proposals.update(id, { openFlagCount: stillOpen.length }, at, caller.actor);
    await work.outbox.append(
      'communities',
      buildEvent(BudgetFlagAccepted, {
        source: SOURCE,
        subject: id,
        actor: caller.actor,
        data: {
          projectId: id,
          version: version.version,
          lineKey,
          itemKind: line.itemKind,
          unitPriceFen: line.unitPriceFen,
          referencePriceFen: line.flag.referencePriceFen,
          reason,
          acceptedBy: caller.actor.userId,
          acceptedAt: at.toISOString(),
        },
      }),
    );
    return proposalView(work, (await work.proposals.findById(id))!);
  });
}

// ——— reads ———

export async function getProposal(deps: Deps, id: string, caller: Caller): Promise<ProposalView> {
  const p = await loadProposal(deps.uow.read, id);
  caller.must('proposal.read', resourceOf(p));
  return proposalView(deps.uow.read, p, { parallel: true });
}

/**
 * 评审决定记录: the decisions alone, without the rest of the proposal's page (two queries, where the whole
 * proposal takes a dozen): the lifecycle checks them before each gate moves on.
 */
export async function listDecisions(deps: Deps, id: string, caller: Caller): Promise<ReviewDecisionListView> {
  const p = await loadProposal(deps.uow.read, id);
  caller.must('proposal.read', resourceOf(p));
  const decisions = await deps.uow.read.proposals.decisions(id);
  return { items: decisions.map((d) => ({ ...d, gateLabel: REVIEW_GATE_LABELS[d.gate], outcomeLabel: REVIEW_OUTCOME_LABELS[d.outcome] })) };
}

/** 项目申请列表, only what the caller may see: a secretary gets their community's, an organization its own. */
export async function listProposals(deps: Deps, query: ListProposalsQuery, caller: Caller): Promise<Page<ProposalSummaryView>> {
  const visible = caller.visibility('proposal.read');
  return page(
    query,
    (p) => deps.uow.read.proposals.list({ ...query, visible }, p),
    (r) => ({ at: r.createdAt, id: r.id }),
    (records) => summaryViews(deps.uow.read, records),
  );
}

export async function listVersions(deps: Deps, id: string, caller: Caller) {
  const p = await loadProposal(deps.uow.read, id);
  caller.must('proposal.read', resourceOf(p));
  const versions = await deps.uow.read.proposals.versions(id);
  return {
    items: versions.map((v) => ({ version: v.version, frozen: v.frozenAt !== null, frozenAt: v.frozenAt, title: v.title, grandTotalFen: v.grandTotalFen, createdAt: v.createdAt, createdBy: v.createdBy })),
  };
}

export async function getVersion(deps: Deps, id: string, version: number, caller: Caller): Promise<ProposalVersionView> {
  const p = await loadProposal(deps.uow.read, id);
  caller.must('proposal.read', resourceOf(p));
  return versionView(await loadVersion(deps.uow.read, id, version), await deps.uow.read.proposals.acceptances(id, version));
}

/** 版本比对: what lines and activities were added, removed or changed between two versions, with money deltas. */
export async function diffProposalVersions(deps: Deps, id: string, from: number, to: number, caller: Caller): Promise<ProposalDiffView> {
  const p = await loadProposal(deps.uow.read, id);
  caller.must('proposal.read', resourceOf(p));
  return diffVersions(id, await getVersion(deps, id, from, caller), await getVersion(deps, id, to, caller));
}
