import { useState } from 'react';
import type { Field } from '../api/types.js';
import { FieldControl, toInput } from '../fields/controls.js';
import { useI18n } from '../i18n/i18n.js';

/** What every stored field may say besides its options: the dialog's "general" part. */
export interface GeneralDraft {
  required: boolean;
  unique: boolean;
  /** As the API answers it (a control's value); null: no default. */
  defaultValue: unknown;
  /** User fields: a new record gets the user who creates it (options.defaultCurrentUser). */
  currentUser: boolean;
  description: string;
}

/** Filled automatically: never required, unique or defaulted (the server refuses them). */
const COMPUTED = new Set(['lookup', 'rollup', 'formula', 'autonumber', 'created_time', 'updated_time', 'created_by', 'updated_by']);
/** The types the server backs with a unique index (schema-changes/field-input.ts UNIQUE_KINDS). */
const UNIQUABLE = new Set(['text', 'long_text', 'email', 'phone', 'url', 'number', 'currency', 'percent', 'rating', 'date', 'datetime']);
/** The types a default value is given for with a control of the type (the form designer's DEFAULTABLE). */
const DEFAULTABLE = new Set(['text', 'long_text', 'email', 'phone', 'url', 'number', 'currency', 'percent', 'rating', 'date', 'datetime', 'checkbox', 'single_select', 'multi_select']);

const isBlank = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

export function generalOf(field?: Field): GeneralDraft {
  return {
    required: field?.required ?? false,
    unique: field?.unique ?? false,
    defaultValue: field?.defaultValue ?? null,
    currentUser: field?.options.defaultCurrentUser === true,
    description: field?.description ?? '',
  };
}

/** The dialog's general state; a type change drops a default of the old type (its control no longer fits). */
export function useGeneral(field?: Field) {
  const [general, setGeneral] = useState<GeneralDraft>(() => generalOf(field));
  const resetForType = () => setGeneral((g) => ({ ...g, defaultValue: null, unique: false }));
  return { general, setGeneral, resetForType };
}

/**
 * The general part of a field's request body; user fields carry "current user" in their options, merged into the
 * options the type's editor built (or the field's own, which PATCH replaces as a whole).
 */
export function generalBody(type: string, g: GeneralDraft, options: Record<string, unknown> | undefined, field: Field | undefined, target: Field): Record<string, unknown> {
  if (COMPUTED.has(type)) return { description: g.description, ...(options ? { options } : {}) };
  const body: Record<string, unknown> = { required: g.required, description: g.description };
  if (UNIQUABLE.has(type)) body.unique = g.unique;
  else if (field?.unique) body.unique = false;
  if (DEFAULTABLE.has(type)) body.defaultValue = isBlank(g.defaultValue) ? null : toInput(target, g.defaultValue);
  if (type === 'user') {
    const base = options ?? (field?.type === 'user' ? field.options : {});
    const { defaultCurrentUser: _old, ...rest } = base;
    body.options = g.currentUser ? { ...rest, defaultCurrentUser: true } : rest;
  } else if (options) body.options = options;
  return body;
}

interface Props {
  ws: string;
  type: string;
  /** The field as it will be (its type and the options being edited), for the default value's control. */
  target: Field;
  general: GeneralDraft;
  onChange(general: GeneralDraft): void;
}

/** Required, unique, default value and description: what a field says about its values, whatever its type. */
export function FieldGeneral({ ws, type, target, general, onChange }: Props) {
  const { t } = useI18n();
  const set = (patch: Partial<GeneralDraft>) => onChange({ ...general, ...patch });
  const stored = !COMPUTED.has(type);
  return (
    <fieldset className="field-general">
      <legend>{t('fieldGeneral.legend')}</legend>
      {stored && (
        <div className="field-general-checks">
          <label className="check">
            <input type="checkbox" checked={general.required} onChange={(e) => set({ required: e.target.checked })} /> {t('schema.required')}
          </label>
          {UNIQUABLE.has(type) && (
            <label className="check" title={t('fieldGeneral.uniqueHint')}>
              <input type="checkbox" checked={general.unique} onChange={(e) => set({ unique: e.target.checked })} /> {t('fieldGeneral.unique')}
            </label>
          )}
        </div>
      )}
      {stored && DEFAULTABLE.has(type) && (
        <div className="field-general-default">
          <label htmlFor="field-default">{t('designer.defaultValue')}</label>
          <FieldControl field={target} value={general.defaultValue} onChange={(v) => set({ defaultValue: v })} workspaceId={ws} id="field-default" invalid={false} />
        </div>
      )}
      {type === 'user' && (
        <label className="check">
          <input type="checkbox" checked={general.currentUser} onChange={(e) => set({ currentUser: e.target.checked })} /> {t('fieldGeneral.currentUser')}
        </label>
      )}
      <label>
        {t('fieldGeneral.description')}
        <textarea className="input" rows={2} maxLength={2000} value={general.description} onChange={(e) => set({ description: e.target.value })} placeholder={t('fieldGeneral.descriptionHint')} />
      </label>
    </fieldset>
  );
}
