import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { escapeFormula, type SheetExport } from '../../schema-engine/index.js';

/**
 * The export as CSV: UTF-8 with a byte order mark (without it Excel reads UTF-8 as the system's code page and
 * Chinese comes out garbled), the field names as header, RFC 4180 quoting and line ends. Text cells, names in the
 * header included, are escaped against formula injection; numbers, dates and booleans are written by the server
 * from typed values and cannot start a formula. Rows are pulled from the export only as fast as the stream is read.
 */
export function csvStream(file: SheetExport): Readable {
  const output = stringify({ bom: true, record_delimiter: 'windows' });
  async function* records() {
    yield file.columns.map(escapeFormula);
    for await (const cells of file.rows) yield cells.map((cell) => (cell === undefined ? '' : cell.kind === 'text' ? escapeFormula(cell.text) : cell.text));
  }
  pipeline(Readable.from(records()), output).catch((error: unknown) => output.destroy(error as Error));
  return output;
}
