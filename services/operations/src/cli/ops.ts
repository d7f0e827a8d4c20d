/**
 * `pnpm ops <command>` — the operations service from a terminal. It talks to the operations API only
 * (OPS_URL, default http://127.0.0.1:4000) with a token: OPS_TOKEN, or a development login as a demo
 * identity (--as operator|admin) when the service allows dev login.
 *
 * Exit codes: 0 done; 1 refused or failed (403, 404, 409, the service unreachable, a batch with failures,
 * a confirmation declined, a broken audit chain); 2 usage (unknown command or flag, missing argument,
 * invalid input).
 */
import { createInterface } from 'node:readline';
import { localTime, renderTable, yuan, type Column } from './table';

const HELP = `用法 (usage): pnpm ops <command> [options]

命令 (commands):
  list                      项目列表 (list lifecycles)
      --stage <s[,s]>  --sub-district <id>  --community <id>  --organization <id>  --fiscal-year <n>
      --waiting-on <role>  --overdue  --needs-attention  --parked  --q <text>  --sort updatedAt|deadline
      --limit <n>  --all (follow every page)
  stalled [--kind parked|overdue]   卡住的流程 (parked first, then overdue)
  show <project>            项目详情（项目编号，或能唯一匹配的名称）
  retry <project> --reason "…"      重试停住的步骤（管理员）
  skip <project> --reason "…"       跳过停住的步骤（管理员）
  escalate <project> --reason "…"   升级
  remind <project> --reason "…"     催办
  batch-retry --filter "parkedStepPrefix=tranche:,subDistrictId=…" --reason "…" [--yes]
                            批量重试：先显示数量，确认后执行（--yes 不再询问）
  audit verify              校验审计链（逐条重算哈希）：完好退出码 0，有断裂退出码 1 并指出第一处

通用选项 (global): --json  --as operator|admin  --url <ops url>  --help
环境变量 (env): OPS_URL (default http://127.0.0.1:4000), OPS_TOKEN
退出码 (exit codes): 0 成功 ok · 1 被拒绝或失败 refused/failed · 2 用法错误 usage`;

class UsageError extends Error {}
class Refused extends Error {}

interface Parsed {
  command: string | undefined;
  positional: string[];
  flags: Map<string, string | true>;
}

const BOOLEAN_FLAGS = new Set(['json', 'overdue', 'needs-attention', 'parked', 'all', 'yes', 'help']);

export function parseArgs(argv: string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') continue;
    if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
      if (BOOLEAN_FLAGS.has(name)) {
        flags.set(name, true);
        continue;
      }
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`选项 --${name} 需要一个值 (--${name} needs a value)`);
      flags.set(name, value);
    } else if (arg === '-h') flags.set('help', true);
    else positional.push(arg);
  }
  return { command: positional.shift(), positional, flags };
}

interface Context {
  url: string;
  token: string;
  json: boolean;
  out: (text: string) => void;
}

interface Problem {
  status: number;
  detail?: string;
  title?: string;
  errors?: { path: string; message: string }[];
}

async function call<T>(ctx: Context, method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${ctx.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ctx.token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new Refused(`无法连接运维服务 ${ctx.url} (service unreachable): ${(error as Error).message}`);
  }
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const p = (data ?? {}) as Problem;
    const fields = p.errors?.length ? `\n${p.errors.map((e) => `  ${e.path}: ${e.message}`).join('\n')}` : '';
    const message = `${res.status} ${p.detail ?? p.title ?? res.statusText}${fields}`;
    if (res.status === 400) throw new UsageError(message);
    throw new Refused(message);
  }
  return data as T;
}

const IDENTITIES: Record<string, object> = {
  operator: { userId: 'cli-operator', name: '运维人员（命令行）', role: 'operator', scope: { kind: 'platform', id: 'linli' } },
  admin: { userId: 'cli-admin', name: '管理员（命令行）', role: 'admin', scope: { kind: 'platform', id: 'linli' } },
};

