import type { ItemLineView, PlannedActivity, ProposalDiffView, ProposalVersionView, StaffLineView } from '@linli/contracts';

// Pure: what changed between two versions of a proposal, matched by key (activityKey, lineKey) — which
// is why keys stay stable across revisions.

interface Changes<T> {
  added: T[];
  removed: T[];
  changed: { key: string; fields: string[]; before: T; after: T; deltaFen: number }[];
}

function compare<T>(
  before: readonly T[],
  after: readonly T[],
  keyOf: (item: T) => string,
  fields: readonly (keyof T & string)[],
  amountOf: (item: T) => number,
  extra: (b: T, a: T) => string[] = () => [],
): Changes<T> {
  const old = new Map(before.map((item) => [keyOf(item), item]));
  const now = new Map(after.map((item) => [keyOf(item), item]));
  const result: Changes<T> = { added: [], removed: [], changed: [] };
  for (const item of after) if (!old.has(keyOf(item))) result.added.push(item);
  for (const item of before) if (!now.has(keyOf(item))) result.removed.push(item);
  for (const item of after) {
    const previous = old.get(keyOf(item));
    if (!previous) continue;
    const differing = [...fields.filter((f) => JSON.stringify(previous[f]) !== JSON.stringify(item[f])), ...extra(previous, item)];
    if (differing.length > 0) result.changed.push({ key: keyOf(item), fields: differing, before: previous, after: item, deltaFen: amountOf(item) - amountOf(previous) });
  }
  return result;
}

export function diffVersions(proposalId: string, from: ProposalVersionView, to: ProposalVersionView): ProposalDiffView {
  const header = (['title', 'fiscalYear', 'summary', 'offeringId', 'organizationId'] as const)
    .filter((field) => from[field] !== to[field])
    .map((field) => ({ field, before: from[field], after: to[field] }));

  const activityTotal = (version: ProposalVersionView) => (a: PlannedActivity) => version.totals.perActivity.find((p) => p.activityKey === a.activityKey)?.totalFen ?? 0;
  const fromTotal = activityTotal(from);
  const toTotal = activityTotal(to);
  const activities = compare<PlannedActivity>(
    from.activities,
    to.activities,
    (a) => a.activityKey,
    ['title', 'startsOn', 'endsOn', 'venue', 'targetHeadcount', 'targetGroup'],
    () => 0,
  );
  // An activity's money delta is the change of everything budgeted under it.
  activities.changed = activities.changed.map((c) => ({ ...c, deltaFen: toTotal(c.after) - fromTotal(c.before) }));

  const itemLines = compare<ItemLineView>(
    from.itemLines,
    to.itemLines,
    (l) => l.lineKey,
    ['activityKey', 'itemKind', 'description', 'unit', 'unitPriceFen', 'quantity', 'amountFen'],
    (l) => l.amountFen,
    (b, a) => ((b.flag === null) !== (a.flag === null) ? ['flag'] : []),
  );
  const staffLines = compare<StaffLineView>(
    from.staffLines,
    to.staffLines,
    (l) => l.lineKey,
    ['person', 'role', 'hours', 'hourlyRateFen', 'activityKey', 'amountFen'],
    (l) => l.amountFen,
  );

  return {
    proposalId,
    from: from.version,
    to: to.version,
    header,
    activities,
    itemLines,
    staffLines,
    totals: {
      before: from.totals,
      after: to.totals,
      deltaFen: {
        item: to.totals.itemTotalFen - from.totals.itemTotalFen,
        staff: to.totals.staffTotalFen - from.totals.staffTotalFen,
        grand: to.totals.grandTotalFen - from.totals.grandTotalFen,
      },
    },
  };
}
