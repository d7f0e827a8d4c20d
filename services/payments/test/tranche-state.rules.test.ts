import { approveRefusal, awaitingReleaseFact, canTransition, requestRefusal, type ContractFacts, type TrancheFacts } from '../src/domain/tranche-state.rules';

const facts = (over: Partial<ContractFacts> = {}): ContractFacts => ({ frozenReasons: [], midTermPassed: null, yearEndGrade: null, terminated: false, ...over });
const startUp = (status: TrancheFacts['status']): TrancheFacts => ({ kind: 'start_up', status, conditionCode: 'contract_signed' });
const midTerm = (status: TrancheFacts['status']): TrancheFacts => ({ kind: 'mid_term', status, conditionCode: 'mid_term_check_passed' });
const final = (status: TrancheFacts['status']): TrancheFacts => ({ kind: 'final', status, conditionCode: 'year_end_evaluated' });

describe('the tranche state machine', () => {
  it('when moving along pending → requested → approved → paid, or approved → failed → requested, then it is allowed; anything else is not', () => {
    expect(canTransition('pending', 'requested')).toBe(true);
    expect(canTransition('requested', 'approved')).toBe(true);
    expect(canTransition('approved', 'paid')).toBe(true);
    expect(canTransition('approved', 'failed')).toBe(true);
    expect(canTransition('failed', 'requested')).toBe(true);
    expect(canTransition('paid', 'requested')).toBe(false);
    expect(canTransition('pending', 'paid')).toBe(false);
    expect(canTransition('requested', 'paid')).toBe(false);
  });

  it('when a contract is terminated early, then pending and failed tranches may be cancelled; in-flight, paid and cancelled ones may not, and a cancelled one goes nowhere', () => {
    expect(canTransition('pending', 'cancelled')).toBe(true);
    expect(canTransition('failed', 'cancelled')).toBe(true);
    expect(canTransition('requested', 'cancelled')).toBe(false);
    expect(canTransition('approved', 'cancelled')).toBe(false);
    expect(canTransition('paid', 'cancelled')).toBe(false);
    expect(canTransition('cancelled', 'requested')).toBe(false);
    expect(canTransition('cancelled', 'paid')).toBe(false);
  });
});

describe('what may be requested', () => {
  it('when the start-up tranche is pending and the contract is not frozen, then it may be requested', () => {
    expect(requestRefusal(startUp('pending'), undefined, facts())).toBeNull();
  });

  it('when the contract is frozen, then the refusal starts with 拨付已冻结 and names every reason', () => {
    expect(requestRefusal(startUp('pending'), undefined, facts({ frozenReasons: ['签到单造假', '发票不符'] }))).toBe('拨付已冻结：签到单造假；发票不符 (payments are frozen)');
  });

  it('when the tranche is already requested, approved or paid, then it is refused; a failed one may be requested again', () => {
    expect(requestRefusal(startUp('requested'), undefined, facts())).toContain('已申请');
    expect(requestRefusal(startUp('approved'), undefined, facts())).toContain('已申请');
    expect(requestRefusal(startUp('paid'), undefined, facts())).toContain('不可重复拨付');
    expect(requestRefusal(startUp('failed'), undefined, facts())).toBeNull();
  });

  it('when the tranche before is not paid, then the mid-term and the final are refused (ordering rule)', () => {
    expect(requestRefusal(midTerm('pending'), startUp('requested'), facts({ midTermPassed: true }))).toBe('须先拨付启动资金，才能申请中期款 (the start_up tranche must be paid first)');
    expect(requestRefusal(final('pending'), midTerm('failed'), facts({ yearEndGrade: 'good' }))).toContain('须先拨付中期款');
  });

  it('when the mid-term check is missing or failed, then the mid-term tranche is refused; when it passed, it is allowed', () => {
    expect(requestRefusal(midTerm('pending'), startUp('paid'), facts())).toContain('尚无中期检查结果');
    expect(requestRefusal(midTerm('pending'), startUp('paid'), facts({ midTermPassed: false }))).toContain('中期检查未通过');
    expect(requestRefusal(midTerm('pending'), startUp('paid'), facts({ midTermPassed: true }))).toBeNull();
  });

  it('when there is no year-end grade, then the final tranche is refused — even if its condition code were changed', () => {
    expect(requestRefusal(final('pending'), midTerm('paid'), facts())).toContain('尚无结项评估等级');
    expect(requestRefusal({ ...final('pending'), conditionCode: 'contract_signed' }, midTerm('paid'), facts())).toContain('申请尾款须先有结项评估等级');
    expect(requestRefusal(final('pending'), midTerm('paid'), facts({ yearEndGrade: 'poor' }))).toBeNull();
  });
});

