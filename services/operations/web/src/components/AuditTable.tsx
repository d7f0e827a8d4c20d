import type { AuditEntryView } from '../api';
import { formatTime, useI18n } from '../i18n';
import { href } from '../router';

const LABEL_KEY = /Label$/;
const show = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** What an entry changed, in a few words: "stage: pre_review → joint_review" for each field that moved. */
export function changeText(before: AuditEntryView['before'], after: AuditEntryView['after']): string {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].filter((k) => !LABEL_KEY.test(k));
  const parts = keys.flatMap((k) => {
    const b = before?.[k];
    const a = after?.[k];
    // Prefer the Chinese label a field carries beside its code (outcomeLabel beside outcome).
    const label = (s: AuditEntryView['before'], v: unknown) => (s?.[`${k}Label`] as string | undefined) ?? show(v);
    if (!after || !(k in after)) return [`${k}: ${label(before, b)}`];
    if (!before || !(k in before)) return [`${k}: ${label(after, a)}`];
    return show(b) === show(a) ? [] : [`${k}: ${label(before, b)} → ${label(after, a)}`];
  });
  return parts.slice(0, 5).join('；') || '—';
}

/** The audit trail's entries: who (and in which role), what, why, what changed, how it ended. */
export function AuditTable({ items, withProject, testId }: { items: AuditEntryView[]; withProject?: boolean; testId?: string }) {
  const { t, lang, role } = useI18n();
  return (
    <table data-testid={testId}>
      <thead>
        <tr>
          <th className="num">#</th>
          <th>{t('时间')}</th>
          <th>{t('谁')}</th>
          <th>{t('操作')}</th>
          {withProject && <th>{t('项目')}</th>}
          <th>{t('理由')}</th>
          <th>{t('之前 → 之后')}</th>
          <th>{t('结果')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((a) => (
          <tr key={a.id} data-seq={a.seq}>
            <td className="num muted small" title={a.hash}>
              {a.seq}
            </td>
            <td className="nowrap">{formatTime(a.at)}</td>
            <td>
              {a.actor.userId} <span className="muted small">（{lang === 'en' ? role(a.actor.role) : a.actor.roleLabel}）</span>
            </td>
            <td title={a.action}>{lang === 'en' ? a.action : a.actionLabel}</td>
            {withProject && <td>{a.projectId ? <a href={href(`/projects/${a.projectId}`)}>{a.projectId.slice(0, 8)}</a> : '—'}</td>}
            <td>{a.reason || '—'}</td>
            <td className="small">{changeText(a.before, a.after)}</td>
            <td>
              <span className={`badge outcome-${a.outcome}`}>{lang === 'en' ? a.outcome : a.outcomeLabel}</span> {a.error && <span className="muted small">{a.error}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
