import { useQuery } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { evaluateForm } from '../../../schema-engine/forms/evaluate.js';
import { api, ApiError } from '../api/http.js';
import { recordPath, sheetPath, useSheets } from '../api/queries.js';
import type { RecordJson, Sheet } from '../api/types.js';
import { toInput } from '../fields/controls.js';
import { isReadOnly } from '../fields/format.js';
import { LayoutView } from '../form-layout/LayoutView.js';
import { useSheetForm, type SheetForm } from '../form-layout/use-sheet-form.js';
import { valuesById } from '../form-layout/values.js';
import { useLiveLookups } from '../form-layout/live-lookups.js';
import { FieldRow } from './FieldRow.js';
import { LinkedTable } from './LinkedTable.js';
import { useI18n } from '../i18n/i18n.js';
import { useToast } from '../app/toasts.js';
import { changedValues, conflicts, elementDefaults, initialValues, isEmpty, missingRequired, type Values } from './form-state.js';
import { loadValidator } from './validate.js';

interface Props {
  workspaceId: string;
  sheet: Sheet;
  record?: RecordJson;
  onSaved(record: RecordJson): void;
  onCancel?(): void;
}

/** The sheet's form as designed and published (or generated), once it has loaded. */
export function RecordForm(props: Props) {
  const { t } = useI18n();
  const sheetForm = useSheetForm(props.workspaceId, props.sheet.id);
  if (!sheetForm.data) return <p className="loading">{sheetForm.isError ? t('toast.error') : t('grid.loading')}</p>;
  return <DesignedForm {...props} form={sheetForm.data} />;
}

/**
 * A record's form: a control per field where the layout places it, conditions deciding live what is shown and
 * required, errors shown before submitting (the server's JSON Schema, checked by ajv here too) and the server's
 * errors on the right field. Nothing typed is lost: on a 409 the other person's values are shown beside the user's,
 * untouched fields take theirs.
 */
function DesignedForm({ workspaceId, sheet, record, onSaved, onCancel, form }: Props & { form: SheetForm }) {
  const { t } = useI18n();
  const toast = useToast();
  const [base, setBase] = useState(() => ({ initial: initialValues(sheet, record, elementDefaults(form.layout)), version: record?.version }));
  const [values, setValues] = useState<Values>(base.initial);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [theirs, setTheirs] = useState<Record<string, unknown>>({});
  const [saving, setSaving] = useState(false);
  const validator = useQuery({ queryKey: ['validator', workspaceId, sheet.id, sheet.fields, t('form.required')], queryFn: () => loadValidator(workspaceId, sheet, t('form.required')), staleTime: Infinity });
  const validate = validator.data;
  const fields = useMemo(() => new Map(sheet.fields.map((f) => [f.id, f])), [sheet.fields]);
  const sheets = useSheets(workspaceId).data ?? [];
  const live = useLiveLookups(workspaceId, sheets, sheet, form.layout, values);
  const state = useMemo(() => evaluateForm(form.layout, valuesById(sheet.fields, { ...values, ...live })), [form.layout, sheet.fields, values, live]);

  /** What the form sends: only fields it shows and lets the user change. */
  const inputs = (vals: Values) => {
    const out: Values = {};
    for (const field of sheet.fields) if (field.name in vals && state.writable.has(field.id)) out[field.name] = toInput(field, vals[field.name]);
    return out;
  };

  const check = (vals: Values, validateWith = validate): Record<string, string> => {
    const nonEmpty = Object.fromEntries(Object.entries(inputs(vals)).filter(([, v]) => !isEmpty(v)));
    const now = evaluateForm(form.layout, valuesById(sheet.fields, { ...vals, ...live }));
    return { ...(validateWith?.(nonEmpty) ?? {}), ...missingRequired(sheet, vals, t('form.required'), now) };
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
    // A save clicked before the browser's validator has loaded waits for it, so no check is skipped.
    const found = check(values, validate ?? (await validator.refetch()).data);
    setErrors(found);
    if (Object.keys(found).length) {
      toast(t('form.fixErrors'), 'error');
      document.getElementById(`f-${sheet.fields.find((f) => found[f.name])?.id}`)?.focus();
      return;
    }
    setSaving(true);
    try {
      const query = form.form ? `?form=${encodeURIComponent(form.form.id)}` : '';
      const saved = record
        ? await api<RecordJson>('PATCH', `${recordPath(workspaceId, sheet.id, record.id)}${query}`, { fields: inputs(changedValues(sheet, base.initial, values)), version: base.version })
        : await api<RecordJson>('POST', `${sheetPath(workspaceId, sheet.id)}/records${query}`, { fields: Object.fromEntries(Object.entries(inputs(values)).filter(([, v]) => !isEmpty(v))) });
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
      <LayoutView
        layout={form.layout}
        state={state}
        fields={fields}
        renderField={(field, element) => (
          <FieldRow
            field={field}
            element={element}
            value={isReadOnly(field) && record ? record.fields[field.name] : values[field.name]}
            required={field.required || state.required.has(field.id)}
            readOnly={!state.writable.has(field.id)}
            error={errors[field.name]}
            theirs={field.name in theirs ? { value: theirs[field.name] } : undefined}
            workspaceId={workspaceId}
            onChange={(v) => set(field.name, v)}
            onTakeTheirs={() => {
              setValues({ ...values, [field.name]: theirs[field.name] });
              setTheirs(Object.fromEntries(Object.entries(theirs).filter(([k]) => k !== field.name)));
            }}
          />
        )}
        renderRelated={(field, element) => (
          <div className={`form-row${errors[field.name] ? ' has-error' : ''}`}>
            <label>{element.label || field.name}</label>
            <LinkedTable
              workspaceId={workspaceId}
              field={field}
              parent={record}
              columns={element.columns}
              readOnly={!state.writable.has(field.id)}
              value={(values[field.name] as never[] | undefined) ?? []}
              onChange={(v) => (record ? setValues((vals) => ({ ...vals, [field.name]: v })) : set(field.name, v))}
            />
            {errors[field.name] && <p className="error" role="alert">{field.name} {errors[field.name]}</p>}
          </div>
        )}
      />
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

