import { useRef, useState } from 'react';
import { useMembers, useSheets } from '../api/queries.js';
import type { Field, RecordJson, Sheet } from '../api/types.js';
import { useToast } from '../app/toasts.js';
import { cellText, parseCellText, type CellTextProblem } from '../fields/cell-text.js';
import { toInput } from '../fields/controls.js';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/en.js';
import { linkFinder, type TitleMatch } from './link-titles.js';
import type { LoadedRows } from './loaded-rows.js';
import { planPaste, type Blocked, type PlannedCell } from './paste-plan.js';
import { cellsOf, type CellRange } from './selection.js';
import { parseTsv } from './tsv.js';
import type { CellChange, WriteOutcome } from './useCellWrites.js';
import { useCellWrites } from './useCellWrites.js';

/** What a paste, a clear, a fill or an undo could not do, shown above the grid until closed. */
export interface GridReport {
  title: string;
  lines: string[];
}

interface Options {
  workspaceId: string;
  sheet: Sheet;
  fields: readonly Field[];
  rows: LoadedRows;
  /** Pages below the loaded rows are still to come: a paste past the last loaded row does not add records. */
  moreRows: boolean;
  /** Why a cell cannot be written (row -1: a new record), if it cannot. */
  blocked(row: number, field: Field): Blocked | undefined;
}

type Problem = CellTextProblem | 'notLink' | 'ambiguousLink' | Blocked;
const NUMBER_PROBLEMS = new Set<Problem>(['notNumber', 'grouping', 'tooLarge', 'tooPrecise']);

/**
 * The grid's spreadsheet commands over a range of cells: copy, paste (text from Excel or Google Sheets read per
 * field type), clear, fill down, and undo/redo of them and of inline edits. Cells that cannot take a value are
 * skipped and reported by row, column and value; the others are written (as Airtable does).
 */
