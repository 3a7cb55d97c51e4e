import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { evaluateForm } from '../../../schema-engine/forms/evaluate.js';
import { api, ApiError } from '../api/http.js';
import { recordPath, sheetPath, useMe, useSheets } from '../api/queries.js';
import type { Field, LinkRef, RecordJson, Sheet } from '../api/types.js';
import { useLeaveGuard } from '../app/leave-guard.js';
import { toInput } from '../fields/controls.js';
import { UnparsedNumber } from '../fields/number-text.js';
import { isReadOnly } from '../fields/format.js';
import { LayoutView } from '../form-layout/LayoutView.js';
import { useSheetForm, type SheetForm } from '../form-layout/use-sheet-form.js';
import { valuesById } from '../form-layout/values.js';
import { useLiveLookups } from '../form-layout/live-lookups.js';
import { currentUserDefaults } from './carried.js';
import { useLiveTotals } from './live-totals.js';
import { FieldRow } from './FieldRow.js';
import { LockIcon } from '../fields/LockIcon.js';
import { LinkedTable } from './LinkedTable.js';
import { useI18n } from '../i18n/i18n.js';
import { useToast } from '../app/toasts.js';
import { changedValues, conflicts, elementDefaults, initialValues, isEmpty, missingRequired, type Values } from './form-state.js';
import { loadValidator } from './validate.js';
import { copiesOnPick } from './copy-on-pick.js';
import { useLockOf } from './lock-rules.js';
import { firstRowProblem, isFilled, numberProblems, relatedFieldNames, rowInputs, type RowDraft } from './drafts.js';

