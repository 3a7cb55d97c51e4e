import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { badRequest } from '../errors.js';
import type { Cell, SourceRow } from './cells.js';
import { cellStyles, isDateFormat, type CellStyle } from './xlsx-styles.js';
import { openZip, type Zip } from './zip.js';

/** A merged range of a worksheet: rows and columns from 1, inclusive. */
export interface Merge {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** What reading a workbook found out beside its rows. */
export interface XlsxFound {
  /** Every worksheet's name, in the workbook's order. */
  worksheets: string[];
  /** The worksheet whose rows were given. */
  worksheet?: string;
  /** Its merged ranges (known once its rows are read: a worksheet lists them after its cells). */
  merges: Merge[];
}

const unreadable = (why: string) => badRequest(`The file cannot be read as an XLSX workbook: ${why}`, { fields: { file: 'is not a readable XLSX workbook' } });

/**
 * The rows of one worksheet of an XLSX file (by name; the first visible one without), streamed from disk: the zip's
 * directory is read first (yauzl), so the workbook, its styles and its shared strings are read before the worksheet
 * whatever their order in the file, and the worksheet's XML is parsed as it is inflated (saxes), a row at a time.
 * Cells are typed: numbers, booleans, text, dates from serial numbers under a date format, and numbers under a
 * percent or currency format with that format.
 *
 * (exceljs' streaming WorkbookReader was the first choice: its 4.4.0 loses the shared strings at random when they
 * come after the worksheets, exceljs issue 683, and crashes the process when a worksheet it spooled to a temporary
 * file is skipped.)
 */
export async function* xlsxRows(path: string, wanted: string | undefined, found: XlsxFound): AsyncGenerator<SourceRow> {
  const zip = await openZip(path).catch((error: Error) => {
    throw unreadable(error.message);
  });
  try {
    const book = await readWorkbook(zip);
    found.worksheets.push(...book.sheets.map((s) => s.name));
    const sheet = book.sheets.find((s) => (wanted === undefined ? s.state === 'visible' : s.name === wanted));
    if (!sheet) return;
    found.worksheet = sheet.name;
    const styles = zip.has('xl/styles.xml') ? cellStyles(await zip.text('xl/styles.xml')) : [];
    const strings = zip.has('xl/sharedStrings.xml') ? await sharedStrings(zip, 'xl/sharedStrings.xml') : [];
    if (!zip.has(sheet.path)) throw unreadable(`its worksheet "${sheet.name}" is missing (${sheet.path})`);
    yield* worksheetRows(zip, sheet.path, { strings, styles, date1904: book.date1904 }, found.merges);
  } finally {
    zip.close();
  }
}

const local = (name: string) => name.slice(name.indexOf(':') + 1);

interface Workbook {
  sheets: { name: string; path: string; state: string }[];
  date1904: boolean;
}

async function readWorkbook(zip: Zip): Promise<Workbook> {
  if (!zip.has('xl/workbook.xml')) throw unreadable('it has no xl/workbook.xml');
  const targets = new Map<string, string>();
  if (zip.has('xl/_rels/workbook.xml.rels')) {
    for (const tag of tags(await zip.text('xl/_rels/workbook.xml.rels'), 'Relationship')) {
      const target = tag.attributes.Target ?? '';
      targets.set(tag.attributes.Id ?? '', target.startsWith('/') ? target.slice(1) : `xl/${target}`);
    }
  }
  const workbook = tags(await zip.text('xl/workbook.xml'), 'sheet', 'workbookPr');
  const date1904 = workbook.some((t) => t.name === 'workbookPr' && (t.attributes.date1904 === '1' || t.attributes.date1904 === 'true'));
  const sheets = workbook
    .filter((t) => t.name === 'sheet')
    .map((t, i) => ({
      name: t.attributes.name ?? `Sheet${i + 1}`,
      path: targets.get(Object.entries(t.attributes).find(([k]) => local(k) === 'id' && k.includes(':'))?.[1] ?? '') ?? `xl/worksheets/sheet${i + 1}.xml`,
      state: t.attributes.state ?? 'visible',
    }));
  return { sheets, date1904 };
}

/** The elements of one of the names in a small XML document (workbook, relationships), with their attributes. */
function tags(xml: string, ...names: string[]): { name: string; attributes: Record<string, string> }[] {
  const found: { name: string; attributes: Record<string, string> }[] = [];
  const parser = new SaxesParser();
  parser.on('opentag', (tag: SaxesTagPlain) => {
    if (names.includes(local(tag.name))) found.push({ name: local(tag.name), attributes: tag.attributes as Record<string, string> });
  });
  parser.write(xml).close();
  return found;
}

/** The shared strings, in order: the text of each `<si>`, its runs joined, phonetic guides (`<rPh>`) left out. */
async function sharedStrings(zip: Zip, name: string): Promise<string[]> {
  const strings: string[] = [];
  let text = '';
  let inText = false;
  let phonetic = 0;
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => {
    const tagName = local(tag.name);
    if (tagName === 'si') text = '';
    else if (tagName === 'rPh') phonetic++;
    else if (tagName === 't') inText = true;
  });
  parser.on('text', (chunk) => {
    if (inText && !phonetic) text += chunk;
  });
  parser.on('closetag', (tag) => {
    const tagName = local(tag.name);
    if (tagName === 'si') strings.push(text);
    else if (tagName === 'rPh') phonetic--;
    else if (tagName === 't') inText = false;
  });
  await zip.stream(name, (chunk) => parser.write(chunk));
  parser.close();
  return strings;
}

