import { useMe } from '../api/queries.js';
import { useI18n } from '../i18n/i18n.js';
import { PasswordSection } from './PasswordSection.js';
import { SessionsSection } from './SessionsSection.js';
import { TokensSection } from './TokensSection.js';
import { WorkspaceSection } from '../inbox/WorkspaceSection.js';
import './settings.css';

/** The signed-in user's own account: password, where they are signed in, API tokens; and, for designers, the workspace's name and time zone. */
export function SettingsPage() {
  const { t } = useI18n();
  const me = useMe();
  return (
    <section className="settings">
      <h1>{t('settings.title')}</h1>
      {me.data && <p className="muted">{t('settings.signedInAs', { name: me.data.user.name, email: me.data.user.email })}</p>}
      <PasswordSection />
      <SessionsSection />
      <TokensSection />
      <WorkspaceSection />
    </section>
  );
}
