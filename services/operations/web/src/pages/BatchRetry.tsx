import { useState } from 'react';
import { ApiError, api } from '../api';
import { Card, ErrorBox, StageBadge } from '../components/bits';
import { STAGES, ago, useI18n } from '../i18n';
import { href, type Route } from '../router';

interface Preview {
  count: number;
  limit: number;
  items: { projectId: string; title: string; stage: string; stageLabel: string; step: string; error: string; since: string }[];
}
interface Outcome {
  batchId: string;
  count: number;
  ok: number;
  refused: number;
  failed: number;
  results: { projectId: string; title: string; outcome: 'ok' | 'refused' | 'failed'; reason: string | null; stage: string | null }[];
}

/** Preview → reason → confirm → outcome for each. The server refuses (409) if the selection changed since the preview. */
export function BatchRetry({ route }: { route: Route }) {
  const { t, lang, stage } = useI18n();
  const [filter, setFilter] = useState({
    parkedStepPrefix: route.params.get('parkedStepPrefix') ?? '',
    parkedSince: '',
    stage: '',
    subDistrictId: '',
    communityId: '',
    q: '',
  });
  const [preview, setPreview] = useState<Preview | null>(null);
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<unknown>(null);

  const body = () => {
    const f: Record<string, string> = {};
    for (const [k, v] of Object.entries(filter)) if (v.trim()) f[k] = k === 'parkedSince' ? new Date(v).toISOString() : v.trim();
    return f;
  };
  const doPreview = async () => {
    setError(null);
    setOutcome(null);
    try {
      setPreview(await api<Preview>('POST', '/batch/retry/preview', { filter: body() }));
    } catch (e) {
      setError(e);
    }
  };
  const run = async () => {
    if (!preview) return;
    setBusy(true);
    setError(null);
    try {
      setOutcome(await api<Outcome>('POST', '/batch/retry', { filter: body(), reason, expectedCount: preview.count }));
      setPreview(null);
    } catch (e) {
      setError(e);
      if ((e as ApiError).status === 409) setPreview(null);
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };
  const set = (k: keyof typeof filter) => (e: { target: { value: string } }) => {
    setFilter({ ...filter, [k]: e.target.value });
    setPreview(null);
  };

  return (
    <div className="page" data-testid="batch">
      <Card title={t('批量重试')}>
        <form
          className="filters"
          onSubmit={(e) => {
            e.preventDefault();
            void doPreview();
          }}
        >
          <input name="parkedStepPrefix" placeholder={t('停住步骤前缀（如 tranche:）')} value={filter.parkedStepPrefix} onChange={set('parkedStepPrefix')} />
          <label className="inline">
            {t('此时刻及之后停住')}
            <input type="datetime-local" name="parkedSince" value={filter.parkedSince} onChange={set('parkedSince')} />
          </label>
          <select name="stage" value={filter.stage} onChange={set('stage')}>
            <option value="">{t('全部阶段')}</option>
            {STAGES.map((s) => (
              <option key={s} value={s}>
                {stage(s)}
              </option>
            ))}
          </select>
          <input name="subDistrictId" placeholder={`${t('街道')} ID`} value={filter.subDistrictId} onChange={set('subDistrictId')} />
          <input name="communityId" placeholder={`${t('社区')} ID`} value={filter.communityId} onChange={set('communityId')} />
          <input name="q" placeholder={t('搜索项目名称')} value={filter.q} onChange={set('q')} />
          <button type="submit" className="primary" data-testid="batch-preview">
            {t('预览')}
          </button>
        </form>
        <ErrorBox error={error} />
        {preview && (
          <div className="batch-preview" data-testid="batch-preview-result">
            <p>
              <strong>
                {t('将重试')} <span data-testid="batch-count">{preview.count}</span> {t('个停住的步骤')}
              </strong>
              {preview.count > preview.limit && <span className="muted"> （一次最多 {preview.limit} 个，请缩小范围）</span>}
            </p>
            <table>
              <thead>
                <tr>
                  <th>{t('项目')}</th>
                  <th>{t('阶段')}</th>
                  <th>{t('停住的步骤')}</th>
                  <th>{t('错误')}</th>
                  <th>{t('已多久')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.items.map((i) => (
                  <tr key={i.projectId}>
                    <td>
                      <a href={href(`/projects/${i.projectId}`)}>{i.title}</a>
                    </td>
                    <td>
                      <StageBadge stage={i.stage} label={i.stageLabel} />
                    </td>
                    <td>
                      <code>{i.step}</code>
                    </td>
                    <td className="reason">{i.error}</td>
                    <td>{ago(i.since, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {preview.count > 0 && (
              <div className="batch-run">
                <label className="block">
                  {t('理由（必填）')}
                  <textarea name="batchReason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
                </label>
                <button type="button" className="primary" disabled={!reason.trim()} onClick={() => setConfirming(true)} data-testid="batch-run">
                  {t('执行批量重试')}（{preview.count}）
                </button>
              </div>
            )}
          </div>
        )}
        {outcome && (
          <div className="batch-outcome" data-testid="batch-outcome">
            <p>
              <strong>{t('已执行批量重试')}</strong>：{t('成功')} {outcome.ok} · {t('被拒绝')} {outcome.refused} · {t('失败')} {outcome.failed}
            </p>
            <table>
              <thead>
                <tr>
                  <th>{t('项目')}</th>
                  <th>{t('结果')}</th>
                  <th>{t('原因')}</th>
                  <th>{t('阶段')}</th>
                </tr>
              </thead>
              <tbody>
                {outcome.results.map((r) => (
                  <tr key={r.projectId}>
                    <td>
                      <a href={href(`/projects/${r.projectId}`)}>{r.title}</a>
                    </td>
                    <td>
                      <span className={`badge outcome-${r.outcome}`}>{r.outcome}</span>
                    </td>
                    <td>{r.reason ?? '—'}</td>
                    <td>{r.stage ? <StageBadge stage={r.stage} /> : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      {confirming && preview && (
        <div className="modal-backdrop">
          <div className="modal" role="dialog" aria-modal="true" data-testid="batch-confirm">
            <h3>{t('执行批量重试')}</h3>
            <p>
              {t('将重试')} <strong>{preview.count}</strong> {t('个停住的步骤')}。{t('理由')}：{reason}
            </p>
            <div className="modal-actions">
              <button type="button" onClick={() => setConfirming(false)} disabled={busy}>
                {t('取消')}
              </button>
              <button type="button" className="primary" onClick={() => void run()} disabled={busy}>
                {busy ? t('执行中') : t('确认执行')}
              </button>
            </div>
          </div>
        </div>
      )}
    </div>
  );
}
