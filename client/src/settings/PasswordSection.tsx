import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/http.js';
import { useChangePassword } from '../api/account.js';
import { useI18n } from '../i18n/i18n.js';
import { errorText } from './describe.js';

const MIN_LENGTH = 8;

type Problems = { current?: string; password?: string; confirm?: string; form?: string };

/** Current password, the new one twice; on success the server has signed every other session out. */
export function PasswordSection() {
  const { t } = useI18n();
  const change = useChangePassword();
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problems, setProblems] = useState<Problems>({});
  const [done, setDone] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone('');
    const found: Problems = {};
    if (password.length < MIN_LENGTH) found.password = t('settings.password.tooShort', { min: MIN_LENGTH });
    else if (password !== confirm) found.confirm = t('settings.password.mismatch');
    setProblems(found);
    if (Object.keys(found).length) return;
    try {
      const { endedSessions } = await change.mutateAsync({ current, password });
      setCurrent('');
      setPassword('');
      setConfirm('');
      setDone(endedSessions === 0 ? t('settings.password.doneNone') : endedSessions === 1 ? t('settings.password.doneOne') : t('settings.password.done', { count: endedSessions }));
    } catch (error) {
      const fields = error instanceof ApiError ? error.fields : {};
      if (fields.current) setProblems({ current: t('settings.password.wrongCurrent') });
      else if (fields.password) setProblems({ password: t('settings.password.tooShort', { min: MIN_LENGTH }) });
      else setProblems({ form: errorText(error, t) });
    }
  };

  return (
    <section className="card settings-section" aria-labelledby="settings-password">
      <h2 id="settings-password">{t('settings.password.title')}</h2>
      <form className="settings-form" onSubmit={submit} noValidate>
        <PasswordInput id="password-current" label={t('settings.password.current')} value={current} onChange={setCurrent} error={problems.current} autoComplete="current-password" />
        <PasswordInput id="password-new" label={t('settings.password.new')} value={password} onChange={setPassword} error={problems.password} autoComplete="new-password" />
        <PasswordInput id="password-confirm" label={t('settings.password.confirm')} value={confirm} onChange={setConfirm} error={problems.confirm} autoComplete="new-password" />
        <p className="hint">{t('settings.password.hint', { min: MIN_LENGTH })}</p>
        {problems.form && (
          <p className="error" role="alert">
            {problems.form}
          </p>
        )}
        {done && (
          <p className="success" role="status">
            {done}
          </p>
        )}
        <div>
          <button className="button primary" type="submit" disabled={change.isPending || !current || !password}>
            {t('settings.password.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** A password box with its label and its problem (settings, and the reset page). */
export function PasswordInput(props: { id: string; label: string; value: string; onChange(value: string): void; error?: string | undefined; autoComplete: string; autoFocus?: boolean }) {
  return (
    <div className="form-row">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        className="input"
        type="password"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        autoComplete={props.autoComplete}
        autoFocus={props.autoFocus}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${props.id}-error` : undefined}
      />
      {props.error && (
        <p className="error" id={`${props.id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  );
}
