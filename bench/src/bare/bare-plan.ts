// The shape of one real project lifecycle, read from its Temporal histories, so that the bare baseline
// makes the same number of Updates, activities and child workflows. Pure, unit-tested.

/** One Update on the parent, and the work the workflow does for it. */
export interface BareStep {
  /** Activities run inside the Update's handler (the Update completes after them), one after another. */
  inHandler: number;
  /** Activities the main loop runs after the Update, one after another. */
  after: number;
  /** Child workflows started after those activities. */
  children: number;
}

export interface BarePlan {
  /** Activities run at start, before the first Update. */
  atStart: number;
  steps: BareStep[];
  /** What each child does: activities, then waits for this many Updates. */
  child: { activities: number; updates: number };
}

/** Counts of a history, to show that the baseline matches the real thing. */
export interface HistoryCounts {
  workflowTasks: number;
  activities: number;
  updates: number;
  children: number;
  timers: number;
  signals: number;
  searchAttributeUpserts: number;
  events: number;
}

/** A history event as historyToJSON writes it (what fetchHistory gives, and what the recorded fixtures hold). */
export interface JsonEvent {
  eventType: string;
  [key: string]: unknown;
}

const T = (name: string) => `EVENT_TYPE_${name}`;

export function countHistory(events: readonly JsonEvent[]): HistoryCounts {
  const n = (name: string) => events.filter((e) => e.eventType === T(name)).length;
  return {
    workflowTasks: n('WORKFLOW_TASK_COMPLETED'),
    activities: n('ACTIVITY_TASK_SCHEDULED'),
    updates: n('WORKFLOW_EXECUTION_UPDATE_ACCEPTED'),
    children: n('START_CHILD_WORKFLOW_EXECUTION_INITIATED'),
    timers: n('TIMER_STARTED'),
    signals: n('WORKFLOW_EXECUTION_SIGNALED'),
    searchAttributeUpserts: n('UPSERT_WORKFLOW_SEARCH_ATTRIBUTES'),
    events: events.length,
  };
}

export function sumCounts(all: readonly HistoryCounts[]): HistoryCounts {
  const total: HistoryCounts = { workflowTasks: 0, activities: 0, updates: 0, children: 0, timers: 0, signals: 0, searchAttributeUpserts: 0, events: 0 };
  for (const c of all) for (const k of Object.keys(total) as (keyof HistoryCounts)[]) total[k] += c[k];
  return total;
}

/**
 * The plan of a parent history (and its children's): activities are attributed to the Update whose
 * handler was still running when the workflow task that scheduled them ended, otherwise to the last
 * Update before them (or to the start); children to the last Update before them. A child does its activities and Updates in
 * the average of the children seen (rounded), since the bare child is one shape for all.
 */
export function planFromHistory(parent: readonly JsonEvent[], children: readonly (readonly JsonEvent[])[] = []): BarePlan {
  const plan: BarePlan = { atStart: 0, steps: [], child: { activities: 0, updates: 0 } };
  const open = new Set<string>();
  let current: BareStep | null = null;
  // Commands of one workflow task come in one batch after its WORKFLOW_TASK_COMPLETED; an activity is
  // "in the handler" when an Update is still open at the end of its batch.
  let pending = 0;
  let completedInBatch = false;
  const flush = () => {
    if (current && pending) {
      if (open.size > 0 && !completedInBatch) current.inHandler += pending;
      else current.after += pending;
    }
    pending = 0;
    completedInBatch = false;
  };
  for (const e of parent) {
    switch (e.eventType) {
      case T('WORKFLOW_TASK_COMPLETED'):
        flush();
        break;
      case T('WORKFLOW_EXECUTION_UPDATE_ACCEPTED'): {
        flush();
        current = { inHandler: 0, after: 0, children: 0 };
        plan.steps.push(current);
        open.add(updateIdOf(e));
        break;
      }
      case T('WORKFLOW_EXECUTION_UPDATE_COMPLETED'):
        open.delete(updateIdOf(e));
        completedInBatch = true;
        break;
      case T('ACTIVITY_TASK_SCHEDULED'):
        if (!current) plan.atStart++;
        else pending++;
        break;
      case T('START_CHILD_WORKFLOW_EXECUTION_INITIATED'):
        if (current) current.children++;
        break;
    }
  }
  flush();
  if (children.length) {
    const counts = children.map(countHistory);
    plan.child = {
      activities: Math.round(counts.reduce((s, c) => s + c.activities, 0) / counts.length),
      updates: Math.round(counts.reduce((s, c) => s + c.updates, 0) / counts.length),
    };
  }
  return plan;
}

/** What the bare lifecycle will make, predicted from its plan (checked against its real history). */
export function plannedCounts(plan: BarePlan): Pick<HistoryCounts, 'activities' | 'updates' | 'children'> {
  const childCount = plan.steps.reduce((s, x) => s + x.children, 0);
  return {
    activities: plan.atStart + plan.steps.reduce((s, x) => s + x.inHandler + x.after, 0) + childCount * plan.child.activities,
    updates: plan.steps.length + childCount * plan.child.updates,
    children: childCount,
  };
}

function updateIdOf(e: JsonEvent): string {
  const attrs = (e.workflowExecutionUpdateAcceptedEventAttributes ?? e.workflowExecutionUpdateCompletedEventAttributes) as
    | { acceptedRequest?: { meta?: { updateId?: string } }; meta?: { updateId?: string }; protocolInstanceId?: string; acceptedRequestMessageId?: string }
    | undefined;
  return attrs?.acceptedRequest?.meta?.updateId ?? attrs?.meta?.updateId ?? attrs?.protocolInstanceId ?? '?';
}
