import { badRequest } from '../errors.js';
import { isEmptyCell, type SourceRow } from './cells.js';
import type { FileFormat } from './detect.js';
import { columnNames, findHeader } from './header.js';
import { ColumnStats, type ColumnPreview } from './infer.js';
import { emptyFound, sourceRows, type ReadSettings, type StoredSettings } from './source.js';
import type { DateOrder } from './values.js';

export interface Preview {
  settings: StoredSettings;
  columns: ColumnPreview[];
  rowCount: number;
  /** The order most date columns are read in (a start's `dateOrder` overrides every column's). */
  dateOrder?: DateOrder;
}

/** The first rows are held until the header is known (a workbook lists its merged cells after its rows). */
const HEAD_ROWS = 10;

/**
 * Reads a whole file once, streaming: finds its header, counts its data rows and infers each column's type from all
 * of its values. `guessOrder`: how dates like 01-02-03 are read when no value of the column settles it.
 */
export async function previewFile(path: string, format: FileFormat, settings: ReadSettings, guessOrder: DateOrder): Promise<Preview> {
  const found = emptyFound();
  const head: SourceRow[] = [];
  const later: ColumnStats[] = [];
  let rows = 0;
  let width = 0;
  for await (const row of sourceRows(path, format, settings, found)) {
    if (row.cells.every(isEmptyCell)) continue;
    rows++;
    width = Math.max(width, row.cells.length);
    if (head.length < HEAD_ROWS) {
      head.push(row);
      continue;
    }
    row.cells.forEach((cell, i) => (later[i] ??= new ColumnStats()).add(cell));
  }
  if (format === 'xlsx') {
    const worksheets = found.worksheets.join('", "');
    if (settings.worksheet !== undefined && found.worksheet === undefined) {
      throw badRequest(`The workbook has no worksheet "${settings.worksheet}" (it has "${worksheets}")`, { fields: { worksheet: `is not a worksheet of the file (it has "${worksheets}")` } });
    }
    if (found.worksheet === undefined) throw badRequest('The workbook has no visible worksheet', { fields: { file: 'has no worksheet' } });
  }
  const header = findHeader(head, found.merges);
  const stats = Array.from({ length: width }, (_, i) => {
    const column = new ColumnStats();
    for (const row of head) if (row.number >= header.dataFrom) column.add(row.cells[i] ?? null);
    if (later[i]) column.absorb(later[i]);
    return column;
  });
  const named = columnNames(header.names, width, (i) => stats[i]!.nonEmpty > 0, format === 'xlsx');
  if (!named.length) throw badRequest('The file has no header row and no data', { fields: { file: 'is empty' } });
  const columns = named.map(({ name, source }) => stats[source]!.decide(name, guessOrder));
  const rowCount = rows - head.filter((r) => r.number < header.dataFrom).length;
  return {
    settings: {
      ...(format === 'xlsx' ? { worksheet: found.worksheet, worksheets: found.worksheets } : { encoding: settings.encoding ?? 'utf-8', delimiter: found.delimiter }),
      dataFrom: header.dataFrom,
      sources: named.map((n) => n.source),
    },
    columns,
    rowCount,
    ...mostCommonOrder(columns),
  };
}

function mostCommonOrder(columns: ColumnPreview[]): { dateOrder?: DateOrder } {
  const counts = new Map<DateOrder, number>();
  for (const c of columns) if (c.dateOrder) counts.set(c.dateOrder, (counts.get(c.dateOrder) ?? 0) + 1);
  const best = [...counts].sort((a, b) => b[1] - a[1])[0];
  return best ? { dateOrder: best[0] } : {};
}
