import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useLocation } from 'wouter';
import { ApiError } from '../api/http.js';
import { recordChanged, useRecordPages, useUpdateRecord, type ListParams } from '../api/queries.js';
import type { Field, RecordJson, Sheet, ViewConfig } from '../api/types.js';
import { useLeaveGuard } from '../app/leave-guard.js';
import { useToast } from '../app/toasts.js';
import { toInput } from '../fields/controls.js';
import { UnparsedNumber } from '../fields/number-text.js';
import { isReadOnly } from '../fields/format.js';
import { useI18n } from '../i18n/i18n.js';
import { useDeleteRecords } from '../record/delete-records.js';
import type { CommitHow, RefusedEdit } from './CellEditor.js';
import { GridFooter } from './GridFooter.js';
import { GridHeader } from './GridHeader.js';
import { GroupHeader } from './GroupHeader.js';
import { summaryRequest, type ColumnSummary } from './grid-summary.js';
import { groupedSort, groupRows, ungrouped, type GroupedRows } from './group-rows.js';
import { useSummary } from './useSummary.js';
import { GridRow, type RowActions } from './GridRow.js';
import { loadedRows } from './loaded-rows.js';
import { useColumns, type ColumnLayout } from './useColumns.js';
import { useGridWindow } from './useGridWindow.js';
import { useLockOf } from '../form/lock-rules.js';

/** What a refused edit says: the field's problem ("Code must be unique…"), or a rule's own sentence as it is. */
function refusal(error: ApiError, field: Field): string {
  const problem = error.fields[field.name];
  return problem && problem !== error.message ? `${field.name} ${problem}` : error.message;
}

const ROW_HEIGHTS = { short: 36, medium: 56, tall: 88, extra: 128 } as const;
/**
 * Rows and columns rendered beyond each edge of the screen. Rendering happens in the scroll event, before the frame
 * is painted, so a few suffice; each one more is rendered again on every scroll that moves the window.
 */
const OVERSCAN = 2;
const COLUMN_OVERSCAN = 1;

interface Props {
  workspaceId: string;
  sheet: Sheet;
  params: ListParams;
  config: ViewConfig;
  onSort(sort: string): void;
  /** Admins change the schema from the headers. */
  canDesign: boolean;
  /** Hidden, ordered and resized columns (kept in the view). */
  onLayout(layout: ColumnLayout): void;
  /** The role deletes some records of the sheet: rows can be selected and deleted. */
  canDelete: boolean;
  /** Rows grouped by this field, a header before each group (grid/group-rows.ts). */
  groupBy?: Field | undefined;
  /** The summary row's choice for a column (kept in the view's `config.summaries`). */
  onSummary(field: Field, summary: ColumnSummary): void;
}

/**
 * A virtualized grid: only the cells on screen and a few more are in the DOM, pages of 100 are fetched as the user
 * scrolls (no count), arrows/Tab move, Enter edits, Escape cancels; a saved cell updates in place. The header sorts,
 * reorders and resizes the columns, kept in the view through `onLayout`.
 */
