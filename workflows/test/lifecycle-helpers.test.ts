import { deadlineAfter, durationInWords, elapsedInWords } from '../src/project-lifecycle/deadlines';
import { describeCurrent, initialState, waitingOnFor } from '../src/project-lifecycle/lifecycle-state';

describe('deadlines', () => {
  it('when 5 working days start on a Thursday in Beijing, then the deadline skips the weekend', () => {
    // Thursday 2026-11-26 10:00 Beijing = 02:00 UTC → the following Thursday, same time.
    expect(deadlineAfter(new Date('2026-11-26T02:00:00Z'), { workingDays: 5 }).toISOString()).toBe('2026-12-03T02:00:00.000Z');
  });

  it('when it is Friday evening in Beijing (Friday noon UTC is already Friday night there), then one working day is Monday', () => {
    expect(deadlineAfter(new Date('2026-11-27T13:00:00Z'), { workingDays: 1 }).toISOString()).toBe('2026-11-30T13:00:00.000Z');
  });

  it('when the duration is in milliseconds, then it is added as is', () => {
    expect(deadlineAfter(new Date('2026-01-01T00:00:00Z'), { ms: 1500 }).toISOString()).toBe('2026-01-01T00:00:01.500Z');
  });

  it('when describing durations, then the words are Chinese', () => {
    expect(durationInWords({ workingDays: 5 })).toBe('5 个工作日');
    expect(durationInWords({ ms: 3 * 86_400_000 })).toBe('3 天');
    expect(elapsedInWords('2026-11-20T00:00:00Z', new Date('2026-11-26T01:00:00Z'))).toBe('6 天');
  });
});

describe('current details', () => {
  const base = initialState(
    { projectId: 'p', level: 'community', title: 't', subDistrictId: 's', communityId: 'c', organizationId: 'o', fiscalYear: 2026, proposalVersion: 1 },
    new Date('2026-11-20T00:00:00Z'),
  );

  it('when a joint review waits past its allowance, then the sentence says who, how long, the limit and that it is overdue', () => {
    const state = { ...base, stage: 'joint_review' as const, waitingOn: waitingOnFor('joint_review', 'community'), stageEnteredAt: '2026-11-20T00:00:00Z', deadline: '2026-11-25T00:00:00Z' };
    expect(describeCurrent(state, new Date('2026-11-26T01:00:00Z'), '5 个工作日')).toBe('等待联审会审议（待街道审核人员处理），已 6 天，时限 5 个工作日（已超时）');
  });

  it('when a step is parked, then the sentence says it needs an admin', () => {
    const state = { ...base, parked: { step: 'tranche:start_up', error: '支付服务拒绝', at: '2026-11-26T00:00:00Z', attempts: 1 } };
    expect(describeCurrent(state, new Date('2026-11-26T02:00:00Z'), null)).toBe('【需处理】步骤「tranche:start_up」失败：支付服务拒绝；已 2 小时，等待管理员重试或跳过');
  });
});
