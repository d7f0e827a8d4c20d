import { readFileSync } from 'node:fs';
import path from 'node:path';
import { countHistory, planFromHistory, plannedCounts, type JsonEvent } from '../src/bare/bare-plan';

// A recorded lifecycle (every gate approved, three tranches) from the workflow tests' fixtures.
const recorded = JSON.parse(readFileSync(path.join(__dirname, '../../workflows/test/histories/approved-straight-through.json'), 'utf8')) as {
  history: { events: JsonEvent[] };
};
const events = recorded.history.events;

describe('the bare plan of a lifecycle history', () => {
  it('when read from a lifecycle that went straight through, then it has its Updates, activities and children', () => {
    const counts = countHistory(events);
    const plan = planFromHistory(events);
    expect(plan.steps).toHaveLength(counts.updates);
    expect(plannedCounts(plan)).toEqual({ activities: counts.activities, updates: counts.updates, children: counts.children });
    expect(counts.children).toBe(3);
  });

  it('when a review decision runs its activity inside the Update, then that activity is counted in the handler', () => {
    const plan = planFromHistory(events);
    // submit, then 预审, 联审, 工委会: each decision records itself with the proposal (and, in this
    // recording, publishes its event) before the Update completes; submitting runs nothing in the handler.
    expect(plan.steps.slice(1, 4).map((s) => s.inHandler)).toEqual([2, 2, 2]);
    expect(plan.steps[0]!.inHandler).toBe(0);
    expect(plan.steps[0]!.after).toBeGreaterThan(0);
  });

  it('when children have histories, then the child shape is their average', () => {
    const child = (activities: number, updates: number): JsonEvent[] => [
      ...Array.from({ length: activities }, () => ({ eventType: 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED' })),
      ...Array.from({ length: updates }, () => ({ eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED' })),
    ];
    expect(planFromHistory(events, [child(1, 1), child(1, 1), child(2, 0)]).child).toEqual({ activities: 1, updates: 1 });
  });
});
