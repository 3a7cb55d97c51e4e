import { readableSheet } from '../access/guard.js';
import type { Access } from '../access/model.js';
import type { Engine } from '../engine.js';
import type { Language } from '../messages.js';
import type { SummaryInput } from './parse.js';
import { summarize, type Summary } from './summarize.js';

export type { Summary, SummaryRow } from './summarize.js';
export type { SummaryInput } from './parse.js';
export { AGGREGATES, BUCKETS, MAX_GROUP_FIELDS, MAX_VALUES } from './parse.js';

/** A summary of a sheet over the rows and fields the user may read (a hidden field is an unknown one). */
export function summarizeSheet(engine: Engine, access: Access, sheetRef: string, input: SummaryInput, language: Language = 'en'): Promise<Summary> {
  const { sheet } = readableSheet(access, sheetRef);
  return summarize(engine.db, access.ws, sheet, input, language);
}
