import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormLayout } from '../../../schema-engine/forms/layout.js';
import { api, ApiError } from '../api/http.js';
import type { Field } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { PublicForm } from './PublicForm.js';

export interface PublicFormData {
  name: string;
  sheet: { id: string; name: string };
  layout: FormLayout;
  fields: Field[];
  /** The records each link field may pick, by field id. */
  links: Record<string, { id: string; title: string }[]>;
  thankYou: string | null;
  redirectUrl: string | null;
}

/** A published form at its public address: anyone may fill it in, after its password if it has one. */
export function PublicFormPage({ token }: { token: string }) {
  const { t } = useI18n();
  const [password, setPassword] = useState<string | undefined>();
  const [typed, setTyped] = useState('');
  const path = `/api/public/forms/${encodeURIComponent(token)}`;
  const form = useQuery({
    queryKey: ['public-form', token, password],
    queryFn: () => api<PublicFormData>('GET', path, undefined, password ? { 'x-form-password': password } : {}),
    retry: false,
  });
  const error = form.error instanceof ApiError ? form.error : undefined;

  let body;
  if (form.isPending) body = <p className="loading">{t('grid.loading')}</p>;
  else if (error?.code === 'password_required') {
    body = (
      <form
        className="record-form"
        onSubmit={(e) => {
          e.preventDefault();
          setPassword(typed);
        }}
      >
        <label htmlFor="public-password">{t('public.password')}</label>
        <input id="public-password" className="input" type="password" value={typed} onChange={(e) => setTyped(e.target.value)} autoFocus />
        {password && <p className="error" role="alert">{t('public.passwordWrong')}</p>}
        <button type="submit" className="button primary">{t('public.open')}</button>
      </form>
    );
  } else if (form.data) body = <PublicForm data={form.data} path={path} password={password} />;
  else body = <p className="empty">{error?.details.closed ? t('public.closed') : t('public.notFound')}</p>;

  return (
    <main className="public-page">
      <h1>{form.data?.name ?? t('appName')}</h1>
      {body}
    </main>
  );
}