interface SheetContext {
  strings: string[];
  styles: CellStyle[];
  date1904: boolean;
}

/** A worksheet's rows as its XML is inflated and parsed; rows are handed on after each chunk. */
async function* worksheetRows(zip: Zip, name: string, ctx: SheetContext, merges: Merge[]): AsyncGenerator<SourceRow> {
  const ready: SourceRow[] = [];
  let row: SourceRow | undefined;
  let lastRow = 0;
  let cell: { column: number; type: string; style: number; text: string; inline: boolean } | undefined;
  let lastColumn = 0;
  let inValue = false;
  let phonetic = 0;
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => {
    const a = tag.attributes as Record<string, string>;
    switch (local(tag.name)) {
      case 'row':
        lastRow = a.r ? Number(a.r) : lastRow + 1;
        row = { number: lastRow, cells: [] };
        lastColumn = 0;
        break;
      case 'c':
        lastColumn = a.r ? columnOf(a.r) : lastColumn + 1;
        cell = { column: lastColumn, type: a.t ?? 'n', style: Number(a.s ?? 0), text: '', inline: false };
        break;
      case 'v':
        inValue = true;
        break;
      case 'is':
        if (cell) cell.inline = true;
        break;
      case 't':
        if (cell?.inline) inValue = true;
        break;
      case 'rPh':
        phonetic++;
        break;
      case 'mergeCell': {
        const m = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(a.ref ?? '');
        if (m) merges.push({ left: columnOf(m[1]!), top: Number(m[2]), right: columnOf(m[3]!), bottom: Number(m[4]) });
        break;
      }
    }
  });
  parser.on('text', (text) => {
    if (inValue && cell && !phonetic) cell.text += text;
  });
  parser.on('closetag', (tag) => {
    switch (local(tag.name)) {
      case 'v':
      case 't':
        inValue = false;
        break;
      case 'rPh':
        phonetic--;
        break;
      case 'c':
        if (row && cell) row.cells[cell.column - 1] = cellValue(cell, ctx);
        cell = undefined;
        break;
      case 'row':
        if (row) {
          for (let i = 0; i < row.cells.length; i++) row.cells[i] ??= null;
          ready.push(row);
        }
        row = undefined;
        break;
    }
  });
  for await (const chunk of zip.chunks(name)) {
    parser.write(chunk);
    yield* ready.splice(0);
  }
  parser.close();
  yield* ready.splice(0);
}

const columnOf = (ref: string) => [...ref.replace(/\d+$/, '')].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0);

/** Percent and currency formats are kept with their number; other formats are only how Excel shows it. */
const KEPT_FORMAT = /%|[$€£¥₩₹]|\[\$[^\]]*\]|"[A-Z]{3}"|NT|元/;

function cellValue(cell: { type: string; style: number; text: string; inline: boolean }, ctx: SheetContext): Cell {
  const text = cell.text;
  switch (cell.type) {
    case 's':
      return ctx.strings[Number(text)] ?? null;
    case 'inlineStr':
    case 'str':
      return text;
    case 'b':
      return text === '1' || text === 'true';
    case 'e':
      // An error value (#N/A, #DIV/0!) holds nothing to import.
      return null;
    case 'd':
      return text ? new Date(text.endsWith('Z') || /[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`) : null;
  }
  if (text === '') return null;
  const number = Number(text);
  if (!Number.isFinite(number)) return text;
  const format = ctx.styles[cell.style]?.format;
  if (!format) return number;
  if (isDateFormat(format)) return excelDate(number, ctx.date1904);
  return KEPT_FORMAT.test(format) ? { number, format } : number;
}

/**
 * Excel's serial day number as the wall-clock time it means (given in UTC, as a date without a zone): day 1 is
 * 1900-01-01, with Excel's 1900-02-29 that never was, or 1904-01-02 in the 1904 system.
 */
function excelDate(serial: number, date1904: boolean): Date {
  const days = date1904 ? serial + 1462 : serial < 60 ? serial + 1 : serial;
  return new Date(Math.round((days - 25569) * 86_400_000));
}
