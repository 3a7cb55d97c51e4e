import ExcelJS from 'exceljs';
import { badRequest } from '../errors.js';
import type { Cell, SourceRow } from './cells.js';

/** A merged range of a worksheet: rows and columns from 1, inclusive. */
export interface Merge {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** What reading a workbook found out beside its rows. */
export interface XlsxFound {
  /** Every worksheet's name, in the order of the file (once read to the end). */
  worksheets: string[];
  /** The worksheet whose rows were given. */
  worksheet?: string;
  /** Its merged ranges (known once its rows are read: a worksheet lists them after its cells). */
  merges: Merge[];
}

/**
 * exceljs 4.4's streaming worksheet reader as we use it: its name, visibility, and the chunks of its XML (read lazily,
 * so they can be watched for the merged ranges its streaming parser skips).
 */
interface WorksheetStream {
  name: string;
  state?: string;
  iterator: AsyncIterable<Buffer | string>;
  [Symbol.asyncIterator](): AsyncGenerator<ExcelJS.Row>;
}

/**
 * The rows of one worksheet of an XLSX file (by name; the first visible one without), streamed from disk with exceljs'
 * WorkbookReader: shared strings and styles are kept (typed cells: numbers, booleans, dates from serial numbers with a
 * date format), rows are not. The other worksheets are skipped, their names listed.
 */
export async function* xlsxRows(path: string, wanted: string | undefined, found: XlsxFound): AsyncGenerator<SourceRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  try {
    for await (const sheet of reader as AsyncIterable<unknown>) {
      const worksheet = sheet as WorksheetStream;
      found.worksheets.push(worksheet.name);
      const chosen = found.worksheet === undefined && (wanted === undefined ? worksheet.state !== 'hidden' && worksheet.state !== 'veryHidden' : worksheet.name === wanted);
      if (!chosen) continue;
      found.worksheet = worksheet.name;
      worksheet.iterator = watchMerges(worksheet.iterator, found.merges);
      for await (const row of worksheet) yield { number: row.number, cells: rowCells(row) };
    }
  } catch (error) {
    if (error instanceof Error && !('status' in error)) {
      throw badRequest(`The file cannot be read as an XLSX workbook: ${error.message}`, { fields: { file: 'is not a readable XLSX workbook' } });
    }
    throw error;
  }
}

/** Passes a worksheet's XML through, noting each `<mergeCell ref="B1:C1"/>` (split across chunks or not). */
async function* watchMerges(chunks: AsyncIterable<Buffer | string>, merges: Merge[]): AsyncGenerator<Buffer | string> {
  let tail = '';
  for await (const chunk of chunks) {
    const text = tail + (typeof chunk === 'string' ? chunk : chunk.toString('latin1'));
    const pattern = /<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+)(\d+):([A-Z]+)(\d+)"[^>]*>/g;
    let end = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      merges.push({ left: columnNumber(m[1]!), top: Number(m[2]), right: columnNumber(m[3]!), bottom: Number(m[4]) });
      end = pattern.lastIndex;
    }
    // A tag cut by the chunk's end is looked at again with the next chunk.
    const open = text.lastIndexOf('<');
    tail = open >= end && text.indexOf('>', open) < 0 ? text.slice(open) : '';
    yield chunk;
  }
}

const columnNumber = (letters: string) => [...letters].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0);

function rowCells(row: ExcelJS.Row): Cell[] {
  const cells: Cell[] = [];
  row.eachCell({ includeEmpty: false }, (cell, column) => {
    cells[column - 1] = cellValue(cell.value, cell.numFmt);
  });
  for (let i = 0; i < cells.length; i++) cells[i] ??= null;
  return cells;
}

/** Percent and currency formats are kept with their number; other formats are only how Excel shows it. */
const KEPT_FORMAT = /%|[$€£¥₩₹]|\[\$[^\]]*\]|"[A-Z]{3}"|NT|元/;

function cellValue(value: ExcelJS.CellValue, numFmt: string | undefined): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return numFmt && KEPT_FORMAT.test(numFmt) ? { number: value, format: numFmt } : value;
  if (typeof value === 'string' || typeof value === 'boolean' || value instanceof Date) return value;
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: ExcelJS.CellValue }).result ?? null;
    // exceljs gives a formula's result as the bare serial number even under a date format.
    return typeof result === 'number' && numFmt && isDateFormat(numFmt) ? excelDate(result) : cellValue(result, numFmt);
  }
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('text' in value) return String(value.text);
  // An error value (#N/A, #DIV/0!) holds nothing to import.
  return null;
}

/** A number format that shows a date or time (quoted text and [colour] or [$-locale] sections aside). */
const isDateFormat = (format: string) => /[dmyhs]/i.test(format.replace(/"[^"]*"|\[[^\]]*\]|\\./g, ''));

/** Excel's serial day number (1900 system) as the wall-clock time it means, in UTC as exceljs gives dates. */
const excelDate = (serial: number) => new Date(Math.round((serial - 25569) * 86_400_000));
