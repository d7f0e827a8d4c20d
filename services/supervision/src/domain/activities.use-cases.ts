import { randomUUID } from 'node:crypto';
import {
  ActivityReported,
  ActivityVerified,
  InvoiceRecorded,
  SignInSheetRecorded,
  type ActivityStatus,
  type HeldActivitySummary,
  type HeldActivityView,
  type PhotoContentView,
  type PhotoView,
  type RecordInvoiceBody,
  type RecordSignInSheetBody,
  type ReportActivityBody,
  type SignInSheetView,
  type SupervisionInvoiceView,
  type UploadPhotoBody,
} from '@linli/contracts';
import { buildEvent } from '@linli/events';
import { ConflictError, NotFoundError, ValidationError, type FieldError, type Page } from '@linli/http';
import { scrubText } from '@linli/logger';
import type { ActivityRecord, SealedParticipant } from '../data-access/activity.repository';
import type { SupervisionWork } from '../data-access/unit-of-work';
import { canAutoVerify, nextStatus } from './activity-status';
import { lineSpending } from './checks';
import { AUTO_VERIFIER, SOURCE, ownScope, resourceOf, visibleContracts, type Caller, type SupervisionDeps } from './context';
import { beijingDate } from './dates';
import { EMPTY_PAGE, decodeCursor, pageOf } from './pagination';
import { maskMobile, normalizeMobile } from './phone-numbers';
import { decodePhoto } from './photo-files';
import { sampleSize } from './sampling';
import { activitySummary, activityView, invoiceView, loadContract, requirePlan, type ContractContext } from './views';

/** The activity, its contract (with plan) — 404 for an unknown id. `lock` serializes status changes. */
async function loadActivity(work: SupervisionWork, id: string, opts: { lock?: boolean } = {}): Promise<{ activity: ActivityRecord; ctx: ContractContext }> {
  const activity = opts.lock ? await work.activities.lock(id) : await work.activities.findById(id);
  if (!activity) throw new NotFoundError('activity', id);
  return { activity, ctx: await loadContract(work, activity.contractId) };
}

function activityRef(activity: ActivityRecord, ctx: ContractContext, status: ActivityStatus = activity.status) {
  return {
    activityId: activity.id,
    contractId: activity.contractId,
    projectId: activity.projectId,
    organizationId: ctx.contract.organizationId,
    activityKey: activity.activityKey,
    status,
  };
}

// ——— 上报活动 report a held activity ———

/**
 * 上报活动: the organization (or the supervisor) reports that a planned activity was held. One report per
 * planned activity of a contract; the date cannot be in the future.
 */
export async function reportActivity(deps: SupervisionDeps, contractId: string, input: ReportActivityBody, caller: Caller): Promise<HeldActivityView> {
  return deps.uow.run(async (work) => {
    const ctx = await loadContract(work, contractId);
    caller.may(resourceOf(ctx.contract));
    const project = requirePlan(ctx);
    const planned = project.planned.find((p) => p.activityKey === input.activityKey);
    const errors: FieldError[] = [];
    if (!planned) errors.push({ path: 'body.activityKey', message: `立项计划中没有活动 ${input.activityKey} (not a planned activity)` });
    if (input.heldOn > beijingDate(deps.now())) errors.push({ path: 'body.heldOn', message: '不能上报尚未开展的活动 (date is in the future)' });
    if (errors.length) throw new ValidationError('活动信息有误 (invalid activity report)', errors);
    if (await work.activities.findByKey(contractId, input.activityKey)) {
      throw new ConflictError(`活动「${planned!.title}」已上报 (this planned activity has already been reported)`);
    }
    const activity = await work.activities.create({
      id: randomUUID(),
      contractId,
      projectId: ctx.contract.projectId,
      activityKey: input.activityKey,
      heldOn: input.heldOn,
      venue: input.venue,
      headcount: input.headcount,
      description: scrubText(input.description),
      status: 'held',
      createdBy: caller.actor,
    });
    await work.outbox.append(
      'supervision',
      buildEvent(ActivityReported, {
        source: SOURCE,
        subject: contractId,
        actor: caller.actor,
        data: { ...activityRef(activity, ctx), heldOn: activity.heldOn, headcount: activity.headcount, targetHeadcount: planned!.targetHeadcount },
      }),
    );
    return activityView(work, deps.rules, activity, ctx);
  });
}

export async function getActivity(deps: SupervisionDeps, id: string, caller: Caller): Promise<HeldActivityView> {
  const { activity, ctx } = await loadActivity(deps.uow.read, id);
  caller.may(resourceOf(ctx.contract));
  return activityView(deps.uow.read, deps.rules, activity, ctx);
}