async function tokenFor(url: string, as: string | undefined, env: NodeJS.ProcessEnv): Promise<string> {
  if (env.OPS_TOKEN && !as) return env.OPS_TOKEN;
  const name = as ?? 'operator';
  const identity = IDENTITIES[name];
  if (!identity) throw new UsageError(`--as 只能是 ${Object.keys(IDENTITIES).join(' | ')} (unknown identity ${name})`);
  let res: Response;
  try {
    res = await fetch(`${url}/auth/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(identity) });
  } catch (error) {
    throw new Refused(`无法连接运维服务 ${url} (service unreachable): ${(error as Error).message}`);
  }
  if (res.status === 404) throw new Refused('该服务未开启开发登录：请设置 OPS_TOKEN (dev login is off; set OPS_TOKEN)');
  if (!res.ok) throw new Refused(`开发登录失败 (dev login failed): ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

// ——— views ———

interface Summary {
  projectId: string;
  title: string;
  stage: string;
  stageLabel: string;
  waitingOn: string | null;
  waitingOnLabel: string | null;
  assignee: { userId: string; name: string | null } | null;
  stageEnteredAt: string;
  deadline: string | null;
  overdue: boolean;
  needsAttention: boolean;
  parked: { step: string; error: string; since: string; attempts: number } | null;
  currentDetails: string;
  committedFen: number | null;
  paidFen: number;
  subDistrictName: string | null;
  subDistrictId: string;
  communityName: string | null;
  communityId: string | null;
  fiscalYear: number;
}

const flagsOf = (p: Summary) => [p.parked ? '停住' : '', p.overdue ? '超时' : '', p.needsAttention && !p.parked && !p.overdue ? '需处理' : ''].filter(Boolean).join(' ');
const whoOf = (p: Pick<Summary, 'assignee' | 'waitingOnLabel' | 'waitingOn'>) => (p.assignee ? `${p.assignee.name ?? p.assignee.userId}（改派）` : (p.waitingOnLabel ?? p.waitingOn ?? '—'));

const PROJECT_COLUMNS: Column<Summary>[] = [
  { header: '项目编号', value: (p) => p.projectId.slice(0, 8) },
  { header: '项目', value: (p) => p.title, max: 24 },
  { header: '阶段', value: (p) => p.stageLabel },
  { header: '标记', value: flagsOf },
  { header: '待谁处理', value: whoOf, max: 18 },
  { header: '自何时', value: (p) => localTime(p.stageEnteredAt) },
  { header: '时限', value: (p) => localTime(p.deadline) },
  { header: '当前状态', value: (p) => p.currentDetails, max: 50 },
];

const LIST_FLAGS: Record<string, string> = {
  stage: 'stage',
  'sub-district': 'subDistrictId',
  community: 'communityId',
  organization: 'organizationId',
  'fiscal-year': 'fiscalYear',
  'waiting-on': 'waitingOn',
  q: 'q',
  sort: 'sort',
  limit: 'limit',
};

function allowOnly(flags: Parsed['flags'], allowed: string[]): void {
  for (const name of flags.keys()) {
    if (!allowed.includes(name) && !['json', 'as', 'url', 'help'].includes(name)) throw new UsageError(`未知选项 --${name} (unknown option)`);
  }
}

async function list(ctx: Context, { flags }: Parsed): Promise<number> {
  allowOnly(flags, [...Object.keys(LIST_FLAGS), 'overdue', 'needs-attention', 'parked', 'all']);
  const params = new URLSearchParams();
  for (const [flag, param] of Object.entries(LIST_FLAGS)) {
    const v = flags.get(flag);
    if (typeof v === 'string') params.set(param, v);
  }
  if (flags.get('overdue')) params.set('overdue', 'true');
  if (flags.get('needs-attention')) params.set('needsAttention', 'true');
  if (flags.get('parked')) params.set('parked', 'true');
  if (!params.has('limit')) params.set('limit', '50');
  const items: Summary[] = [];
  let cursor: string | null = null;
  do {
    if (cursor) params.set('cursor', cursor);
    const page: { items: Summary[]; nextCursor: string | null } = await call(ctx, 'GET', `/projects?${params}`);
    items.push(...page.items);
    cursor = flags.get('all') ? page.nextCursor : null;
    if (!flags.get('all') && page.nextCursor && !ctx.json) ctx.out(`（还有更多，用 --all 列出全部 / more: --all）`);
  } while (cursor);
  if (ctx.json) ctx.out(JSON.stringify(items, null, 2));
  else ctx.out(items.length ? `${renderTable(items, PROJECT_COLUMNS)}\n共 ${items.length} 个项目` : '没有项目 (no projects)');
  return 0;
}

interface StalledItem {
  project: Summary;
  kind: 'parked' | 'overdue';
  reason: string;
  ageText: string;
  deadline: string | null;
  waitingOnLabel: string | null;
}

async function stalled(ctx: Context, { flags }: Parsed): Promise<number> {
  allowOnly(flags, ['kind', 'limit']);
  const params = new URLSearchParams({ limit: String(flags.get('limit') ?? '100') });
  const kind = flags.get('kind');
  if (typeof kind === 'string') params.set('kind', kind);
  const page = await call<{ items: StalledItem[] }>(ctx, 'GET', `/stalled?${params}`);
  if (ctx.json) ctx.out(JSON.stringify(page.items, null, 2));
  else
    ctx.out(
      page.items.length
        ? renderTable(page.items, [
            { header: '类型', value: (i) => (i.kind === 'parked' ? '停住' : '超时') },
            { header: '项目编号', value: (i) => i.project.projectId.slice(0, 8) },
            { header: '项目', value: (i) => i.project.title, max: 24 },
            { header: '原因', value: (i) => i.reason, max: 48 },
            { header: '已多久', value: (i) => i.ageText },
            { header: '时限', value: (i) => localTime(i.deadline) },
            { header: '待谁处理', value: (i) => i.waitingOnLabel ?? '—' },
            { header: '阶段', value: (i) => i.project.stageLabel },
          ])
        : '没有卡住的流程 (nothing stalled)',
    );
  return 0;
}

/** A project id, an id prefix, or a title that matches exactly one project. */
async function resolveProject(ctx: Context, ref: string | undefined): Promise<string> {
  if (!ref) throw new UsageError('缺少项目（编号或名称）(missing <project>)');
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref)) return ref.toLowerCase();
  const page = await call<{ items: Summary[] }>(ctx, 'GET', `/projects?limit=5&q=${encodeURIComponent(ref)}`);
  const exact = page.items.filter((p) => p.title === ref);
  const pick = exact.length === 1 ? exact : page.items;
  if (pick.length === 1) return pick[0]!.projectId;
  if (pick.length === 0) throw new Refused(`没有找到项目「${ref}」(no project matches)`);
  throw new UsageError(`「${ref}」匹配多个项目，请用项目编号：\n${pick.map((p) => `  ${p.projectId}  ${p.title}`).join('\n')}`);
}

async function show(ctx: Context, { positional, flags }: Parsed): Promise<number> {
  allowOnly(flags, []);
  const projectId = await resolveProject(ctx, positional[0]);
  const d = await call<any>(ctx, 'GET', `/projects/${projectId}`);
  if (ctx.json) {
    ctx.out(JSON.stringify(d, null, 2));
    return 0;
  }
  const p = d.project as Summary;
  const lines = [
    `${p.title}  [${p.stageLabel}]${flagsOf(p) ? `  ${flagsOf(p)}` : ''}`,
    `项目编号  ${p.projectId}`,
    `街道/社区  ${p.subDistrictName ?? p.subDistrictId} / ${p.communityId ? (p.communityName ?? p.communityId) : '街道级'}  ·  ${p.fiscalYear} 年度`,
    `待谁处理  ${whoOf(p)}`,
    `自何时    ${localTime(p.stageEnteredAt)}`,
    `时限      ${localTime(p.deadline)}${p.overdue ? '（已超时）' : ''}`,
    `当前状态  ${p.currentDetails}`,
    `金额      已承诺 ${yuan(p.committedFen)} · 已拨付 ${yuan(p.paidFen)}`,
    ...(p.parked ? [`停住      步骤「${p.parked.step}」：${p.parked.error}（${localTime(p.parked.since)} 起，${p.parked.attempts} 次尝试）`] : []),
    ...(d.live.available ? [] : [`（无法读取流程实时状态：${d.live.error}）`]),
    `Temporal  ${d.temporalUrl}`,
    `可用操作  ${d.actions.length ? d.actions.join(', ') : '—'}`,
    '',
    '款项 (tranches)',
    renderTable(d.tranches as any[], [
      { header: '款项', value: (t) => t.label },
      { header: '拨付条件', value: (t) => t.condition, max: 30 },
      { header: '状态', value: (t) => t.statusLabel },
      { header: '金额', value: (t) => yuan(t.amountFen), right: true },
      { header: '次数', value: (t) => String(t.attempts), right: true },
    ]),
    '',
    `预算与实际 (budget vs actual) — ${d.budget.note}`,
    ...(d.budget.lines.length
      ? [
          renderTable(d.budget.lines as any[], [
            { header: '预算行', value: (l) => l.lineId },
            { header: '说明', value: (l) => l.description, max: 30 },
            { header: '预算', value: (l) => yuan(l.budgetFen), right: true },
            { header: '实际', value: (l) => yuan(l.actualFen), right: true },
            { header: '差额', value: (l) => (l.varianceFen === null ? '—' : yuan(l.varianceFen)), right: true },
          ]),
        ]
      : []),
    '',
    '时间线 (timeline, latest 20)',
    renderTable((d.timeline as any[]).slice(-20), [
      { header: '时间', value: (e) => localTime(e.at) },
      { header: '来源', value: (e) => e.source },
      { header: '内容', value: (e) => e.summary, max: 60 },
      { header: '谁', value: (e) => (e.by ? `${e.by.userId}(${e.by.role})` : '—') },
    ]),
  ];
  ctx.out(lines.join('\n'));
  return 0;
}

function needReason(flags: Parsed['flags']): string {
  const reason = flags.get('reason');
  if (typeof reason !== 'string' || !reason.trim()) throw new UsageError('须写明理由：--reason "…" (a reason is required)');
  return reason;
}

function action(name: 'retry' | 'skip' | 'escalate' | 'remind') {
  return async (ctx: Context, { positional, flags }: Parsed): Promise<number> => {
    allowOnly(flags, ['reason']);
    const reason = needReason(flags);
    const projectId = await resolveProject(ctx, positional[0]);
    const res = await call<{ auditId: string; project: Summary }>(ctx, 'POST', `/projects/${projectId}/${name}`, { reason });
    if (ctx.json) ctx.out(JSON.stringify(res, null, 2));
    else ctx.out(`已执行 ${name}：${res.project.title} → ${res.project.stageLabel}\n${res.project.currentDetails}\n审计编号 ${res.auditId}`);
    return 0;
  };
}

const FILTER_KEYS: Record<string, string> = {
  stage: 'stage',
  subDistrictId: 'subDistrictId',
  'sub-district': 'subDistrictId',
  communityId: 'communityId',
  community: 'communityId',
  organizationId: 'organizationId',
  organization: 'organizationId',
  fiscalYear: 'fiscalYear',
  'fiscal-year': 'fiscalYear',
  waitingOn: 'waitingOn',
  level: 'level',
  q: 'q',
  parkedStepPrefix: 'parkedStepPrefix',
  step: 'parkedStepPrefix',
  parkedSince: 'parkedSince',
  since: 'parkedSince',
};

export function parseFilter(text: string): Record<string, string | number> {
  const filter: Record<string, string | number> = {};
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const at = part.indexOf('=');
    if (at <= 0) throw new UsageError(`筛选条件应为 key=value：「${part}」(filter parts are key=value)`);
    const key = FILTER_KEYS[part.slice(0, at).trim()];
    if (!key) throw new UsageError(`未知的筛选条件「${part.slice(0, at)}」，可用：${[...new Set(Object.values(FILTER_KEYS))].join(', ')}`);
    const value = part.slice(at + 1).trim();
    filter[key] = key === 'fiscalYear' ? Number(value) : key === 'parkedSince' && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : value;
  }
  return filter;
}

