import { useMemo, useState } from 'react';
import { evaluateForm } from '../../../schema-engine/forms/evaluate.js';
import type { FormLayout } from '../../../schema-engine/forms/layout.js';
import type { Field } from '../api/types.js';
import { FieldRow } from '../form/FieldRow.js';
import { LayoutView } from '../form-layout/LayoutView.js';
import { useI18n } from '../i18n/i18n.js';
import { sampleValues } from './sample-values.js';

interface Props {
  layout: FormLayout;
  fields: ReadonlyMap<string, Field>;
  ws: string;
  phone?: boolean;
}

/**
 * The form as people will see it, through the same renderer as the record and public forms, filled with sample
 * values (each element's default first). Values can be changed here to try the conditions; nothing is saved.
 */
export function FormPreview({ layout, fields, ws, phone = false }: Props) {
  const { t } = useI18n();
  const [edited, setEdited] = useState<Record<string, unknown>>({});
  const samples = useMemo(() => sampleValues(layout, fields), [layout, fields]);
  const values = useMemo(() => ({ ...samples, ...edited }), [samples, edited]);
  const state = useMemo(() => evaluateForm(layout, values), [layout, values]);
  return (
    <div className={`designer-preview${phone ? ' phone' : ''}`}>
      <div className="designer-preview-frame record-form">
        <LayoutView
          layout={layout}
          state={state}
          fields={fields}
          renderField={(field, element) => (
            <FieldRow
              field={field}
              element={element}
              value={values[field.id] ?? null}
              required={field.required || state.required.has(field.id)}
              readOnly={!state.writable.has(field.id)}
              workspaceId={ws}
              onChange={(value) => setEdited((e) => ({ ...e, [field.id]: value }))}
              onTakeTheirs={() => undefined}
            />
          )}
          renderRelated={(field, element) => (
            <div className="form-row">
              <label>{element.label || field.name}</label>
              <p className="hint designer-related-preview">{t('designer.relatedPreview', { name: field.name })}</p>
            </div>
          )}
        />
        {Object.keys(edited).length > 0 && (
          <button type="button" className="link" onClick={() => setEdited({})}>
            {t('designer.resetSamples')}
          </button>
        )}
      </div>
    </div>
  );
}
