import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { FIELD_TYPE_IDS } from '../../../schema-engine/field-types/type-ids.js';
import type { FieldInput } from '../api/forms.js';
import { api, ApiError } from '../api/http.js';
import { keys, sheetPath, useSheets } from '../api/queries.js';
import type { Field, Sheet } from '../api/types.js';
import { useToast } from '../app/toasts.js';
import { FormulaEditor } from '../formula-editor/FormulaEditor.js';
import { useI18n } from '../i18n/i18n.js';
import { FieldTypeSelect } from './FieldTypeSelect.js';
import { COPYABLE_TYPES, draftOf, toOptions, type OptionDraft } from './options.js';

interface Preview {
  convertible: number;
  unconvertible: { recordId: string; value: string }[];
  unconvertibleCount: number;
}

interface FieldDialogProps {
  ws: string;
  sheet: Sheet;
  field?: Field;
  /** The type a new field starts with. */
  type?: string;
  /** Defines a new field without creating it (the form designer creates it when the form is saved); answers an error to show. */
  onDefine?(input: FieldInput): string | undefined;
  onClose(): void;
}

/**
 * Adds a field or changes one (name, type, options, required). A type change is previewed first (dry run): what
 * would not convert is listed and must be confirmed; the old values stay in the trash either way.
 */
