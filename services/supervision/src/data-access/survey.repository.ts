import type { Actor } from '@linli/contracts';
import type { SurveyResponse } from './generated/prisma/client';
import type { SupervisionTx } from './prisma';
import { actorColumn, actorOf, afterWhere, keysetOrder, type After } from './rows';

export interface SurveyResponseRecord {
  id: string;
  projectId: string;
  respondentName: string | null;
  score: number;
  comment: string;
  createdAt: string;
  createdBy: Actor;
}

const toResponse = (row: SurveyResponse): SurveyResponseRecord => ({
  id: row.id,
  projectId: row.projectId,
  respondentName: row.respondentName,
  score: row.score,
  comment: row.comment,
  createdAt: row.createdAt.toISOString(),
  createdBy: actorOf(row.createdBy),
});

export function surveyRepository(tx: SupervisionTx) {
  return {
    async create(input: Omit<SurveyResponseRecord, 'createdAt'>): Promise<SurveyResponseRecord> {
      return toResponse(await tx.surveyResponse.create({ data: { ...input, createdBy: actorColumn(input.createdBy) } }));
    },
    async list({ projectId, limit, after }: { projectId: string; limit: number; after?: After }): Promise<SurveyResponseRecord[]> {
      return (await tx.surveyResponse.findMany({ where: { projectId, ...afterWhere(after) }, orderBy: keysetOrder, take: limit })).map(toResponse);
    },
    /** Number of responses and the average score (1–5), or null without responses. */
    async summary(projectId: string): Promise<{ responses: number; average: number | null }> {
      const result = await tx.surveyResponse.aggregate({ where: { projectId }, _count: { _all: true }, _avg: { score: true } });
      return { responses: result._count._all, average: result._avg.score ?? null };
    },
  };
}
export type SurveyRepository = ReturnType<typeof surveyRepository>;
