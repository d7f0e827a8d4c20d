import { Writable } from 'node:stream';
import { createLogger, maskPhone, scrubPersonalData, scrubText, shouldPrettyPrint } from './index';

// Every logger here names its level and an empty env: the test run's LOG_LEVEL / LOG_FORMAT must not change
// what these tests see.

/** A destination that keeps every line written, so tests read exactly what production would print. */
function captureStream() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return {
    stream,
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

const PHONE = '13812341234';
const MASKED = '138****1234';

describe('createLogger', () => {
  it('when logging in JSON mode, then each line carries service, pid, a level word and the message', () => {
    const out = captureStream();
    const log = createLogger({ service: 'projects', level: 'info', env: {}, pretty: false, destination: out.stream });

    log.info({ projectId: 'p-1' }, 'project created');

    const [line] = out.lines();
    expect(line).toMatchObject({ service: 'projects', pid: process.pid, level: 'info', msg: 'project created', projectId: 'p-1' });
    expect(typeof line?.time).toBe('string');
  });

  it('when a child logger is made for a request, then its lines carry reqId', () => {
    const out = captureStream();
    const log = createLogger({ service: 'projects', level: 'info', env: {}, pretty: false, destination: out.stream });

    log.child({ reqId: 'req-42' }).info('handling');

    expect(out.lines()[0]).toMatchObject({ reqId: 'req-42', service: 'projects' });
  });

  it('when a phone number is planted as a field at several depths and in arrays, then it never appears in clear', () => {
    const out = captureStream();
    const log = createLogger({ service: 'residents', level: 'info', env: {}, pretty: false, destination: out.stream });

    log.info(
      {
        phone: PHONE,
        resident: { name: '王芳', phoneNumber: PHONE, contact: { mobile: PHONE } },
        participants: [{ name: 'A', phone: PHONE }],
        deeply: { nested: { list: [{ phone: PHONE }] } },
        numeric: { phone: 13812341234 },
      },
      'resident registered',
    );

    const text = out.text();
    expect(text).not.toContain(PHONE);
    const [line] = out.lines();
    expect(line?.phone).toBe(MASKED);
    expect(line?.resident).toEqual({ name: '王芳', phoneNumber: MASKED, contact: { mobile: MASKED } });
    expect(line?.participants).toEqual([{ name: 'A', phone: MASKED }]);
    expect(line?.numeric).toEqual({ phone: MASKED });
  });

  it('when a phone number is inside the message, a free-text field, a child binding or an error, then it is masked', () => {
    const out = captureStream();
    const log = createLogger({ service: 'residents', level: 'info', env: {}, pretty: false, destination: out.stream });

    log.info(`calling resident at ${PHONE}`);
    log.info({ note: `请联系 ${PHONE} 或 +86 139-8765-4321` }, 'wish submitted');
    log.child({ context: `caller ${PHONE}` }).warn('child line');
    log.error({ err: new Error(`SMS to ${PHONE} failed`) }, 'notification failed');
    log.info('%s called', PHONE);

    const text = out.text();
    expect(text).not.toContain(PHONE);
    expect(text).not.toContain('8765-4321');
    const lines = out.lines();
    expect(lines[0]?.msg).toBe(`calling resident at ${MASKED}`);
    expect(lines[1]?.note).toBe(`请联系 ${MASKED} 或 +86 139****4321`);
    expect(lines[2]?.context).toBe(`caller ${MASKED}`);
    expect((lines[3]?.err as { message: string }).message).toBe(`SMS to ${MASKED} failed`);
    expect(lines[4]?.msg).toBe(`${MASKED} called`);
  });

  it('when a request with an authorization header, a cookie and a password is logged, then those values are redacted', () => {
    const out = captureStream();
    const log = createLogger({ service: 'gateway', level: 'info', env: {}, pretty: false, destination: out.stream });

    log.info(
      {
        req: { method: 'POST', headers: { authorization: 'Bearer eyJhbGciOi.secret', cookie: 'sid=abc', 'x-api-key': 'k-1' } },
        body: { password: 'hunter2', token: 't-1' },
      },
      'incoming',
    );

    const text = out.text();
    expect(text).not.toContain('eyJhbGciOi');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('sid=abc');
    expect(text).not.toContain('k-1');
    const [line] = out.lines();
    expect(line?.req).toEqual({
      method: 'POST',
      headers: { authorization: '[REDACTED]', cookie: '[REDACTED]', 'x-api-key': '[REDACTED]' },
    });
    expect(line?.body).toEqual({ password: '[REDACTED]', token: '[REDACTED]' });
  });

  it('when numbers only look phone-like (timestamps, amounts, longer ids), then they are left alone', () => {
    const out = captureStream();
    const log = createLogger({ service: 'payments', level: 'info', env: {}, pretty: false, destination: out.stream });

    log.info({ amountFen: 13812341234, at: 1795830781932, orderNo: 'ORD138123412345678' }, 'paid');

    const [line] = out.lines();
    expect(line).toMatchObject({ amountFen: 13812341234, at: 1795830781932, orderNo: 'ORD138123412345678' });
  });

  it('when pretty printing, then the line is human-readable and still masked', () => {
    const out = captureStream();
    const log = createLogger({ service: 'projects', level: 'info', env: {}, pretty: true, destination: out.stream });

    log.info({ phone: PHONE }, `hello ${PHONE}`);

    const text = out.text();
    expect(text).toContain('INFO');
    expect(text).toContain(`hello ${MASKED}`);
    expect(text).not.toContain(PHONE);
    expect(() => JSON.parse(text)).toThrow();
  });

  it('when the level is warn, then info lines are dropped', () => {
    const out = captureStream();
    const log = createLogger({ service: 'projects', level: 'warn', env: {}, pretty: false, destination: out.stream });
    log.info('quiet');
    log.warn('loud');
    expect(out.lines().map((line) => line.msg)).toEqual(['loud']);
  });
});

describe('shouldPrettyPrint', () => {
  it.each([
    [{ NODE_ENV: 'development' }, true],
    [{}, true],
    [{ NODE_ENV: 'production' }, false],
    [{ NODE_ENV: 'test' }, false],
    [{ NODE_ENV: 'development', LOG_FORMAT: 'json' }, false],
    [{ NODE_ENV: 'production', LOG_FORMAT: 'pretty' }, true],
  ])('when the environment is %p, then pretty is %p', (env, expected) => {
    expect(shouldPrettyPrint(env)).toBe(expected);
  });
});

describe('maskPhone', () => {
  it('when given a mainland mobile number, then the first 3 and last 4 digits are kept', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('+86 138-1234-1234')).toBe('138****1234');
    expect(maskPhone(19912345678)).toBe('199****5678');
  });

  it('when given something too short to mask partly, then nothing is kept', () => {
    expect(maskPhone('12345')).toBe('****');
  });
});

