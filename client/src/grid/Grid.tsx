import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent as ReactPointerEvent } from 'react';
import { useLocation } from 'wouter';
import { ApiError } from '../api/http.js';
import { useRecordPages, useUpdateRecord, type ListParams } from '../api/queries.js';
import type { Field, RecordJson, Sheet, ViewConfig } from '../api/types.js';
import { useToast } from '../app/toasts.js';
import { toInput } from '../fields/controls.js';
import { isReadOnly } from '../fields/format.js';
import { useI18n } from '../i18n/i18n.js';
import { GridHeader } from './GridHeader.js';
import { GridRow, type RowActions } from './GridRow.js';

const ROW_HEIGHTS = { short: 36, medium: 56, tall: 88, extra: 128 } as const;
const DEFAULT_WIDTH = 180;

interface Props {
  workspaceId: string;
  sheet: Sheet;
  params: ListParams;
  config: ViewConfig;
  onSort(sort: string): void;
  /** Admins change the schema from the headers. */
  canDesign: boolean;
  /** Hidden, ordered and resized columns (kept in the view). */
  onLayout(layout: Pick<ViewConfig, 'hiddenFields' | 'fieldOrder' | 'fieldWidths'>): void;
}

/** The fields a view shows, in its order. */
export function visibleFields(sheet: Sheet, config: ViewConfig): Field[] {
  const hidden = new Set(config.hiddenFields ?? []);
  const order = config.fieldOrder ?? [];
  const rank = (f: Field) => (f.id === sheet.primaryFieldId ? -1 : order.includes(f.id) ? order.indexOf(f.id) : order.length + sheet.fields.indexOf(f));
  return sheet.fields.filter((f) => !hidden.has(f.id) || f.id === sheet.primaryFieldId).sort((a, b) => rank(a) - rank(b));
}

/**
 * A virtualized grid: only visible rows are in the DOM (memoized: a scroll renders only the rows coming into view),
 * pages of 100 are fetched as the user scrolls (no count), arrows/Tab move, Enter edits, Escape cancels; a saved cell
 * updates in place. The header sorts, reorders and resizes the columns, kept in the view through `onLayout`.
 */
