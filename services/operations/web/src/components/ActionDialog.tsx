import { useState } from 'react';
import { ApiError, api } from '../api';
import { useI18n } from '../i18n';

export type ActionName = 'remind' | 'escalate' | 'reassign' | 'retry' | 'skip' | 'terminate';

export const ACTION_ZH: Record<ActionName, string> = { remind: '催办', escalate: '升级', reassign: '改派', retry: '重试', skip: '跳过', terminate: '提前终止' };
const EXPLAIN: Record<ActionName, string> = {
  remind: '提醒当前待处理的人尽快处理。记入流程时间线与审计。',
  escalate: '升级给上一级（流程记录升级并通知），项目标记为需处理。',
  reassign: '把当前步骤交给指定的人处理，直到阶段变化。',
  retry: '重新执行停住的步骤（例如拨付申请）。',
  skip: '跳过停住的步骤，流程继续往下走。请确认不会漏掉必须的处理。',
  terminate: '提前终止项目（签约后）：按已完成的活动结算。此操作不可撤销。',
};

export interface ActionOutcome {
  ok: boolean;
  message: string;
}

/**
 * Asks for the reason (and, for reassign, the assignee) BEFORE anything runs; the action runs only on
 * "确认执行"; the dialog then shows the outcome — the new stage, or the workflow's reason for refusing.
 */
export function ActionDialog({ projectId, title, action, onClose, onDone }: { projectId: string; title: string; action: ActionName; onClose: () => void; onDone: () => void }) {
  const { t, lang, stage } = useI18n();
  const [reason, setReason] = useState('');
  const [assigneeUserId, setAssigneeUserId] = useState('');
  const [assigneeName, setAssigneeName] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ActionOutcome | null>(null);
  const [touched, setTouched] = useState(false);
  const label = lang === 'en' ? t(ACTION_ZH[action]) : ACTION_ZH[action];
  const missing = !reason.trim() || (action === 'reassign' && !assigneeUserId.trim());

  const run = async () => {
    setTouched(true);
    if (missing) return;
    setBusy(true);
    try {
      const body = action === 'reassign' ? { reason, assigneeUserId, ...(assigneeName ? { assigneeName } : {}) } : { reason };
      const res = await api<{ project: { stage: string; stageLabel: string; currentDetails: string } }>('POST', `/projects/${projectId}/${action}`, body);
      setOutcome({ ok: true, message: `${t('已执行')}。${t('流程当前')}：${stage(res.project.stage, res.project.stageLabel)} — ${res.project.currentDetails}` });
      onDone();
    } catch (error) {
      const e = error as ApiError;
      setOutcome({ ok: false, message: `${e.status === 409 ? t('被拒绝') : t('失败')}（${e.status}）：${e.message}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="modal-backdrop" role="presentation">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="action-title" data-testid="action-dialog">
        <h3 id="action-title">
          {label} · {title}
        </h3>
        <p className="muted">{EXPLAIN[action]}</p>
        {!outcome && (
          <>
            {action === 'reassign' && (
              <div className="form-row">
                <label>
                  {t('改派给用户ID')}
                  <input value={assigneeUserId} onChange={(e) => setAssigneeUserId(e.target.value)} name="assigneeUserId" />
                </label>
                <label>
                  {t('改派给姓名')}
                  <input value={assigneeName} onChange={(e) => setAssigneeName(e.target.value)} name="assigneeName" />
                </label>
              </div>
            )}
            <label className="block">
              {t('理由（必填）')}
              <textarea name="reason" rows={3} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus placeholder="例如：财务系统已恢复，重新申请拨付" />
            </label>
            {touched && missing && <div className="field-error">须写明理由 (a reason is required)</div>}
          </>
        )}
        {outcome && (
          <div className={outcome.ok ? 'result ok' : 'result refused'} role="status" data-testid="action-result">
            {outcome.message}
          </div>
        )}
        <div className="modal-actions">
          {!outcome ? (
            <>
              <button type="button" onClick={onClose} disabled={busy}>
                {t('取消')}
              </button>
              <button type="button" className={action === 'terminate' || action === 'skip' ? 'danger' : 'primary'} onClick={() => void run()} disabled={busy}>
                {busy ? t('执行中') : `${t('确认执行')}：${label}`}
              </button>
            </>
          ) : (
            <button type="button" className="primary" onClick={onClose}>
              {t('关闭')}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