describe('scrubText', () => {
  it('when text holds mobile numbers in several spellings, then each is masked and the rest kept', () => {
    expect(scrubText('a 13812341234 b 138 1234 5678 c 8613912345678 d')).toBe(
      'a 138****1234 b 138****5678 c 86139****5678 d',
    );
  });

  it('when digits are part of a longer number or do not start like a mobile, then they are kept', () => {
    expect(scrubText('1381234123456 12812341234 0138123412345')).toBe('1381234123456 12812341234 0138123412345');
  });

  it('when a number is typed the way people write it, beside Chinese, letters or punctuation, then it is masked', () => {
    expect(scrubText('请联系13812345678')).toBe('请联系138****5678');
    expect(scrubText('电话：+86 138-1234-5678。')).toBe('电话：+86 138****5678。');
    expect(scrubText('0086 13812345678；tel13812345678，(139 1234 5678)')).toBe('0086 138****5678；tel138****5678，(139****5678)');
    expect(scrubText('老兵-13812345678-联系人')).toBe('老兵-138****5678-联系人');
  });

  it('when a UUID holds a digit run shaped like a mobile number, then the UUID is left whole and a number beside it still masked', () => {
    const ids = [
      '0f1e2d3c-4b5a-4c6d-8e7f-a13812345678', // 11 digits after a hex letter
      '0f1e2d3c-4b5a-4c6d-8e7f-13812345678b', // 11 digits before one
      '0F1E2D3C-4B5A-4C6D-8E7F-13812345678B', // upper case
      '0f1e2d3c-a138-1234-5678-9abcdef01234', // 3-4-4 between dashes
      '0f1e2d3c-4b5a-4c6d-8e7f-138123456789', // an all-digit last group
    ];
    for (const id of ids) {
      expect(scrubText(id)).toBe(id);
      expect(scrubText(`project-${id}/tranche/final/1`)).toBe(`project-${id}/tranche/final/1`);
      expect(scrubText(`项目 ${id}：请联系13812345678`)).toBe(`项目 ${id}：请联系138****5678`);
    }
  });
});

describe('scrubPersonalData', () => {
  it('when given nested data, then sensitive keys are censored, strings scrubbed, and the input untouched', () => {
    const input = {
      name: '李雷',
      phone: PHONE,
      password: 'p',
      notes: [`call ${PHONE}`],
      when: new Date('2025-01-01T00:00:00Z'),
      inner: { idCard: '110101199003071234' },
    };
    const output = scrubPersonalData(input);

    expect(output).toEqual({
      name: '李雷',
      phone: MASKED,
      password: '[REDACTED]',
      notes: [`call ${MASKED}`],
      when: new Date('2025-01-01T00:00:00Z'),
      inner: { idCard: '[REDACTED]' },
    });
    expect(input.phone).toBe(PHONE);
    expect(input.notes[0]).toBe(`call ${PHONE}`);
  });

  it('when given an Error or a cyclic object, then it returns a plain, scrubbed, finite copy', () => {
    const cyclic: Record<string, unknown> = { message: `from ${PHONE}` };
    cyclic.self = cyclic;
    const scrubbed = scrubPersonalData({ cyclic, err: new Error(`boom ${PHONE}`) });

    expect(JSON.stringify(scrubbed.err)).not.toContain(PHONE);
    expect((scrubbed.err as unknown as { message: string }).message).toBe(`boom ${MASKED}`);
    expect(scrubbed.cyclic.message).toBe(`from ${MASKED}`);
    expect(scrubbed.cyclic.self).toBe(scrubbed.cyclic);
  });
});
