import type { MessageKey } from '../i18n/en.js';
import { useI18n } from '../i18n/i18n.js';
import type { ColumnPreview } from './api.js';

/** The file's first values under its column names, with the type each column's data suggests. */
export function PreviewTable({ columns }: { columns: readonly ColumnPreview[] }) {
  const { t } = useI18n();
  const depth = Math.max(0, ...columns.map((c) => c.samples.length));
  return (
    <div className="table-scroll">
      <table className="linked-table import-preview" aria-label={t('imports.preview')}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.name} scope="col">
                {c.name}
                <span className="hint">{t(`designer.type.${c.type}` as MessageKey)}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: depth }, (_, row) => (
            <tr key={row}>
              {columns.map((c) => (
                <td key={c.name}>{c.samples[row] ?? ''}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
