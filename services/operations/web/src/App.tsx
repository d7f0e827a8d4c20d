import { useEffect, useState } from 'react';
import { loadSession, saveSession, setUnauthorizedHandler, type Session } from './api';
import { I18nProvider, useI18n } from './i18n';
import { LiveProvider, useLive } from './live';
import { Audit } from './pages/Audit';
import { BatchRetry } from './pages/BatchRetry';
import { Login } from './pages/Login';
import { Overview } from './pages/Overview';
import { Project } from './pages/Project';
import { Projects } from './pages/Projects';
import { Stalled } from './pages/Stalled';
import { href, useRoute } from './router';

function LiveIndicator() {
  const { status } = useLive();
  const { t } = useI18n();
  const text = status === 'live' ? t('实时') : status === 'connecting' ? t('连接中') : t('实时连接中断，正在重连');
  return (
    <span className={`live-dot ${status}`} data-testid="live-status" data-status={status} title={text}>
      ● {text}
    </span>
  );
}

function Shell({ session, onLogout }: { session: Session; onLogout: () => void }) {
  const route = useRoute();
  const { t, lang, setLang, role } = useI18n();
  const nav = (page: string, path: string, label: string) => (
    <a className={route.page === page || (page === 'projects' && route.page === 'project') ? 'active' : undefined} href={href(path)}>
      {label}
    </a>
  );
  return (
    <LiveProvider>
      <header className="topbar">
        <div className="brand">
          <span className="logo">邻</span>
          <span>邻里 · {t('运维控制台')}</span>
        </div>
        <nav className="nav">
          {nav('overview', '/', t('总览'))}
          {nav('projects', '/projects', t('项目列表'))}
          {nav('stalled', '/stalled', t('卡住的流程'))}
          {nav('batch', '/batch', t('批量重试'))}
          {nav('audit', '/audit', t('审计记录'))}
        </nav>
        <div className="who">
          <LiveIndicator />
          <span data-testid="whoami">
            {session.principal.name ?? session.principal.userId} · {role(session.principal.role)}
          </span>
          <button type="button" className="link" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')} data-testid="lang-switch">
            {lang === 'zh' ? 'EN' : '中文'}
          </button>
          <button type="button" className="link" onClick={onLogout}>
            {t('退出')}
          </button>
        </div>
      </header>
      <main>
        {route.page === 'overview' && <Overview />}
        {route.page === 'projects' && <Projects route={route} />}
        {route.page === 'stalled' && <Stalled route={route} />}
        {route.page === 'project' && route.id && <Project key={route.id} id={route.id} />}
        {route.page === 'batch' && <BatchRetry route={route} />}
        {route.page === 'audit' && <Audit route={route} />}
      </main>
    </LiveProvider>
  );
}

function Root() {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  useEffect(() => {
    setUnauthorizedHandler(() => {
      saveSession(null);
      setSession(null);
    });
  }, []);
  if (!session) return <Login onLogin={setSession} />;
  return (
    <Shell
      session={session}
      onLogout={() => {
        saveSession(null);
        setSession(null);
      }}
    />
  );
}

export function App() {
  return (
    <I18nProvider>
      <Root />
    </I18nProvider>
  );
}