export function Grid({ workspaceId, sheet, params, config, onSort, canDesign, onLayout }: Props) {
  const { t } = useI18n();
  const toast = useToast();
  const pages = useRecordPages(workspaceId, sheet.id, params);
  const rows = useMemo<RecordJson[]>(() => pages.data?.pages.flatMap((p) => p.records) ?? [], [pages.data]);
  const fields = useMemo(() => visibleFields(sheet, config), [sheet, config]);
  const rowHeight = ROW_HEIGHTS[config.rowHeight ?? 'short'];
  const scroller = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState<{ row: number; col: number } | null>(null);
  const [editing, setEditing] = useState(false);
  const update = useUpdateRecord(workspaceId, sheet.id);
  const [, navigate] = useLocation();
  const virtual = useVirtualizer({ count: rows.length + (pages.hasNextPage ? 1 : 0), getScrollElement: () => scroller.current, estimateSize: () => rowHeight, overscan: 12 });
  const items = virtual.getVirtualItems();
  const last = items[items.length - 1];

  useEffect(() => {
    if (last && last.index >= rows.length - 1 && pages.hasNextPage && !pages.isFetchingNextPage) void pages.fetchNextPage();
  }, [last, rows.length, pages]);

  const [liveWidth, setLiveWidth] = useState<{ id: string; width: number } | null>(null);
  const widths = useMemo(
    () => fields.map((f) => (liveWidth?.id === f.id ? liveWidth.width : (config.fieldWidths?.[f.id] ?? (f.id === sheet.primaryFieldId ? 220 : DEFAULT_WIDTH)))),
    [fields, liveWidth, config.fieldWidths, sheet.primaryFieldId],
  );
  const width = (f: Field) => widths[fields.indexOf(f)] ?? DEFAULT_WIDTH;
  const totalWidth = widths.reduce((w, x) => w + x, 48 + (canDesign ? 48 : 0));

  const commit = async (record: RecordJson, field: Field, value: unknown) => {
    setEditing(false);
    if (JSON.stringify(value ?? null) === JSON.stringify(record.fields[field.name] ?? null)) return;
    try {
      await update.mutateAsync({ id: record.id, fields: { [field.name]: toInput(field, value) }, version: record.version });
    } catch (error) {
      toast(error instanceof ApiError ? `${field.name}: ${error.fields[field.name] ?? error.message}` : t('toast.error'), 'error');
    }
  };

  // The rows' actions stay the same functions across renders and read what is current through a ref.
  const current = useRef({ commit, fields, navigate, workspaceId });
  current.current = { commit, fields, navigate, workspaceId };
  const actions = useMemo<RowActions>(
    () => ({
      activate: (row, col) => setActive({ row, col }),
      startEdit: (row, col) => {
        setActive({ row, col });
        const field = current.current.fields[col];
        if (field && !isReadOnly(field)) setEditing(true);
      },
      commit: (record, field, value) => void current.current.commit(record, field, value),
      cancel: () => setEditing(false),
      openLink: (field, link) => current.current.navigate(`/w/${current.current.workspaceId}/s/${String(field.options.sheet)}/r/${link.id}`),
    }),
    [],
  );

  const onKey = (e: KeyboardEvent) => {
    // Keys in the header belong to its buttons and to dragging a column.
    if (!active || editing || (e.target instanceof Element && e.target.closest('.grid-header'))) return;
    const move = (row: number, col: number) => {
      const next = { row: Math.max(0, Math.min(rows.length - 1, row)), col: Math.max(0, Math.min(fields.length - 1, col)) };
      setActive(next);
      virtual.scrollToIndex(next.row);
      e.preventDefault();
    };
    if (e.key === 'ArrowDown') move(active.row + 1, active.col);
    else if (e.key === 'ArrowUp') move(active.row - 1, active.col);
    else if (e.key === 'ArrowRight' || (e.key === 'Tab' && !e.shiftKey)) move(active.row, active.col + 1);
    else if (e.key === 'ArrowLeft' || (e.key === 'Tab' && e.shiftKey)) move(active.row, active.col - 1);
    else if (e.key === 'Enter' && fields[active.col] && !isReadOnly(fields[active.col]!)) {
      e.preventDefault();
      setEditing(true);
    } else if (e.key === 'Escape') setActive(null);
  };

  const layout = { hiddenFields: config.hiddenFields, fieldOrder: fields.map((f) => f.id), fieldWidths: config.fieldWidths };
  const resize = (f: Field, down: ReactPointerEvent) => {
    down.preventDefault();
    const start = width(f);
    const x0 = down.clientX;
    const onMove = (e: PointerEvent) => setLiveWidth({ id: f.id, width: Math.max(60, start + e.clientX - x0) });
    const onUp = (e: PointerEvent) => {
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointerup', onUp);
      setLiveWidth(null);
      onLayout({ ...layout, fieldWidths: { ...(config.fieldWidths ?? {}), [f.id]: Math.max(60, Math.round(start + e.clientX - x0)) } });
    };
    window.addEventListener('pointermove', onMove);
    window.addEventListener('pointerup', onUp);
  };

  return (
    <div className="grid" role="grid" aria-rowcount={rows.length} aria-colcount={fields.length} tabIndex={0} onKeyDown={onKey}>
      <div className="grid-scroll" ref={scroller}>
        <GridHeader
          workspaceId={workspaceId}
          sheet={sheet}
          fields={fields}
          sort={params.sort ?? ''}
          canDesign={canDesign}
          totalWidth={totalWidth}
          width={width}
          onSort={onSort}
          onHide={(f) => onLayout({ ...layout, hiddenFields: [...(config.hiddenFields ?? []), f.id] })}
          onReorder={(fieldOrder) => onLayout({ ...layout, fieldOrder })}
          onResizeStart={resize}
        />
        <div style={{ height: virtual.getTotalSize(), width: totalWidth, position: 'relative' }}>
          {items.map((item) => {
            const record = rows[item.index];
            if (!record) {
              return (
                <div key={item.key} role="row" className="grid-row" style={{ height: rowHeight, transform: `translateY(${item.start}px)` }} aria-rowindex={item.index + 1}>
                  <div className="cell loading-row">{t('grid.loading')}</div>
                </div>
              );
            }
            const activeCol = active?.row === item.index ? active.col : null;
            return (
              <GridRow
                key={item.key}
                workspaceId={workspaceId}
                sheetId={sheet.id}
                record={record}
                index={item.index}
                start={item.start}
                height={rowHeight}
                fields={fields}
                widths={widths}
                activeCol={activeCol}
                editing={activeCol !== null && editing}
                actions={actions}
              />
            );
          })}
        </div>
        {!pages.isPending && rows.length === 0 && <p className="empty">{t('grid.empty')}</p>}
      </div>
      <footer className="grid-footer">{t('grid.records', { count: rows.length })}</footer>
    </div>
  );
}