export async function listActivities(
  deps: SupervisionDeps,
  query: { limit: number; cursor?: string; contractId?: string; status?: ActivityStatus },
  caller: Caller,
): Promise<Page<HeldActivitySummary>> {
  caller.may(ownScope(caller.scope));
  const contracts = visibleContracts(caller.scope);
  if (!contracts) return EMPTY_PAGE;
  const { limit, cursor, ...filters } = query;
  const rows = await deps.uow.read.activities.list({ limit: limit + 1, after: decodeCursor(cursor), contracts, ...filters });
  return pageOf(rows, limit, async (items) => {
    const projects = await deps.uow.read.contracts.findProjects([...new Set(items.map((a) => a.projectId))]);
    return items.map((a) => activitySummary(a, projects.find((p) => p.id === a.projectId) ?? null));
  });
}

// ——— 签到单 sign-in sheet, and the call-back sample drawn from it ———

/**
 * 录入签到单. Phone numbers are validated, normalized, sealed (AES-256-GCM), fingerprinted (HMAC) and
 * masked before they reach the database; a number twice on one sheet is refused. In the same transaction
 * the call-back sample is drawn (sampleSize: rate, at least the minimum, or everybody) and becomes the
 * assigned supervisor's call tasks. Nobody outside the supervision sees who was drawn.
 */
export async function recordSignInSheet(deps: SupervisionDeps, activityId: string, input: RecordSignInSheetBody, caller: Caller): Promise<SignInSheetView> {
  return deps.uow.run(async (work) => {
    const { activity, ctx } = await loadActivity(work, activityId, { lock: true });
    caller.may(resourceOf(ctx.contract));
    const status = nextStatus(activity.status, 'record_sign_in');

    const errors: FieldError[] = [];
    const firstRowOf = new Map<string, number>();
    const rows: SealedParticipant[] = [];
    input.participants.forEach((p, index) => {
      const phone = normalizeMobile(p.phone);
      if (!phone) {
        errors.push({ path: `body.participants[${index}].phone`, message: '不是有效的大陆手机号 (not a mainland mobile number)' });
        return;
      }
      const fingerprint = deps.vault.fingerprint(phone);
      const first = firstRowOf.get(fingerprint);
      if (first !== undefined) {
        errors.push({ path: `body.participants[${index}].phone`, message: `与第 ${first + 1} 行手机号重复 (same number as row ${first + 1})` });
        return;
      }
      firstRowOf.set(fingerprint, index);
      const id = randomUUID();
      const sealed = deps.vault.seal(phone, id);
      rows.push({
        id,
        activityId,
        position: index + 1,
        name: p.name,
        phoneCiphertext: sealed.ciphertext,
        phoneKeyId: sealed.keyId,
        phoneHmac: fingerprint,
        phoneMasked: maskMobile(phone),
      });
    });
    if (errors.length) throw new ValidationError('签到单有误 (invalid sign-in sheet)', errors);

    await work.activities.addParticipants(rows);
    const sample = deps.sampler(rows, sampleSize(rows.length, deps.rules.sampleRate, deps.rules.sampleMin));
    await work.callTasks.createMany(sample.map((p) => ({ id: randomUUID(), activityId, contractId: activity.contractId, participantId: p.id })));
    const at = deps.now();
    await work.activities.recordSignIn(activityId, { status, count: rows.length, at, by: caller.actor });
    await work.outbox.append(
      'supervision',
      buildEvent(SignInSheetRecorded, {
        source: SOURCE,
        subject: activity.contractId,
        actor: caller.actor,
        data: { ...activityRef(activity, ctx, status), participantCount: rows.length, sampledCount: sample.length },
      }),
    );
    return {
      activityId,
      count: rows.length,
      sampledCount: sample.length,
      recordedAt: at.toISOString(),
      recordedBy: caller.actor,
      participants: rows.map((r) => ({ id: r.id, position: r.position, name: r.name, phoneMasked: r.phoneMasked })),
    };
  });
}