describe('which refusals only mean "not yet"', () => {
  it('when the releasing check has not arrived, then it is "not yet"; a failed check, a freeze, an in-flight or terminated tranche are not', () => {
    expect(awaitingReleaseFact(midTerm('pending'), startUp('paid'), facts())).toBe(true);
    expect(awaitingReleaseFact(midTerm('pending'), startUp('requested'), facts())).toBe(false);
    expect(awaitingReleaseFact(final('pending'), midTerm('paid'), facts({ midTermPassed: true }))).toBe(true);
    expect(awaitingReleaseFact(midTerm('pending'), startUp('paid'), facts({ midTermPassed: false }))).toBe(false);
    expect(awaitingReleaseFact(midTerm('pending'), startUp('paid'), facts({ midTermPassed: true }))).toBe(false);
    expect(awaitingReleaseFact(final('pending'), midTerm('paid'), facts({ yearEndGrade: 'fair' }))).toBe(false);
    expect(awaitingReleaseFact(midTerm('pending'), startUp('paid'), facts({ frozenReasons: ['发票不符'] }))).toBe(false);
    expect(awaitingReleaseFact(midTerm('requested'), startUp('paid'), facts())).toBe(false);
    expect(awaitingReleaseFact(final('pending'), midTerm('paid'), facts({ terminated: true }))).toBe(false);
    expect(awaitingReleaseFact(startUp('pending'), undefined, facts())).toBe(false);
  });
});

describe('what may be requested after an early termination', () => {
  it('when the contract is terminated, then the final tranche (the settlement) may be requested without the year-end grade or the tranche before it paid', () => {
    expect(requestRefusal(final('pending'), midTerm('cancelled'), facts({ terminated: true }))).toBeNull();
    expect(requestRefusal(final('failed'), midTerm('pending'), facts({ terminated: true }))).toBeNull();
  });

  it('when a tranche was cancelled by the termination, then it is refused as 已取消', () => {
    expect(requestRefusal(midTerm('cancelled'), startUp('paid'), facts({ terminated: true, midTermPassed: true }))).toBe(
      '中期款已取消（合同已提前终止），不再拨付 (cancelled: the contract was terminated early)',
    );
    expect(requestRefusal(final('cancelled'), midTerm('paid'), facts({ terminated: true, yearEndGrade: 'excellent' }))).toContain('尾款已取消');
  });

  it('when the terminated contract is frozen, then even the settlement is refused with 拨付已冻结', () => {
    expect(requestRefusal(final('pending'), midTerm('cancelled'), facts({ terminated: true, frozenReasons: ['发票不符'] }))).toBe('拨付已冻结：发票不符 (payments are frozen)');
  });

  it('when a tranche other than the final is still open on a terminated contract, then it is refused', () => {
    expect(requestRefusal(midTerm('pending'), startUp('paid'), facts({ terminated: true, midTermPassed: true }))).toContain('只能申请结算尾款');
  });
});

describe('what may be approved', () => {
  it('when the request is open and someone else approves, then it is allowed', () => {
    expect(approveRefusal(startUp('requested'), facts(), 'system:workflow', 'u-finance')).toBeNull();
  });

  it('when the requester approves their own request, then it is refused (four eyes)', () => {
    expect(approveRefusal(startUp('requested'), facts(), 'u-finance', 'u-finance')).toContain('审批人不能是申请人');
  });

  it('when frozen, paid, or not requested, then it is refused with the reason', () => {
    expect(approveRefusal(startUp('requested'), facts({ frozenReasons: ['严重问题'] }), 'a', 'b')).toBe('拨付已冻结：严重问题 (payments are frozen)');
    expect(approveRefusal(startUp('paid'), facts(), 'a', 'b')).toContain('不可重复拨付');
    expect(approveRefusal(startUp('pending'), facts(), 'a', 'b')).toContain('尚未申请');
    expect(approveRefusal(startUp('failed'), facts(), 'a', 'b')).toContain('尚未申请');
    expect(approveRefusal(startUp('cancelled'), facts({ terminated: true }), 'a', 'b')).toContain('已取消');
  });
});
