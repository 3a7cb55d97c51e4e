import { memo, type ReactNode } from 'react';
import { Link } from 'wouter';
import type { Field, LinkRef, RecordJson } from '../api/types.js';
import type { CommitHow, RefusedEdit } from './CellEditor.js';
import { GridCell } from './GridCell.js';
import { useI18n } from '../i18n/i18n.js';
import { isReadOnly } from '../fields/format.js';
import type { LockOf } from '../form/lock-rules.js';

/** What every row does with its cells, the same functions for all rows (so a row that did not change skips rendering). */
export interface RowActions {
  activate(row: number, col: number): void;
  startEdit(row: number, col: number): void;
  pointerDown(row: number, col: number, shift: boolean): void;
  pointerEnter(row: number, col: number): void;
  commit(record: RecordJson, field: Field, value: unknown, how: CommitHow): void;
  cancel(): void;
  openLink(field: Field, link: LinkRef): void;
  toggleSelected(record: RecordJson): void;
}

interface Props {
  workspaceId: string;
  sheetId: string;
  record: RecordJson;
  index: number;
  /** The row's offset from the top, px. */
  start: number;
  height: number;
  fields: Field[];
  widths: number[];
  /** Each field's left edge in the row, px. */
  lefts: readonly number[];
  /** The fields on screen (inclusive): the others are left out, those before as an empty gap. */
  firstCol: number;
  lastCol: number;
  /** The active cell's column when it is in this row. */
  activeCol: number | null;
  /** The selected range's columns when it covers this row (inclusive), else -1 and -1. */
  rangeLeft: number;
  rangeRight: number;
  editing: boolean;
  /** The character that opened this row's editor (type-to-edit). */
  seed?: string | undefined;
  /** The refused edit of this row's active cell (only the row being edited gets one, so the others stay memoized). */
  refused?: RefusedEdit | undefined;
  actions: RowActions;
  /** The number shown (a grouped grid numbers its records, not its header rows); index + 1 by default. */
  number?: number | undefined;
  /** Whether the row is ticked for deleting; undefined when rows cannot be selected. */
  selected?: boolean | undefined;
  /** The sheet's lock rules over a record (the same function for every row). */
  lockOf: LockOf;
}

/**
 * One record's row of the virtualized grid: the row number and the cells of the columns on screen. A scroll hands the
 * elements of the rows leaving the grid's window to the records coming into it (their text changes, no element is
 * created or removed). Memoized: a render that does not change the row's record, place or columns (a row that stays
 * in the window, a page arriving, the active cell moving elsewhere) skips it.
 */
export const GridRow = memo(function GridRow({ workspaceId, sheetId, record, index, start, height, fields, widths, lefts, firstCol, lastCol, activeCol, rangeLeft, rangeRight, editing, seed, refused, actions, selected, lockOf, number }: Props) {
  const { t } = useI18n();
  const lock = lockOf(record.fields);
  // A cell being edited stays rendered when it is scrolled sideways off screen, so its draft is not lost.
  const first = editing && activeCol !== null ? Math.min(firstCol, activeCol) : firstCol;
  const last = editing && activeCol !== null ? Math.max(lastCol, activeCol) : lastCol;
  const gap = (lefts[first] ?? 0) - (lefts[0] ?? 0);
  const cells: ReactNode[] = [];
  for (let col = first; col <= last; col++) {
    const f = fields[col]!;
    cells.push(
      <GridCell
        key={f.id}
        field={f}
        col={col}
        record={record}
        workspaceId={workspaceId}
        sheetId={sheetId}
        width={widths[col]!}
        active={activeCol === col}
        inRange={col >= rangeLeft && col <= rangeRight}
        editing={activeCol === col && editing}
        seed={activeCol === col && editing ? seed : undefined}
        refused={activeCol === col && editing && refused?.fieldId === f.id ? refused : undefined}
        onActivate={() => actions.activate(index, col)}
        onStartEdit={() => actions.startEdit(index, col)}
        onPointerDown={(shift) => actions.pointerDown(index, col, shift)}
        onPointerEnter={() => actions.pointerEnter(index, col)}
        onCommit={(value, how) => actions.commit(record, f, value, how)}
        onCancel={actions.cancel}
        onOpenLink={f.type === 'link' ? (link) => actions.openLink(f, link) : undefined}
        lockedBy={isReadOnly(f) ? undefined : lock?.fields.get(f.name)}
      />,
    );
  }
  return (
    <div role="row" aria-selected={selected} className={`grid-row${editing ? ' editing' : ''}${selected ? ' selected' : ''}`} style={{ height, transform: `translateY(${start}px)` }} aria-rowindex={index + 1}>
      <div className="cell rownum">
        {selected !== undefined && <input type="checkbox" checked={selected} onChange={() => actions.toggleSelected(record)} aria-label={t('grid.select', { n: number ?? index + 1 })} />}
        <Link href={`/w/${workspaceId}/s/${sheetId}/r/${record.id}`} aria-label={t('grid.openRecord', { id: record.id })}>
          {number ?? index + 1}
        </Link>
      </div>
      {gap > 0 && <div className="cell-gap" style={{ width: gap }} aria-hidden="true" />}
      {cells}
    </div>
  );
});
