import { authorize, principalOf } from '@linli/auth';
import { CodecPayloads } from '@linli/contracts';
import { defineRoute, type Request, type Response } from '@linli/http';
import { convertPayloads, type CodecDeps } from '../../domain/codec.use-cases';

const tags = ['Temporal 数据解密 Codec'];

/** Holds the operator's token for the Temporal UI, which over plain http cannot send a bearer token. */
export const CODEC_COOKIE = 'linli_codec';
const CODEC_PATH = '/codec';

export interface CodecOptions {
  codec: CodecDeps['codec'];
  namespace: string;
  /** Browser origins allowed to call /codec (the Temporal UI). */
  allowedOrigins: readonly string[];
}

function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(value.join('='));
    } catch {
      return undefined; // not a token of ours: the authenticator answers 401 for the missing one
    }
  }
  return undefined;
}

/**
 * CORS for the Temporal UI's origin (its requests carry X-Namespace and JSON, so the browser asks first),
 * and the codec cookie standing in for the bearer token on /codec/decode and /codec/encode. Runs before
 * the routes, so a preflight is answered without a token, and the cookie meets the one authenticator.
 */
export function codecMiddleware(opts: Pick<CodecOptions, 'allowedOrigins'>) {
  return (req: Request, res: Response, next: (err?: unknown) => void) => {
    if (req.path !== CODEC_PATH && !req.path.startsWith(`${CODEC_PATH}/`)) return next();
    const origin = req.header('origin');
    if (origin && opts.allowedOrigins.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.append('Vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'POST, DELETE');
      res.setHeader('Access-Control-Allow-Headers', 'authorization, content-type, x-namespace');
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    const sessionRoute = req.path === `${CODEC_PATH}/session`;
    if (!sessionRoute && !req.header('authorization')) {
      const token = cookieOf(req, CODEC_COOKIE);
      if (token) req.headers.authorization = `Bearer ${token}`;
    }
    next();
  };
}

/** Seconds until the token expires (its `exp`; the authenticator has verified it already). */
function secondsLeft(token: string): number {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: number };
    return Math.max(0, (claims.exp ?? 0) - Math.floor(Date.now() / 1000));
  } catch {
    return 0;
  }
}

/**
 * Temporal's remote codec protocol on POST /codec/decode and /codec/encode (the Temporal UI's Data
 * Encoder points at http://<host>:4000/codec), and POST/DELETE /codec/session for the cookie.
 */
export function codecRoutes(opts: CodecOptions) {
  const convert = (direction: 'decode' | 'encode') =>
    defineRoute({
      method: 'post',
      path: `${CODEC_PATH}/${direction}`,
      operationId: direction === 'decode' ? 'decodeTemporalPayloads' : 'encodeTemporalPayloads',
      policy: 'temporal.payload.codec',
      summary:
        direction === 'decode'
          ? '解密 Temporal 数据，供 Temporal 界面显示 (decode payloads for the Temporal UI)'
          : '加密 Temporal 数据，供 Temporal 界面发送 (encode payloads for the Temporal UI)',
      description:
        '运维人员、管理员可用。Temporal 远程编解码协议：请求与响应均为 {payloads:[{metadata,data}]}（base64）；X-Namespace 须为本部署的命名空间。令牌可放在 Authorization 头，或由 POST /codec/session 写入的 Cookie（Temporal 界面勾选 "Include cross-origin credentials"）。',
      tags,
      request: { body: CodecPayloads },
      responses: {
        200: { description: '转换后的 Payloads，顺序与请求一致', schema: CodecPayloads },
      },
      handler: async ({ body }, { req, res, log }) => {
        const payloads = await convertPayloads({ codec: opts.codec, namespace: opts.namespace, log }, principalOf(res), direction, {
          namespace: req.header('x-namespace') || undefined,
          payloads: body.payloads,
        });
        return { status: 200, body: { payloads } };
      },
    });

  return [
    convert('decode'),
    convert('encode'),
    defineRoute({
      method: 'post',
      path: `${CODEC_PATH}/session`,
      operationId: 'openCodecSession',
      policy: 'temporal.payload.codec',
      summary: '为 Temporal 界面保存解密凭据（Cookie）(let the Temporal UI decode with this token)',
      description:
        '运维人员、管理员可用。把调用者的令牌写入仅限 /codec 的 HttpOnly Cookie（SameSite=Strict，随令牌过期），Temporal 界面在 Data Encoder 中勾选 "Include cross-origin credentials" 后即可解密显示。控制台登录时自动调用。',
      tags,
      responses: { 204: { description: '已写入 Cookie' } },
      handler: async (_input, { req, res }) => {
        authorize(principalOf(res), 'temporal.payload.codec');
        // Verified by the authenticator: the bearer token itself goes into the cookie.
        const token = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')?.[1] ?? '';
        res.cookie(CODEC_COOKIE, token, {
          httpOnly: true,
          sameSite: 'strict',
          secure: req.secure,
          path: CODEC_PATH,
          maxAge: secondsLeft(token) * 1000,
        });
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'delete',
      path: `${CODEC_PATH}/session`,
      operationId: 'closeCodecSession',
      // Signing out may already have dropped the token; forgetting a cookie needs no proof of anything.
      auth: false,
      summary: '清除 Temporal 界面的解密凭据 (forget the codec cookie)',
      tags,
      responses: { 204: { description: '已清除' } },
      handler: async (_input, { res }) => {
        res.clearCookie(CODEC_COOKIE, { path: CODEC_PATH });
        return { status: 204 };
      },
    }),
  ];
}
