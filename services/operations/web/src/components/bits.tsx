import type { ReactNode } from 'react';
import type { ProjectSummaryView } from '../api';
import { ago, formatTime, useI18n } from '../i18n';

export function StageBadge({ stage, label }: { stage: string; label?: string }) {
  const { stage: stageText } = useI18n();
  const tone = ['closed', 'settled'].includes(stage)
    ? 'done'
    : ['rejected', 'cancelled', 'terminated'].includes(stage)
      ? 'stopped'
      : ['pre_review', 'joint_review', 'committee', 'returned', 'submitted', 'draft'].includes(stage)
        ? 'review'
        : ['tendering', 'awarded', 'standstill', 'approved'].includes(stage)
          ? 'tender'
          : 'delivery';
  return <span className={`badge stage-${tone}`} data-stage={stage}>{stageText(stage, label)}</span>;
}

export function Flags({ p }: { p: Pick<ProjectSummaryView, 'overdue' | 'parked' | 'needsAttention' | 'paymentsFrozen'> }) {
  const { t } = useI18n();
  return (
    <span className="flags">
      {p.parked && <span className="badge danger">{t('停住')}</span>}
      {p.overdue && <span className="badge warn">{t('超时')}</span>}
      {p.needsAttention && !p.parked && !p.overdue && <span className="badge warn">{t('需处理')}</span>}
      {p.paymentsFrozen && <span className="badge muted">拨付冻结</span>}
    </span>
  );
}

export function When({ iso, overdue }: { iso: string | null; overdue?: boolean }) {
  const { lang } = useI18n();
  if (!iso) return <span className="muted">—</span>;
  return (
    <span className={overdue ? 'overdue' : undefined} title={formatTime(iso)}>
      {formatTime(iso).slice(5, 16)} <span className="muted small">({ago(iso, lang)})</span>
    </span>
  );
}

export function Card({ title, children, actions, className }: { title?: ReactNode; children: ReactNode; actions?: ReactNode; className?: string }) {
  return (
    <section className={`card ${className ?? ''}`}>
      {(title || actions) && (
        <header className="card-head">
          <h2>{title}</h2>
          <div>{actions}</div>
        </header>
      )}
      {children}
    </section>
  );
}

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  return <div className="error-box" role="alert">{error instanceof Error ? error.message : String(error)}</div>;
}

export function shortId(id: string | null | undefined): string {
  return id ? id.slice(0, 8) : '—';
}

export function Place({ name, id }: { name: string | null; id: string | null }) {
  if (!id) return <span className="muted">—</span>;
  return name ? <span title={id}>{name}</span> : <code title={id}>{shortId(id)}</code>;
}

/**
 * Cursor paging for every list: `cursors` is the trail of page starts (null = the first page); the
 * pager offers the first page again once past it, and the next page when the server returned a cursor.
 */
export function Pager({ cursors, nextCursor, onChange }: { cursors: (string | null)[]; nextCursor: string | null | undefined; onChange: (cursors: (string | null)[]) => void }) {
  const { t } = useI18n();
  return (
    <div className="pager">
      {cursors.length > 1 && (
        <button type="button" onClick={() => onChange([null])}>
          {t('第一页')}
        </button>
      )}
      {nextCursor && (
        <button type="button" onClick={() => onChange([...cursors, nextCursor])}>
          {t('下一页')}
        </button>
      )}
    </div>
  );
}
