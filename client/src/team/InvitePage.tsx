import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import { api, ApiError } from '../api/http.js';
import { keys } from '../api/queries.js';
import type { Me } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { errorText, useRoleName } from './common.js';
import './team.css';

interface InvitationInfo {
  email: string;
  workspace: { id: string; name: string };
  role: string;
  hasAccount: boolean;
}

const MIN_PASSWORD = 8;

/**
 * The page an invitation link opens: a new person sets a name and password; someone signed in joins with their
 * account; a used, revoked or expired link says so. Accepted, the user lands in the workspace.
 */
export function InvitePage({ token }: { token: string }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const roleName = useRoleName();
  const info = useQuery({ queryKey: ['invitation', token], queryFn: () => api<InvitationInfo>('GET', `/api/invitations/${encodeURIComponent(token)}`), retry: false });
  const me = useQuery({ queryKey: keys.me, queryFn: () => api<Me>('GET', '/api/me'), retry: false });
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  if (info.isPending || me.isPending) return <p className="loading">{t('grid.loading')}</p>;
  if (!info.data) {
    const gone = info.error instanceof ApiError && info.error.status === 404;
    return (
      <main className="auth">
        <div className="card" role="alert">
          <h1>{t(gone ? 'invite.goneTitle' : 'toast.error')}</h1>
          <p>{gone ? t('invite.gone') : errorText(info.error, t('toast.error'))}</p>
          <a className="button" href="/">
            {t('invite.toApp')}
          </a>
        </div>
      </main>
    );
  }
  const invitation = info.data;
  const user = me.data?.user;
  const member = me.data?.workspaces.some((w) => w.id === invitation.workspace.id);

  const accept = async (event: FormEvent | null) => {
    event?.preventDefault();
    setError('');
    setFields({});
    if (!user && password.length < MIN_PASSWORD) {
      setFields({ password: t('settings.password.tooShort', { min: MIN_PASSWORD }) });
      return;
    }
    setBusy(true);
    try {
      await api('POST', `/api/invitations/${encodeURIComponent(token)}/accept`, user ? undefined : { name: name.trim(), password });
      await client.invalidateQueries({ queryKey: keys.me });
      await client.refetchQueries({ queryKey: keys.me });
      navigate(`/w/${invitation.workspace.id}`);
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fields).length) setFields(err.fields);
      setError(errorText(err, t('toast.error')));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="auth invite-page">
      <form className="card" onSubmit={(e) => void accept(e)}>
        <h1>{t('invite.title', { workspace: invitation.workspace.name })}</h1>
        <p>{t('invite.as', { email: invitation.email, role: roleName(invitation.role) })}</p>
        {user ? (
          <>
            <p className="muted">{t('invite.signedInAs', { name: user.name, email: user.email })}</p>
            {member ? (
              <a className="button primary" href={`/w/${invitation.workspace.id}`}>
                {t('invite.open', { workspace: invitation.workspace.name })}
              </a>
            ) : (
              <button type="submit" className="button primary" disabled={busy}>
                {t('invite.join', { workspace: invitation.workspace.name })}
              </button>
            )}
          </>
        ) : invitation.hasAccount ? (
          <>
            <p>{t('invite.hasAccount', { email: invitation.email })}</p>
            <a className="button primary" href={`/login?next=${encodeURIComponent(`/invite/${token}`)}`}>
              {t('login.submit')}
            </a>
          </>
        ) : (
          <>
            <label>
              {t('invite.name')}
              <input className="input" required value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" aria-invalid={fields.name ? true : undefined} />
            </label>
            <label>
              {t('field.email')}
              <input className="input" value={invitation.email} readOnly autoComplete="username" />
            </label>
            <label>
              {t('field.password')}
              <input className="input" type="password" required value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" aria-invalid={fields.password ? true : undefined} />
            </label>
            <p className="hint muted">{t('invite.passwordHint', { min: MIN_PASSWORD })}</p>
            {Object.entries(fields).map(([field, problem]) => (
              <p key={field} className="error" role="alert">
                {field === 'password' ? t('field.password') : field === 'name' ? t('invite.name') : field}: {problem}
              </p>
            ))}
            <button type="submit" className="button primary" disabled={busy}>
              {t('invite.accept')}
            </button>
          </>
        )}
        {error && (user || invitation.hasAccount || !Object.keys(fields).length) && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
