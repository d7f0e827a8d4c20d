/**
 * The one declared list of custom search attributes. `pnpm infra up` registers exactly these on the
 * dev server (`--search-attribute KEY=Type`); workflows upsert them; operations filter by them.
 * SQLite visibility allows per namespace 10 Keyword and 3 each of Text, Int, Double, Bool, Datetime,
 * KeywordList — keep within that.
 */
export type SearchAttributeKind = 'Keyword' | 'Text' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

export const SEARCH_ATTRIBUTES = {
  stage: { name: 'LinliStage', kind: 'Keyword' },
  subDistrict: { name: 'LinliSubDistrict', kind: 'Keyword' },
  community: { name: 'LinliCommunity', kind: 'Keyword' },
  organization: { name: 'LinliOrganization', kind: 'Keyword' },
  projectLevel: { name: 'LinliProjectLevel', kind: 'Keyword' },
  waitingOn: { name: 'LinliWaitingOn', kind: 'Keyword' },
  fiscalYear: { name: 'LinliFiscalYear', kind: 'Int' },
  stageEnteredAt: { name: 'LinliStageEnteredAt', kind: 'Datetime' },
  deadline: { name: 'LinliDeadline', kind: 'Datetime' },
  needsAttention: { name: 'LinliNeedsAttention', kind: 'Bool' },
} as const satisfies Record<string, { name: string; kind: SearchAttributeKind }>;

export const ALL_SEARCH_ATTRIBUTES = Object.values(SEARCH_ATTRIBUTES);
