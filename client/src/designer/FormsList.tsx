import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { useCreateForm, useDeleteForm, useForms } from '../api/forms.js';
import { ApiError } from '../api/http.js';
import type { Sheet } from '../api/types.js';
import { useToast } from '../app/toasts.js';
import { useI18n } from '../i18n/i18n.js';

/** A sheet's forms: open one in the designer, create one (from all fields or blank), delete one. */
export function FormsList({ ws, sheet }: { ws: string; sheet: Sheet }) {
  const { t, locale } = useI18n();
  const toast = useToast();
  const [, navigate] = useLocation();
  const forms = useForms(ws, sheet.id);
  const create = useCreateForm(ws, sheet.id);
  const remove = useDeleteForm(ws, sheet.id);
  const [name, setName] = useState('');
  const [allFields, setAllFields] = useState(true);
  const base = `/w/${ws}/s/${sheet.id}/forms`;
  const fail = (error: unknown) => toast(error instanceof ApiError ? error.message : t('toast.error'), 'error');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const title = name.trim();
    const layout = allFields ? undefined : { tabs: [{ id: 'main', title, sections: [{ id: 'sec1', rows: [] }] }] };
    try {
      const form = await create.mutateAsync({ name: title, ...(layout ? { layout } : {}) });
      navigate(`${base}/${form.id}`);
    } catch (error) {
      fail(error);
    }
  };

  return (
    <section className="designer-forms">
      <div className="toolbar">
        <Link href={`/w/${ws}/s/${sheet.id}`} className="button small">
          ← {sheet.name}
        </Link>
        <h1>{t('designer.formsOf', { sheet: sheet.name })}</h1>
      </div>
      {forms.isError && <p className="error" role="alert">{forms.error instanceof ApiError ? forms.error.message : t('toast.error')}</p>}
      {forms.data && forms.data.length === 0 && <p className="empty">{t('designer.noForms')}</p>}
      {forms.data && forms.data.length > 0 && (
        <ul className="designer-form-list">
          {forms.data.map((f) => (
            <li key={f.id} className="card">
              <Link href={`${base}/${f.id}`} className="designer-form-name">
                {f.name}
              </Link>
              {f.isDefault && <span className="designer-badge default">{t('designer.default')}</span>}
              {f.public?.enabled && <span className="designer-badge">{t('designer.publicBadge')}</span>}
              <span className="hint">
                {f.publishedVersion === null ? t('designer.neverPublished') : t('designer.published', { n: f.publishedVersion })} · {new Date(f.updatedAt).toLocaleString(locale)}
              </span>
              <span className="spacer" />
              <Link href={`${base}/${f.id}`} className="button small primary">
                {t('designer.edit')}
              </Link>
              <button
                type="button"
                className="button small danger"
                onClick={() => window.confirm(t('designer.deleteConfirm', { name: f.name })) && remove.mutateAsync(f.id).catch(fail)}
              >
                {t('designer.deleteForm')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="card designer-new-form" onSubmit={submit}>
        <h2>{t('designer.newForm')}</h2>
        <label>
          {t('designer.formName')}
          <input className="input" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        </label>
        <label className="check">
          <input type="checkbox" checked={allFields} onChange={(e) => setAllFields(e.target.checked)} /> {t('designer.startWithFields')}
        </label>
        <button type="submit" className="button primary" disabled={create.isPending}>
          {t('designer.createForm')}
        </button>
      </form>
    </section>
  );
}
