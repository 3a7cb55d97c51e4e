import { createReadStream } from 'node:fs';
import { parse, type Parser } from 'csv-parse';
import iconv from 'iconv-lite';
import { badRequest } from '../errors.js';
import type { SourceRow } from './cells.js';
import { ICONV_NAMES, type Encoding } from './detect.js';

/** Delimiters a CSV may use; anything else is read as part of a value. */
export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];
const CANDIDATES = new Set<number>(DELIMITERS.map((d) => d.charCodeAt(0)));

export interface CsvSettings {
  encoding: Encoding;
  /** Undefined: discovered from the first lines (csv-parse's `delimiter_auto`, limited to DELIMITERS). */
  delimiter?: Delimiter;
}

/** One per 10 MB: a single value that long is not a spreadsheet cell. */
const MAX_RECORD = 10 * 1024 * 1024;

/**
 * The records of a CSV or TSV file, streamed from disk and decoded on the way (iconv-lite), never held whole. Quoted
 * values may span lines; rows may have fewer or more values than the header (relax_column_count). `found.delimiter`
 * is set once known.
 */
export async function* csvRows(path: string, settings: CsvSettings, found: { delimiter?: Delimiter } = {}): AsyncGenerator<SourceRow> {
  const parser: Parser = parse({
    ...(settings.delimiter
      ? { delimiter: settings.delimiter }
      : {
          delimiter_auto: {
            size: 16 * 1024,
            // Only real delimiters compete (not the "." of decimals or the "/" of dates), most regular count first.
            score: (info, options) => (CANDIDATES.has(info.char_code) ? (info.total - info.std) * (options.preferred[info.char_code] ?? 1) : -1),
          },
        }),
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    max_record_size: MAX_RECORD,
  });
  const file = createReadStream(path);
  const decoded = file.pipe(iconv.decodeStream(ICONV_NAMES[settings.encoding]));
  // Errors anywhere upstream end the parser, and so the loop below.
  file.on('error', (error) => parser.destroy(error));
  decoded.on('error', (error: Error) => parser.destroy(error));
  decoded.pipe(parser);
  let number = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (number === 0) found.delimiter = (parser.options.delimiter[0]?.toString() ?? ',') as Delimiter;
      yield { number: ++number, cells: record };
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code?.startsWith('CSV_')) throw badRequest(`The file cannot be read as CSV after row ${number}: ${(error as Error).message}`, { fields: { file: 'is not valid CSV' } });
    throw error;
  } finally {
    file.destroy();
  }
  found.delimiter ??= settings.delimiter ?? ',';
}