export function useGridCommands({ workspaceId, sheet, fields, rows, moreRows, blocked }: Options) {
  const { t, locale } = useI18n();
  const toast = useToast();
  const writes = useCellWrites(workspaceId, sheet.id, fields);
  const members = useMembers(workspaceId).data;
  const sheets = useSheets(workspaceId).data;
  const [report, setReport] = useState<GridReport | null>(null);
  const busy = useRef(false);

  const problemText = (problem: Problem, sheetName = '') => (NUMBER_PROBLEMS.has(problem) ? t(`number.${problem}` as MessageKey) : t(`paste.problem.${problem}` as MessageKey, { sheet: sheetName }));
  const issue = (row: number, field: Field, value: string, problem: Problem, sheetName?: string) =>
    t('paste.issue', { row: row + 1, column: field.name, value, problem: problemText(problem, sheetName) });

  /** The row number of a loaded record, for the report. */
  const rowOf = (id: string) => {
    for (let i = 0; i < rows.count; i++) if (rows.at(i)?.id === id) return i + 1;
    return undefined;
  };
  const failureLines = (outcome: WriteOutcome) =>
    outcome.failures.map((f) => {
      const row = rowOf(f.recordId);
      if (f.conflict) return t('grid.conflictRow', { row: row ?? '?' });
      return row === undefined ? f.message : t('grid.failedRow', { row, message: f.message });
    });

  /** One command at a time: a second Ctrl+V while the first writes would write over it. */
  const exclusive = <A extends unknown[]>(run: (...args: A) => Promise<void>) => async (...args: A) => {
    if (busy.current) return;
    busy.current = true;
    try {
      await run(...args);
    } finally {
      busy.current = false;
    }
  };

  /** Tells what was done: a toast when all went well, the report when something was left out. */
  const tell = (done: string, lines: string[]) => {
    if (lines.length) setReport({ title: `${done} ${t('paste.notDone', { count: lines.length })}`, lines });
    else {
      setReport(null);
      toast(done);
    }
  };

  /** The range as rows of cell texts (loaded rows only), for the clipboard. */
  const copy = (range: CellRange): string[][] => {
    const out: string[][] = [];
    for (let row = range.top; row <= range.bottom; row++) {
      const record = rows.at(row);
      if (!record) break;
      out.push(fields.slice(range.left, range.right + 1).map((f) => cellText(f, record.fields[f.name], locale)));
    }
    return out;
  };

  /** Changes grouped per record, skipping blocked cells (counted). */
  const collect = (cells: Iterable<{ row: number; field: Field; value: (record: RecordJson) => unknown }>) => {
    const changes = new Map<number, CellChange>();
    let skipped = 0;
    for (const { row, field, value } of cells) {
      const record = rows.at(row);
      if (!record) continue;
      if (blocked(row, field)) {
        skipped++;
        continue;
      }
      const change = changes.get(row) ?? { record, values: {} };
      change.values[field.name] = value(record);
      changes.set(row, change);
    }
    return { changes: [...changes.values()], skipped };
  };

  const run = async (changes: CellChange[], skipped: number, done: (outcome: WriteOutcome) => string) => {
    if (!changes.length) {
      if (skipped) toast(t('grid.skippedCells', { count: skipped }), 'error');
      return;
    }
    const outcome = await writes.write(changes);
    if (skipped) toast(t('grid.skippedCells', { count: skipped }), 'error');
    tell(done(outcome), failureLines(outcome));
  };

  const clear = exclusive(async (range: CellRange) => {
    const cells = [...cellsOf(range)].flatMap(({ row, col }) => (fields[col] ? [{ row, field: fields[col], value: () => toInput(fields[col]!, null) }] : []));
    const { changes, skipped } = collect(cells);
    await run(changes, skipped, (o) => t('grid.cleared', { count: o.done }));
  });

  /** Ctrl+D: the range's first row copied into the rows below it (a single row takes the row above, as in Excel). */
  const fillDown = exclusive(async (range: CellRange) => {
    const from = range.top === range.bottom ? range.top - 1 : range.top;
    const source = rows.at(from);
    if (!source) return;
    const cells = [];
    for (let row = from + 1; row <= range.bottom; row++) {
      for (let col = range.left; col <= range.right; col++) {
        const field = fields[col];
        if (field) cells.push({ row, field, value: () => toInput(field, source.fields[field.name]) });
      }
    }
    const { changes, skipped } = collect(cells);
    await run(changes, skipped, (o) => t('grid.filled', { count: o.done }));
  });

  const paste = exclusive(async (text: string, range: CellRange) => {
    const matrix = parseTsv(text);
    if (!matrix.length) return;
    // Year-first dates (Taiwan's usual order) and month names are never ambiguous; 03/04 reads as March 4 in both.
    const context = { members: members ?? [], dateOrder: 'mdy' as const };
    const plan = planPaste(matrix, range, { rowCount: rows.count, fields, blocked, parse: (field, cell) => parseCellText(field, cell, context) });
    const lines: string[] = [];
    for (const b of plan.blocked) lines.push(issue(b.row, b.field, b.text, b.reason));
    const findLinks = linkFinder(workspaceId, sheets ?? [], new Map<string, Promise<TitleMatch>>());
    /** The value of a planned cell, or undefined (its problem is in the report). */
    const valueOf = async (cell: PlannedCell): Promise<{ value: unknown } | undefined> => {
      if ('value' in cell.parse) return { value: cell.parse.value };
      if ('problem' in cell.parse) {
        lines.push(issue(cell.row, cell.field, cell.text, cell.parse.problem));
        return undefined;
      }
      const found = await findLinks(cell.field, cell.parse.titles, cell.parse.whole);
      if ('ids' in found) return { value: found.ids };
      lines.push(issue(cell.row, cell.field, cell.text, found.problem, found.sheet));
      return undefined;
    };
    const valuesOf = async (cells: PlannedCell[]) => {
      const values: Record<string, unknown> = {};
      for (const cell of cells) {
        const read = await valueOf(cell);
        if (read) values[cell.field.name] = read.value;
      }
      return values;
    };
    const byRow = new Map<number, PlannedCell[]>();
    for (const cell of plan.cells) byRow.set(cell.row, [...(byRow.get(cell.row) ?? []), cell]);
    const changes: CellChange[] = [];
    for (const [row, cells] of byRow) {
      const values = await valuesOf(cells);
      if (Object.keys(values).length) changes.push({ record: rows.at(row)!, values });
    }
    // Rows below the loaded ones exist when more pages are to come: they are not overwritten unseen, nor added.
    const added: Record<string, unknown>[] = [];
    if (moreRows && plan.newRows.length) lines.push(t('paste.beyondLoaded', { count: plan.newRows.length }));
    else for (const cells of plan.newRows) {
      const values = await valuesOf(cells);
      if (Object.keys(values).length) added.push(values);
    }
    if (plan.extraColumns) lines.push(t('paste.extraColumns', { count: plan.extraColumns }));
    const outcome = changes.length || added.length ? await writes.write(changes, added) : { done: 0, failures: [] };
    const created = outcome.failures.some((f) => f.recordId === '') ? 0 : added.length;
    const written = changes.filter((c) => !outcome.failures.some((f) => f.recordId === c.record.id)).reduce((n, c) => n + Object.keys(c.values).length, 0);
    const done = [t('paste.done', { count: written }), ...(created ? [t('paste.added', { count: created })] : [])].join(' ');
    tell(done, [...lines, ...failureLines(outcome)]);
  });

  const replay = (direction: 'undo' | 'redo') =>
    exclusive(async () => {
      const outcome = await (direction === 'undo' ? writes.undo() : writes.redo());
      if (!outcome) return toast(t(direction === 'undo' ? 'grid.nothingToUndo' : 'grid.nothingToRedo'));
      tell(t(direction === 'undo' ? 'grid.undone' : 'grid.redone'), failureLines(outcome));
    });

  return {
    copy,
    clear,
    fillDown,
    paste,
    undo: replay('undo'),
    redo: replay('redo'),
    /** Keeps an inline edit as an undo step. */
    remembered: writes.remembered,
    report,
    closeReport: () => setReport(null),
  };
}
