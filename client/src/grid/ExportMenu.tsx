import { useCallback, useState } from 'react';
import { sheetPath } from '../api/queries.js';
import { useDismiss } from '../app/use-dismiss.js';
import { useI18n } from '../i18n/i18n.js';

/** What the sheet page shows now: its view, and the filter, sort, search and columns it has on top of it. */
export interface ExportSelection {
  view?: string | undefined;
  filter?: unknown;
  sort: string;
  search: string;
  /** Ids of the shown columns, in order. */
  fields: string[];
}

const FORMATS = ['csv', 'xlsx'] as const;

/** The export's address (API.md "Import and export"): the server sends the file as an attachment. */
export function exportUrl(ws: string, sheet: string, format: (typeof FORMATS)[number], selection: ExportSelection): string {
  const params = new URLSearchParams({ format });
  if (selection.view) params.set('view', selection.view);
  if (selection.filter !== undefined) params.set('filter', JSON.stringify(selection.filter));
  // Sent even when empty: an empty sort or search replaces the view's own.
  params.set('sort', selection.sort);
  params.set('search', selection.search);
  if (selection.fields.length) params.set('fields', selection.fields.join(','));
  return `${sheetPath(ws, sheet)}/export?${params}`;
}

/** The sheet toolbar's "Export" menu: the rows and columns on screen, as CSV or as an Excel workbook. */
export function ExportMenu({ ws, sheet, selection }: { ws: string; sheet: string; selection: ExportSelection }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const box = useDismiss<HTMLDivElement>(open, useCallback(() => setOpen(false), []));
  return (
    <div className="export-menu" ref={box}>
      <button type="button" className="button" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)}>
        {t('export.menu')} ▾
      </button>
      {open && (
        <ul className="menu" role="menu" aria-label={t('export.menu')}>
          {FORMATS.map((format) => (
            <li role="none" key={format}>
              <a role="menuitem" href={exportUrl(ws, sheet, format, selection)} download onClick={() => setOpen(false)}>
                {t(`export.${format}`)}
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
