import { useMemo, useState, type FormEvent } from 'react';
import { evaluateForm } from '../../../schema-engine/forms/evaluate.js';
import { api, ApiError } from '../api/http.js';
import { useLeaveGuard } from '../app/leave-guard.js';
import type { Field } from '../api/types.js';
import { toInput } from '../fields/controls.js';
import { UnparsedNumber } from '../fields/number-text.js';
import { LayoutView } from '../form-layout/LayoutView.js';
import { valuesById } from '../form-layout/values.js';
import { elementDefaults, isEmpty, type Values } from '../form/form-state.js';
import { FieldRow } from '../form/FieldRow.js';
import { useI18n } from '../i18n/i18n.js';
import type { PublicFormData } from './PublicFormPage.js';

interface Props {
  data: PublicFormData;
  path: string;
  password: string | undefined;
}

const initial = (data: PublicFormData): Values => {
  const defaults = elementDefaults(data.layout);
  return Object.fromEntries(data.fields.flatMap((f) => (defaults[f.id] ?? f.defaultValue) != null ? [[f.name, defaults[f.id] ?? f.defaultValue]] : []));
};

/** The public form itself: live conditions, required fields checked before sending, a honeypot for bots. */
export function PublicForm({ data, path, password }: Props) {
  const { t } = useI18n();
  const [values, setValues] = useState<Values>(() => initial(data));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [honeypot, setHoneypot] = useState('');
  const [sending, setSending] = useState(false);
  const [done, setDone] = useState(false);
  const fields = useMemo(() => new Map(data.fields.map((f) => [f.id, f])), [data.fields]);
  const state = useMemo(() => evaluateForm(data.layout, valuesById(data.fields, values)), [data, values]);
  // A visitor leaving (closing the tab, a link) with answers not sent yet is asked first.
  const guard = useLeaveGuard(!done && JSON.stringify(values) !== JSON.stringify(initial(data)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const missing = data.fields.filter((f) => state.writable.has(f.id) && (state.required.has(f.id) || f.required) && isEmpty(values[f.name]));
    // Text in a number input that is no number is never sent: it stays, with the reason.
    const numbers = data.fields.filter((f) => state.writable.has(f.id) && values[f.name] instanceof UnparsedNumber);
    if (missing.length || numbers.length) {
      setErrors(Object.fromEntries([...missing.map((f) => [f.name, t('form.required')]), ...numbers.map((f) => [f.name, t(`number.${(values[f.name] as UnparsedNumber).problem}`)])]));
      document.getElementById(`f-${[...missing, ...numbers][0]!.id}`)?.focus();
      return;
    }
    const sent = Object.fromEntries(data.fields.filter((f) => state.writable.has(f.id) && !isEmpty(values[f.name])).map((f) => [f.name, toInput(f, values[f.name])]));
    setSending(true);
    try {
      await api('POST', path, { fields: sent, ...(password ? { password } : {}), ...(honeypot ? { website: honeypot } : {}) });
      guard.release();
      if (data.redirectUrl) window.location.assign(data.redirectUrl);
      setDone(true);
    } catch (error) {
      setErrors(error instanceof ApiError && Object.keys(error.fields).length ? error.fields : { '': error instanceof Error ? error.message : t('toast.error') });
    } finally {
      setSending(false);
    }
  };

  if (done) {
    return (
      <div className="record-form public-thanks" role="status">
        <p>{data.thankYou || t('public.thanks')}</p>
        <button type="button" className="button" onClick={() => { setValues(initial(data)); setDone(false); }}>
          {t('public.another')}
        </button>
      </div>
    );
  }
  const set = (name: string, value: unknown) => {
    setValues((v) => ({ ...v, [name]: value }));
    if (errors[name]) setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => k !== name)));
  };
  /** Leaving a number input whose text is no number says so at once. */
  const leave = (name: string) => {
    const value = values[name];
    if (value instanceof UnparsedNumber) setErrors((e) => ({ ...e, [name]: t(`number.${value.problem}`) }));
  };
  return (
    <form className="record-form" onSubmit={submit} noValidate>
      <LayoutView
        layout={data.layout}
        state={state}
        fields={fields}
        renderField={(field, element) =>
          field.type === 'link' ? (
            <LinkChoice field={field} options={data.links[field.id] ?? []} value={values[field.name]} error={errors[field.name]} label={element.label || field.name} onChange={(v) => set(field.name, v)} />
          ) : (
            <FieldRow field={field} element={element} value={values[field.name]} required={field.required || state.required.has(field.id)} readOnly={!state.writable.has(field.id)} error={errors[field.name]} workspaceId="" onChange={(v) => set(field.name, v)} onTakeTheirs={() => {}} onLeave={() => leave(field.name)} />
          )
        }
        renderRelated={() => null}
      />
      {/* People never see this field; bots fill it in. */}
      <div className="honeypot" aria-hidden="true">
        <label htmlFor="website">{t('public.honeypot')}</label>
        <input id="website" name="website" tabIndex={-1} autoComplete="off" value={honeypot} onChange={(e) => setHoneypot(e.target.value)} />
      </div>
      {errors[''] && <p className="error" role="alert">{errors['']}</p>}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={sending}>
          {sending ? t('public.sending') : t('public.submit')}
        </button>
      </div>
    </form>
  );
}

/** A link on a public form picks only among the records the admin listed. */
function LinkChoice({ field, options, value, error, label, onChange }: { field: Field; options: { id: string; title: string }[]; value: unknown; error?: string; label: string; onChange(v: unknown): void }) {
  const { t } = useI18n();
  const chosen = ((value as { id: string }[] | undefined) ?? [])[0]?.id ?? '';
  return (
    <div className={`form-row${error ? ' has-error' : ''}`}>
      <label htmlFor={`f-${field.id}`}>{label}</label>
      <select id={`f-${field.id}`} className="input" value={chosen} onChange={(e) => onChange(e.target.value ? [options.find((o) => o.id === e.target.value)!] : [])}>
        <option value="">{t('public.pick')}</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>{o.title}</option>
        ))}
      </select>
      {error && <p className="error" role="alert">{label} {error}</p>}
    </div>
  );
}
