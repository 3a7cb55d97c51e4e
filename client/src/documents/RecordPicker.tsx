import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from '../api/http.js';
import { listUrl } from '../api/queries.js';
import type { Page, Sheet } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';

/** Which record the preview shows: one of the sheet's first 100 (or the one the editor was opened from). */
export function RecordPicker({ ws, sheet, value, onChange }: { ws: string; sheet: Sheet; value: string | undefined; onChange(id: string): void }) {
  const { t } = useI18n();
  const page = useQuery({ queryKey: ['records', ws, sheet.id, 'document-preview'], queryFn: () => api<Page>('GET', listUrl(ws, sheet.id, {}, 100)) });
  const records = page.data?.records ?? [];
  const primary = sheet.fields.find((f) => f.id === sheet.primaryFieldId);
  const first = records[0]?.id;

  useEffect(() => {
    if (value === undefined && first !== undefined) onChange(first);
  }, [value, first, onChange]);

  const title = (fields: Record<string, unknown>, id: string) => {
    const v = primary ? fields[primary.name] : undefined;
    return v === undefined || v === null || v === '' ? `#${id}` : String(v);
  };
  return (
    <label className="documents-record">
      <span className="hint">{t('documents.previewRecord')}</span>
      <select className="input slim" value={value ?? ''} onChange={(e) => onChange(e.target.value)} disabled={!records.length && !value}>
        {value !== undefined && !records.some((r) => r.id === value) && <option value={value}>#{value}</option>}
        {records.map((r) => (
          <option key={r.id} value={r.id}>
            {title(r.fields, r.id)}
          </option>
        ))}
      </select>
    </label>
  );
}
