import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { api, ApiError } from '../api/http.js';
import { keys } from '../api/queries.js';
import { useI18n } from '../i18n/i18n.js';
import { PasswordInput } from '../settings/PasswordSection.js';

/** The server's password rule (server/routes/auth.ts). */
const MIN_LENGTH = 8;

type T = ReturnType<typeof useI18n>['t'];

/** A 429's wait in whole minutes, or the server's message. */
function problemText(error: unknown, t: T): string {
  if (error instanceof ApiError && error.status === 429) return t('reset.rateLimited', { minutes: Math.max(1, Math.ceil(Number(error.details.retryAfter ?? 60) / 60)) });
  return error instanceof Error ? error.message : String(error);
}

/** "Forgot password?": asks for the account's email; the answer is the same whether an account has it or not. */
export function ForgotPasswordPage() {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem('');
    setBusy(true);
    try {
      await api('POST', '/api/auth/reset', { email });
      setSentTo(email.trim());
    } catch (error) {
      setProblem(error instanceof ApiError && error.fields.email ? `${t('field.email')}: ${error.fields.email}` : problemText(error, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="auth">
      <form className="card" onSubmit={submit} aria-labelledby="reset-request-title">
        <h1 id="reset-request-title">{t('reset.request.title')}</h1>
        {sentTo ? (
          <>
            <p role="status">{t('reset.request.sent', { email: sentTo })}</p>
            <button className="button" type="button" onClick={() => setSentTo('')}>
              {t('reset.request.again')}
            </button>
          </>
        ) : (
          <>
            <p className="muted">{t('reset.request.intro')}</p>
            <label>
              {t('field.email')}
              <input className="input" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="email" autoFocus />
            </label>
            {problem && (
              <p className="error" role="alert">
                {problem}
              </p>
            )}
            <button className="button primary" type="submit" disabled={busy || !email.trim()}>
              {t('reset.request.submit')}
            </button>
          </>
        )}
        <Link href="/login">{t('reset.backToSignIn')}</Link>
      </form>
    </main>
  );
}

/** The link from the mail, /reset/<token>: a new password, which signs this browser in (every other session ends). */
export function ResetPasswordPage({ token }: { token: string }) {
  const { t } = useI18n();
  const [, navigate] = useLocation();
  const client = useQueryClient();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problems, setProblems] = useState<{ password?: string; confirm?: string; form?: string }>({});
  const [goneOnSubmit, setGone] = useState(false);
  const [busy, setBusy] = useState(false);
  // Asked first, so nobody types a new password for a link that no longer works.
  const check = useQuery({ queryKey: ['password-reset', token], queryFn: () => api<{ expiresAt: string }>('GET', `/api/auth/reset/${encodeURIComponent(token)}`), retry: false, staleTime: Infinity });
  const gone = goneOnSubmit || (check.error instanceof ApiError && check.error.status === 404);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (password.length < MIN_LENGTH) return setProblems({ password: t('settings.password.tooShort', { min: MIN_LENGTH }) });
    if (password !== confirm) return setProblems({ confirm: t('settings.password.mismatch') });
    setProblems({});
    setBusy(true);
    try {
      await api('POST', `/api/auth/reset/${encodeURIComponent(token)}`, { password });
      // Signed in now: the app's home, as after a sign-in.
      await client.invalidateQueries({ queryKey: keys.me });
      navigate('/', { replace: true });
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) setGone(true);
      else if (error instanceof ApiError && error.fields.password) setProblems({ password: t('settings.password.tooShort', { min: MIN_LENGTH }) });
      else setProblems({ form: problemText(error, t) });
    } finally {
      setBusy(false);
    }
  };

  if (gone) {
    return (
      <main className="auth">
        <div className="card">
          <h1>{t('reset.set.title')}</h1>
          <p className="error" role="alert">
            {t('reset.set.gone')}
          </p>
          <Link href="/forgot">{t('reset.set.askAgain')}</Link>
          <Link href="/login">{t('reset.backToSignIn')}</Link>
        </div>
      </main>
    );
  }

  if (check.isPending) return <main className="auth" aria-busy="true" />;

  return (
    <main className="auth">
      <form className="card" onSubmit={submit} noValidate aria-labelledby="reset-set-title">
        <h1 id="reset-set-title">{t('reset.set.title')}</h1>
        <PasswordInput id="reset-password" label={t('settings.password.new')} value={password} onChange={setPassword} error={problems.password} autoComplete="new-password" autoFocus />
        <PasswordInput id="reset-confirm" label={t('settings.password.confirm')} value={confirm} onChange={setConfirm} error={problems.confirm} autoComplete="new-password" />
        <p className="hint">{t('reset.set.hint', { min: MIN_LENGTH })}</p>
        {problems.form && (
          <p className="error" role="alert">
            {problems.form}
          </p>
        )}
        <button className="button primary" type="submit" disabled={busy || !password}>
          {t('reset.set.submit')}
        </button>
      </form>
    </main>
  );
}
