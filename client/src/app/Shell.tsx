import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useLocation, useRoute } from 'wouter';
import { api } from '../api/http.js';
import { useSheets } from '../api/queries.js';
import type { Me } from '../api/types.js';
import { LOCALES, useI18n, type Locale } from '../i18n/i18n.js';
import { useConfirmLeave } from './leave-guard.js';

/** The frame around every page: workspace switcher, the workspace's sheets, language, account settings and sign-out. */
export function Shell({ me, children }: { me: Me; children: ReactNode }) {
  const { t, locale, setLocale } = useI18n();
  const [, params] = useRoute('/w/:ws/*?');
  const [, navigate] = useLocation();
  const client = useQueryClient();
  const ws = params?.ws ?? me.workspaces[0]?.id ?? '';
  const sheets = useSheets(ws);
  const confirmLeave = useConfirmLeave();
  const signOut = async () => {
    if (!(await confirmLeave())) return;
    await api('POST', '/api/auth/logout');
    client.clear();
    navigate('/login');
  };
  return (
    <div className="shell">
      <header className="topbar">
        <Link href={`/w/${ws}`} className="brand">
          {t('appName')}
        </Link>
        <select aria-label={t('nav.workspace')} className="input slim" value={ws} onChange={(e) => navigate(`/w/${e.target.value}`)}>
          {me.workspaces.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </select>
        <nav className="sheet-tabs" aria-label={t('home.sheets')}>
          {(sheets.data ?? []).map((s) => (
            <Link key={s.id} href={`/w/${ws}/s/${s.id}`} className={(active) => (active || location.pathname.startsWith(`/w/${ws}/s/${s.id}/`) ? 'tab active' : 'tab')}>
              {s.name}
            </Link>
          ))}
        </nav>
        <span className="spacer" />
        <select aria-label={t('nav.language')} className="input slim" value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
          {Object.entries(LOCALES).map(([code, name]) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </select>
        <Link href="/settings" className="button small account-link" aria-label={t('nav.settings')} title={t('nav.settings')}>
          <span aria-hidden="true">⚙</span>
          <span className="who">{me.user.name}</span>
        </Link>
        <button type="button" className="button small" onClick={signOut}>
          {t('nav.signOut')}
        </button>
      </header>
      <main className="page">{children}</main>
    </div>
  );
}


