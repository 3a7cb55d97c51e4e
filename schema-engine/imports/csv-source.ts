import { createReadStream } from 'node:fs';
import { parse, type Parser } from 'csv-parse';
import iconv from 'iconv-lite';
import { badRequest } from '../errors.js';
import type { SourceRow } from './cells.js';
import { ICONV_NAMES, type Encoding } from './detect.js';

/** Delimiters a CSV may use; anything else is read as part of a value. */
export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

export interface CsvSettings {
  encoding: Encoding;
  /** Undefined: discovered from the first lines (discoverDelimiter). */
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
  const delimiter = settings.delimiter ?? (await discoverDelimiter(path, settings.encoding));
  found.delimiter = delimiter;
  const parser: Parser = parse({
    delimiter,
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
    for await (const record of parser as AsyncIterable<string[]>) yield { number: ++number, cells: record };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code?.startsWith('CSV_')) throw badRequest(`The file cannot be read as CSV after row ${number}: ${(error as Error).message}`, { fields: { file: 'is not valid CSV' } });
    throw error;
  } finally {
    file.destroy();
  }
}

/** How much of the file the delimiter is discovered from. */
const SNIFF_BYTES = 64 * 1024;

/**
 * The delimiter that splits the first lines most regularly into more than one value, quotes respected; a comma when
 * none does. (csv-parse's own `delimiter_auto` counts characters in a table of the ASCII codes only, and fails on the
 * first Chinese character.)
 */
export async function discoverDelimiter(path: string, encoding: Encoding): Promise<Delimiter> {
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(path, { end: SNIFF_BYTES - 1 }) as AsyncIterable<Buffer>) chunks.push(chunk);
  const text = iconv.decode(Buffer.concat(chunks), ICONV_NAMES[encoding]);
  let best: { delimiter: Delimiter; score: number } = { delimiter: ',', score: 0 };
  for (const delimiter of DELIMITERS) {
    const counts = fieldCounts(text, delimiter);
    // The last line may be cut by the sample's end.
    if (counts.length > 1 && text.length >= SNIFF_BYTES) counts.pop();
    const frequency = new Map<number, number>();
    for (const count of counts) if (count > 1) frequency.set(count, (frequency.get(count) ?? 0) + 1);
    const score = Math.max(0, ...frequency.values());
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

/** Values per line of the first 50 lines, quoted values (with their delimiters and line breaks) counted as one. */
function fieldCounts(text: string, delimiter: string): number[] {
  const counts: number[] = [];
  let fields = 1;
  let quoted = false;
  for (let i = 0; i < text.length && counts.length < 50; i++) {
    const c = text[i]!;
    if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c === delimiter) fields++;
    else if (c === '\n') {
      counts.push(fields);
      fields = 1;
    }
  }
  if (fields > 1 || counts.length === 0) counts.push(fields);
  return counts;
}
