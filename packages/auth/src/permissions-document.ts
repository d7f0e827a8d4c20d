import { ACTIONS, POLICY, type Action } from './policy';
import { ROLES, ROLE_LABELS, ROLE_SCOPE } from './roles';

const SCOPE_LABELS = { platform: '平台', 'sub-district': '街道', community: '社区', organization: '社会组织', agency: '监督机构' } as const;

/**
 * docs/permissions.md, rendered from the policy table: one row per action, one column per role. Written by
 * `pnpm permissions:doc`; a test fails when the committed file and the table disagree.
 */
export function renderPermissionsDocument(): string {
  const header = ['操作 (action)', '范围', ...ROLES.map((role) => ROLE_LABELS[role])];
  const rows = ACTIONS.map((action: Action) => {
    const rule = POLICY[action] as { roles: readonly string[]; scoped: boolean; label: string };
    return [`${rule.label} \`${action}\``, rule.scoped ? '本辖区' : '不限', ...ROLES.map((role) => (rule.roles.includes(role) ? '✓' : '·'))];
  });
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    '# 权限矩阵 (permissions)',
    '',
    '<!-- Generated from packages/auth/src/policy.ts by `pnpm permissions:doc`. Do not edit by hand: a test compares. -->',
    '',
    '谁可以做什么：✓ 允许，· 拒绝（403，并说明原因）。“本辖区”表示只能对自己管辖范围内的对象操作',
    '（街道、社区、社会组织或监督机构），平台角色不受此限。依赖状态的规则（开标前投标文件密封、',
    '评审人声明回避后不能对该项目作出决定等）由各服务的业务层在此表允许之后再检查。',
    '',
    'Who may do what, from the one policy table. ✓ allowed, · refused with 403 and the reason. "本辖区": only',
    'within the caller\'s own scope. Every route names its actions (`x-linli-policy` in each service\'s',
    '`/openapi.json`); a test per service calls every route as every role and checks the answers against this table.',
    '',
    '角色的范围 (scope of each role): ' + ROLES.map((role) => `${ROLE_LABELS[role]} \`${role}\`（${SCOPE_LABELS[ROLE_SCOPE[role]]}）`).join('、') + '。',
    '',
    line(header),
    line(header.map(() => '---')),
    ...rows.map(line),
    '',
  ].join('\n');
}
