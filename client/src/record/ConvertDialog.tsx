import { unsavedFacts } from '../field-types/index.js';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { ConversionJson, ConvertResult } from '../../../schema-engine/index.js';
import { api, ApiError } from '../api/http.js';
import { recordChanged, sheetPath, useSheets } from '../api/queries.js';
import type { Field, LinkRef, RecordJson, Sheet } from '../api/types.js';
import { useToast } from '../app/toasts.js';
import { FieldControl } from '../fields/controls.js';
import { useI18n } from '../i18n/i18n.js';

export const useConversions = (ws: string, sheet: string) =>
  useQuery({ queryKey: ['conversions', ws, sheet], queryFn: () => api<ConversionJson[]>('GET', `${sheetPath(ws, sheet)}/conversions`), staleTime: 60_000 });

/** A stand-in link field so the usual link picker can search the target sheet for an existing record. */
const pickerFor = (target: Sheet, key: string): Field => ({
  id: `convert-${key}`,
  name: target.name,
  type: 'link',
  options: { sheet: target.id, relationship: 'many_to_one' },
  required: false,
  unique: false,
  description: '',
  defaultValue: null,
  ...unsavedFacts('link'),
});

/** Converts a record: each target is created from the record's values, or an existing one the user picks. */
export function ConvertDialog({ ws, sheet, record, conversion, onClose }: { ws: string; sheet: Sheet; record: RecordJson; conversion: ConversionJson; onClose(): void }) {
  const { t } = useI18n();
  const toast = useToast();
  const client = useQueryClient();
  const sheets = useSheets(ws).data ?? [];
  const [use, setUse] = useState<Record<string, LinkRef[]>>({});
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const chosen = Object.fromEntries(Object.entries(use).flatMap(([key, refs]) => (refs[0] ? [[key, refs[0].id]] : [])));
      const result = await api<ConvertResult>('POST', `${sheetPath(ws, sheet.id)}/records/${record.id}/convert/${conversion.id}`, { use: chosen });
      recordChanged(client, ws, sheet.id, result.record as RecordJson);
      for (const target of Object.values(result.targets)) void client.invalidateQueries({ queryKey: ['records', ws, target.sheetId] });
      toast(t('convert.done'));
      onClose();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="dialog-backdrop" role="presentation" onClick={onClose}>
      <form className="dialog card" role="dialog" aria-label={conversion.name} onClick={(e) => e.stopPropagation()} onSubmit={(e) => void submit(e)}>
        <h2>{conversion.name}</h2>
        <p className="hint">{t('convert.explain')}</p>
        {conversion.spec.targets.map((target) => {
          const targetSheet = sheets.find((s) => s.id === target.sheetId);
          if (!targetSheet) return null;
          const field = pickerFor(targetSheet, target.key);
          return (
            <div key={target.key} className="form-row">
              <label htmlFor={`f-${field.id}`}>{t('convert.target', { sheet: targetSheet.name })}</label>
              <FieldControl field={field} value={use[target.key] ?? []} onChange={(v) => setUse({ ...use, [target.key]: (v as LinkRef[]) ?? [] })} workspaceId={ws} id={`f-${field.id}`} invalid={false} />
            </div>
          );
        })}
        {error && <p className="error" role="alert">{error}</p>}
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy}>{conversion.name}</button>
          <button type="button" className="button" onClick={onClose}>{t('form.cancel')}</button>
        </div>
      </form>
    </div>
  );
}