export function FieldDialog({ ws, sheet, field, type: initialType, onDefine, onClose }: FieldDialogProps) {
  const { t } = useI18n();
  const toast = useToast();
  const client = useQueryClient();
  const sheets = useSheets(ws).data ?? [];
  const [name, setName] = useState(field?.name ?? '');
  const [type, setType] = useState(field?.type ?? initialType ?? 'text');
  const [required, setRequired] = useState(field?.required ?? false);
  const [draft, setDraft] = useState<OptionDraft>(draftOf(field));
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState('');
  const set = (key: keyof OptionDraft) => (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value });
  const linkFields = sheet.fields.filter((f) => f.type === 'link');
  /** The sheet a link field of this sheet points at (lookups, rollups and "copy from" read its fields). */
  const linkedSheet = (linkFieldId: string) => sheets.find((s) => s.id === sheet.fields.find((f) => f.id === linkFieldId)?.options.sheet);
  const linked = linkedSheet(draft.link);

  const submit = async (event: FormEvent, force = false) => {
    event.preventDefault();
    setError('');
    const options = toOptions(type, draft, field?.type === type ? field : undefined);
    const body = { name, ...(field?.type !== type ? { type } : {}), ...(options ? { options } : {}), ...(['lookup', 'rollup', 'formula', 'autonumber', 'created_time', 'updated_time', 'created_by', 'updated_by'].includes(type) ? {} : { required }) };
    if (onDefine && !field) {
      setError(onDefine({ ...body, type }) ?? '');
      return;
    }
    try {
      if (!field) await api('POST', `${sheetPath(ws, sheet.id)}/fields`, body);
      else if (field.type !== type && !force) {
        setPreview(await api<Preview>('PATCH', `${sheetPath(ws, sheet.id)}/fields/${field.id}?dryRun=true`, body));
        return;
      } else await api('PATCH', `${sheetPath(ws, sheet.id)}/fields/${field.id}${force ? '?force=true' : ''}`, body);
      await client.invalidateQueries({ queryKey: keys.sheets(ws) });
      await client.invalidateQueries({ queryKey: keys.records(ws, sheet.id) });
      onClose();
    } catch (err) {
      setError(err instanceof ApiError ? (Object.values(err.fields)[0] ?? err.message) : String(err));
      toast(err instanceof ApiError ? err.message : t('toast.error'), 'error');
    }
  };

  return (
    <div className="dialog-backdrop" role="presentation" onClick={onClose}>
      <form className="dialog card" role="dialog" aria-label={field ? t('schema.editField') : t('schema.addField')} onClick={(e) => e.stopPropagation()} onSubmit={(e) => void submit(e, preview !== null)}>
        <h2>{field ? t('schema.editField') : t('schema.addField')}</h2>
        <label>
          {t('schema.fieldName')}
          <input className="input" value={name} onChange={(e) => setName(e.target.value)} required autoFocus />
        </label>
        <label>
          {t('schema.type')}
          <FieldTypeSelect
            value={type}
            onChange={(next) => {
              setType(next);
              setPreview(null);
            }}
            types={FIELD_TYPE_IDS.filter((id) => !(field && id === 'link' && field.type !== 'link'))}
            disabled={field?.type === 'link'}
          />
        </label>
        {(type === 'single_select' || type === 'multi_select') && (
          <label>
            {t('schema.choices')}
            <textarea className="input" rows={5} value={draft.choices} onChange={set('choices')} />
          </label>
        )}
        {type === 'currency' && (
          <label>
            {t('schema.currency')}
            <input className="input" value={draft.currency} onChange={set('currency')} maxLength={3} />
          </label>
        )}
        {['number', 'currency', 'percent'].includes(type) && (
          <label>
            {t('schema.precision')}
            <input className="input" inputMode="numeric" value={draft.precision} onChange={set('precision')} />
          </label>
        )}
        {type === 'link' && (
          <>
            {!field && (
              <NamedSelect label={t('schema.linkTo')} value={draft.sheet} onChange={set('sheet')} items={sheets} required />
            )}
            <label>
              {t('schema.relationship')}
              <select className="input" value={draft.relationship} onChange={set('relationship')}>
                {['many_to_one', 'one_to_many', 'one_to_one', 'many_to_many'].map((r) => (
                  <option key={r} value={r}>
                    {r.replace(/_/g, ' ')}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        {(type === 'lookup' || type === 'rollup') && (
          <>
            <NamedSelect label={t('schema.through')} value={draft.link} onChange={set('link')} items={linkFields} required />
            <NamedSelect label={t('schema.readField')} value={draft.field} onChange={set('field')} items={linked?.fields ?? []} required />
            {type === 'rollup' && (
              <label>
                {t('schema.function')}
                <select className="input" value={draft.fn} onChange={set('fn')}>
                  {['sum', 'avg', 'min', 'max', 'count', 'count_all', 'concat'].map((fn) => (
                    <option key={fn}>{fn}</option>
                  ))}
                </select>
              </label>
            )}
          </>
        )}
        {type === 'formula' && (
          <FormulaEditor
            ws={ws}
            sheetId={sheet.id}
            fieldNames={sheet.fields.filter((f) => f.id !== field?.id).map((f) => f.name)}
            fieldId={field?.id}
            value={draft.expression}
            onChange={(expression) => setDraft((d) => ({ ...d, expression }))}
          />
        )}
        {COPYABLE_TYPES.has(type) && linkFields.length > 0 && (
          <fieldset className="copy-from">
            <legend>{t('schema.copyFrom')}</legend>
            <p className="hint">{t('schema.copyFromHint')}</p>
            <NamedSelect
              label={t('schema.copyFromLink')}
              value={draft.copyLink}
              onChange={(e) => setDraft({ ...draft, copyLink: e.target.value, copyField: '' })}
              items={linkFields}
              emptyLabel={t('schema.copyFromNone')}
            />
            {draft.copyLink && (
              <>
                <NamedSelect label={t('schema.copyFromField')} value={draft.copyField} onChange={set('copyField')} items={linkedSheet(draft.copyLink)?.fields ?? []} required />
                <label>
                  {t('schema.copyFromAgain')}
                  <select className="input" value={draft.copyAgain} onChange={set('copyAgain')}>
                    <option value="never">{t('schema.copyFromAgain.never')}</option>
                    <option value="on_change">{t('schema.copyFromAgain.on_change')}</option>
                  </select>
                </label>
              </>
            )}
          </fieldset>
        )}
        {!['lookup', 'rollup', 'formula', 'autonumber', 'created_time', 'updated_time', 'created_by', 'updated_by'].includes(type) && (
          <label className="check">
            <input type="checkbox" checked={required} onChange={(e) => setRequired(e.target.checked)} /> {t('schema.required')}
          </label>
        )}
        {preview && (
          <div className="banner warning" role="alert">
            <p>{t('schema.preview', { ok: preview.convertible, bad: preview.unconvertibleCount })}</p>
            {preview.unconvertible.length > 0 && (
              <ul>
                {preview.unconvertible.slice(0, 10).map((u) => (
                  <li key={u.recordId}>
                    #{u.recordId}: {u.value}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        {error && <p className="error" role="alert">{error}</p>}
        <div className="form-actions">
          <button type="submit" className="button primary">
            {preview ? t('schema.convert') : t('form.save')}
          </button>
          <button type="button" className="button" onClick={onClose}>
            {t('form.cancel')}
          </button>
        </div>
      </form>
    </div>
  );
}

interface NamedSelectProps {
  label: string;
  value: string;
  onChange(e: { target: { value: string } }): void;
  /** Fields or sheets, offered by name. */
  items: readonly { id: string; name: string }[];
  /** The text of the empty choice (none by default). */
  emptyLabel?: string;
  required?: boolean;
}

/** A labelled picker of fields or sheets by name, with an empty first choice (the dialog has several). */
function NamedSelect({ label, value, onChange, items, emptyLabel = '', required }: NamedSelectProps) {
  return (
    <label>
      {label}
      <select className="input" value={value} onChange={onChange} required={required}>
        <option value="">{emptyLabel}</option>
        {items.map((item) => (
          <option key={item.id} value={item.id}>
            {item.name}
          </option>
        ))}
      </select>
    </label>
  );
}
