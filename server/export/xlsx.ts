import { PassThrough, type Readable, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { ExportCell, SheetExport } from '../../schema-engine/index.js';

/** Rows written between two waits for the zip to take them (exceljs itself never waits). */
const ROWS_PER_WAIT = 500;

/** Excel's limit on a worksheet's name, and the characters it refuses there. */
const worksheetName = (name: string) => name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31).trim() || 'Sheet1';

type CellValue = string | number | boolean | Date | null;

/**
 * The export as an XLSX workbook of one worksheet, written by exceljs's streaming WorkbookWriter: numbers, dates and
 * booleans as typed cells with their number formats (currency symbol and decimals, date patterns), everything else
 * as string cells. A string cell is never a formula, whatever it starts with (`=`, `+`, …): Excel, LibreOffice and
 * Google Sheets show it as the text it is, so text is written unchanged (no `'` prefix, which XLSX would show).
 * Inline strings (no shared-string table) keep memory flat however many rows there are.
 */
export function xlsxStream(file: SheetExport): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(worksheetName(file.sheetName), { views: [{ state: 'frozen', ySplit: 1 }] });
  const write = async () => {
    const header = sheet.addRow(file.columns);
    header.font = { bold: true };
    header.commit();
    let count = 0;
    for await (const cells of file.rows) {
      const row = sheet.addRow(cells.map(cellValue));
      cells.forEach((cell, i) => {
        if (cell && 'format' in cell && cell.format) row.getCell(i + 1).numFmt = cell.format;
      });
      row.commit();
      if (++count % ROWS_PER_WAIT === 0) await taken(sheet, out);
      // The client went away: stop reading pages.
      if (out.destroyed) return;
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: unknown) => out.destroy(error as Error));
  return out;
}

const cellValue = (cell: ExportCell | undefined): CellValue => (cell === undefined ? null : cell.kind === 'text' ? cell.text : cell.value);

/** A Node or readable-stream stream's internal state: how much waits to be written, and where it pipes to. */
interface StreamState {
  _writableState?: { length: number; highWaterMark: number };
  _readableState?: { pipes?: StreamState | StreamState[] | null };
  pipes?: StreamState[];
}

/** Every stream the worksheet's XML passes through on its way to `out`: exceljs's buffer, the zip's deflate, archiver. */
function pipeline(from: StreamState): StreamState[] {
  const found: StreamState[] = [];
  const visit = (stream: StreamState) => {
    if (found.includes(stream)) return;
    found.push(stream);
    const pipes = stream.pipes ?? stream._readableState?.pipes;
    for (const next of Array.isArray(pipes) ? pipes : pipes ? [pipes] : []) visit(next);
  };
  visit(from);
  return found;
}

/**
 * exceljs writes a worksheet's XML into the zip without heeding backpressure (its buffer pushes on whatever the
 * zip answers), so the zip's deflate would queue the whole sheet for a slow client. This waits until no stream on
 * the way to `out` holds more than it should, so an export holds about a page of rows however slowly the client
 * reads. The zip pipes the worksheet in only once it reaches it in its queue.
 */
async function taken(sheet: ExcelJS.Worksheet, out: Writable): Promise<void> {
  const buffer = (sheet as unknown as { stream: StreamState }).stream;
  while (!buffer.pipes?.length && !out.destroyed) await new Promise((resolve) => setImmediate(resolve));
  for (;;) {
    const full = pipeline(buffer).find((s) => s._writableState && s._writableState.length >= s._writableState.highWaterMark);
    if (!full || out.destroyed) return;
    await drainOrClose(full as unknown as Writable, out);
  }
}

/** Until `stream` drains, or `out` closes (the client went away, and nothing will drain any more). */
function drainOrClose(stream: Writable, out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      out.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    out.on('close', done);
  });
}
