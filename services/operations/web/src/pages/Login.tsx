import { useState } from 'react';
import { devLogin, type Session } from '../api';
import { ErrorBox } from '../components/bits';
import { useI18n } from '../i18n';

interface Identity {
  key: string;
  zh: string;
  en: string;
  role: string;
  scopeKind: 'platform' | 'sub-district' | 'community';
  userId: string;
  name: string;
}

/** Demo identities (development login only: the service refuses it in production). */
const IDENTITIES: Identity[] = [
  { key: 'operator', zh: '运维人员', en: 'Operator', role: 'operator', scopeKind: 'platform', userId: 'demo-operator', name: '运维值班员' },
  { key: 'admin', zh: '管理员', en: 'Admin', role: 'admin', scopeKind: 'platform', userId: 'demo-admin', name: '演示管理员' },
  { key: 'reviewer', zh: '街道审核人员', en: 'Sub-district reviewer', role: 'subdistrict_reviewer', scopeKind: 'sub-district', userId: 'demo-reviewer', name: '街道审核人员' },
  { key: 'committee', zh: '工委会成员', en: 'Working committee member', role: 'committee_member', scopeKind: 'sub-district', userId: 'demo-committee', name: '工委会成员' },
  { key: 'secretary', zh: '社区书记', en: 'Community secretary', role: 'community_secretary', scopeKind: 'community', userId: 'demo-secretary', name: '社区书记' },
];

export function Login({ onLogin }: { onLogin: (s: Session) => void }) {
  const { t, lang, setLang } = useI18n();
  const [picked, setPicked] = useState('operator');
  const [scopeId, setScopeId] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const identity = IDENTITIES.find((i) => i.key === picked)!;

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const session = await devLogin({
        userId: identity.userId,
        name: identity.name,
        role: identity.role,
        scope: { kind: identity.scopeKind, id: identity.scopeKind === 'platform' ? 'linli' : scopeId.trim() },
      });
      onLogin(session);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login">
      <form
        className="login-card"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className="login-brand">
          <span className="logo">邻</span>
          <div>
            <h1>邻里 · {t('运维控制台')}</h1>
            <p className="muted">{t('开发登录（仅限开发环境）')}</p>
          </div>
          <button type="button" className="link lang" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
            {lang === 'zh' ? 'English' : '中文'}
          </button>
        </div>
        <fieldset>
          <legend>{t('选择演示身份')}</legend>
          {IDENTITIES.map((i) => (
            <label key={i.key} className={`identity ${picked === i.key ? 'picked' : ''}`}>
              <input type="radio" name="identity" value={i.key} checked={picked === i.key} onChange={() => setPicked(i.key)} />
              <strong>{lang === 'en' ? i.en : i.zh}</strong>
              <span className="muted small">{i.role}</span>
            </label>
          ))}
        </fieldset>
        {identity.scopeKind !== 'platform' && (
          <label className="block">
            {identity.scopeKind === 'sub-district' ? `${t('街道')} ID` : `${t('社区')} ID`}
            <input value={scopeId} onChange={(e) => setScopeId(e.target.value)} placeholder="UUID" required />
          </label>
        )}
        <ErrorBox error={error} />
        <button type="submit" className="primary wide" disabled={busy}>
          {t('登录')}
        </button>
      </form>
    </div>
  );
}