async function ask(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  return new Promise((resolve) => {
    let answered = false;
    rl.question(question, (answer) => {
      answered = true;
      rl.close();
      resolve(/^(y|yes|是|确认)$/i.test(answer.trim()));
    });
    rl.on('close', () => {
      if (!answered) resolve(false);
    });
  });
}

async function batchRetry(ctx: Context, { flags }: Parsed): Promise<number> {
  allowOnly(flags, ['filter', 'reason', 'yes']);
  const reason = needReason(flags);
  const rawFilter = flags.get('filter');
  const filter = typeof rawFilter === 'string' ? parseFilter(rawFilter) : {};
  const preview = await call<{ count: number; limit: number; items: { projectId: string; title: string; stageLabel: string; step: string; error: string; since: string }[] }>(ctx, 'POST', '/batch/retry/preview', { filter });
  const say = (text: string) => (ctx.json ? process.stderr.write(`${text}\n`) : ctx.out(text));
  say(`将重试 ${preview.count} 个停住的步骤 (${preview.count} parked steps match)`);
  if (preview.items.length)
    say(
      renderTable(preview.items, [
        { header: '项目编号', value: (i) => i.projectId.slice(0, 8) },
        { header: '项目', value: (i) => i.title, max: 24 },
        { header: '阶段', value: (i) => i.stageLabel },
        { header: '停住的步骤', value: (i) => i.step },
        { header: '错误', value: (i) => i.error, max: 40 },
        { header: '停住于', value: (i) => localTime(i.since) },
      ]),
    );
  if (preview.count === 0) {
    if (ctx.json) ctx.out(JSON.stringify({ count: 0, ok: 0, refused: 0, failed: 0, results: [] }, null, 2));
    return 0;
  }
  if (!flags.get('yes') && !(await ask(`确认重试这 ${preview.count} 个？理由：${reason} [y/N] `))) {
    say('已取消 (cancelled)');
    return 1;
  }
  const outcome = await call<{ batchId: string; count: number; ok: number; refused: number; failed: number; results: { projectId: string; title: string; outcome: string; reason: string | null; stage: string | null }[] }>(
    ctx,
    'POST',
    '/batch/retry',
    { filter, reason, expectedCount: preview.count },
  );
  if (ctx.json) ctx.out(JSON.stringify(outcome, null, 2));
  else {
    ctx.out(`批量重试 ${outcome.batchId}：成功 ${outcome.ok} · 被拒绝 ${outcome.refused} · 失败 ${outcome.failed}`);
    ctx.out(
      renderTable(outcome.results, [
        { header: '项目编号', value: (r) => r.projectId.slice(0, 8) },
        { header: '项目', value: (r) => r.title, max: 24 },
        { header: '结果', value: (r) => ({ ok: '成功', refused: '被拒绝', failed: '失败' })[r.outcome] ?? r.outcome },
        { header: '原因', value: (r) => r.reason ?? '—', max: 50 },
      ]),
    );
  }
  return outcome.refused + outcome.failed > 0 ? 1 : 0;
}

