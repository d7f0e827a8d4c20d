import { useCallback, useEffect, useState } from 'react';
import { api, query, type AuditEntryView, type Page } from '../api';
import { Card, ErrorBox, Pager } from '../components/bits';
import { formatTime, useI18n } from '../i18n';
import { go, href, type Route } from '../router';

export function Audit({ route }: { route: Route }) {
  const { t } = useI18n();
  const projectId = route.params.get('projectId') ?? '';
  const [draft, setDraft] = useState(projectId);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<Page<AuditEntryView> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const cursor = cursors[cursors.length - 1] ?? null;
  useEffect(() => setCursors([null]), [projectId]);
  const load = useCallback(() => {
    api<Page<AuditEntryView>>('GET', `/audit${query({ projectId, cursor, limit: 50 })}`).then((p) => {
      setPage(p);
      setError(null);
    }, setError);
  }, [projectId, cursor]);
  useEffect(load, [load]);
  return (
    <div className="page" data-testid="audit-page">
      <Card title={t('操作审计')}>
        <form
          className="filters"
          onSubmit={(e) => {
            e.preventDefault();
            go('/audit', { projectId: draft });
          }}
        >
          <input name="projectId" placeholder={t('项目ID')} value={draft} onChange={(e) => setDraft(e.target.value)} />
          <button type="submit" className="primary">
            {t('查询')}
          </button>
        </form>
        <ErrorBox error={error} />
        {page && page.items.length === 0 && <p className="muted empty">{t('没有操作记录')}</p>}
        {page && page.items.length > 0 && (
          <table>
            <thead>
              <tr>
                <th>{t('时间')}</th>
                <th>{t('谁')}</th>
                <th>{t('操作')}</th>
                <th>{t('项目')}</th>
                <th>{t('理由')}</th>
                <th>{t('结果')}</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((a) => (
                <tr key={a.id}>
                  <td className="nowrap">{formatTime(a.at)}</td>
                  <td>
                    {a.userId} <span className="muted small">{a.role}</span>
                  </td>
                  <td>{a.action}</td>
                  <td>{a.projectId ? <a href={href(`/projects/${a.projectId}`)}>{a.projectId.slice(0, 8)}</a> : '—'}</td>
                  <td>{a.reason}</td>
                  <td>
                    <span className={`badge outcome-${a.outcome}`}>{a.outcome}</span> {a.error && <span className="muted small">{a.error}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager cursors={cursors} nextCursor={page?.nextCursor} onChange={setCursors} />
      </Card>
    </div>
  );
}
