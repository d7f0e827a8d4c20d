import { randomUUID } from 'node:crypto';
import type { RecordSurveyResponseBody, SurveyResponseView } from '@linli/contracts';
import { NotFoundError, type Page } from '@linli/http';
import { scrubText } from '@linli/logger';
import type { SupervisionWork } from '../data-access/unit-of-work';
import type { Caller, SupervisionDeps } from './context';
import { decodeCursor, pageOf } from './pagination';

/**
 * The scope of a project: its place and organization, plus the agency supervising its (latest) contract —
 * so residents' representatives and secretaries of the community, and the assigned supervisor, qualify.
 */
async function projectResource(work: SupervisionWork, projectId: string) {
  const project = await work.contracts.findProject(projectId);
  if (!project) throw new NotFoundError('project', projectId);
  const contracts = await work.contracts.findContractsByProject(projectId);
  const latest = contracts[contracts.length - 1];
  return {
    subDistrictId: project.subDistrictId,
    communityId: project.communityId,
    organizationId: project.organizationId,
    agencyId: latest?.agencyId ?? null,
  };
}

/**
 * 满意度调查: one resident's answer (score 1–5). No phone number is asked for; any number typed into the
 * comment is masked before it is stored.
 */
export async function recordSurveyResponse(deps: SupervisionDeps, projectId: string, input: RecordSurveyResponseBody, caller: Caller): Promise<SurveyResponseView> {
  return deps.uow.run(async (work) => {
    caller.may(await projectResource(work, projectId));
    return work.surveys.create({
      id: randomUUID(),
      projectId,
      respondentName: input.respondentName ?? null,
      score: input.score,
      comment: scrubText(input.comment),
      createdBy: caller.actor,
    });
  });
}

export async function listSurveyResponses(deps: SupervisionDeps, projectId: string, query: { limit: number; cursor?: string }, caller: Caller): Promise<Page<SurveyResponseView>> {
  caller.may(await projectResource(deps.uow.read, projectId));
  const rows = await deps.uow.read.surveys.list({ projectId, limit: query.limit + 1, after: decodeCursor(query.cursor) });
  return pageOf(rows, query.limit, (items) => items);
}