interface Verification {
  ok: boolean;
  entries: number;
  checkedAt: string;
  head: { seq: number; hash: string } | null;
  firstBroken: { seq: number; expectedHash: string | null; storedHash: string | null; reason: string } | null;
}

/** `audit verify`: the service recomputes the whole chain; exit 0 when intact, 1 at the first break. */
async function audit(ctx: Context, { positional, flags }: Parsed): Promise<number> {
  allowOnly(flags, []);
  if (positional[0] !== 'verify' || positional.length > 1) throw new UsageError('用法：pnpm ops audit verify [--json] (usage: audit verify)');
  const v = await call<Verification>(ctx, 'GET', '/audit/verification');
  if (ctx.json) ctx.out(JSON.stringify(v, null, 2));
  else if (v.ok) {
    ctx.out(`审计链完好：已校验 ${v.entries} 条（${localTime(v.checkedAt)}）(audit chain intact)`);
    if (v.head) ctx.out(`链头 第 ${v.head.seq} 条  ${v.head.hash}`);
  } else {
    const b = v.firstBroken!;
    ctx.out(
      [
        `审计链断裂：第 ${b.seq} 条 (audit chain broken at seq ${b.seq})`,
        `原因      ${b.reason}`,
        `应为      ${b.expectedHash ?? '—'}`,
        `实为      ${b.storedHash ?? '—'}`,
        `此前 ${v.entries} 条完好`,
      ].join('\n'),
    );
  }
  return v.ok ? 0 : 1;
}

