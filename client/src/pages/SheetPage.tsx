import { useEffect, useState } from 'react';
import { Link, useSearch, useLocation } from 'wouter';
import { useSheets, useViews } from '../api/queries.js';
import type { ViewConfig } from '../api/types.js';
import { Grid } from '../grid/Grid.js';
import { useI18n } from '../i18n/i18n.js';

/** A sheet's grid with its toolbar; search, sort and the chosen view live in the URL, so it can be bookmarked. */
export function SheetPage({ ws, sheet: sheetRef }: { ws: string; sheet: string }) {
  const { t } = useI18n();
  const sheets = useSheets(ws);
  const sheet = sheets.data?.find((s) => s.id === sheetRef || s.name === sheetRef);
  const views = useViews(ws, sheet?.id ?? sheetRef);
  const query = new URLSearchParams(useSearch());
  const [, navigate] = useLocation();
  const view = views.data?.find((v) => v.id === query.get('view'));
  const [search, setSearch] = useState(query.get('search') ?? '');
  const [debounced, setDebounced] = useState(search);
  const [rowHeight, setRowHeight] = useState<ViewConfig['rowHeight']>(undefined);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(search), 250);
    return () => clearTimeout(timer);
  }, [search]);

  if (!sheet) return <p className="loading">{t('grid.loading')}</p>;
  const config: ViewConfig = { ...(view?.config ?? {}), ...(rowHeight ? { rowHeight } : {}) };
  const sort = query.get('sort') ?? config.sort ?? '';
  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(query);
    if (value) next.set(key, value);
    else next.delete(key);
    navigate(`/w/${ws}/s/${sheet.id}${next.size ? `?${next}` : ''}`, { replace: true });
  };

  return (
    <section className="sheet-page">
      <div className="toolbar">
        <h1>{sheet.name}</h1>
        {(views.data ?? []).length > 0 && (
          <select className="input slim" aria-label="view" value={view?.id ?? ''} onChange={(e) => setParam('view', e.target.value)}>
            <option value="">—</option>
            {views.data!.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
          </select>
        )}
        <input
          className="input search"
          type="search"
          placeholder={t('grid.search')}
          aria-label={t('grid.search')}
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
          }}
          onBlur={() => setParam('search', search)}
        />
        <select className="input slim" aria-label={t('grid.rowHeight')} value={config.rowHeight ?? 'short'} onChange={(e) => setRowHeight(e.target.value as ViewConfig['rowHeight'])}>
          {['short', 'medium', 'tall', 'extra'].map((h) => (
            <option key={h} value={h}>
              {h}
            </option>
          ))}
        </select>
        <Link href={`/w/${ws}/s/${sheet.id}/new`} className="button primary">
          + {t('grid.newRecord')}
        </Link>
      </div>
      <Grid workspaceId={ws} sheet={sheet} config={config} params={{ search: debounced, sort, filter: config.filter }} onSort={(s) => setParam('sort', s)} />
    </section>
  );
}
