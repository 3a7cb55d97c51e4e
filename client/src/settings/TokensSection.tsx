import { useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/http.js';
import { useCreateToken, useRevokeToken, useTokens, type ApiTokenInfo, type NewApiToken } from '../api/account.js';
import { useToast } from '../app/toasts.js';
import { useI18n } from '../i18n/i18n.js';
import { errorText, formatWhen } from './describe.js';

/** Today as the date input writes it (local time), the earliest expiry one can pick. */
function today(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

/** API tokens: create one (shown once, with a copy button), see when each was used and expires, revoke. */
export function TokensSection() {
  const { t } = useI18n();
  const tokens = useTokens();
  const create = useCreateToken();
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('');
  const [problems, setProblems] = useState<{ name?: string; expiresAt?: string; form?: string }>({});
  const [created, setCreated] = useState<NewApiToken | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblems({});
    try {
      // A picked day means the end of that day, where the user is.
      const expiresAt = expires ? new Date(`${expires}T23:59:59.999`).toISOString() : undefined;
      setCreated(await create.mutateAsync({ name, ...(expiresAt ? { expiresAt } : {}) }));
      setName('');
      setExpires('');
    } catch (error) {
      const fields = error instanceof ApiError ? error.fields : {};
      if (fields.expiresAt) setProblems({ expiresAt: t('settings.tokens.pastExpiry') });
      else if (fields.name) setProblems({ name: t('settings.tokens.nameRequired') });
      else setProblems({ form: errorText(error, t) });
    }
  };

  return (
    <section className="card settings-section" aria-labelledby="settings-tokens">
      <h2 id="settings-tokens">{t('settings.tokens.title')}</h2>
      <p className="hint">{t('settings.tokens.hint')}</p>
      {created && <CreatedToken token={created} onDone={() => setCreated(null)} />}
      <form className="settings-form token-form" onSubmit={submit} noValidate>
        <div className="form-row">
          <label htmlFor="token-name">{t('settings.tokens.name')}</label>
          <input id="token-name" className="input" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} aria-invalid={problems.name ? true : undefined} />
          {problems.name && <p className="error">{problems.name}</p>}
        </div>
        <div className="form-row">
          <label htmlFor="token-expires">{t('settings.tokens.expires')}</label>
          <input id="token-expires" className="input" type="date" min={today()} value={expires} onChange={(e) => setExpires(e.target.value)} aria-invalid={problems.expiresAt ? true : undefined} />
          {problems.expiresAt && <p className="error">{problems.expiresAt}</p>}
        </div>
        <div className="token-submit">
          <button className="button primary" type="submit" disabled={create.isPending || !name.trim()}>
            {t('settings.tokens.create')}
          </button>
        </div>
        {problems.form && (
          <p className="error" role="alert">
            {problems.form}
          </p>
        )}
      </form>
      {tokens.isError && <p className="error">{errorText(tokens.error, t)}</p>}
      {tokens.data?.length === 0 && <p className="muted">{t('settings.tokens.empty')}</p>}
      <ul className="settings-list" aria-label={t('settings.tokens.title')}>
        {(tokens.data ?? []).map((token) => (
          <TokenRow key={token.id} token={token} />
        ))}
      </ul>
    </section>
  );
}

function TokenRow({ token }: { token: ApiTokenInfo }) {
  const { t, locale } = useI18n();
  const revoke = useRevokeToken();
  const toast = useToast();
  const expired = token.expiresAt !== null && Date.parse(token.expiresAt) <= Date.now();
  const onRevoke = async () => {
    if (!window.confirm(t('settings.tokens.revokeConfirm', { name: token.name }))) return;
    try {
      await revoke.mutateAsync(token.id);
      toast(t('settings.tokens.revoked'));
    } catch (error) {
      toast(errorText(error, t), 'error');
    }
  };
  return (
    <li>
      <div className="settings-item">
        <strong>{token.name}</strong>
        {expired && <span className="chip chip-red">{t('settings.tokens.expiredBadge')}</span>}
        <span className="muted settings-meta">
          {t('settings.tokens.created', { date: formatWhen(token.createdAt, locale) })} ·{' '}
          {token.lastUsedAt ? t('settings.tokens.lastUsed', { date: formatWhen(token.lastUsedAt, locale) }) : t('settings.tokens.neverUsed')} ·{' '}
          {token.expiresAt ? t(expired ? 'settings.tokens.expired' : 'settings.tokens.expiresOn', { date: formatWhen(token.expiresAt, locale) }) : t('settings.tokens.noExpiry')}
        </span>
      </div>
      <button type="button" className="button small danger" onClick={() => void onRevoke()} disabled={revoke.isPending} aria-label={t('settings.tokens.revokeNamed', { name: token.name })}>
        {t('settings.tokens.revoke')}
      </button>
    </li>
  );
}

/** The new token, this once: selectable text and a copy button. */
function CreatedToken({ token, onDone }: { token: NewApiToken; onDone(): void }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'' | 'yes' | 'failed'>('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token.token);
      setCopied('yes');
    } catch {
      // Without clipboard access (an http address other than localhost), the text is selected for Ctrl+C.
      input.current?.select();
      setCopied('failed');
    }
  };
  return (
    <div className="new-token" role="region" aria-label={t('settings.tokens.createdTitle', { name: token.name })}>
      <strong>{t('settings.tokens.createdTitle', { name: token.name })}</strong>
      <p className="hint">{t('settings.tokens.copyNow')}</p>
      <div className="new-token-value">
        <input ref={input} className="input mono" readOnly value={token.token} aria-label={t('settings.tokens.tokenLabel')} onFocus={(e) => e.target.select()} />
        <button type="button" className="button" onClick={() => void copy()}>
          {copied === 'yes' ? t('settings.tokens.copied') : t('settings.tokens.copy')}
        </button>
      </div>
      {copied === 'failed' && <p className="error">{t('settings.tokens.copyFailed')}</p>}
      <div>
        <button type="button" className="button small" onClick={onDone}>
          {t('settings.tokens.done')}
        </button>
      </div>
    </div>
  );
}
