import { z } from 'zod';
import type { SourceRow } from './cells.js';
import { csvRows, DELIMITERS, type Delimiter } from './csv-source.js';
import { ENCODINGS, type FileFormat } from './detect.js';
import { xlsxRows, type XlsxFound } from './xlsx-source.js';

/** How a file is read, chosen at upload (detected, or given) and kept with the import. */
export const readSettingsSchema = z.object({
  encoding: z.enum(ENCODINGS).optional(),
  delimiter: z.enum(DELIMITERS).optional(),
  worksheet: z.string().max(255).optional(),
});
export type ReadSettings = z.output<typeof readSettingsSchema>;

/** Where the data is: the first data row, and which source column each imported column is. */
export interface Layout {
  /** Rows before this (title and header rows) are not data. */
  dataFrom: number;
  /** For each column of the preview, its index among the row's cells. */
  sources: number[];
}

export type StoredSettings = ReadSettings & Layout & { worksheets?: string[] };

/** What reading found besides the rows: the delimiter discovered, the worksheets, the merged ranges. */
export type Found = { delimiter?: Delimiter } & XlsxFound;

export const emptyFound = (): Found => ({ worksheets: [], merges: [] });

/** The rows of a file as its format gives them, streamed from disk. */
export function sourceRows(path: string, format: FileFormat, settings: ReadSettings, found: Found = emptyFound()): AsyncGenerator<SourceRow> {
  if (format === 'xlsx') return xlsxRows(path, settings.worksheet, found);
  return csvRows(path, { encoding: settings.encoding ?? 'utf-8', delimiter: settings.delimiter ?? (format === 'tsv' ? '\t' : undefined) }, found);
}
