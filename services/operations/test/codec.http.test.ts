import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROLES, ROLE_LABELS, ROLE_SCOPE, type Principal, type Role } from '@linli/auth';
import type { CodecPayload } from '@linli/contracts';
import { ENCRYPTED_ENCODING } from '@linli/temporal';
import { TEST_ADMIN, tokenFor } from '@linli/testing';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { who, startOps, type Ops } from './ops-harness';

/**
 * The codec endpoint the Temporal UI's Data Encoder calls: real sealed payloads, read from the real
 * Temporal server's history without the codec, opened for operators and admins only.
 */
const PHONE = '13933170002';
const UI_ORIGIN = 'http://127.0.0.1:8233';
const principalOf = (role: Role): Principal => ({ userId: `u-${role}`, role, scope: { kind: ROLE_SCOPE[role], id: ROLE_SCOPE[role] === 'platform' ? 'linli' : randomUUID() } });
const text = (base64: string | undefined) => Buffer.from(base64 ?? '', 'base64').toString('utf8');

let ops: Ops;
let connection: Connection;
/** The lifecycle's start input as the Temporal UI receives it: protobuf JSON straight from the server. */
let sealedInput: { payloads: CodecPayload[] };
let workflowId: string;

beforeAll(async () => {
  ops = await startOps();
  const p = await ops.lifecycles.start({ title: `延静里社区老兵俱乐部（联系人 ${PHONE}）` });
  workflowId = p.handle.workflowId;
  connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const raw = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE! });
  const history = JSON.parse(historyToJSON(await raw.workflow.getHandle(p.handle.workflowId).fetchHistory()));
  sealedInput = history.events[0].workflowExecutionStartedEventAttributes.input;
});
afterAll(async () => {
  await connection?.close();
  await ops?.stop();
});

