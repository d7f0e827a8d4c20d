import { randomUUID } from 'node:crypto';
import {
  ANNUAL_INSPECTION_RESULT_LABELS,
  AnnualInspectionRecorded,
  CREDIT_STATUS_LABELS,
  OrganizationCreditChanged,
  OrganizationRegistered,
  REGISTRATION_TYPE_LABELS,
  type AnnualInspectionView,
  type ListOrganizationsQuery,
  type OrganizationDetailView,
  type OrganizationView,
  type RecordAnnualInspectionBody,
  type RegisterOrganizationBody,
  type RegistrationType,
  type UpdateCreditStatusBody,
} from '@linli/contracts';
import { buildEvent } from '@linli/events';
import { ConflictError, NotFoundError, ValidationError } from '@linli/http';
import { scrubText } from '@linli/logger';
import { checkCreditCode } from './credit-code';
import type { Caller, Deps } from './context';
import { page } from './pagination';

const SOURCE = 'organizations';

/**
 * The registration types that GB 32100 encodes in positions 1–2: a 社会团体 registered with civil
 * affairs carries "51", and so on. A mismatch means the type or the code was typed wrongly.
 */
const CODE_PREFIX_OF: Partial<Record<RegistrationType, string>> = {
  social_group: '51',
  private_non_enterprise: '52',
  foundation: '53',
  enterprise: '91',
};

/** Pure: the field errors of a registration's code and type (empty when both are right). */
export function registrationProblems(creditCode: string, registrationType: RegistrationType): { path: string; message: string }[] {
  const check = checkCreditCode(creditCode);
  if (!check.valid) return check.problems.map((message) => ({ path: 'body.creditCode', message }));
  const expected = CODE_PREFIX_OF[registrationType];
  const actual = creditCode.slice(0, 2);
  if (expected && actual !== expected) {
    return [
      {
        path: 'body.registrationType',
        message: `登记类型「${REGISTRATION_TYPE_LABELS[registrationType]}」的代码第1-2位应为 ${expected}，实际为 ${actual}（${check.authority} · ${check.category}） (registration type ${registrationType} needs a code starting ${expected}, got ${actual})`,
      },
    ];
  }
  return [];
}

/** 登记社会组织. Name and credit code are unique; the code is checked character by character. */
export async function registerOrganization({ uow, clock }: Deps, input: RegisterOrganizationBody, caller: Caller): Promise<OrganizationView> {
  const problems = registrationProblems(input.creditCode, input.registrationType);
  if (problems.length) {
    throw new ValidationError(`统一社会信用代码或登记类型有误：${problems.map((p) => p.message).join('；')}`, problems);
  }
  const check = checkCreditCode(input.creditCode);
  if (!check.valid) throw new Error('unreachable: checked above');
  return uow.run(async ({ organizations, outbox }) => {
    if (await organizations.findByName(input.name)) throw new ConflictError(`社会组织「${input.name}」已登记 (organization already registered)`);
    const sameCode = await organizations.findByCreditCode(input.creditCode);
    if (sameCode) throw new ConflictError(`统一社会信用代码 ${input.creditCode} 已由「${sameCode.name}」登记 (credit code already registered)`);
    const created = await organizations.create({
      id: randomUUID(),
      name: input.name,
      creditCode: input.creditCode,
      registrationType: input.registrationType,
      registeredWith: `${check.authority} · ${check.category}`,
      address: input.address ?? null,
      // Free text may carry a mobile number: stored, returned and sent on masked.
      description: input.description === undefined ? null : scrubText(input.description),
      createdAt: clock(),
      createdBy: caller.actor,
    });
    await outbox.append(
      'organizations',
      buildEvent(OrganizationRegistered, {
        source: SOURCE,
        subject: created.id,
        actor: caller.actor,
        data: { organizationId: created.id, name: created.name, creditCode: created.creditCode, creditStatus: created.creditStatus },
      }),
    );
    return created;
  });
}

/** 更新信用状况: every change carries a reason and is kept in the history. */
export async function updateCreditStatus({ uow, clock }: Deps, id: string, input: UpdateCreditStatusBody, caller: Caller): Promise<OrganizationView> {
  return uow.run(async ({ organizations, outbox }) => {
    await organizations.lock(id);
    const current = await organizations.findById(id);
    if (!current) throw new NotFoundError('organization', id);
    if (current.creditStatus === input.creditStatus) {
      throw new ConflictError(`信用状况已是「${CREDIT_STATUS_LABELS[input.creditStatus]}」 (credit status is already ${input.creditStatus})`);
    }
    const reason = scrubText(input.reason);
    const updated = await organizations.changeCredit({
      id,
      changeId: randomUUID(),
      from: current.creditStatus,
      to: input.creditStatus,
      reason,
      at: clock(),
      by: caller.actor,
    });
    await outbox.append(
      'organizations',
      buildEvent(OrganizationCreditChanged, {
        source: SOURCE,
        subject: id,
        actor: caller.actor,
        data: { organizationId: id, creditStatus: input.creditStatus, reason },
      }),
    );
    return updated;
  });
}

/** 登记年检结论: one result per year, not for a year that has not begun. */
export async function recordAnnualInspection({ uow, clock }: Deps, id: string, input: RecordAnnualInspectionBody, caller: Caller): Promise<AnnualInspectionView> {
  const now = clock();
  if (input.year > now.getUTCFullYear()) {
    throw new ValidationError('年检年度不能晚于今年 (inspection year is in the future)', [{ path: 'body.year', message: `must be ≤ ${now.getUTCFullYear()}` }]);
  }
  return uow.run(async ({ organizations, outbox }) => {
    if (!(await organizations.findById(id))) throw new NotFoundError('organization', id);
    const existing = await organizations.findInspection(id, input.year);
    if (existing) {
      throw new ConflictError(
        `${input.year} 年度年检结论已登记为「${ANNUAL_INSPECTION_RESULT_LABELS[existing.result]}」 (the ${input.year} inspection is already recorded)`,
      );
    }
    const recorded = await organizations.addInspection({ id: randomUUID(), organizationId: id, year: input.year, result: input.result, remarks: input.remarks === undefined ? null : scrubText(input.remarks), at: now, by: caller.actor });
    await outbox.append(
      'organizations',
      buildEvent(AnnualInspectionRecorded, { source: SOURCE, subject: id, actor: caller.actor, data: { organizationId: id, year: input.year, result: input.result } }),
    );
    return recorded;
  });
}

export async function getOrganization({ uow }: Deps, id: string): Promise<OrganizationDetailView> {
  const found = await uow.read.organizations.findDetail(id);
  if (!found) throw new NotFoundError('organization', id);
  return found;
}

export async function listOrganizations({ uow }: Deps, query: ListOrganizationsQuery) {
  const { creditStatus, registrationType, q } = query;
  return page(
    query,
    ({ limit, after }) => uow.read.organizations.list({ filters: { creditStatus, registrationType, q }, limit, after }),
    (o) => ({ at: o.createdAt, id: o.id }),
  );
}