interface Props {
  workspaceId: string;
  sheet: Sheet;
  record?: RecordJson;
  onSaved(record: RecordJson): void;
  onCancel?(): void;
  /** A new record's starting values by field name (the parent it was started from, and what that carries). */
  defaults?: Record<string, unknown> | undefined;
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
 * errors on the right field. Nothing typed is lost: leaving with unsaved changes asks first; text in a number input
 * that is no number stays as typed and stops the save; a related list's new row filled in but not added is saved
 * with the record; on a 409 the other person's values are shown beside the user's, untouched fields take theirs.
 */
function DesignedForm({ workspaceId, sheet, record, onSaved, onCancel, form, defaults }: Props & { form: SheetForm }) {
  const { t, locale } = useI18n();
  const toast = useToast();
  const me = useMe().data?.user;
  const client = useQueryClient();
  const [base, setBase] = useState(() => ({
    initial: record ? initialValues(sheet, record) : { ...initialValues(sheet, undefined, { ...currentUserDefaults(sheet, me), ...elementDefaults(form.layout) }), ...defaults },
    version: record?.version,
  }));
  const [values, setValues] = useState<Values>(base.initial);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [theirs, setTheirs] = useState<Record<string, unknown>>({});
  /** Each related list's new row, typed in but not added yet. */
  const [rows, setRows] = useState<Record<string, RowDraft>>({});
  const [saving, setSaving] = useState(false);
  const validator = useQuery({ queryKey: ['validator', workspaceId, sheet.id, sheet.fields, locale], queryFn: () => loadValidator(workspaceId, sheet, t), staleTime: Infinity });
  const validate = validator.data;
  const fields = useMemo(() => new Map(sheet.fields.map((f) => [f.id, f])), [sheet.fields]);
  const sheets = useSheets(workspaceId).data ?? [];
  const live = useLiveLookups(workspaceId, sheets, sheet, form.layout, values);
  // A new record's totals follow what is typed (its line items included); a saved one's come from the server.
  const computed = useLiveTotals(workspaceId, sheets, sheet, values, rows, !record);
  // A saved record's lock rules (an accepted quote) hold over it as saved, as the server checks them.
  const lockOf = useLockOf(workspaceId, sheet);
  const lock = useMemo(() => (record ? lockOf(record.fields) : undefined), [lockOf, record]);
  const state = useMemo(() => {
    const evaluated = evaluateForm(form.layout, valuesById(sheet.fields, { ...values, ...live }));
    // Fields the caller's role may not write, and fields a lock rule holds, are shown, never sent.
    return { ...evaluated, writable: new Set([...evaluated.writable].filter((id) => !fields.get(id)?.locked && !lock?.fields.has(fields.get(id)?.name ?? ''))) };
  }, [form.layout, sheet.fields, values, live, fields, lock]);
  // A saved record's related lists save each row as it is edited: the record's own save leaves them alone.
  const related = useMemo(() => relatedFieldNames(form.layout, sheet), [form.layout, sheet]);
  const savedLive = record ? related : undefined;
  const filledRows = sheet.fields.filter((f) => related.has(f.name) && state.writable.has(f.id) && isFilled(rows[f.name]));
  const dirty = Object.keys(changedValues(sheet, base.initial, values, savedLive)).length > 0 || filledRows.length > 0;
  const guard = useLeaveGuard(dirty);

  /** The form starts again from a record as saved. */
  const adopt = (saved: RecordJson) => {
    const initial = initialValues(sheet, saved);
    setBase({ initial, version: saved.version });
    setValues(initial);
    setTouched(new Set());
    setErrors({});
    setTheirs({});
  };
  // A newer version (someone else's save, a conversion) replaces the form while nothing is typed in it; with changes
  // the user's typing stays and the save's 409 shows both.
  useEffect(() => {
    if (record && record.version !== base.version && !dirty) adopt(record);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [record?.version]);

  /** What the form sends: only fields it shows and lets the user change. */
  const inputs = (vals: Values) => {
    const out: Values = {};
    for (const field of sheet.fields) if (field.name in vals && state.writable.has(field.id)) out[field.name] = toInput(field, vals[field.name]);
    return out;
  };

  const check = (vals: Values, validateWith = validate): Record<string, string> => {
    const sent = inputs(vals);
    const nonEmpty = Object.fromEntries(Object.entries(sent).filter(([, v]) => !isEmpty(v)));
    const now = evaluateForm(form.layout, valuesById(sheet.fields, { ...vals, ...live }));
    const numbers = Object.fromEntries(Object.entries(numberProblems(sent)).map(([name, problem]) => [name, t(`number.${problem}`)]));
    return { ...(validateWith?.(nonEmpty) ?? {}), ...missingRequired(sheet, vals, t('form.required'), now), ...numbers };
  };

  /** New rows that cannot be sent as typed (a number that is no number), by related list. */
  const rowErrors = (): Record<string, string> => {
    const found: Record<string, string> = {};
    for (const field of filledRows) {
      const target = sheets.find((s) => s.id === field.options.sheet);
      const problem = target && firstRowProblem(target, rows[field.name]!);
      if (problem) found[field.name] = t('linked.newRowProblem', { field: problem.field.name, problem: t(`number.${problem.problem}`) });
    }
    return found;
  };

  const set = (name: string, value: unknown) => {
    const next = { ...values, [name]: value };
    setValues(next);
    setTouched(new Set(touched).add(name));
    // Errors update as the user fixes them, never appear while typing a field not yet complained about.
    if (errors[name]) setErrors((e) => ({ ...Object.fromEntries(Object.entries(e).filter(([k]) => k !== name)), ...(check(next)[name] ? { [name]: check(next)[name]! } : {}) }));
    const link = sheet.fields.find((f) => f.name === name);
    if (link?.type === 'link') void pick(link, values[name], value);
  };
  /** Picking a record in a link fills the fields that copy from it (copy on pick), as the save would. */
  const pick = async (link: Field, before: unknown, after: unknown) => {
    try {
      const copied = await copiesOnPick(client, workspaceId, sheets, sheet, link, before, after, (f) => state.writable.has(f.id));
      if (Object.keys(copied).length) setValues((v) => (v[link.name] === after ? { ...v, ...copied } : v));
    } catch {
      // The save copies on the server all the same.
    }
  };
  /** Leaving a number input whose text is no number says so at once. */
  const leave = (name: string) => {
    const problem = values[name] instanceof UnparsedNumber ? values[name].problem : undefined;
    if (problem) setErrors((e) => ({ ...e, [name]: t(`number.${problem}`) }));
  };
  const setRow = (name: string, update: (draft: RowDraft) => RowDraft) => {
    setRows((r) => ({ ...r, [name]: update(r[name] ?? {}) }));
    if (errors[name]) setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => k !== name)));
  };

  /**
   * A saved record's new rows, filled in but not added: created and linked first, as "+ Add row" would, each one
   * kept in its row with the reason when it is refused (and the record then not saved).
   */
  const addRows = async (parent: RecordJson): Promise<boolean> => {
    for (const field of filledRows) {
      const target = sheets.find((s) => s.id === field.options.sheet);
      if (!target) continue;
      const inverse = target.fields.find((f) => f.id === field.options.inverseField);
      try {
        const created = await api<RecordJson>('POST', `${sheetPath(workspaceId, target.id)}/records`, { fields: { ...rowInputs(target, rows[field.name]!), ...(inverse ? { [inverse.name]: [parent.id] } : {}) } });
        setRows((r) => ({ ...r, [field.name]: {} }));
        setValues((v) => ({ ...v, [field.name]: [...((v[field.name] as LinkRef[] | undefined) ?? []), { id: created.id, title: '' }] }));
      } catch (error) {
        const message = error instanceof ApiError ? error.message : t('toast.error');
        setErrors((e) => ({ ...e, [field.name]: t('linked.newRowRefused', { message }) }));
        toast(message, 'error');
        return false;
      }
    }
    return true;
  };

  /**
   * The server's field errors where the form shows them. A new linked record refused by its own sheet's rule names
   * that sheet's fields: the reason goes to the related list whose new rows were sent.
   */
  const placeErrors = (error: ApiError): Record<string, string> => {
    const own = Object.fromEntries(Object.entries(error.fields).filter(([name]) => sheet.fields.some((f) => f.name === name)));
    if (Object.keys(own).length === Object.keys(error.fields).length) return own;
    const sent = filledRows[0] ?? sheet.fields.find((f) => related.has(f.name) && ((values[f.name] as object[] | undefined) ?? []).some((v) => 'fields' in v));
    return sent ? { ...own, [sent.name]: own[sent.name] ?? t('linked.newRowRefused', { message: error.message }) } : { ...own, ...error.fields };
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // A save clicked before the browser's validator has loaded waits for it, so no check is skipped.
    const found = { ...check(values, validate ?? (await validator.refetch()).data), ...rowErrors() };
    setErrors(found);
    if (Object.keys(found).length) {
      toast(t('form.fixErrors'), 'error');
      const first = sheet.fields.find((f) => found[f.name]);
      (document.getElementById(`f-${first?.id}`) ?? document.querySelector<HTMLElement>(`[data-related="${first?.id}"] tr.new-row input`))?.focus();
      return;
    }
    setSaving(true);
    try {
      const query = form.form ? `?form=${encodeURIComponent(form.form.id)}` : '';
      let saved: RecordJson;
      if (record) {
        if (!(await addRows(record))) return;
        saved = await api<RecordJson>('PATCH', `${recordPath(workspaceId, sheet.id, record.id)}${query}`, { fields: inputs(changedValues(sheet, base.initial, values, related)), version: base.version });
        adopt(saved);
      } else {
        // New rows not added yet are new linked records of the nested write, created with the record or not at all.
        const withRows = { ...values };
        for (const field of filledRows) {
          const target = sheets.find((s) => s.id === field.options.sheet);
          if (target) withRows[field.name] = [...((values[field.name] as unknown[] | undefined) ?? []), { fields: rowInputs(target, rows[field.name]!), draft: rows[field.name] }];
        }
        saved = await api<RecordJson>('POST', `${sheetPath(workspaceId, sheet.id)}/records${query}`, { fields: Object.fromEntries(Object.entries(inputs(withRows)).filter(([, v]) => !isEmpty(v))) });
        // The page moves on to the new record: nothing is left to lose.
        guard.release();
      }
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
        setErrors(placeErrors(error));
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
      {lock?.all !== undefined && (
        <p className="banner locked-banner" role="status">
          <LockIcon /> {t('lock.recordLocked', { message: lock.all })}
        </p>
      )}
      <LayoutView
        layout={form.layout}
        state={state}
        fields={fields}
        renderField={(field, element) => (
          <FieldRow
            field={field}
            element={element}
            value={isReadOnly(field) ? (record ? record.fields[field.name] : computed[field.name]) : values[field.name]}
            required={field.required || state.required.has(field.id)}
            readOnly={!state.writable.has(field.id)}
            lockedBy={isReadOnly(field) ? undefined : lock?.fields.get(field.name)}
            error={errors[field.name]}
            theirs={field.name in theirs ? { value: theirs[field.name] } : undefined}
            workspaceId={workspaceId}
            onChange={(v) => set(field.name, v)}
            onLeave={() => leave(field.name)}
            onTakeTheirs={() => {
              setValues({ ...values, [field.name]: theirs[field.name] });
              setTheirs(Object.fromEntries(Object.entries(theirs).filter(([k]) => k !== field.name)));
            }}
          />
        )}
        renderRelated={(field, element) => (
          <div className={`form-row${errors[field.name] ? ' has-error' : ''}`} data-related={field.id}>
            <label>{element.label || field.name}</label>
            <LinkedTable
              workspaceId={workspaceId}
              field={field}
              parent={record}
              columns={element.columns}
              readOnly={!state.writable.has(field.id)}
              value={(values[field.name] as never[] | undefined) ?? []}
              onChange={(v) => (record ? setValues((vals) => ({ ...vals, [field.name]: v })) : set(field.name, v))}
              draft={rows[field.name] ?? {}}
              onDraft={(update) => setRow(field.name, update)}
            />
            {errors[field.name] && (
              <p className="error linked-error" role="alert">
                {element.label || field.name}: {errors[field.name]}
              </p>
            )}
          </div>
        )}
      />
      <div className="form-actions">
        {/* Nothing to save when the role may write none of the fields shown (a record of another, a preview). */}
        {(!record || state.writable.size > 0) && (
          <button type="submit" className="button primary" disabled={saving}>
            {saving ? t('form.saving') : t('form.save')}
          </button>
        )}
        {onCancel && (
          <button type="button" className="button" onClick={onCancel}>
            {t('form.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
