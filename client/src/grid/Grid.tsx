import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Link } from 'wouter';
import { ApiError } from '../api/http.js';
import { useRecordPages, useUpdateRecord, type ListParams } from '../api/queries.js';
import type { Field, RecordJson, Sheet, ViewConfig } from '../api/types.js';
import { useToast } from '../app/toasts.js';
import { toInput } from '../fields/controls.js';
import { isReadOnly } from '../fields/format.js';
import { useI18n } from '../i18n/i18n.js';
import { GridCell } from './GridCell.js';
import { nextSort } from './sort.js';
import { HeaderMenu } from './HeaderMenu.js';
import { FieldDialog } from '../schema/FieldDialog.js';

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
 * A virtualized grid: only visible rows are in the DOM, pages of 100 are fetched as the user scrolls (no count),
 * arrows/Tab move, Enter edits, Escape cancels; a saved cell updates in place.
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
  const [adding, setAdding] = useState(false);
  const update = useUpdateRecord(workspaceId, sheet.id);
  const virtual = useVirtualizer({ count: rows.length + (pages.hasNextPage ? 1 : 0), getScrollElement: () => scroller.current, estimateSize: () => rowHeight, overscan: 12 });
  const items = virtual.getVirtualItems();
  const last = items[items.length - 1];

  useEffect(() => {
    if (last && last.index >= rows.length - 1 && pages.hasNextPage && !pages.isFetchingNextPage) void pages.fetchNextPage();
  }, [last, rows.length, pages]);

  const [liveWidth, setLiveWidth] = useState<{ id: string; width: number } | null>(null);
  const width = (f: Field) => (liveWidth?.id === f.id ? liveWidth.width : (config.fieldWidths?.[f.id] ?? (f.id === sheet.primaryFieldId ? 220 : DEFAULT_WIDTH)));
  const totalWidth = fields.reduce((w, f) => w + width(f), 48 + (canDesign ? 48 : 0));

  const commit = async (record: RecordJson, field: Field, value: unknown) => {
    setEditing(false);
    if (JSON.stringify(value ?? null) === JSON.stringify(record.fields[field.name] ?? null)) return;
    try {
      await update.mutateAsync({ id: record.id, fields: { [field.name]: toInput(field, value) }, version: record.version });
    } catch (error) {
      toast(error instanceof ApiError ? `${field.name}: ${error.fields[field.name] ?? error.message}` : t('toast.error'), 'error');
    }
  };

  const onKey = (e: KeyboardEvent) => {
    if (!active || editing) return;
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

  const sortKeys = (params.sort ?? '').split(',').filter(Boolean);
  const sortOf = (f: Field) => (sortKeys.some((k) => k === f.id || k === f.name) ? 'asc' : sortKeys.some((k) => k === `-${f.id}` || k === `-${f.name}`) ? 'desc' : undefined);
  const layout = { hiddenFields: config.hiddenFields, fieldOrder: fields.map((f) => f.id), fieldWidths: config.fieldWidths };
  const move = (f: Field, by: number) => {
    const order = fields.map((x) => x.id);
    const at = order.indexOf(f.id);
    const to = Math.max(1, Math.min(order.length - 1, at + by));
    order.splice(at, 1);
    order.splice(to, 0, f.id);
    onLayout({ ...layout, fieldOrder: order });
  };
  const resize = (f: Field, start: number) => (down: React.PointerEvent) => {
    down.preventDefault();
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
        <div className="grid-header" role="row" style={{ width: totalWidth }}>
          <div className="cell rownum" />
          {fields.map((f) => {
            const sort = sortOf(f);
            return (
              <div key={f.id} role="columnheader" aria-sort={sort === 'asc' ? 'ascending' : sort === 'desc' ? 'descending' : 'none'} className="cell header" style={{ width: width(f) }}>
                <button type="button" className="header-button" title={f.error ?? f.description} onClick={(e) => onSort(nextSort(params.sort ?? '', f.id, e.shiftKey))}>
                  {f.error ? '⚠ ' : ''}
                  {f.name} {sort === 'asc' ? '▲' : sort === 'desc' ? '▼' : ''}
                </button>
                <HeaderMenu
                  ws={workspaceId}
                  sheet={sheet}
                  field={f}
                  canDesign={canDesign}
                  onSort={onSort}
                  onHide={() => onLayout({ ...layout, hiddenFields: [...(config.hiddenFields ?? []), f.id] })}
                  onMove={(by) => move(f, by)}
                />
                <span className="resize-handle" role="separator" aria-orientation="vertical" aria-label={`${f.name} width`} onPointerDown={resize(f, width(f))} />
              </div>
            );
          })}
          {canDesign && (
            <div className="cell header add-field">
              <button type="button" className="header-button" aria-label={t('schema.addField')} onClick={() => setAdding(true)}>
                +
              </button>
            </div>
          )}
        </div>
        {adding && <FieldDialog ws={workspaceId} sheet={sheet} onClose={() => setAdding(false)} />}
        <div style={{ height: virtual.getTotalSize(), width: totalWidth, position: 'relative' }}>
          {items.map((item) => {
            const record = rows[item.index];
            return (
              <div key={item.key} role="row" className="grid-row" style={{ height: rowHeight, transform: `translateY(${item.start}px)` }} aria-rowindex={item.index + 1}>
                {record ? (
                  <>
                    <div className="cell rownum">
                      <Link href={`/w/${workspaceId}/s/${sheet.id}/r/${record.id}`} aria-label={`open ${record.id}`}>
                        {item.index + 1}
                      </Link>
                    </div>
                    {fields.map((f, col) => {
                      const isActive = active?.row === item.index && active.col === col;
                      return (
                        <GridCell
                          key={`${f.id}-${record.version}`}
                          field={f}
                          record={record}
                          workspaceId={workspaceId}
                          width={width(f)}
                          active={isActive}
                          editing={isActive && editing}
                          onActivate={() => setActive({ row: item.index, col })}
                          onStartEdit={() => {
                            setActive({ row: item.index, col });
                            if (!isReadOnly(f)) setEditing(true);
                          }}
                          onCommit={(value) => void commit(record, f, value)}
                          onCancel={() => setEditing(false)}
                        />
                      );
                    })}
                  </>
                ) : (
                  <div className="cell loading-row">{t('grid.loading')}</div>
                )}
              </div>
            );
          })}
        </div>
        {!pages.isPending && rows.length === 0 && <p className="empty">{t('grid.empty')}</p>}
      </div>
      <footer className="grid-footer">{t('grid.records', { count: rows.length })}</footer>
    </div>
  );
}
