import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { createPortal } from 'react-dom';
import { FIELD_TYPE_IDS } from '../../../schema-engine/field-types/type-ids.js';
import type { FieldInput } from '../api/forms.js';
import { api, ApiError } from '../api/http.js';
import { keys, sheetPath, useSheets } from '../api/queries.js';
import type { Field, Sheet } from '../api/types.js';
import { useToast } from '../app/toasts.js';
import { useI18n } from '../i18n/i18n.js';
import { generalBody } from './field-general.js';
import { FieldGeneral, useGeneral } from './FieldGeneral.js';
import { FieldTypeSelect } from './FieldTypeSelect.js';
import { NamedSelect } from '../field-types/shared.js';
import type { FieldTypeId } from '../../../schema-engine/field-types/type-ids.js';
import { clientType, unsavedFacts } from '../field-types/index.js';
import { copyFromOf, initialOptions, isCopyable, toOptions, type CopyFromOption } from './options.js';
import './field-dialog.css';

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
  const [type, setType] = useState<string>(field?.type ?? initialType ?? 'text');
  const { general, setGeneral, resetForType } = useGeneral(field);
  const [options, setOptions] = useState<Record<string, unknown>>(() => initialOptions(type, field));
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState('');
  const linkFields = sheet.fields.filter((f) => f.type === 'link');
  /** The sheet a link field of this sheet points at ("copy from" reads its fields). */
  const linkedSheet = (linkFieldId: string) => sheets.find((s) => s.id === sheet.fields.find((f) => f.id === linkFieldId)?.options.sheet);
  const copyFrom = copyFromOf({ options });
  const setCopyFrom = (next: Partial<CopyFromOption> | undefined) => {
    const { copyFrom: _old, ...rest } = options;
    setOptions(next?.link ? { ...rest, copyFrom: { field: '', again: 'never', ...copyFrom, ...next } } : rest);
  };
  const OptionsEditor = clientType(type).optionsEditor;
  /** The field as the dialog would make it: the default value's control is of its type and choices. */
  const target: Field = { id: field?.id ?? 'new', name, type: type as FieldTypeId, ...unsavedFacts(type), options: toOptions(type, options, field?.type === type ? field : undefined) ?? field?.options ?? {}, required: false, unique: false, description: '', defaultValue: null };

  const submit = async (event: FormEvent, force = false) => {
    event.preventDefault();
    setError('');
    const sent = toOptions(type, options, field?.type === type ? field : undefined);
    const body = { name, ...(field?.type !== type ? { type } : {}), ...generalBody(type, general, sent, field, target) };
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
      // The whole message: it names the field (and for unique, the duplicate value).
      setError(err instanceof ApiError ? err.message : String(err));
      toast(err instanceof ApiError ? err.message : t('toast.error'), 'error');
    }
  };

  // On the body: opened from a sticky grid header, it would otherwise sit in the header's stacking context (under
  // the app's top bar) and inherit its nowrap.
  return createPortal(
    <div className="dialog-backdrop" role="presentation" onClick={onClose}>
      <form className="dialog card field-dialog" role="dialog" aria-label={field ? t('schema.editField') : t('schema.addField')} onClick={(e) => e.stopPropagation()} onSubmit={(e) => void submit(e, preview !== null)}>
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
              setOptions(initialOptions(next, field));
              setPreview(null);
              if (next !== type) resetForType();
            }}
            types={FIELD_TYPE_IDS.filter((id) => !(field && id === 'link' && field.type !== 'link'))}
            disabled={field?.type === 'link'}
          />
        </label>
        {OptionsEditor && <OptionsEditor key={type} options={options} onChange={setOptions} ws={ws} sheet={sheet} sheets={sheets} field={field?.type === type ? field : undefined} />}
        {isCopyable(type) && linkFields.length > 0 && (
          <fieldset className="copy-from">
            <legend>{t('schema.copyFrom')}</legend>
            <p className="hint">{t('schema.copyFromHint')}</p>
            <NamedSelect
              label={t('schema.copyFromLink')}
              value={copyFrom?.link ?? ''}
              onChange={(link) => setCopyFrom(link ? { link, field: '' } : undefined)}
              items={linkFields}
              emptyLabel={t('schema.copyFromNone')}
            />
            {copyFrom?.link && (
              <>
                <NamedSelect label={t('schema.copyFromField')} value={copyFrom.field} onChange={(f) => setCopyFrom({ field: f })} items={linkedSheet(copyFrom.link)?.fields ?? []} required />
                <label>
                  {t('schema.copyFromAgain')}
                  <select className="input" value={copyFrom.again} onChange={(e) => setCopyFrom({ again: e.target.value === 'on_change' ? 'on_change' : 'never' })}>
                    <option value="never">{t('schema.copyFromAgain.never')}</option>
                    <option value="on_change">{t('schema.copyFromAgain.on_change')}</option>
                  </select>
                </label>
              </>
            )}
          </fieldset>
        )}
        <FieldGeneral ws={ws} type={type} target={target} general={general} onChange={setGeneral} />
        {preview && (
          <div className="banner warning type-preview" role="alert">
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
    </div>,
    document.body,
  );
}