const codec = async (path: string, body: unknown, headers: Record<string, string>) => {
  const res = await fetch(`${ops.service.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
};
const bearer = async (p: Principal) => ({ authorization: `Bearer ${await tokenFor(p)}`, 'x-namespace': process.env.TEMPORAL_NAMESPACE! });

describe('POST /codec/decode and /codec/encode', () => {
  it('when the history is read without the codec, then the input is ciphertext; when an operator decodes it, then the number is there', async () => {
    expect(sealedInput.payloads).toHaveLength(1);
    expect(text(sealedInput.payloads[0]!.metadata.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(sealedInput.payloads[0]!.data)).not.toContain(PHONE);

    const res = await codec('/codec/decode', sealedInput, await bearer(who.operator));
    expect(res.status).toBe(200);
    expect(text(res.body.payloads[0].metadata.encoding)).toBe('json/plain');
    expect(JSON.parse(text(res.body.payloads[0].data))).toMatchObject({ title: `延静里社区老兵俱乐部（联系人 ${PHONE}）`, projectId: expect.any(String) });
  });

  it('when an admin encodes a payload, then it comes back sealed and decodes to the same bytes', async () => {
    const plain = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from(JSON.stringify({ phone: PHONE })).toString('base64') };
    const encoded = await codec('/codec/encode', { payloads: [plain] }, await bearer(TEST_ADMIN));
    expect(encoded.status).toBe(200);
    expect(text(encoded.body.payloads[0].metadata.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(encoded.body.payloads[0].data)).not.toContain(PHONE);
    const decoded = await codec('/codec/decode', encoded.body, await bearer(TEST_ADMIN));
    expect(decoded.body).toEqual({ payloads: [plain] });
  });

  const refused = ROLES.filter((role) => role !== 'operator' && role !== 'admin');
  it.each(refused)('when a %s asks to decode, then 403 with the reason and nothing decoded', async (role) => {
    for (const path of ['/codec/decode', '/codec/encode']) {
      const res = await codec(path, sealedInput, await bearer(principalOf(role)));
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.detail).toContain(`${ROLE_LABELS[role]}无权「在 Temporal 界面中解密查看流程数据」`);
      expect(JSON.stringify(res.body)).not.toContain(PHONE);
    }
  });

  it('when no token is sent, or the cookie is garbage, then 401', async () => {
    expect((await codec('/codec/decode', sealedInput, {})).status).toBe(401);
    expect((await codec('/codec/decode', sealedInput, { cookie: 'linli_codec=%E0%A4%A' })).status).toBe(401);
  });

  it('when the UI asks for another namespace, then 400 naming the X-Namespace header', async () => {
    const res = await codec('/codec/decode', sealedInput, { ...(await bearer(who.operator)), 'x-namespace': 'default' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'headers.x-namespace', message: `expected ${process.env.TEMPORAL_NAMESPACE}, got default` }]);
  });

  it('when a sealed payload was tampered with, or the body is not Payloads, then 400 naming what is wrong', async () => {
    const data = Buffer.from(sealedInput.payloads[0]!.data!, 'base64');
    data[data.length - 1] = data[data.length - 1]! ^ 1;
    const tampered = await codec('/codec/decode', { payloads: [{ ...sealedInput.payloads[0], data: data.toString('base64') }] }, await bearer(who.operator));
    expect(tampered.status).toBe(400);
    expect(tampered.body.errors[0]).toMatchObject({ path: 'body.payloads[0]', message: expect.stringContaining('failed authentication') });
    const notPayloads = await codec('/codec/decode', { payloads: [{ data: 'not base64!' }] }, await bearer(who.operator));
    expect(notPayloads.status).toBe(400);
    expect(notPayloads.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.payloads[0].data']);
  });
});

describe('the Temporal CLI', () => {
  // The CLI `pnpm infra up` built; asynchronous, since the service answering it runs in this process.
  const cli = path.join(process.env.LINLI_HOME ?? path.join(__dirname, '..', '..', '..', '.linli'), 'bin', 'temporal');
  const show = async (...extra: string[]) =>
    (
      await promisify(execFile)(
        cli,
        ['workflow', 'show', '-w', workflowId, '--address', process.env.TEMPORAL_ADDRESS!, '--namespace', process.env.TEMPORAL_NAMESPACE!, '--output', 'json', ...extra],
        { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 },
      )
    ).stdout;

  it('when `temporal workflow show` prints the history, then without the codec the number is absent, and through this endpoint it is there', async () => {
    // --output json prints payloads as protobuf JSON: metadata and data in base64.
    const inputOf = (output: string) => JSON.parse(output).events[0].workflowExecutionStartedEventAttributes.input.payloads[0] as CodecPayload;
    const sealed = inputOf(await show());
    expect(text(sealed.metadata.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(sealed.data)).not.toContain(PHONE);
    const opened = inputOf(await show('--codec-endpoint', `${ops.service.url}/codec`, '--codec-auth', `Bearer ${await tokenFor(who.operator)}`));
    expect(text(opened.metadata.encoding)).toBe('json/plain');
    expect(text(opened.data)).toContain(`延静里社区老兵俱乐部（联系人 ${PHONE}）`);
  });
});

describe('the Temporal UI in the browser', () => {
  it('when the UI asks first (CORS preflight), then its origin is allowed with credentials, and another origin is not', async () => {
    const preflight = (origin: string) =>
      fetch(`${ops.service.url}/codec/decode`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
      });
    const ui = await preflight(UI_ORIGIN);
    expect(ui.status).toBe(204);
    expect(ui.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(ui.headers.get('access-control-allow-credentials')).toBe('true');
    expect(ui.headers.get('access-control-allow-headers')).toContain('x-namespace');
    expect((await preflight('http://localhost:8233')).headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('when an operator opens a codec session, then the UI decodes with the cookie alone; a secretary cannot open one', async () => {
    const session = await fetch(`${ops.service.url}/codec/session`, { method: 'POST', headers: { authorization: `Bearer ${await tokenFor(who.operator)}` } });
    expect(session.status).toBe(204);
    const cookie = session.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^linli_codec=[^;]+; Max-Age=\d+; Path=\/codec; Expires=.+; HttpOnly; SameSite=Strict$/);
    const res = await codec('/codec/decode', sealedInput, { cookie: cookie.split(';')[0]!, origin: UI_ORIGIN, 'x-namespace': process.env.TEMPORAL_NAMESPACE! });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(text(res.body.payloads[0].data)).toContain(PHONE);

    const secretary = await fetch(`${ops.service.url}/codec/session`, { method: 'POST', headers: { authorization: `Bearer ${await tokenFor(who.secretary)}` } });
    expect(secretary.status).toBe(403);
    expect(secretary.headers.get('set-cookie')).toBeNull();
    const forged = await codec('/codec/decode', sealedInput, { cookie: `linli_codec=${await tokenFor(who.secretary)}`, 'x-namespace': process.env.TEMPORAL_NAMESPACE! });
    expect(forged.status).toBe(403);

    // Signing out of the console forgets it (no token needed to forget).
    const signOut = await fetch(`${ops.service.url}/codec/session`, { method: 'DELETE' });
    expect(signOut.status).toBe(204);
    expect(signOut.headers.get('set-cookie')).toMatch(/^linli_codec=; Path=\/codec; Expires=Thu, 01 Jan 1970/);
  });
});
