import type { Principal } from '@linli/auth';
import { databaseText, findPlantedNumbers, maskOf, plantNumbers } from '@linli/testing';
import { contractWorld, startPayments, type Harness } from './payments-harness';

/**
 * Issue 6, free text: whatever a person types here (a tranche's condition, the reason for adjusting a
 * plan, for freezing, lifting a freeze or terminating a contract) may hold a mobile number. Each field gets
 * a planted number of its own, over HTTP; what the service answers, stores and puts in its outbox (for
 * Kafka, the lifecycle and the audit trail) holds only the mask 139****nnnn.
 */
const FIELDS = ['plan.conditionText', 'adjustment.reason', 'adjustment.conditionText', 'freeze.reason', 'unfreeze.reason', 'termination.reason'] as const;
const PHONE = plantNumbers('5552', FIELDS);
const ALL = Object.values(PHONE);

describe('free text typed into the payments service', () => {
  let h: Harness;
  const answers: unknown[] = [];
  const call = async (method: string, path: string, opt: { body?: unknown; as: Principal; key?: string }, status: number) => {
    const res = await h.api(method, path, opt);
    if (res.status !== status) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    answers.push(res.body);
    return res.body;
  };
  const tranches = (startUpCondition: string) => [
    { kind: 'start_up', percent: 30, conditionCode: 'contract_signed', conditionText: startUpCondition },
    { kind: 'mid_term', percent: 40, conditionCode: 'mid_term_check_passed', conditionText: '中期检查通过后' },
    { kind: 'final', percent: 30, conditionCode: 'year_end_evaluated', conditionText: '结项评估后' },
  ];

  beforeAll(async () => {
    h = await startPayments();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('when numbers are typed into a plan, its adjustment, a freeze, its lifting and a termination, then every answer holds the mask', async () => {
    const w = contractWorld();
    const plan = await call('POST', '/payment-plans', { body: w.planBody(1_000_000, { tranches: tranches(`签约后拨付，经办 ${PHONE['plan.conditionText']}`) }), as: w.who.finance }, 201);
    expect(plan.tranches[0].conditionText).toBe(`签约后拨付，经办 ${maskOf(PHONE['plan.conditionText'])}`);
    const adjusted = await call(
      'PUT',
      `/contracts/${w.ids.contractId}/payment-plan/tranches`,
      { body: { reason: `财务会议决定，联系 ${PHONE['adjustment.reason']}`, tranches: tranches(`签约后拨付，改由 ${PHONE['adjustment.conditionText']} 经办`) }, as: w.who.finance },
      200,
    );
    expect(adjusted.tranches[0].conditionText).toBe(`签约后拨付，改由 ${maskOf(PHONE['adjustment.conditionText'])} 经办`);

    await h.assignAgency(w.ids.contractId, w.ids.projectId, w.ids.agencyId);
    const frozen = await call('POST', `/contracts/${w.ids.contractId}/freeze`, { body: { reason: `签到单电话 ${PHONE['freeze.reason']} 回访不符` }, as: w.who.supervisor }, 201);
    expect(frozen.activeFreezes[0].reason).toBe(`签到单电话 ${maskOf(PHONE['freeze.reason'])} 回访不符`);
    const lifted = await call('POST', `/contracts/${w.ids.contractId}/unfreeze`, { body: { reason: `已与 ${PHONE['unfreeze.reason']} 核实` }, as: w.who.supervisor }, 200);
    expect(lifted.history[0].liftReason).toBe(`已与 ${maskOf(PHONE['unfreeze.reason'])} 核实`);

    const reason = `工委会决定提前终止，联系人 ${PHONE['termination.reason']}`;
    const terminated = await call('POST', `/contracts/${w.ids.contractId}/termination`, { body: { deliveredPermille: 500, reason }, as: w.who.system, key: 'free-text/termination' }, 201);
    expect(terminated.reason).toBe(`工委会决定提前终止，联系人 ${maskOf(PHONE['termination.reason'])}`);
    // The lifecycle's retry sends the same reason under the same key: a replay, not another request.
    const replayed = await h.api('POST', `/contracts/${w.ids.contractId}/termination`, { body: { deliveredPermille: 500, reason }, as: w.who.system, key: 'free-text/termination' });
    expect(replayed.status).toBe(201);
    expect(replayed.body).toEqual(terminated);
    await call('GET', `/contracts/${w.ids.contractId}/payment-plan`, { as: w.who.finance }, 200);
    await call('GET', `/contracts/${w.ids.contractId}/freeze`, { as: w.who.finance }, 200);
  });

  it('when the answers, every table and the outbox are read, then no planted number is there in clear, and the events carry the masks', async () => {
    expect(findPlantedNumbers(JSON.stringify(answers), ALL)).toEqual([]);
    expect(findPlantedNumbers(await databaseText(h.service.prisma), ALL)).toEqual([]);

    const outbox = (await h.service.prisma.outboxEvent.findMany({ orderBy: { seq: 'asc' } })).map((row) => ({ type: row.type, payload: row.payload }));
    expect(findPlantedNumbers(JSON.stringify(outbox), ALL)).toEqual([]);
    const payloadOf = (type: string) => JSON.stringify(outbox.filter((e) => e.type === type).map((e) => e.payload));
    expect(payloadOf('payments.plan.adjusted')).toContain(maskOf(PHONE['adjustment.reason']));
    // Freezes and terminations go on to the lifecycle (its freeze Update, its timeline).
    expect(payloadOf('payments.contract.frozen')).toContain(maskOf(PHONE['freeze.reason']));
    expect(payloadOf('payments.contract.unfrozen')).toContain(maskOf(PHONE['unfreeze.reason']));
    expect(payloadOf('payments.contract.terminated')).toContain(maskOf(PHONE['termination.reason']));
  });
});
