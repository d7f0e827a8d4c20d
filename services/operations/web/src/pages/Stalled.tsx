import { useCallback, useEffect, useState } from 'react';
import { api, query, type Page, type StalledItemView } from '../api';
import { Card, ErrorBox, Pager, StageBadge, When } from '../components/bits';
import { useI18n } from '../i18n';
import { useLiveRefresh } from '../live';
import { href, type Route } from '../router';

export function Stalled({ route }: { route: Route }) {
  const { t, waiting, lang } = useI18n();
  const kind = route.params.get('kind') ?? '';
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<Page<StalledItemView> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const cursor = cursors[cursors.length - 1] ?? null;
  useEffect(() => setCursors([null]), [kind]);
  const load = useCallback(() => {
    api<Page<StalledItemView>>('GET', `/stalled${query({ kind, limit: 50, cursor })}`).then((p) => {
      setPage(p);
      setError(null);
    }, setError);
  }, [kind, cursor]);
  useEffect(load, [load]);
  useLiveRefresh(() => load());

  const tab = (k: string, label: string) => (
    <a className={`tab ${kind === k ? 'active' : ''}`} href={href('/stalled', { kind: k })} data-kind={k || 'all'}>
      {label}
    </a>
  );
  return (
    <div className="page" data-testid="stalled">
      <Card
        title={t('卡住的流程')}
        actions={
          <a className="button" href={href('/batch', { parkedStepPrefix: 'tranche:' })}>
            {t('批量重试')}…
          </a>
        }
      >
        <nav className="tabs">
          {tab('', t('全部'))}
          {tab('parked', t('停住'))}
          {tab('overdue', t('超时'))}
        </nav>
        <p className="muted small">{lang === 'en' ? 'Parked steps first (longest parked first), then overdue stages (most overdue first).' : '停住的步骤在前（停住越久越靠前），其后是超时的阶段（超时越久越靠前）。'}</p>
        <ErrorBox error={error} />
        {page && page.items.length === 0 && <p className="muted empty">{t('没有卡住的流程')}</p>}
        {page && page.items.length > 0 && (
          <table className="stalled-table">
            <thead>
              <tr>
                <th>{t('类型')}</th>
                <th>{t('项目')}</th>
                <th>{t('原因')}</th>
                <th>{t('已多久')}</th>
                <th>{t('时限')}</th>
                <th>{t('待谁处理')}</th>
                <th>{t('阶段')}</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((s) => (
                <tr key={s.project.projectId} data-project-id={s.project.projectId} data-kind={s.kind}>
                  <td>{s.kind === 'parked' ? <span className="badge danger">{t('停住')}</span> : <span className="badge warn">{t('超时')}</span>}</td>
                  <td>
                    <a className="title" href={href(`/projects/${s.project.projectId}`)}>
                      {s.project.title}
                    </a>
                  </td>
                  <td className="reason">{s.reason}</td>
                  <td className="nowrap">{s.ageText}</td>
                  <td>
                    <When iso={s.deadline} overdue={s.project.overdue} />
                  </td>
                  <td>{waiting(s.waitingOn, s.waitingOnLabel)}</td>
                  <td>
                    <StageBadge stage={s.project.stage} label={s.project.stageLabel} />
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