const COMMANDS: Record<string, (ctx: Context, parsed: Parsed) => Promise<number>> = {
  list,
  stalled,
  show,
  retry: action('retry'),
  skip: action('skip'),
  escalate: action('escalate'),
  remind: action('remind'),
  'batch-retry': batchRetry,
  audit,
};

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env, out: (text: string) => void = (t) => process.stdout.write(`${t}\n`)): Promise<number> {
  try {
    const parsed = parseArgs(argv);
    if (parsed.flags.get('help') || !parsed.command) {
      out(HELP);
      return parsed.command || parsed.flags.get('help') ? 0 : 2;
    }
    const run = COMMANDS[parsed.command];
    if (!run) throw new UsageError(`未知命令「${parsed.command}」(unknown command)`);
    const url = String(parsed.flags.get('url') ?? env.OPS_URL ?? 'http://127.0.0.1:4000').replace(/\/$/, '');
    const as = parsed.flags.get('as');
    const token = await tokenFor(url, typeof as === 'string' ? as : undefined, env);
    return await run({ url, token, json: parsed.flags.get('json') === true, out }, parsed);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`用法错误 (usage): ${error.message}\n\n运行 pnpm ops --help 查看用法\n`);
      return 2;
    }
    process.stderr.write(`${error instanceof Refused ? '' : '失败 (failed): '}${(error as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
