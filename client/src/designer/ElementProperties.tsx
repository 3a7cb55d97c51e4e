import type { FormElement } from '../../../schema-engine/forms/layout.js';
import { useSheets } from '../api/queries.js';
import type { Field } from '../api/types.js';
import { FieldControl, toInput } from '../fields/controls.js';
import { isReadOnly } from '../fields/format.js';
import { useI18n } from '../i18n/i18n.js';
import { typeName } from './announce.js';
import { ConditionField } from './ConditionField.js';
import { useDesigner } from './context.js';
import type { ElementPatch } from './layout-reducer.js';
import { isDefaultable } from './sample-values.js';

const WIDTHS = ['full', 'three_quarters', 'half', 'quarter'] as const;
/** An emptied text property falls back to the field's own (its name, its description). */
const text = (value: string) => (value === '' ? undefined : value);
const isBlank = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/** The properties of the selected element: what its kind allows, each change one undo step per property. */
export function ElementProperties({ element }: { element: FormElement }) {
  const { t } = useI18n();
  const { dispatch, fields, sheet, ws } = useDesigner();
  const set = (key: string, patch: ElementPatch) => dispatch({ type: 'updateElement', id: element.id, patch, coalesce: `${element.id}.${key}` });
  const field = 'field' in element ? fields.get(element.field) : undefined;
  const showWhen = (
    <ConditionField label={t('designer.showWhen')} hint={t('designer.showWhenHint')} value={element.visibleWhen} fields={sheet.fields} onChange={(logic) => set('visibleWhen', { visibleWhen: logic })} />
  );
  switch (element.kind) {
    case 'heading':
    case 'paragraph':
      return (
        <>
          <label>
            {t('designer.text')}
            {element.kind === 'heading' ? (
              <input className="input" value={element.text} onChange={(e) => set('text', { text: e.target.value })} />
            ) : (
              <textarea className="input" rows={4} value={element.text} onChange={(e) => set('text', { text: e.target.value })} />
            )}
          </label>
          {showWhen}
        </>
      );
    case 'divider':
      return showWhen;
    case 'related':
      return (
        <>
          <p className="hint">{t('designer.relatedHint', { name: field?.name ?? '' })}</p>
          <label>
            {t('designer.label')}
            <input className="input" value={element.label ?? ''} placeholder={field?.name} onChange={(e) => set('label', { label: text(e.target.value) })} />
          </label>
          <label className="check">
            <input type="checkbox" checked={element.readOnly ?? false} onChange={(e) => set('readOnly', { readOnly: e.target.checked || undefined })} /> {t('designer.readOnly')}
          </label>
          {field && <RelatedColumns field={field} columns={element.columns} onChange={(columns) => set('columns', { columns })} />}
          {showWhen}
        </>
      );
    case 'field':
      if (!field) return <p className="hint">{element.field}</p>;
      return (
        <>
          <p className="hint">
            {field.name} · {typeName(field.type, t)}
          </p>
          <label>
            {t('designer.label')}
            <input className="input" value={element.label ?? ''} placeholder={field.name} onChange={(e) => set('label', { label: text(e.target.value) })} />
          </label>
          <label>
            {t('designer.help')}
            <textarea className="input" rows={2} value={element.help ?? ''} placeholder={field.description} onChange={(e) => set('help', { help: text(e.target.value) })} />
          </label>
          <label>
            {t('designer.placeholder')}
            <input className="input" value={element.placeholder ?? ''} onChange={(e) => set('placeholder', { placeholder: text(e.target.value) })} />
          </label>
          <label>
            {t('designer.width')}
            <select className="input" value={element.width ?? 'full'} onChange={(e) => set('width', { width: e.target.value === 'full' ? undefined : (e.target.value as (typeof WIDTHS)[number]) })}>
              {WIDTHS.map((w) => (
                <option key={w} value={w}>
                  {t(`designer.width.${w}`)}
                </option>
              ))}
            </select>
          </label>
          <div className="designer-checks">
            <label className="check" title={field.required ? t('designer.requiredByField') : undefined}>
              <input type="checkbox" checked={field.required || (element.required ?? false)} disabled={field.required} onChange={(e) => set('required', { required: e.target.checked || undefined })} /> {t('schema.required')}
            </label>
            <label className="check">
              <input type="checkbox" checked={element.readOnly ?? false} onChange={(e) => set('readOnly', { readOnly: e.target.checked || undefined })} /> {t('designer.readOnly')}
            </label>
            <label className="check" title={t('designer.hiddenHint')}>
              <input type="checkbox" checked={element.hidden ?? false} onChange={(e) => set('hidden', { hidden: e.target.checked || undefined })} /> {t('designer.hidden')}
            </label>
          </div>
          {isDefaultable(field.type) && !isReadOnly(field) && (
            <div className="form-row">
              <label htmlFor={`default-${element.id}`}>{t('designer.defaultValue')}</label>
              <FieldControl
                field={field}
                value={element.defaultValue ?? null}
                onChange={(v) => set('defaultValue', { defaultValue: isBlank(v) ? undefined : toInput(field, v) })}
                workspaceId={ws}
                id={`default-${element.id}`}
                invalid={false}
              />
            </div>
          )}
          {showWhen}
          {!field.required && (
            <ConditionField label={t('designer.requiredWhen')} hint={t('designer.requiredWhenHint')} value={element.requiredWhen} fields={sheet.fields} onChange={(logic) => set('requiredWhen', { requiredWhen: logic })} />
          )}
        </>
      );
  }
}

/** The linked sheet's fields a related list shows as columns (all of them when none is ticked). */
function RelatedColumns({ field, columns, onChange }: { field: Field; columns: string[] | undefined; onChange(columns: string[] | undefined): void }) {
  const { t } = useI18n();
  const { ws } = useDesigner();
  const target = useSheets(ws).data?.find((s) => s.id === field.options.sheet);
  if (!target) return null;
  const chosen = new Set(columns ?? []);
  return (
    <fieldset className="designer-columns-pick">
      <legend>{t('designer.relatedColumns')}</legend>
      {target.fields.map((f) => (
        <label key={f.id} className="check">
          <input
            type="checkbox"
            checked={chosen.has(f.id)}
            onChange={(e) => {
              const next = target.fields.filter((x) => (x.id === f.id ? e.target.checked : chosen.has(x.id))).map((x) => x.id);
              onChange(next.length ? next : undefined);
            }}
          />{' '}
          {f.name}
        </label>
      ))}
    </fieldset>
  );
}
