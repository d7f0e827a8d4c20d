import { randomUUID } from 'node:crypto';
import { ROLE_LABELS, authorize, type Principal, type Role } from '@linli/auth';
import { AUDIT_OUTCOME_LABELS, type AuditEntryView, type AuditQuery, type AuditVerificationView, type EventEnvelope, type ProjectAuditQuery } from '@linli/contracts';
import { ValidationError } from '@linli/http';
import type { AuditFilter } from '../data-access/audit.repository';
import type { OperationsWork } from '../data-access/unit-of-work';
import { ownScopeResource } from './access-scope';
import { createChainVerifier, sealEntry, type AuditDraft, type AuditRecord, type ChainBreak } from './audit-chain';
import { auditActionLabel, auditDraftOfEvent } from './audit-decisions';
import { decodeCursor, encodeCursor } from './cursor';
import { loadProject, resourceOf, type OperationsDeps } from './projects.use-cases';

/** How many entries the verification holds at once. */
export const VERIFY_BATCH = 1000;

/**
 * Puts one entry on the chain, in the caller's transaction (the action's, or the consumer's dedupe
 * transaction). Call it last in the transaction: from here to the commit, every other append waits.
 */
export async function recordAudit(work: OperationsWork, draft: AuditDraft): Promise<AuditRecord> {
  // recordedAt is read under the lock, so it never runs backwards along the chain.
  const { entry } = await work.audit.append({ service: draft.source.service, eventId: draft.source.eventId }, (head) => sealEntry(draft, head, new Date()));
  return entry;
}

/** A service event: on the chain if it is a person's decision (audit-decisions.ts says which); null otherwise. */
export async function recordDecisionOf(work: OperationsWork, event: EventEnvelope): Promise<AuditRecord | null> {
  const draft = auditDraftOfEvent(event, randomUUID());
  return draft ? recordAudit(work, draft) : null;
}

export function toAuditView(e: AuditRecord): AuditEntryView {
  return {
    ...e,
    actor: { ...e.actor, roleLabel: ROLE_LABELS[e.actor.role as Role] ?? e.actor.role },
    actionLabel: auditActionLabel(e.action),
    outcomeLabel: AUDIT_OUTCOME_LABELS[e.outcome],
  };
}

const isSeqCursor = (v: unknown): v is { seq: number } => typeof v === 'object' && v !== null && Number.isSafeInteger((v as { seq?: unknown }).seq);

async function pageOf(deps: OperationsDeps, filter: AuditFilter, query: ProjectAuditQuery): Promise<{ items: AuditEntryView[]; nextCursor: string | null }> {
  const after = query.cursor ? decodeCursor(query.cursor, isSeqCursor) : undefined;
  const rows = await deps.uow.read.audit.list(filter, { limit: query.limit + 1, order: query.order, afterSeq: after?.seq });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return { items: page.map(toAuditView), nextCursor: rows.length > query.limit && last ? encodeCursor({ seq: last.seq }) : null };
}

/**
 * Who may read a project's audit record: the policy's `audit.read` — operators and admins everywhere, the
 * sub-district's own staff (reviewers, committee, finance) for projects of their sub-district.
 */
async function authorizeProjectAudit(deps: OperationsDeps, principal: Principal, projectId: string): Promise<void> {
  if (principal.scope.kind === 'platform') {
    // The platform's roles see every project, even one whose lifecycle is gone: only the role is in question.
    authorize(principal, 'audit.read', {});
    return;
  }
  authorize(principal, 'audit.read', ownScopeResource(principal));
  const row = await loadProject(deps, projectId);
  authorize(principal, 'audit.read', await resourceOf(deps.uow.read, row));
}

/** 项目审计记录: one project's entries, newest or oldest first. */
export async function listProjectAudit(deps: OperationsDeps, principal: Principal, projectId: string, query: ProjectAuditQuery) {
  await authorizeProjectAudit(deps, principal, projectId);
  return pageOf(deps, { projectId }, query);
}

/**
 * 审计记录 (all of it): operators and admins read everything, filtered by project, actor, action and time;
 * the sub-district's staff read one project of theirs at a time (projectId required).
 */
export async function listAudit(deps: OperationsDeps, principal: Principal, query: AuditQuery) {
  if (principal.scope.kind !== 'platform' && !query.projectId) {
    authorize(principal, 'audit.read', ownScopeResource(principal));
    // The role may read audits; what is missing is which project's, so this is bad input (400), not a refusal.
    throw new ValidationError('请指定 projectId：只能查看您管辖范围内某个项目的审计记录 (projectId is required outside the platform roles)', [
      { path: 'query.projectId', message: 'required outside the platform roles' },
    ]);
  }
  if (query.projectId) await authorizeProjectAudit(deps, principal, query.projectId);
  else authorize(principal, 'audit.read', {});
  if (query.from && query.to && Date.parse(query.from) >= Date.parse(query.to)) {
    throw new ValidationError('时间范围无效：from 须早于 to (from must be before to)', [{ path: 'query.to', message: 'must be after from' }]);
  }
  const { projectId, actorUserId, action, from, to } = query;
  return pageOf(deps, { projectId, actorUserId, action, from, to }, query);
}

/**
 * 校验审计链: recomputes every hash from the first entry to the head, a batch at a time (the whole chain is
 * never in memory), and names the first entry that is missing, out of place or changed.
 */
export async function verifyAuditChain(deps: OperationsDeps, principal: Principal, batch = VERIFY_BATCH): Promise<AuditVerificationView> {
  authorize(principal, 'audit.verify', {});
  const checkedAt = (deps.now ?? (() => new Date()))();
  const read = deps.uow.read.audit;
  // Entries appended while this runs lie beyond the head read here, and are left for the next check.
  const head = await read.head();
  const upTo = head?.seq ?? Number.MAX_SAFE_INTEGER;
  const verifier = createChainVerifier();
  let firstBroken: ChainBreak | null = null;
  let after = 0;
  for (;;) {
    const rows = await read.chain(after, upTo, batch);
    for (const row of rows) {
      firstBroken = verifier.check(row);
      if (firstBroken) break;
    }
    if (firstBroken || rows.length < batch) break;
    after = rows[rows.length - 1]!.seq;
  }
  firstBroken ??= verifier.finish(head);
  return { ok: firstBroken === null, entries: verifier.entries, checkedAt: checkedAt.toISOString(), head: head && head.seq > 0 ? head : null, firstBroken };
}
