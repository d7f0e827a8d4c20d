import { useCallback, useEffect, useState } from 'react';
import { api, query, type AuditEntryView, type AuditVerificationView, type Page } from '../api';
import { AuditTable } from '../components/AuditTable';
import { Card, ErrorBox, Pager } from '../components/bits';
import { formatTime, useI18n } from '../i18n';
import { go, type Route } from '../router';

const FILTERS = ['projectId', 'actorUserId', 'action'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

export function Audit({ route }: { route: Route }) {
  const { t } = useI18n();
  const filters = Object.fromEntries(FILTERS.map((f) => [f, route.params.get(f) ?? ''])) as Filters;
  const key = FILTERS.map((f) => filters[f]).join('|');
  const [draft, setDraft] = useState<Filters>(filters);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<Page<AuditEntryView> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [verification, setVerification] = useState<AuditVerificationView | null>(null);
  const [verifyError, setVerifyError] = useState<unknown>(null);
  const cursor = cursors[cursors.length - 1] ?? null;
  useEffect(() => setCursors([null]), [key]);
  const load = useCallback(() => {
    api<Page<AuditEntryView>>('GET', `/audit${query({ ...filters, cursor, limit: 50 })}`).then((p) => {
      setPage(p);
      setError(null);
    }, setError);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, cursor]);
  useEffect(load, [load]);
  const verify = () => {
    setVerification(null);
    api<AuditVerificationView>('GET', '/audit/verification').then((v) => {
      setVerification(v);
      setVerifyError(null);
    }, setVerifyError);
  };
  return (
    <div className="page" data-testid="audit-page">
      <Card
        title={t('审计记录')}
        actions={
          <button type="button" onClick={verify} data-testid="verify-chain">
            {t('校验审计链')}
          </button>
        }
      >
        <ErrorBox error={verifyError} />
        {verification && (
          <p className={verification.ok ? 'muted' : 'error-box'} data-testid="verification">
            {verification.ok
              ? `${t('审计链完好')}：${verification.entries} ${t('条')} · ${formatTime(verification.checkedAt)}`
              : `${t('审计链断裂')}：第 ${verification.firstBroken!.seq} 条 — ${verification.firstBroken!.reason}`}
          </p>
        )}
        <form
          className="filters"
          onSubmit={(e) => {
            e.preventDefault();
            go('/audit', draft);
          }}
        >
          <input name="projectId" placeholder={t('项目ID')} value={draft.projectId} onChange={(e) => setDraft({ ...draft, projectId: e.target.value })} />
          <input name="actorUserId" placeholder={t('操作人')} value={draft.actorUserId} onChange={(e) => setDraft({ ...draft, actorUserId: e.target.value })} />
          <input name="action" placeholder={t('操作编码')} value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value })} />
          <button type="submit" className="primary">
            {t('查询')}
          </button>
        </form>
        <ErrorBox error={error} />
        {page && page.items.length === 0 && <p className="muted empty">{t('没有操作记录')}</p>}
        {page && page.items.length > 0 && <AuditTable items={page.items} withProject />}
        <Pager cursors={cursors} nextCursor={page?.nextCursor} onChange={setCursors} />
      </Card>
    </div>
  );
}
