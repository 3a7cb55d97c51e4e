import type { Field } from '../api/types.js';
import type { CellParse } from '../fields/cell-text.js';
import { rangeSize, type CellRange } from './selection.js';

/** Why a cell cannot take a value (its field is read-only, a lock rule holds it). */
export type Blocked = 'readOnly' | 'locked';

/** One pasted text and what it means for its cell; `row` may be past the loaded rows (a new record). */
export interface PlannedCell {
  row: number;
  field: Field;
  text: string;
  parse: CellParse;
}

export interface PastePlan {
  /** Cells of the rows already in the grid, by row. */
  cells: PlannedCell[];
  /** Cells for records to add below the last row, one list per new record. */
  newRows: PlannedCell[][];
  /** Cells that were not read: read-only or locked. */
  blocked: { row: number; field: Field; text: string; reason: Blocked }[];
  /** Pasted columns past the grid's last column. */
  extraColumns: number;
}

export interface PasteTarget {
  /** Rows in the grid. */
  rowCount: number;
  fields: readonly Field[];
  /** Why a cell cannot be written, if it cannot (a row past the last one is a new record: only read-only fields). */
  blocked(row: number, field: Field): Blocked | undefined;
  parse(field: Field, text: string): CellParse;
}

/**
 * Where pasted rows go, from the selection's top-left cell, as a spreadsheet does: one copied value over a range
 * selection fills the range; rows past the last one become new records; columns past the last one are dropped (and
 * counted, so the user is told).
 */
export function planPaste(rows: readonly (readonly string[])[], selection: CellRange, target: PasteTarget): PastePlan {
  const single = rows.length === 1 && rows[0]!.length === 1;
  const tiled = single && rangeSize(selection) > 1 ? Array.from({ length: selection.bottom - selection.top + 1 }, () => Array.from({ length: selection.right - selection.left + 1 }, () => rows[0]![0]!)) : rows;
  const plan: PastePlan = { cells: [], newRows: [], blocked: [], extraColumns: 0 };
  tiled.forEach((cells, r) => {
    const row = selection.top + r;
    const fresh: PlannedCell[] = [];
    cells.forEach((text, c) => {
      const field = target.fields[selection.left + c];
      if (!field) {
        plan.extraColumns = Math.max(plan.extraColumns, cells.length - c);
        return;
      }
      const reason = target.blocked(row, field);
      if (reason) plan.blocked.push({ row, field, text, reason });
      else (row < target.rowCount ? plan.cells : fresh).push({ row, field, text, parse: target.parse(field, text) });
    });
    if (row >= target.rowCount && fresh.length) plan.newRows.push(fresh);
  });
  return plan;
}
