import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { api, ApiError } from '../api/http.js';
import { sheetAccessOf, useAccess, writesSheet } from '../api/access.js';
import { keys, sheetPath, useSheets, useViews } from '../api/queries.js';
import type { Field, View, ViewConfig } from '../api/types.js';
import { useToast } from '../app/toasts.js';
import { fromJsonLogic, toJsonLogic } from '../filters/filter-logic.js';
import { FilterBuilder } from '../filters/FilterBuilder.js';
import { ExportMenu } from '../grid/ExportMenu.js';
import { Grid } from '../grid/Grid.js';
import { visibleFields } from '../grid/useColumns.js';
import { useI18n } from '../i18n/i18n.js';
import { ImportButton } from '../imports/ImportButton.js';
import { Kanban } from '../kanban/Kanban.js';

function parseJson(text: string | null): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * A sheet as a grid or a kanban. What the user is looking at (view, search, sort, filter, board grouping) lives in
 * the URL, so it can be bookmarked and shared; "Save view" keeps it for everyone.
 */
export function SheetPage({ ws, sheet: sheetRef }: { ws: string; sheet: string }) {
  const { t } = useI18n();
  const toast = useToast();
  const client = useQueryClient();
  const sheets = useSheets(ws);
  const access = useAccess(ws);
  const canDesign = access?.design === true;
  const sheet = sheets.data?.find((s) => s.id === sheetRef || s.name === sheetRef);
  const grant = sheetAccessOf(access, sheet?.id ?? sheetRef);
  // Views are arranged (saved, columns kept) by those who write to the sheet; others arrange for themselves only.
  const arranges = writesSheet(grant);
  const views = useViews(ws, sheet?.id ?? sheetRef);
  const searchString = useSearch();
  const query = useMemo(() => new URLSearchParams(searchString), [searchString]);
  const [, navigate] = useLocation();
  const view: View | undefined = views.data?.find((v) => v.id === query.get('view'));
  const [search, setSearch] = useState(query.get('search') ?? view?.config.search ?? '');
  const [debounced, setDebounced] = useState(search);
  const [filterOpen, setFilterOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [viewName, setViewName] = useState('');
  // The builder keeps rows still being typed; the URL gets only complete conditions.
  const viewId = query.get('view') ?? '';
  const [group, setGroup] = useState(() => fromJsonLogic(parseJson(query.get('filter'))));
  useEffect(() => {
    if (!query.has('filter')) setGroup(fromJsonLogic(view?.config.filter));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [viewId, view?.id]);
  // Columns hidden, moved or resized: kept with the chosen view (saved to it), or with the next view saved.
  const [layout, setLayout] = useState<Pick<ViewConfig, 'hiddenFields' | 'fieldOrder' | 'fieldWidths'>>({});
  useEffect(() => {
    setLayout({ hiddenFields: view?.config.hiddenFields, fieldOrder: view?.config.fieldOrder, fieldWidths: view?.config.fieldWidths });
  }, [view?.id, view?.version]);
  // The summary row's choices: kept with the chosen view like the columns (saved to it), or with the next view saved.
  const [summaries, setSummaries] = useState<ViewConfig['summaries']>();
  useEffect(() => setSummaries(view?.config.summaries), [view?.id, view?.version]);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(search), 250);
    return () => clearTimeout(timer);
  }, [search]);

  if (!sheet) return <p className="loading">{t('grid.loading')}</p>;
  const base = view?.config ?? {};
  const filter = query.has('filter') ? parseJson(query.get('filter')) : base.filter;
  const sort = query.get('sort') ?? base.sort ?? '';
  const mode = (query.get('mode') ?? view?.type ?? 'grid') as 'grid' | 'kanban';
  const selects = sheet.fields.filter((f) => f.type === 'single_select');
  const groupBy = sheet.fields.find((f) => f.id === (query.get('groupBy') ?? base.groupBy)) ?? selects[0];
  const numbers = sheet.fields.filter((f) => ['number', 'currency', 'percent'].includes(f.result?.list ? '' : (f.result?.type ?? f.type)));
  const sumField = sheet.fields.find((f) => f.id === (query.get('sum') ?? base.sumField));
  // A grid's grouping: `?group=` (`none` for none), else a grid view's own.
  const gridGroup = mode === 'grid' ? sheet.fields.find((f) => f.id === (query.get('group') ?? (view?.type === 'grid' ? base.groupBy : undefined))) : undefined;
  const groupable = sheet.fields.filter(gridGroupable);
  const config: ViewConfig = { ...base, ...layout, summaries, ...(query.get('rowHeight') ? { rowHeight: query.get('rowHeight') as ViewConfig['rowHeight'] } : {}) };
  const changeLayout = (next: typeof layout) => {
    setLayout(next);
    if (view && arranges) {
      void api<View>('PATCH', `${sheetPath(ws, sheet.id)}/views/${view.id}`, { config: next })
        .then(() => client.invalidateQueries({ queryKey: keys.views(ws, sheet.id) }))
        .catch((error: unknown) => toast(error instanceof ApiError ? error.message : t('toast.error'), 'error'));
    }
  };
  const changeSummary = (field: Field, choice: NonNullable<ViewConfig['summaries']>[string]) => {
    const next = { ...summaries, [field.id]: choice };
    setSummaries(next);
    if (view && arranges) {
      void api<View>('PATCH', `${sheetPath(ws, sheet.id)}/views/${view.id}`, { config: { summaries: next } })
        .then(() => client.invalidateQueries({ queryKey: keys.views(ws, sheet.id) }))
        .catch((error: unknown) => toast(error instanceof ApiError ? error.message : t('toast.error'), 'error'));
    }
  };
  const setParams = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(query);
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined || value === '') next.delete(key);
      else next.set(key, value);
    }
    navigate(`/w/${ws}/s/${sheet.id}${next.size ? `?${next}` : ''}`, { replace: true });
  };
  const conditionCount = JSON.stringify(filter ?? {}).split('"var"').length - 1;

  const saveView = async (event: FormEvent) => {
    event.preventDefault();
    const settings: ViewConfig = {
      ...(filter !== undefined ? { filter } : {}),
      ...(sort ? { sort } : {}),
      ...(debounced ? { search: debounced } : {}),
      ...(config.rowHeight ? { rowHeight: config.rowHeight } : {}),
      ...(layout.hiddenFields?.length ? { hiddenFields: layout.hiddenFields } : {}),
      ...(layout.fieldOrder?.length ? { fieldOrder: layout.fieldOrder } : {}),
      ...(layout.fieldWidths ? { fieldWidths: layout.fieldWidths } : {}),
      ...(summaries ? { summaries } : {}),
      ...(mode === 'grid' && gridGroup ? { groupBy: gridGroup.id } : {}),
      ...(mode === 'kanban' && groupBy ? { groupBy: groupBy.id, ...(sumField ? { sumField: sumField.id } : {}) } : {}),
    };
    try {
      const saved = await api<View>('POST', `${sheetPath(ws, sheet.id)}/views`, { name: viewName, type: mode, config: settings });
      await client.invalidateQueries({ queryKey: keys.views(ws, sheet.id) });
      setSaving(false);
      setViewName('');
      navigate(`/w/${ws}/s/${sheet.id}?view=${saved.id}`, { replace: true });
      toast(t('view.saved'));
    } catch (error) {
      toast(error instanceof ApiError ? error.message : t('toast.error'), 'error');
    }
  };

  return (
    <section className="sheet-page">
      <div className="toolbar">
        <SheetTitle ws={ws} sheet={sheet} canDesign={canDesign} />
        <select className="input slim" aria-label={t('view.pick')} value={view?.id ?? ''} onChange={(e) => navigate(`/w/${ws}/s/${sheet.id}${e.target.value ? `?view=${e.target.value}` : ''}`)}>
          <option value="">{t('view.all')}</option>
          {(views.data ?? []).map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </select>
        <div className="segmented" role="group">
          <button type="button" aria-pressed={mode === 'grid'} onClick={() => setParams({ mode: 'grid' })}>
            {t('view.grid')}
          </button>
          {selects.length > 0 && (
            <button type="button" aria-pressed={mode === 'kanban'} onClick={() => setParams({ mode: 'kanban' })}>
              {t('view.kanban')}
            </button>
          )}
        </div>
        <input className="input search" type="search" placeholder={t('grid.search')} aria-label={t('grid.search')} value={search} onChange={(e) => setSearch(e.target.value)} />
        <button type="button" className={`button${conditionCount ? ' active' : ''}`} aria-expanded={filterOpen} onClick={() => setFilterOpen(!filterOpen)}>
          {t('filter.button')}
          {conditionCount ? ` (${conditionCount})` : ''}
        </button>
        {mode === 'grid' ? (
          <>
            <select className="input slim" aria-label={t('grid.rowHeight')} value={config.rowHeight ?? 'short'} onChange={(e) => setParams({ rowHeight: e.target.value })}>
              {(['short', 'medium', 'tall', 'extra'] as const).map((h) => (
                <option key={h} value={h}>
                  {t(`grid.rowHeight.${h}`)}
                </option>
              ))}
            </select>
            <select className="input slim" aria-label={t('grid.groupBy')} value={gridGroup?.id ?? 'none'} onChange={(e) => setParams({ group: e.target.value })}>
              <option value="none">{t('grid.groupNone')}</option>
              {groupable.map((f) => (
                <option key={f.id} value={f.id}>
                  {t('grid.groupBy')}: {f.name}
                </option>
              ))}
            </select>
          </>
        ) : (
          <>
            <select className="input slim" aria-label={t('kanban.groupBy')} value={groupBy?.id ?? ''} onChange={(e) => setParams({ groupBy: e.target.value })}>
              {selects.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
            </select>
            <select className="input slim" aria-label={t('kanban.sum')} value={sumField?.id ?? ''} onChange={(e) => setParams({ sum: e.target.value })}>
              <option value="">—</option>
              {numbers.map((f) => (
                <option key={f.id} value={f.id}>
                  Σ {f.name}
                </option>
              ))}
            </select>
          </>
        )}
        {!arranges ? null : saving ? (
          <form className="inline-form" onSubmit={saveView}>
            <input className="input slim" aria-label={t('view.name')} placeholder={t('view.name')} value={viewName} onChange={(e) => setViewName(e.target.value)} required autoFocus />
            <button type="submit" className="button small primary">
              {t('form.save')}
            </button>
          </form>
        ) : (
          <button type="button" className="button" onClick={() => setSaving(true)}>
            {t('view.save')}
          </button>
        )}
        {(config.hiddenFields?.length ?? 0) > 0 && mode === 'grid' && (
          <button type="button" className="button" onClick={() => changeLayout({ ...layout, hiddenFields: [] })}>
            {t('grid.showAll')} ({config.hiddenFields!.length})
          </button>
        )}
        <span className="spacer" />
        <ImportButton ws={ws} sheet={sheet.id} />
        <ExportMenu ws={ws} sheet={sheet.id} selection={{ view: view?.id, filter, sort, search: debounced, fields: visibleFields(sheet, config).map((f) => f.id) }} />
        {canDesign && (
          <Link href={`/w/${ws}/s/${sheet.id}/forms`} className="button">
            {t('designer.forms')}
          </Link>
        )}
        {canDesign && (
          <Link href={`/w/${ws}/s/${sheet.id}/rules`} className="button">
            {t('rules.nav')}
          </Link>
        )}
        {grant.create && (
          <Link href={`/w/${ws}/s/${sheet.id}/new`} className="button primary">
            + {t('grid.newRecord')}
          </Link>
        )}
      </div>
      {filterOpen && (
        <div className="filter-panel card">
          <FilterBuilder
            fields={sheet.fields}
            group={group}
            onChange={(g) => {
              setGroup(g);
              const logic = toJsonLogic(g);
              setParams({ filter: logic !== undefined ? JSON.stringify(logic) : view?.config.filter !== undefined ? '{"and":[]}' : undefined });
            }}
          />
        </div>
      )}
      {mode === 'kanban' && groupBy ? (
        <Kanban workspaceId={ws} sheet={sheet} groupBy={groupBy} sumField={sumField} cardFields={config.cardFields ? sheet.fields.filter((f) => config.cardFields!.includes(f.id)) : visibleFields(sheet, config).slice(0, 4)} params={{ search: debounced, sort, filter }} />
      ) : (
        <Grid workspaceId={ws} sheet={sheet} config={config} params={{ search: debounced, sort, filter }} onSort={(s) => setParams({ sort: s })} canDesign={canDesign} onLayout={changeLayout} canDelete={grant.delete !== 'none'} groupBy={gridGroup} onSummary={changeSummary} />
      )}
    </section>
  );
}


const GROUPABLE_TYPES = new Set(['single_select', 'text', 'long_text', 'email', 'phone', 'url', 'number', 'currency', 'percent', 'rating', 'duration', 'date', 'user', 'created_by', 'updated_by']);

/** A field a grid may be grouped by (the server's check in views.ts): its record value is its group's value. */
const gridGroupable = (f: Field) => !f.result?.list && GROUPABLE_TYPES.has(f.result?.type ?? f.type);

/** The sheet's name; admins click it to rename the sheet. */
function SheetTitle({ ws, sheet, canDesign }: { ws: string; sheet: { id: string; name: string }; canDesign: boolean }) {
  const { t } = useI18n();
  const toast = useToast();
  const client = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(sheet.name);
  if (!canDesign) return <h1>{sheet.name}</h1>;
  if (!editing) {
    return (
      <h1>
        <button type="button" className="title-button" title={t('schema.rename')} onClick={() => { setName(sheet.name); setEditing(true); }}>
          {sheet.name}
        </button>
      </h1>
    );
  }
  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api('PATCH', sheetPath(ws, sheet.id), { name });
      await client.invalidateQueries({ queryKey: keys.sheets(ws) });
      setEditing(false);
    } catch (error) {
      toast(error instanceof ApiError ? error.message : t('toast.error'), 'error');
    }
  };
  return (
    <form className="inline-form" onSubmit={save}>
      <input className="input" aria-label={t('schema.rename')} value={name} onChange={(e) => setName(e.target.value)} autoFocus onKeyDown={(e) => e.key === 'Escape' && setEditing(false)} />
      <button type="submit" className="button small primary">
        {t('form.save')}
      </button>
    </form>
  );
}
