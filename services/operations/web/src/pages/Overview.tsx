import { useCallback, useEffect, useState } from 'react';
import { api, yuan, type OverviewView } from '../api';
import { Card, ErrorBox, Place } from '../components/bits';
import { formatTime, useI18n } from '../i18n';
import { useLiveRefresh } from '../live';
import { href } from '../router';

export function Overview() {
  const { t, stage, waiting } = useI18n();
  const [data, setData] = useState<OverviewView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    api<OverviewView>('GET', '/overview').then(setData, setError);
  }, []);
  useEffect(load, [load]);
  useLiveRefresh(load);

  if (error) return <ErrorBox error={error} />;
  if (!data) return <p className="muted">{t('加载中')}</p>;
  const maxStage = Math.max(1, ...data.byStage.map((s) => s.count));
  const maxWaiting = Math.max(1, ...data.byWaitingOn.map((s) => s.count));

  return (
    <div className="page overview" data-testid="overview">
      <div className="kpis">
        <a className="kpi" href={href('/projects')}>
          <span className="kpi-value" data-testid="kpi-total">{data.total}</span>
          <span className="kpi-label">{t('项目总数')}</span>
        </a>
        <a className="kpi" href={href('/projects')}>
          <span className="kpi-value">{data.active}</span>
          <span className="kpi-label">{t('进行中')}</span>
        </a>
        <a className={`kpi ${data.overdue ? 'kpi-warn' : ''}`} href={href('/stalled', { kind: 'overdue' })}>
          <span className="kpi-value" data-testid="kpi-overdue">{data.overdue}</span>
          <span className="kpi-label">{t('超时')}</span>
        </a>
        <a className={`kpi ${data.parked ? 'kpi-danger' : ''}`} href={href('/stalled', { kind: 'parked' })}>
          <span className="kpi-value" data-testid="kpi-parked">{data.parked}</span>
          <span className="kpi-label">{t('停住')}</span>
        </a>
        <a className="kpi" href={href('/projects', { needsAttention: true })}>
          <span className="kpi-value">{data.needsAttention}</span>
          <span className="kpi-label">{t('需处理')}</span>
        </a>
      </div>

      <div className="grid-2">
        <Card title={t('按阶段')}>
          <ul className="bars">
            {data.byStage.map((s) => (
              <li key={s.stage}>
                <a href={href('/projects', { stage: s.stage })}>
                  <span className="bar-label">{stage(s.stage, s.label)}</span>
                  <span className="bar" style={{ width: `${(s.count / maxStage) * 100}%` }} />
                  <span className="bar-count">{s.count}</span>
                </a>
              </li>
            ))}
          </ul>
        </Card>
        <Card title={t('待谁处理')}>
          <ul className="bars">
            {data.byWaitingOn.map((s) => (
              <li key={s.waitingOn}>
                <a href={href('/projects', { waitingOn: s.waitingOn })}>
                  <span className="bar-label">{waiting(s.waitingOn, s.label)}</span>
                  <span className={`bar ${s.waitingOn === 'admin' ? 'bar-danger' : ''}`} style={{ width: `${(s.count / maxWaiting) * 100}%` }} />
                  <span className="bar-count">{s.count}</span>
                </a>
              </li>
            ))}
          </ul>
        </Card>
      </div>

      <Card title={t('按街道')}>
        <table>
          <thead>
            <tr>
              <th>{t('街道')}</th>
              <th className="num">{t('项目数')}</th>
              <th className="num">{t('超时')}</th>
              <th className="num">{t('停住')}</th>
            </tr>
          </thead>
          <tbody>
            {data.bySubDistrict.map((s) => (
              <tr key={s.subDistrictId}>
                <td>
                  <a href={href('/projects', { subDistrictId: s.subDistrictId })}>
                    <Place name={s.name} id={s.subDistrictId} />
                  </a>
                </td>
                <td className="num">{s.count}</td>
                <td className={`num ${s.overdue ? 'overdue' : ''}`}>{s.overdue}</td>
                <td className={`num ${s.parked ? 'danger-text' : ''}`}>{s.parked}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>

      <Card title={t('社区经费')}>
        <table data-testid="funds">
          <thead>
            <tr>
              <th>{t('街道')}</th>
              <th>{t('社区')}</th>
              <th>{t('年度')}</th>
              <th className="num">{t('项目数')}</th>
              <th className="num">{t('已承诺')}</th>
              <th className="num">{t('已拨付')}</th>
              <th className="num">{t('拨付比例')}</th>
            </tr>
          </thead>
          <tbody>
            {data.funds.map((f) => (
              <tr key={`${f.subDistrictId}:${f.communityId}:${f.fiscalYear}`}>
                <td>
                  <Place name={f.subDistrictName} id={f.subDistrictId} />
                </td>
                <td>{f.communityId ? <Place name={f.communityName} id={f.communityId} /> : <span className="muted">街道级（街道经费）</span>}</td>
                <td>{f.fiscalYear}</td>
                <td className="num">{f.projects}</td>
                <td className="num">{yuan(f.committedFen)}</td>
                <td className="num">{yuan(f.paidFen)}</td>
                <td className="num">{f.committedFen ? `${Math.round((f.paidFen / f.committedFen) * 100)}%` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted small">{data.fundsNote}</p>
      </Card>
      <p className="muted small">{formatTime(data.generatedAt)}</p>
    </div>
  );
}
