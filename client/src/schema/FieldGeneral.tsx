import { useState } from 'react';
import type { Field } from '../api/types.js';
import { FieldControl } from '../fields/controls.js';
import { useI18n } from '../i18n/i18n.js';
import { isDefaultable } from '../designer/sample-values.js';
import { generalOf, isComputed, isUniquable, type GeneralDraft } from './field-general.js';

/** The dialog's general state; a type change drops a default of the old type (its control no longer fits). */
export function useGeneral(field?: Field) {
  const [general, setGeneral] = useState<GeneralDraft>(() => generalOf(field));
  const resetForType = () => setGeneral((g) => ({ ...g, defaultValue: null, unique: false }));
  return { general, setGeneral, resetForType };
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
  const stored = !isComputed(type);
  return (
    <fieldset className="field-general">
      <legend>{t('fieldGeneral.legend')}</legend>
      {stored && (
        <div className="field-general-checks">
          <label className="check">
            <input type="checkbox" checked={general.required} onChange={(e) => set({ required: e.target.checked })} /> {t('schema.required')}
          </label>
          {isUniquable(type) && (
            <label className="check" title={t('fieldGeneral.uniqueHint')}>
              <input type="checkbox" checked={general.unique} onChange={(e) => set({ unique: e.target.checked })} /> {t('fieldGeneral.unique')}
            </label>
          )}
        </div>
      )}
      {stored && isDefaultable(type) && (
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
