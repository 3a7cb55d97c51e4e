import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { api, ApiError } from '../api/http.js';
import { keys } from '../api/queries.js';
import { useI18n } from '../i18n/i18n.js';

/** First-run setup (creates the owner and a first workspace) and sign-in share one small form. */
export function AuthPage({ mode }: { mode: 'setup' | 'login' }) {
  const { t } = useI18n();
  const [, navigate] = useLocation();
  const client = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError('');
    try {
      if (mode === 'setup') await api('POST', '/api/setup', { email, password, ...(name ? { name } : {}) });
      else await api('POST', '/api/auth/login', { email, password });
      await client.invalidateQueries({ queryKey: keys.me });
      // Back where sign-in was asked for (an invitation link); only a path of this app.
      const next = new URLSearchParams(window.location.search).get('next');
      navigate(next && /^\/(?!\/)/.test(next) ? next : '/');
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && mode === 'setup') navigate('/login');
      if (err instanceof ApiError && err.status === 429) {
        setError(t('login.rateLimited', { minutes: Math.max(1, Math.ceil(Number(err.details.retryAfter ?? 60) / 60)) }));
        return;
      }
      setError(err instanceof ApiError && err.status === 401 ? t('login.failed') : err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <main className="auth">
      <form className="card" onSubmit={submit}>
        <h1>{t(mode === 'setup' ? 'setup.title' : 'login.title')}</h1>
        {mode === 'setup' && (
          <label>
            {t('field.name')}
            <input className="input" value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" />
          </label>
        )}
        <label>
          {t('field.email')}
          <input className="input" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="email" />
        </label>
        <label>
          {t('field.password')}
          <input className="input" type="password" required value={password} onChange={(e) => setPassword(e.target.value)} autoComplete={mode === 'setup' ? 'new-password' : 'current-password'} />
        </label>
        {error && <p className="error" role="alert">{error}</p>}
        <button className="button primary" type="submit">
          {t(mode === 'setup' ? 'setup.submit' : 'login.submit')}
        </button>
        {mode === 'login' && <Link href="/forgot">{t('login.forgot')}</Link>}
      </form>
    </main>
  );
}
