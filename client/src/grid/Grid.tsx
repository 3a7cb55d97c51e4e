import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
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
import { isEnter, type CommitHow, type RefusedEdit } from './CellEditor.js';
import { keyCommand } from './grid-keys.js';
import { GridReport } from './GridReport.js';
import type { Blocked } from './paste-plan.js';
import { rangeOf, step, type CellPos } from './selection.js';
import { useGridClipboard } from './useGridClipboard.js';
import { useGridCommands } from './useGridCommands.js';
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

/** Where the active cell goes once an edit ended this way. */
const AFTER_COMMIT: Record<CommitHow, readonly [number, number] | null> = { enter: [1, 0], 'enter-up': [-1, 0], pick: [0, 0], tab: [0, 1], 'tab-back': [0, -1], blur: null };

/**
 * A virtualized grid: only the cells on screen and a few more are in the DOM, pages of 100 are fetched as the user
 * scrolls (no count). It works as a spreadsheet (grid-keys.ts): arrows/Tab move, Enter edits, typing edits, Shift,
 * Shift+click or a drag select a range that is copied, pasted into, cleared, filled down, with undo
 * (useGridCommands.ts); a saved cell updates in place. The header sorts, reorders and resizes the columns, kept in
 * the view through `onLayout`.
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
  const [active, setActive] = useState<CellPos | null>(null);
  // The range's other corner (Shift+arrows, Shift+click, a drag); null: the active cell alone.
  const [rangeEnd, setRangeEnd] = useState<CellPos | null>(null);
  const [editing, setEditing] = useState(false);
  // The character typed on the selected cell that opened its editor.
  const [seed, setSeed] = useState<string | null>(null);
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

  // The grid takes the keyboard back once an edit ended by a key: after the render that removed the editor, so the
  // input's blur does not save again what Escape cancelled.
  const refocus = useRef(false);
  const focusGrid = () => void (refocus.current = true);
  useLayoutEffect(() => {
    if (!refocus.current || editing) return;
    refocus.current = false;
    gridRef.current?.focus({ preventScroll: true });
  });
  const moveTo = (next: CellPos) => {
    setActive(next);
    setRangeEnd(null);
    scrollToCell(next.row, next.col);
  };

  const commit = async (record: RecordJson, field: Field, value: unknown, how: CommitHow) => {
    const at = active;
    const after = AFTER_COMMIT[how];
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
    if (again && !isEnter(how)) return refuse(refused.message);
    // Enter and Tab leave for the next cell, the grid keeping the keyboard; a click elsewhere keeps its own focus.
    const leave = () => {
      setEditing(false);
      setSeed(null);
      if (after && at) {
        moveTo(step(at, after[0], after[1], rows.count, fields.length));
        focusGrid();
      }
    };
    if (JSON.stringify(value ?? null) === JSON.stringify(record.fields[field.name] ?? null)) {
      setRefused(null);
      leave();
      return;
    }
    // In flight before leaving: the blur that moving the focus away causes does not save a second time.
    inFlight.current = true;
    if (!isEnter(how)) leave();
    try {
      const input = { [field.name]: toInput(field, value) };
      const saved = await update.mutateAsync({ id: record.id, fields: input, version: record.version });
      commands.remembered(record, saved, input);
      setRefused(null);
      if (isEnter(how) && mounted.current) leave();
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
  const lockMessage = (row: number, field: Field) => {
    const record = rows.at(row);
    return record ? lockOf(record.fields)?.fields.get(field.name) : undefined;
  };
  /** Why a cell cannot be written (row -1 or past the end: a new record), if it cannot. */
  const blocked = (row: number, field: Field): Blocked | undefined => (isReadOnly(field) || noUpdate ? 'readOnly' : lockMessage(row, field) !== undefined ? 'locked' : undefined);
  /** Tells why a cell cannot be edited, and whether it cannot. */
  const refuseEdit = (row: number, field: Field) => {
    const reason = blocked(row, field);
    if (reason) toast(reason === 'locked' ? t('lock.locked', { message: lockMessage(row, field) ?? '' }) : noUpdate ? t('grid.noUpdate') : t('grid.readOnlyCell', { field: field.name }), 'error');
    return reason !== undefined;
  };
  const commands = useGridCommands({ workspaceId, sheet, fields, rows, moreRows: pages.hasNextPage, blocked });
  const selection = active ? rangeOf(active, rangeEnd ?? active) : null;
  // A press on a cell selects it; the click that follows must not undo a Shift+click's range.
  const pressed = useRef(false);
  const dragging = useRef(false);
  useEffect(() => {
    const up = () => void (dragging.current = false);
    window.addEventListener('mouseup', up);
    return () => window.removeEventListener('mouseup', up);
  }, []);
  const startEdit = (row: number, col: number, typed?: string) => {
    const field = fields[col];
    setActive({ row, col });
    setRangeEnd(null);
    if (!field || refuseEdit(row, field)) return;
    setSeed(typed ?? null);
    setEditing(true);
  };
  const current = useRef({ commit, fields, navigate, workspaceId, refused, editing, active, range: selection, startEdit, commands });
  current.current = { commit, fields, navigate, workspaceId, refused, editing, active, range: selection, startEdit, commands };
  const actions = useMemo<RowActions>(
    () => ({
      // A refused edit holds the active cell until it is fixed or undone.
      activate: (row, col) => {
        if (pressed.current) return void (pressed.current = false);
        if (current.current.refused) return;
        setActive({ row, col });
        setRangeEnd(null);
      },
      startEdit: (row, col) => !current.current.refused && current.current.startEdit(row, col),
      pointerDown: (row, col, shift) => {
        // While a cell is edited, the click (after the editor's blur saved it) selects.
        pressed.current = !current.current.editing && !current.current.refused;
        if (!pressed.current) return;
        if (!gridRef.current?.contains(document.activeElement)) gridRef.current?.focus({ preventScroll: true });
        if (shift && current.current.active) return setRangeEnd({ row, col });
        setActive({ row, col });
        setRangeEnd(null);
        dragging.current = true;
      },
      pointerEnter: (row, col) => dragging.current && !current.current.editing && setRangeEnd({ row, col }),
      commit: (record, field, value, how) => void current.current.commit(record, field, value, how),
      cancel: () => {
        setEditing(false);
        setRefused(null);
        setSeed(null);
        focusGrid();
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
    // Keys in the header belong to its buttons and to dragging a column; those in the report to its button.
    if (!active || !selection || editing || (e.target instanceof Element && e.target.closest('.grid-header, .grid-report, .rownum'))) return;
    const command = keyCommand(e);
    if (!command) return;
    e.preventDefault();
    switch (command.kind) {
      case 'move':
        return moveTo(step(active, command.rows, command.cols, rows.count, fields.length));
      case 'extend': {
        const end = step(rangeEnd ?? active, command.rows, command.cols, rows.count, fields.length);
        setRangeEnd(end);
        return scrollToCell(end.row, end.col);
      }
      case 'edit':
        return startEdit(active.row, active.col);
      case 'type':
        return startEdit(active.row, active.col, command.text);
      case 'clear':
        return void commands.clear(selection);
      case 'fillDown':
        return void commands.fillDown(selection);
      case 'undo':
        return void commands.undo();
      case 'redo':
        return void commands.redo();
      case 'escape':
        return rangeEnd ? setRangeEnd(null) : setActive(null);
    }
  };

  useGridClipboard(gridRef, current);

  return (
    <div className="grid" ref={gridRef} role="grid" aria-rowcount={rows.count} aria-colcount={fields.length} aria-multiselectable="true" tabIndex={0} onKeyDown={onKey}>
      {commands.report && <GridReport
          report={commands.report}
          onClose={() => {
            // The keyboard goes back to the grid, not to the page, as the button goes.
            gridRef.current?.focus({ preventScroll: true });
            commands.closeReport();
          }}
        />}
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
            const inRange = selection !== null && index >= selection.top && index <= selection.bottom;
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
                rangeLeft={inRange ? selection.left : -1}
                rangeRight={inRange ? selection.right : -1}
                editing={activeCol !== null && editing}
                seed={activeCol !== null && editing ? (seed ?? undefined) : undefined}
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