export function Grid({ workspaceId, sheet, params, config, onSort, canDesign, onLayout, canDelete, groupBy, onSummary }: Props) {
  const { t } = useI18n();
  // Grouped, the records come sorted by the group field first, so each group's records are together.
  const pages = useRecordPages(workspaceId, sheet.id, groupBy ? { ...params, sort: groupedSort(params.sort, groupBy.id) } : params);
  const { fields, widths, lefts, totalWidth, actions: headerActions } = useColumns(sheet, config, canDesign, onSort, onLayout);
  const summaries = useMemo(() => summaryRequest(fields, config.summaries), [fields, config.summaries]);
  const summary = useSummary(workspaceId, sheet.id, params, groupBy?.id, summaries.values);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => setCollapsed(new Set()), [groupBy?.id]);
  const toggleGroup = useMemo(() => (key: string) => setCollapsed((old) => new Set(old.has(key) ? [...old].filter((k) => k !== key) : [...old, key])), []);
  const rows: GroupedRows = useMemo(() => {
    const loaded = loadedRows(pages.data?.pages ?? []);
    return groupBy ? groupRows(loaded, groupBy.name, summary.data?.rows, collapsed) : ungrouped(loaded);
  }, [pages.data, groupBy, summary.data, collapsed]);
  const rowHeight = ROW_HEIGHTS[config.rowHeight ?? 'short'];
  const scroller = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const body = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState<{ row: number; col: number } | null>(null);
  const [editing, setEditing] = useState(false);
  const update = useUpdateRecord(workspaceId, sheet.id);
  const client = useQueryClient();
  const [, navigate] = useLocation();
  // One more row, "Loading…", while there are more pages.
  const total = rows.count + (pages.hasNextPage ? 1 : 0);
  const { rows: range, columns, rowKey, scrollToCell } = useGridWindow(scroller, body, { rowHeight, total, overscan: OVERSCAN, lefts, widths, columnOverscan: COLUMN_OVERSCAN });

  // The next page is fetched once the last loaded row comes into the window.
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = pages;
  const windowEnd = range.first + range.count;
  useEffect(() => {
    if (windowEnd >= rows.count && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [windowEnd, rows.count, hasNextPage, isFetchingNextPage, fetchNextPage]);

  // A refused edit stays in its cell, still edited, with the reason, until it is fixed or Escape undoes it.
  const [refused, setRefused] = useState<RefusedEdit | null>(null);
  const inFlight = useRef(false);
  useLeaveGuard(refused !== null);
  const toast = useToast();
  // Rows ticked for deleting, by id (kept across pages and scrolling).
  const [selected, setSelected] = useState<ReadonlyMap<string, RecordJson>>(new Map());
  const deleting = useDeleteRecords(workspaceId, sheet);
  // Another filter, search or sort shows other rows: ticks on rows no longer shown would be deleted unseen.
  const shown = JSON.stringify(params);
  useEffect(() => setSelected(new Map()), [shown]);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => void (mounted.current = false);
  }, []);

  const commit = async (record: RecordJson, field: Field, value: unknown, how: CommitHow) => {
    const at = active;
    const refuse = (message: string) => {
      // The grid is gone (the user moved on while it saved): the reason can only be told.
      if (!mounted.current) return toast(message, 'error');
      setRefused({ recordId: record.id, fieldId: field.id, value, message });
      if (at) setActive(at);
      setEditing(true);
      // Back into the input, wherever the click that left it went.
      requestAnimationFrame(() => document.getElementById(`edit-${record.id}-${field.id}`)?.focus());
    };
    if (inFlight.current) return;
    if (value instanceof UnparsedNumber) return refuse(`${field.name} ${t(`number.${value.problem}`)}`);
    const again = refused && refused.recordId === record.id && refused.fieldId === field.id && JSON.stringify(refused.value) === JSON.stringify(value);
    // Leaving a refused cell unchanged keeps it open without asking the server again (Enter asks again).
    if (again && how !== 'enter') return refuse(refused.message);
    // Tab leaves for the next cell, the grid keeping the keyboard.
    const leave = () => {
      setEditing(false);
      if (how === 'tab' && at) {
        setActive({ row: at.row, col: Math.min(fields.length - 1, at.col + 1) });
        gridRef.current?.focus();
      }
    };
    if (JSON.stringify(value ?? null) === JSON.stringify(record.fields[field.name] ?? null)) {
      setRefused(null);
      leave();
      return;
    }
    // In flight before leaving: the blur that moving the focus away causes does not save a second time.
    inFlight.current = true;
    if (how !== 'enter') leave();
    try {
      await update.mutateAsync({ id: record.id, fields: { [field.name]: toInput(field, value) }, version: record.version });
      setRefused(null);
      if (how === 'enter') setEditing(false);
    } catch (error) {
      // Someone else saved the record meanwhile: their version is shown around the edit, which the next Enter saves over.
      if (error instanceof ApiError && error.code === 'version_conflict' && error.details.current) recordChanged(client, workspaceId, sheet.id, error.details.current as RecordJson);
      refuse(error instanceof ApiError ? refusal(error, field) : t('toast.error'));
    } finally {
      inFlight.current = false;
    }
  };

  // The rows' actions stay the same functions across renders and read what is current through a ref.
  const noUpdate = sheet.noUpdate === true;
  const lockOf = useLockOf(workspaceId, sheet);
  /** A cell a lock rule holds (an accepted quote's) is not edited. */
  const cellLocked = (row: number, field: Field) => {
    const record = rows.at(row);
    return record !== undefined && lockOf(record.fields)?.fields.has(field.name) === true;
  };
  const current = useRef({ commit, fields, navigate, workspaceId, refused, noUpdate, cellLocked });
  current.current = { commit, fields, navigate, workspaceId, refused, noUpdate, cellLocked };
  const actions = useMemo<RowActions>(
    () => ({
      // A refused edit holds the active cell until it is fixed or undone.
      activate: (row, col) => !current.current.refused && setActive({ row, col }),
      startEdit: (row, col) => {
        if (current.current.refused) return;
        setActive({ row, col });
        const field = current.current.fields[col];
        if (field && !isReadOnly(field) && !current.current.noUpdate && !current.current.cellLocked(row, field)) setEditing(true);
      },
      commit: (record, field, value, how) => void current.current.commit(record, field, value, how),
      cancel: () => {
        setEditing(false);
        setRefused(null);
      },
      openLink: (field, link) => current.current.navigate(`/w/${current.current.workspaceId}/s/${String(field.options.sheet)}/r/${link.id}`),
      toggleSelected: (record) =>
        setSelected((old) => {
          const next = new Map(old);
          if (!next.delete(record.id)) next.set(record.id, record);
          return next;
        }),
    }),
    [],
  );

  const onKey = (e: KeyboardEvent) => {
    // Keys in the header belong to its buttons and to dragging a column.
    if (!active || editing || (e.target instanceof Element && e.target.closest('.grid-header'))) return;
    const move = (row: number, col: number) => {
      const next = { row: Math.max(0, Math.min(rows.count - 1, row)), col: Math.max(0, Math.min(fields.length - 1, col)) };
      setActive(next);
      scrollToCell(next.row, next.col);
      e.preventDefault();
    };
    if (e.key === 'ArrowDown') move(active.row + 1, active.col);
    else if (e.key === 'ArrowUp') move(active.row - 1, active.col);
    else if (e.key === 'ArrowRight' || (e.key === 'Tab' && !e.shiftKey)) move(active.row, active.col + 1);
    else if (e.key === 'ArrowLeft' || (e.key === 'Tab' && e.shiftKey)) move(active.row, active.col - 1);
    else if (e.key === 'Enter' && fields[active.col] && !isReadOnly(fields[active.col]!) && !noUpdate && !cellLocked(active.row, fields[active.col]!)) {
      e.preventDefault();
      setEditing(true);
    } else if (e.key === 'Escape') setActive(null);
  };

  return (
    <div className="grid" ref={gridRef} role="grid" aria-rowcount={rows.count} aria-colcount={fields.length} tabIndex={0} onKeyDown={onKey}>
      <div className="grid-scroll" ref={scroller}>
        <GridHeader workspaceId={workspaceId} sheet={sheet} fields={fields} widths={widths} sort={params.sort ?? ''} canDesign={canDesign} totalWidth={totalWidth} actions={headerActions} />
        <div ref={body} style={{ height: total * rowHeight, width: totalWidth, position: 'relative' }}>
          {Array.from({ length: range.count }, (_, place) => {
            const index = range.first + place;
            const record = rows.at(index);
            const group = groupBy && rows.header(index);
            if (group) {
              return <GroupHeader key={rowKey(place)} group={group} field={groupBy} fields={fields} request={summaries} index={index} start={index * rowHeight} height={rowHeight} width={totalWidth} onToggle={toggleGroup} />;
            }
            // A scroll hands the elements of the rows leaving the window to those coming into it (rowKey).
            if (!record) {
              return (
                <div key={rowKey(place)} role="row" className="grid-row" style={{ height: rowHeight, transform: `translateY(${index * rowHeight}px)` }} aria-rowindex={index + 1}>
                  <div className="cell loading-row">{t('grid.loading')}</div>
                </div>
              );
            }
            const activeCol = active?.row === index ? active.col : null;
            return (
              <GridRow
                key={rowKey(place)}
                workspaceId={workspaceId}
                sheetId={sheet.id}
                record={record}
                index={index}
                number={rows.number(index)}
                start={index * rowHeight}
                height={rowHeight}
                fields={fields}
                widths={widths}
                lefts={lefts}
                firstCol={columns.first}
                lastCol={columns.last}
                activeCol={activeCol}
                editing={activeCol !== null && editing}
                refused={activeCol !== null && refused?.recordId === record.id ? refused : undefined}
                selected={canDelete ? selected.has(record.id) : undefined}
                actions={actions}
                lockOf={lockOf}
              />
            );
          })}
        </div>
        {!pages.isPending && rows.count === 0 && <p className="empty">{t('grid.empty')}</p>}
        <GridFooter fields={fields} widths={widths} totalWidth={totalWidth} request={summaries} chosen={config.summaries} total={summary.data?.total} onChoose={onSummary} />
      </div>
      <footer className="grid-footer">
        <span>{t('grid.records', { count: rows.records })}</span>
        {selected.size > 0 && (
          <span className="grid-selection">
            <span>{t('grid.selected', { count: selected.size })}</span>
            <button type="button" className="button small danger" onClick={() => deleting.ask({ records: [...selected.values()], onDeleted: () => setSelected(new Map()) })}>
              {t('record.delete')}
            </button>
            <button type="button" className="button small" onClick={() => setSelected(new Map())}>
              {t('grid.clearSelection')}
            </button>
          </span>
        )}
      </footer>
      {deleting.dialog}
    </div>
  );
}
