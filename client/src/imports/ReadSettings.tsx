import { useI18n } from '../i18n/i18n.js';
import { ENCODING_CHOICES, type ImportJson } from './api.js';

const ENCODING_NAMES: Record<string, string> = { 'utf-8': 'UTF-8', 'utf-16le': 'UTF-16 LE', 'utf-16be': 'UTF-16 BE', big5: 'Big5 (繁體)' };

/** How the file is read: its text encoding (CSV, TSV) or its worksheet (XLSX); a change reads it again. */
export function ReadSettings({ item, busy, onChange }: { item: ImportJson; busy: boolean; onChange(settings: { encoding?: string; worksheet?: string }): void }) {
  const { t } = useI18n();
  const encodings: string[] = [...ENCODING_CHOICES];
  if (item.encoding && !encodings.includes(item.encoding)) encodings.push(item.encoding);
  return (
    <div className="import-read">
      {item.format !== 'xlsx' && item.encoding && (
        <label>
          {t('imports.encoding')}
          <select className="input" value={item.encoding} disabled={busy} onChange={(e) => onChange({ encoding: e.target.value })}>
            {encodings.map((e) => (
              <option key={e} value={e}>
                {ENCODING_NAMES[e] ?? e}
              </option>
            ))}
          </select>
        </label>
      )}
      {item.format === 'xlsx' && (item.worksheets?.length ?? 0) > 1 && (
        <label>
          {t('imports.worksheet')}
          <select className="input" value={item.worksheet} disabled={busy} onChange={(e) => onChange({ worksheet: e.target.value })}>
            {item.worksheets!.map((w) => (
              <option key={w} value={w}>
                {w}
              </option>
            ))}
          </select>
        </label>
      )}
      <p className="hint">{t('imports.rowCount', { file: item.fileName, rows: item.rowCount, columns: item.columns.length })}</p>
    </div>
  );
}