/** The sheet with masked numbers, for everyone who may read the activity. */
export async function getSignInSheet(deps: SupervisionDeps, activityId: string, caller: Caller): Promise<SignInSheetView> {
  const work = deps.uow.read;
  const { activity, ctx } = await loadActivity(work, activityId);
  caller.may(resourceOf(ctx.contract));
  if (activity.signInCount === null || !activity.signInRecordedAt || !activity.signInRecordedBy) {
    throw new NotFoundError('sign-in sheet of activity', activityId);
  }
  const [participants, outcomes] = await Promise.all([work.activities.participants(activityId), work.callTasks.outcomesOf([activityId])]);
  return {
    activityId,
    count: activity.signInCount,
    sampledCount: outcomes.length,
    recordedAt: activity.signInRecordedAt,
    recordedBy: activity.signInRecordedBy,
    participants,
  };
}

// ——— 照片 photos ———

/** Uploads a photo (bytes checked against the declared type, ≤ 5 MB); the same image twice is refused. */
export async function uploadPhoto(deps: SupervisionDeps, activityId: string, input: UploadPhotoBody, caller: Caller): Promise<PhotoView> {
  const { bytes, sha256 } = decodePhoto(input);
  return deps.uow.run(async (work) => {
    const { activity, ctx } = await loadActivity(work, activityId, { lock: true });
    caller.may(resourceOf(ctx.contract));
    const existing = await work.activities.photoByHash(activityId, sha256);
    if (existing) {
      throw new ConflictError(`该活动已上传过相同的照片「${existing.fileName}」(duplicate photo)`, { photoId: existing.id, sha256 });
    }
    const photo = await work.activities.addPhoto({
      id: randomUUID(),
      activityId,
      fileName: input.fileName,
      contentType: input.contentType,
      sizeBytes: bytes.length,
      sha256,
      capturedAt: new Date(input.capturedAt),
      data: bytes,
      createdBy: caller.actor,
    });
    // A missing photo may have been the only thing holding verification back.
    await verifyIfClear(work, deps, activity, ctx);
    return photo;
  });
}

export async function listPhotos(deps: SupervisionDeps, activityId: string, query: { limit: number; cursor?: string }, caller: Caller): Promise<Page<PhotoView>> {
  const { ctx } = await loadActivity(deps.uow.read, activityId);
  caller.may(resourceOf(ctx.contract));
  const rows = await deps.uow.read.activities.listPhotos({ activityId, limit: query.limit + 1, after: decodeCursor(query.cursor) });
  return pageOf(rows, query.limit, (items) => items);
}

export async function getPhotoContent(deps: SupervisionDeps, photoId: string, caller: Caller): Promise<PhotoContentView> {
  const photo = await deps.uow.read.activities.photoContent(photoId);
  if (!photo) throw new NotFoundError('photo', photoId);
  const { ctx } = await loadActivity(deps.uow.read, photo.activityId);
  caller.may(resourceOf(ctx.contract));
  return { id: photo.id, contentType: photo.contentType, sha256: photo.sha256, dataBase64: photo.data.toString('base64') };
}

// ——— 发票 invoices ———

/** Invoice numbers compare without spaces, dashes or letter case. */
export const normalizeInvoiceNumber = (number: string) => number.replace(/[\s-]/g, '').toUpperCase();

/**
 * 登记发票 against a budget line of the approved plan — for a held activity, or for the contract as a
 * whole (staff costs and other lines that belong to no single activity). An invoice number is accepted
 * once in the whole service: the same invoice claimed again, on this contract or any other, is refused.
 * Over-budget lines and dates outside the contract period are flagged, not refused: the supervisor judges.
 */
