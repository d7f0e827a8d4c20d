import { useCallback, useEffect, useState } from 'react';
import { api, query, type Page, type ProjectSummaryView } from '../api';
import { Card, ErrorBox, Flags, Pager, Place, StageBadge, When } from '../components/bits';
import { STAGES, WAITING_ZH, useI18n } from '../i18n';
import { useLiveRefresh } from '../live';
import { go, href, type Route } from '../router';

const FILTER_KEYS = ['stage', 'subDistrictId', 'communityId', 'organizationId', 'fiscalYear', 'waitingOn', 'overdue', 'needsAttention', 'parked', 'q', 'sort'] as const;

export function Projects({ route }: { route: Route }) {
  const { t, stage, waiting } = useI18n();
  const filters = Object.fromEntries(FILTER_KEYS.map((k) => [k, route.params.get(k) ?? ''])) as Record<(typeof FILTER_KEYS)[number], string>;
  const [draft, setDraft] = useState(filters);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<Page<ProjectSummaryView> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [flash, setFlash] = useState<Set<string>>(new Set());
  const key = route.params.toString();
  const cursor = cursors[cursors.length - 1] ?? null;

  useEffect(() => {
    setDraft(filters);
    setCursors([null]);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const load = useCallback(() => {
    api<Page<ProjectSummaryView>>('GET', `/projects${query({ ...filters, limit: 20, cursor })}`).then(
      (p) => {
        setPage(p);
        setError(null);
      },
      setError,
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, cursor]);
  useEffect(load, [load]);
  useLiveRefresh((changes) => {
    setFlash(new Set(changes.map((c) => c.projectId)));
    load();
  });

  const apply = (next: Record<string, string>) => go('/projects', next);

  return (
    <div className="page" data-testid="projects">
      <Card title={t('项目列表')}>
        <form
          className="filters"
          onSubmit={(e) => {
            e.preventDefault();
            apply(draft);
          }}
        >
          <input name="q" placeholder={t('搜索项目名称')} value={draft.q} onChange={(e) => setDraft({ ...draft, q: e.target.value })} />
          <select name="stage" value={draft.stage} onChange={(e) => apply({ ...draft, stage: e.target.value })}>
            <option value="">{t('全部阶段')}</option>
            {STAGES.map((s) => (
              <option key={s} value={s}>
                {stage(s)}
              </option>
            ))}
          </select>
          <select name="waitingOn" value={draft.waitingOn} onChange={(e) => apply({ ...draft, waitingOn: e.target.value })}>
            <option value="">
              {t('待谁处理')} · {t('全部')}
            </option>
            {Object.keys(WAITING_ZH)
              .filter((w) => w !== 'none')
              .map((w) => (
                <option key={w} value={w}>
                  {waiting(w)}
                </option>
              ))}
          </select>
          <input name="subDistrictId" placeholder={`${t('街道')} ID`} value={draft.subDistrictId} onChange={(e) => setDraft({ ...draft, subDistrictId: e.target.value })} />
          <input name="communityId" placeholder={`${t('社区')} ID`} value={draft.communityId} onChange={(e) => setDraft({ ...draft, communityId: e.target.value })} />
          <input name="organizationId" placeholder={`${t('社会组织')} ID`} value={draft.organizationId} onChange={(e) => setDraft({ ...draft, organizationId: e.target.value })} />
          <input name="fiscalYear" className="narrow" placeholder={t('年度')} value={draft.fiscalYear} onChange={(e) => setDraft({ ...draft, fiscalYear: e.target.value })} />
          <label className="check">
            <input type="checkbox" name="overdue" checked={draft.overdue === 'true'} onChange={(e) => apply({ ...draft, overdue: e.target.checked ? 'true' : '' })} />
            {t('只看超时')}
          </label>
          <label className="check">
            <input type="checkbox" name="needsAttention" checked={draft.needsAttention === 'true'} onChange={(e) => apply({ ...draft, needsAttention: e.target.checked ? 'true' : '' })} />
            {t('只看需处理')}
          </label>
          <label className="check">
            <input type="checkbox" name="parked" checked={draft.parked === 'true'} onChange={(e) => apply({ ...draft, parked: e.target.checked ? 'true' : '' })} />
            {t('只看停住')}
          </label>
          <select name="sort" value={draft.sort || 'updatedAt'} onChange={(e) => apply({ ...draft, sort: e.target.value })}>
            <option value="updatedAt">{t('按最近变化')}</option>
            <option value="deadline">{t('按时限')}</option>
          </select>
          <button type="submit" className="primary">
            {t('查询')}
          </button>
          <a className="button" href={href('/projects')}>
            {t('清除筛选')}
          </a>
        </form>
        <ErrorBox error={error} />
        {page && page.items.length === 0 && <p className="muted empty">{t('没有项目')}</p>}
        {page && page.items.length > 0 && (
          <table className="projects-table">
            <thead>
              <tr>
                <th>{t('项目')}</th>
                <th>{t('阶段')}</th>
                <th>{t('待谁处理')}</th>
                <th>{t('自何时')}</th>
                <th>{t('时限')}</th>
                <th>{t('当前状态')}</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((p) => (
                <tr key={p.projectId} className={flash.has(p.projectId) ? 'flash' : undefined} data-project-id={p.projectId}>
                  <td>
                    <a href={href(`/projects/${p.projectId}`)} className="title">
                      {p.title}
                    </a>
                    <div className="muted small">
                      <Place name={p.subDistrictName} id={p.subDistrictId} /> · {p.communityId ? <Place name={p.communityName} id={p.communityId} /> : '街道级'} · {p.fiscalYear}
                    </div>
                  </td>
                  <td>
                    <StageBadge stage={p.stage} label={p.stageLabel} /> <Flags p={p} />
                  </td>
                  <td>{p.assignee ? `${p.assignee.name ?? p.assignee.userId}` : waiting(p.waitingOn, p.waitingOnLabel)}</td>
                  <td>
                    <When iso={p.stageEnteredAt} />
                  </td>
                  <td>
                    <When iso={p.deadline} overdue={p.overdue} />
                  </td>
                  <td className="details">{p.currentDetails}</td>
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
