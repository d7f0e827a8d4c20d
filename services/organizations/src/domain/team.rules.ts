/**
 * Project team rules (pure). The initial team is everyone assigned directly; a replacement is someone
 * who came in through an approved change request. Turnover = replacements ÷ initial team size: a
 * change of staff mid-project is a risk the sub-district wants to see (DOMAIN.md).
 */
export interface TeamMember {
  staffId: string;
  endedAt: string | null;
  viaChangeId: string | null;
}

export function turnover(assignments: readonly TeamMember[]): { initialTeamSize: number; replacements: number; turnoverRate: number | null } {
  const initialTeamSize = assignments.filter((a) => a.viaChangeId === null).length;
  const replacements = assignments.filter((a) => a.viaChangeId !== null).length;
  return {
    initialTeamSize,
    replacements,
    turnoverRate: initialTeamSize === 0 ? null : Math.round((replacements / initialTeamSize) * 10_000) / 10_000,
  };
}

export function currentMembers<T extends TeamMember>(assignments: readonly T[]): T[] {
  return assignments.filter((a) => a.endedAt === null);
}

export function isOnTeam(assignments: readonly TeamMember[], staffId: string): boolean {
  return assignments.some((a) => a.staffId === staffId && a.endedAt === null);
}
