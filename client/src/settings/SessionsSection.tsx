import { useQueryClient } from '@tanstack/react-query';
import { useLocation } from 'wouter';
import { useRevokeSession, useSessions, useSignOutEverywhere } from '../api/account.js';
import { useToast } from '../app/toasts.js';
import { useI18n } from '../i18n/i18n.js';
import { describeAgent, errorText, formatWhen } from './describe.js';

/** The browsers and devices signed in as this user: this one marked, any other signed out with a click. */
export function SessionsSection() {
  const { t, locale } = useI18n();
  const sessions = useSessions();
  const revoke = useRevokeSession();
  const everywhere = useSignOutEverywhere();
  const client = useQueryClient();
  const toast = useToast();
  const [, navigate] = useLocation();

  const signOutOne = async (id: string) => {
    try {
      await revoke.mutateAsync(id);
      toast(t('settings.sessions.revoked'));
    } catch (error) {
      toast(errorText(error, t), 'error');
    }
  };
  const signOutEverywhere = async () => {
    if (!window.confirm(t('settings.sessions.everywhereConfirm'))) return;
    try {
      await everywhere.mutateAsync();
      client.clear();
      navigate('/login');
    } catch (error) {
      toast(errorText(error, t), 'error');
    }
  };

  return (
    <section className="card settings-section" aria-labelledby="settings-sessions">
      <h2 id="settings-sessions">{t('settings.sessions.title')}</h2>
      {sessions.isError && <p className="error">{errorText(sessions.error, t)}</p>}
      <ul className="settings-list" aria-labelledby="settings-sessions">
        {(sessions.data ?? []).map((s) => (
          <li key={s.id} className={s.current ? 'current' : undefined}>
            <div className="settings-item">
              <strong title={s.userAgent ?? undefined}>{describeAgent(s.userAgent, t)}</strong>
              {s.current && <span className="chip chip-green">{t('settings.sessions.thisDevice')}</span>}
              <span className="muted settings-meta">
                {t('settings.sessions.since', { date: formatWhen(s.createdAt, locale) })} · {t('settings.sessions.lastSeen', { date: formatWhen(s.lastSeenAt, locale) })}
              </span>
            </div>
            {!s.current && (
              <button type="button" className="button small" onClick={() => void signOutOne(s.id)} disabled={revoke.isPending}>
                {t('settings.sessions.revoke')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <p className="hint">{t('settings.sessions.everywhereHint')}</p>
      <div>
        <button type="button" className="button danger" onClick={() => void signOutEverywhere()} disabled={everywhere.isPending}>
          {t('settings.sessions.everywhere')}
        </button>
      </div>
    </section>
  );
}
