import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/http.js';
import { recordPath, sheetPath } from '../api/queries.js';
import type { RecordJson, Sheet } from '../api/types.js';
import { FieldControl, toInput } from '../fields/controls.js';
import { formatValue, isReadOnly } from '../fields/format.js';
import { LinkedTable } from './LinkedTable.js';
import { useI18n } from '../i18n/i18n.js';
import { useToast } from '../app/toasts.js';
import { changedValues, conflicts, initialValues, isEmpty, missingRequired, type Values } from './form-state.js';
import { loadValidator } from './validate.js';

interface Props {
  workspaceId: string;
  sheet: Sheet;
  record?: RecordJson;
  onSaved(record: RecordJson): void;
  onCancel?(): void;
}

/**
 * The generated form of a sheet: a control per field, errors shown before submitting (the server's JSON Schema,
 * checked by ajv here too) and the server's errors on the right field. Nothing typed is lost: on a 409 the other
 * person's values are shown beside the user's, untouched fields take theirs.
 */
export function RecordForm({ workspaceId, sheet, record, onSaved, onCancel }: Props) {
  const { t, locale } = useI18n();
  const toast = useToast();
  const [base, setBase] = useState(() => ({ initial: initialValues(sheet, record), version: record?.version }));
  const [values, setValues] = useState<Values>(base.initial);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [theirs, setTheirs] = useState<Record<string, unknown>>({});
  const [saving, setSaving] = useState(false);
  const validator = useQuery({ queryKey: ['validator', workspaceId, sheet.id, sheet.fields, t('form.required')], queryFn: () => loadValidator(workspaceId, sheet, t('form.required')), staleTime: Infinity });
  const validate = validator.data;

  const inputs = (vals: Values) => {
    const out: Values = {};
    for (const field of sheet.fields) if (field.name in vals) out[field.name] = toInput(field, vals[field.name]);
    return out;
  };

  const check = (vals: Values): Record<string, string> => {
    const nonEmpty = Object.fromEntries(Object.entries(inputs(vals)).filter(([, v]) => !isEmpty(v)));
    return { ...(validate?.(nonEmpty) ?? {}), ...missingRequired(sheet, vals, t('form.required')) };
  };

  const set = (name: string, value: unknown) => {
    const next = { ...values, [name]: value };
    setValues(next);
    setTouched(new Set(touched).add(name));
    // Errors update as the user fixes them, never appear while typing a field not yet complained about.
    if (errors[name]) setErrors((e) => ({ ...Object.fromEntries(Object.entries(e).filter(([k]) => k !== name)), ...(check(next)[name] ? { [name]: check(next)[name]! } : {}) }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = check(values);
    setErrors(found);
    if (Object.keys(found).length) {
      toast(t('form.fixErrors'), 'error');
      document.getElementById(`f-${sheet.fields.find((f) => found[f.name])?.id}`)?.focus();
      return;
    }
    setSaving(true);
    try {
      const saved = record
        ? await api<RecordJson>('PATCH', recordPath(workspaceId, sheet.id, record.id), { fields: inputs(changedValues(sheet, base.initial, values)), version: base.version })
        : await api<RecordJson>('POST', `${sheetPath(workspaceId, sheet.id)}/records`, { fields: Object.fromEntries(Object.entries(inputs(values)).filter(([, v]) => !isEmpty(v))) });
      setTheirs({});
      onSaved(saved);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'version_conflict' && error.details.current) {
        const current = error.details.current as RecordJson;
        const changed = conflicts(sheet, base.initial, current);
        const merged = { ...values };
        for (const [name, value] of Object.entries(changed)) if (!touched.has(name)) merged[name] = value;
        setValues(merged);
        setTheirs(Object.fromEntries(Object.entries(changed).filter(([name]) => touched.has(name))));
        setBase({ initial: initialValues(sheet, current), version: current.version });
        toast(t('form.conflict'), 'error');
      } else if (error instanceof ApiError && Object.keys(error.fields).length) {
        setErrors(error.fields);
        toast(error.message, 'error');
      } else {
        toast(error instanceof Error ? error.message : t('toast.error'), 'error');
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="record-form" onSubmit={submit} noValidate>
      {Object.keys(theirs).length > 0 && <p className="banner warning">{t('form.conflict')}</p>}
      {sheet.fields.map((field) => {
        const id = `f-${field.id}`;
        const error = errors[field.name];
        return (
          <div key={field.id} className={`form-row${error ? ' has-error' : ''}`}>
            <label htmlFor={id}>
              {field.name}
              {field.required && <span className="required" aria-hidden> *</span>}
            </label>
            {field.type === 'link' && field.options.relationship === 'one_to_many' ? (
              <LinkedTable workspaceId={workspaceId} field={field} parent={record} value={(values[field.name] as never[] | undefined) ?? []} onChange={(v) => (record ? setValues((vals) => ({ ...vals, [field.name]: v })) : set(field.name, v))} />
            ) : (
              <FieldControl
                field={field}
                value={isReadOnly(field) && record ? record.fields[field.name] : values[field.name]}
                onChange={(v) => set(field.name, v)}
                workspaceId={workspaceId}
                id={id}
                invalid={!!error}
              />
            )}
            {field.description && <p className="hint">{field.description}</p>}
            {error && (
              <p className="error" role="alert">
                {field.name} {error}
              </p>
            )}
            {field.name in theirs && (
              <p className="theirs">
                {t('form.theirs', { value: formatValue(field, theirs[field.name], locale) || t('value.empty') })}{' '}
                <button type="button" className="link" onClick={() => { setValues({ ...values, [field.name]: theirs[field.name] }); setTheirs(Object.fromEntries(Object.entries(theirs).filter(([k]) => k !== field.name))); }}>
                  {t('form.takeTheirs')}
                </button>
              </p>
            )}
          </div>
        );
      })}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={saving}>
          {saving ? t('form.saving') : t('form.save')}
        </button>
        {onCancel && (
          <button type="button" className="button" onClick={onCancel}>
            {t('form.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

