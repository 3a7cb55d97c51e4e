import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useLocation, useRoute } from 'wouter';
import { api } from '../api/http.js';
import { useAccess } from '../api/access.js';
import { setPreview, usePreview } from '../api/preview.js';
import { useSheets } from '../api/queries.js';
import type { Me } from '../api/types.js';
import { LOCALES, useI18n, type Locale } from '../i18n/i18n.js';
import { useConfirmLeave } from './leave-guard.js';
import { ApprovalsLink, NotificationBell } from '../inbox/Bell.js';
import './phone.css';

/** The frame around every page: workspace switcher, the workspace's sheets, language, account settings and sign-out. */
export function Shell({ me, children }: { me: Me; children: ReactNode }) {
  const { t, locale, setLocale } = useI18n();
  const [, params] = useRoute('/w/:ws/*?');
  const [, navigate] = useLocation();
  const client = useQueryClient();
  const ws = params?.ws ?? me.workspaces[0]?.id ?? '';
  const sheets = useSheets(ws);
  const confirmLeave = useConfirmLeave();
  const access = useAccess(ws);
  const preview = usePreview();
  const previewing = preview !== null && preview.ws === ws;
  // Preview changes what every query of the workspace answers: they are all asked again, as the role.
  const stopPreview = () => {
    setPreview(null);
    void client.resetQueries();
    if (preview) navigate(`/w/${preview.ws}/roles/${preview.roleId}`);
  };
  const signOut = async () => {
    if (!(await confirmLeave())) return;
    await api('POST', '/api/auth/logout');
    // A preview belongs to this admin's session, not to whoever signs in next in this tab.
    setPreview(null);
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
        {access?.design && !previewing && (
          <Link href={`/w/${ws}/workflows`} className={() => (location.pathname.startsWith(`/w/${ws}/workflows`) ? 'tab active' : 'tab')}>
            {t('wf.nav')}
          </Link>
        )}
        {access?.members && !previewing && (
          <nav className="team-links" aria-label={t('team.nav')}>
            <Link href={`/w/${ws}/members`} className={(active) => (active ? 'tab active' : 'tab')}>
              {t('team.members')}
            </Link>
            <Link href={`/w/${ws}/roles`} className={() => (location.pathname.startsWith(`/w/${ws}/roles`) ? 'tab active' : 'tab')}>
              {t('team.roles')}
            </Link>
            <Link href={`/w/${ws}/audit`} className={(active) => (active ? 'tab active' : 'tab')}>
              {t('team.audit')}
            </Link>
          </nav>
        )}
        <Link href={`/w/${ws}/api`} className={(active) => (active ? 'tab active' : 'tab')} title={t('apiRef.title')}>
          {t('apiRef.nav')}
        </Link>
        {!previewing && <ApprovalsLink />}
        {!previewing && <NotificationBell />}
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
      {previewing && (
        <div className="preview-banner" role="status">
          <span>{t('preview.banner', { role: preview.roleName })}</span>
          <button type="button" className="button small" onClick={stopPreview}>
            {t('preview.stop')}
          </button>
        </div>
      )}
      <main className="page">{children}</main>
    </div>
  );
}


