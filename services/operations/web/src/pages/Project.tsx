import { useCallback, useEffect, useState } from 'react';
import { api, query, yuan, type AuditEntryView, type Page, type ProjectDetailView } from '../api';
import { ActionDialog, ACTION_ZH, type ActionName } from '../components/ActionDialog';
import { AuditTable } from '../components/AuditTable';
import { Card, ErrorBox, Flags, Place, StageBadge, When } from '../components/bits';
import { ago, formatTime, useI18n } from '../i18n';
import { useLiveRefresh } from '../live';
import { href } from '../router';

const SOURCE_ZH: Record<string, string> = { workflow: '流程', communities: '社区', organizations: '社会组织', payments: '资金', supervision: '第三方监督' };
// Plain characters rather than emoji: the CJK font renders them everywhere, emoji fonts are not everywhere.
const CATEGORY_ICON: Record<string, string> = {
  stage: '▸',
  decision: '审',
  tender: '标',
  payment: '¥',
  activity: '活',
  callback: '访',
  finding: '!',
  admin: '管',
  escalation: '催',
  evaluation: '评',
  other: '·',
};

export function Project({ id }: { id: string }) {
  const { t, lang, waiting, tranche, role } = useI18n();
  const [data, setData] = useState<ProjectDetailView | null>(null);
  // null: this role may not read the audit record (audit.read), so the card is left out.
  const [audit, setAudit] = useState<AuditEntryView[] | null>([]);
  const [error, setError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<ActionName | null>(null);
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);

  const load = useCallback(() => {
    api<ProjectDetailView>('GET', `/projects/${id}`).then((d) => {
      setData(d);
      setError(null);
    }, setError);
    api<Page<AuditEntryView>>('GET', `/projects/${id}/audit${query({ limit: 10 })}`).then(
      (p) => setAudit(p.items),
      (e: unknown) => setAudit((e as { status?: number }).status === 403 ? null : []),
    );
  }, [id]);
  useEffect(load, [load]);
  useLiveRefresh(
    () => {
      setUpdatedAt(Date.now());
      load();
    },
    (c) => c.projectId === id,
  );

  if (error && !data) return <ErrorBox error={error} />;
  if (!data) return <p className="muted">{t('加载中')}</p>;
  const p = data.project;
  const actionLabel = (a: ActionName) => (lang === 'en' ? t(ACTION_ZH[a]) : ACTION_ZH[a]);

  return (
    <div className="page project" data-testid="project">
      <a className="back" href={href('/projects')}>
        ← {t('返回列表')}
      </a>
      <section className="card project-head">
        <div className="head-main">
          <h1 data-testid="project-title">{p.title}</h1>
          <div className="head-meta">
            <StageBadge stage={p.stage} label={p.stageLabel} /> <Flags p={p} />
            {updatedAt && Date.now() - updatedAt < 8000 && (
              <span className="badge live" data-testid="live-updated">
                {t('已更新')}
              </span>
            )}
          </div>
          <p className="current-details" data-testid="current-details">
            {p.currentDetails}
          </p>
          <dl className="facts">
            <div>
              <dt>{t('待谁处理')}</dt>
              <dd data-testid="waiting-on">{p.assignee ? `${p.assignee.name ?? p.assignee.userId}（改派）` : waiting(p.waitingOn, p.waitingOnLabel)}</dd>
            </div>
            <div>
              <dt>{t('自何时')}</dt>
              <dd>
                {formatTime(p.stageEnteredAt)} <span className="muted small">({ago(p.stageEnteredAt, lang)})</span>
              </dd>
            </div>
            <div>
              <dt>{t('时限')}</dt>
              <dd className={p.overdue ? 'overdue' : undefined}>{p.deadline ? `${formatTime(p.deadline)} (${ago(p.deadline, lang)})` : '—'}</dd>
            </div>
            <div>
              <dt>{t('街道')} / {t('社区')}</dt>
              <dd>
                <Place name={p.subDistrictName} id={p.subDistrictId} /> / {p.communityId ? <Place name={p.communityName} id={p.communityId} /> : '街道级'}
              </dd>
            </div>
            <div>
              <dt>{t('社会组织')}</dt>
              <dd>
                <Place name={p.organizationName} id={p.organizationId} />
              </dd>
            </div>
            <div>
              <dt>{t('已承诺')} / {t('已拨付')}</dt>
              <dd>
                {yuan(p.committedFen)} / {yuan(p.paidFen)}
              </dd>
            </div>
          </dl>
          {p.parked && (
            <div className="parked-box" data-testid="parked-box">
              <strong>
                {t('停住的步骤')}：{p.parked.step}
              </strong>
              <div>
                {t('错误')}：{p.parked.error}
              </div>
              <div className="muted small">
                {formatTime(p.parked.since)}（{ago(p.parked.since, lang)}），{p.parked.attempts} 次尝试
              </div>
            </div>
          )}
          {!data.live.available && <div className="error-box">{t('无法读取流程实时状态')}：{data.live.error}</div>}
        </div>
        <div className="head-side">
          <a className="button" href={data.temporalUrl} target="_blank" rel="noreferrer" data-testid="temporal-link">
            {t('在Temporal中查看')} ↗
          </a>
          <div className="actions" data-testid="actions">
            <h3>{t('操作')}</h3>
            {data.actions.length === 0 && <p className="muted small">—</p>}
            {data.actions.map((a) => (
              <button key={a} type="button" className={a === 'retry' ? 'primary' : a === 'terminate' || a === 'skip' ? 'danger-outline' : undefined} data-action={a} onClick={() => setDialog(a)}>
                {actionLabel(a)}
              </button>
            ))}
          </div>
          <code className="muted small">{p.projectId}</code>
        </div>
      </section>

      <Card title={t('款项')}>
        <table data-testid="tranches">
          <thead>
            <tr>
              <th>{t('款项')}</th>
              <th>{t('拨付条件')}</th>
              <th>{t('状态')}</th>
              <th className="num">{t('金额')}</th>
              <th className="num">{t('次数')}</th>
              <th>{t('时间')}</th>
            </tr>
          </thead>
          <tbody>
            {data.tranches.map((tr) => (
              <tr key={tr.kind} data-tranche={tr.kind}>
                <td>{tranche(tr.kind, tr.label)}</td>
                <td>{tr.condition}</td>
                <td>
                  <span className={`badge tranche-${tr.status}`}>{tr.statusLabel}</span>
                </td>
                <td className="num">{yuan(tr.amountFen)}</td>
                <td className="num">{tr.attempts}</td>
                <td>{formatTime(tr.at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>

      <Card title={t('预算与实际')}>
        {data.budget.lines.length > 0 ? (
          <table data-testid="budget">
            <thead>
              <tr>
                <th>{t('预算行')}</th>
                <th>{t('说明')}</th>
                <th className="num">{t('预算')}</th>
                <th className="num">{t('实际')}</th>
                <th className="num">{t('差额')}</th>
              </tr>
            </thead>
            <tbody>
              {data.budget.lines.map((l) => (
                <tr key={l.lineId}>
                  <td>
                    {l.lineId}
                    {l.activityKey ? <span className="muted small"> · {l.activityKey}</span> : null}
                  </td>
                  <td>{l.description}</td>
                  <td className="num">{yuan(l.budgetFen)}</td>
                  <td className="num">{yuan(l.actualFen)}</td>
                  <td className={`num ${l.varianceFen !== null && l.varianceFen > 0 ? 'overdue' : ''}`}>{l.varianceFen === null ? '—' : yuan(l.varianceFen)}</td>
                </tr>
              ))}
              <tr className="total">
                <td colSpan={2}>{t('合计')}</td>
                <td className="num">{yuan(data.budget.totalBudgetFen)}</td>
                <td className="num">{yuan(data.budget.totalActualFen)}</td>
                <td className="num">{data.budget.totalActualFen === null ? '—' : yuan(data.budget.totalActualFen - data.budget.totalBudgetFen)}</td>
              </tr>
            </tbody>
          </table>
        ) : null}
        <p className="muted small">{data.budget.note}</p>
      </Card>

      <Card title={t('时间线')}>
        <ol className="timeline" data-testid="timeline">
          {[...data.timeline].reverse().map((e, i) => (
            <li key={`${e.at}-${i}`} className={`tl tl-${e.category}`}>
              <span className="tl-icon" aria-hidden>
                {CATEGORY_ICON[e.category] ?? '·'}
              </span>
              <div className="tl-body">
                <div className="tl-summary">{e.summary}</div>
                <div className="muted small">
                  {formatTime(e.at)} · {lang === 'en' ? e.source : (SOURCE_ZH[e.source] ?? e.source)}
                  {e.by ? ` · ${e.by.userId}（${role(e.by.role)}）` : ''}
                </div>
                {e.reason && e.category === 'decision' && <div className="tl-reason">{t('理由')}：{e.reason}</div>}
              </div>
            </li>
          ))}
        </ol>
      </Card>

      {audit && (
        <Card
          title={t('审计记录')}
          actions={
            <a className="small" href={href('/audit', { projectId: id })}>
              {t('全部')} →
            </a>
          }
        >
          {audit.length === 0 ? <p className="muted">{t('没有操作记录')}</p> : <AuditTable items={audit} testId="audit" />}
        </Card>
      )}

      {dialog && <ActionDialog projectId={id} title={p.title} action={dialog} onClose={() => setDialog(null)} onDone={load} />}
    </div>
  );
}