export async function recordInvoice(
  deps: SupervisionDeps,
  target: { contractId: string } | { activityId: string },
  input: RecordInvoiceBody,
  caller: Caller,
): Promise<SupervisionInvoiceView> {
  return deps.uow.run(async (work) => {
    const { activity, ctx } =
      'activityId' in target ? await loadActivity(work, target.activityId) : { activity: null, ctx: await loadContract(work, target.contractId) };
    caller.may(resourceOf(ctx.contract));
    const project = requirePlan(ctx);
    const line = project.lines.find((l) => l.lineId === input.lineId);
    if (!line) throw new ValidationError('预算行不存在 (unknown budget line)', [{ path: 'body.lineId', message: `立项预算中没有 ${input.lineId}` }]);
    if (activity && line.activityKey !== null && line.activityKey !== activity.activityKey) {
      throw new ValidationError('预算行属于其他活动 (the budget line belongs to another activity)', [
        { path: 'body.lineId', message: `${input.lineId} 属于活动 ${line.activityKey}` },
      ]);
    }
    const numberNormalized = normalizeInvoiceNumber(input.number);
    const clash = await work.activities.invoiceByNumber(numberNormalized);
    if (clash) {
      const where = clash.contractId === ctx.contract.id ? '本合同' : '其他合同';
      throw new ConflictError(`发票号码 ${input.number} 已在${where}登记，不能重复报销 (duplicate invoice number)`, { invoiceId: clash.id });
    }
    const invoice = await work.activities.addInvoice({
      id: randomUUID(),
      contractId: ctx.contract.id,
      activityId: activity?.id ?? null,
      number: input.number,
      numberNormalized,
      issuer: input.issuer,
      amountFen: input.amountFen,
      issuedOn: input.issuedOn,
      lineId: input.lineId,
      createdBy: caller.actor,
    });
    const spending = lineSpending(project.lines, await work.activities.invoicesOfContract(ctx.contract.id));
    const view = invoiceView(invoice, ctx, spending);
    const lineNow = spending.find((l) => l.lineId === line.lineId)!;
    await work.outbox.append(
      'supervision',
      buildEvent(InvoiceRecorded, {
        source: SOURCE,
        subject: ctx.contract.id,
        actor: caller.actor,
        data: {
          invoiceId: invoice.id,
          contractId: ctx.contract.id,
          projectId: ctx.contract.projectId,
          activityId: invoice.activityId,
          lineId: line.lineId,
          amountFen: invoice.amountFen,
          lineInvoicedFen: lineNow.invoicedFen,
          lineBudgetFen: lineNow.amountFen,
          flags: view.flags.map((f) => f.code),
        },
      }),
    );
    return view;
  });
}

export async function listInvoices(deps: SupervisionDeps, contractId: string, query: { limit: number; cursor?: string }, caller: Caller): Promise<Page<SupervisionInvoiceView>> {
  const work = deps.uow.read;
  const ctx = await loadContract(work, contractId);
  caller.may(resourceOf(ctx.contract));
  const rows = await work.activities.listInvoices({ contractId, limit: query.limit + 1, after: decodeCursor(query.cursor) });
  const spending = lineSpending(ctx.project?.lines ?? [], await work.activities.invoicesOfContract(contractId));
  return pageOf(rows, query.limit, (items) => items.map((i) => invoiceView(i, ctx, spending)));
}

// ——— 核验 verification ———

/**
 * Verifies automatically when the activity has finished its call-backs and no check blocks: called after
 * the last call-back and after each photo upload. Does nothing otherwise. Recorded as done by the checks
 * themselves (AUTO_VERIFIER), not by whoever happened to upload the last photo.
 */
export async function verifyIfClear(work: SupervisionWork, deps: SupervisionDeps, activity: ActivityRecord, ctx: ContractContext): Promise<boolean> {
  const actor = AUTO_VERIFIER;
  const current = await work.activities.findById(activity.id);
  if (!current) return false;
  const view = await activityView(work, deps.rules, current, ctx);
  if (!canAutoVerify(current.status, view.flags)) return false;
  const note = '回访已全部完成且检查无阻断项，自动核验 (all call-backs done, no blocking flag)';
  await work.activities.verify(current.id, { mode: 'auto', note, at: deps.now(), by: actor });
  await work.outbox.append(
    'supervision',
    buildEvent(ActivityVerified, {
      source: SOURCE,
      subject: current.contractId,
      actor,
      data: { ...activityRef(current, ctx, 'verified'), mode: 'auto', discrepancyRate: view.callbacks.discrepancyRate },
    }),
  );
  return true;
}

/**
 * 人工核验: the assigned supervisor verifies an activity whose call-backs are complete but whose checks
 * raised a blocking flag, saying in the note why it is acceptable (the flags stay visible).
 */
export async function verifyActivity(deps: SupervisionDeps, activityId: string, input: { note: string }, caller: Caller): Promise<HeldActivityView> {
  return deps.uow.run(async (work) => {
    const { activity, ctx } = await loadActivity(work, activityId, { lock: true });
    caller.may(resourceOf(ctx.contract));
    nextStatus(activity.status, 'verify');
    const before = await activityView(work, deps.rules, activity, ctx);
    await work.activities.verify(activityId, { mode: 'manual', note: scrubText(input.note), at: deps.now(), by: caller.actor });
    await work.outbox.append(
      'supervision',
      buildEvent(ActivityVerified, {
        source: SOURCE,
        subject: activity.contractId,
        actor: caller.actor,
        data: { ...activityRef(activity, ctx, 'verified'), mode: 'manual', discrepancyRate: before.callbacks.discrepancyRate },
      }),
    );
    const verified = (await work.activities.findById(activityId))!;
    return activityView(work, deps.rules, verified, ctx);
  });
}
