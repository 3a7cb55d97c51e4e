import type { Field, ViewConfig } from '../api/types.js';
import { clientType } from '../field-types/index.js';

/** What the summary row shows under a column (kept per field id in the view's `config.summaries`). */
export type ColumnSummary = NonNullable<ViewConfig['summaries']>[string];

const NUMBER_TYPES = new Set(['number', 'currency', 'percent', 'rating', 'duration']);

/** A column of numbers (a rollup or formula giving one too): it may be summed. */
export function isNumeric(field: Field): boolean {
  if (field.result?.list) return false;
  return NUMBER_TYPES.has(field.result?.type ?? field.type);
}

/** The choices a column's summary offers (none for a field without values, a button). */
export const summaryChoices = (field: Field): ColumnSummary[] =>
  clientType(field.type).valueless ? ['none'] : isNumeric(field) ? ['none', 'sum', 'avg', 'count', 'min', 'max'] : ['none', 'filled', 'empty'];

/** A column's summary: the view's choice, else a number column's sum, else none; a choice a column cannot have is none. */
export function summaryOf(field: Field, chosen: Readonly<Record<string, ColumnSummary>> | undefined): ColumnSummary {
  const choice = chosen?.[field.id] ?? (isNumeric(field) ? 'sum' : 'none');
  return summaryChoices(field).includes(choice) ? choice : 'none';
}

/** The summary API's `values` for the columns (by field id, which names never collide with), and where each reads. */
export interface SummaryRequest {
  /** `count` first: every group's count, and what `empty` subtracts from. */
  values: string[];
  /** Per field id, the index of its value in `values`; absent for none. */
  slots: ReadonlyMap<string, number>;
  /** Per field id, its summary (`empty` reads `count - filled`). */
  kinds: ReadonlyMap<string, ColumnSummary>;
}

const API_VALUE: Record<Exclude<ColumnSummary, 'none'>, string> = { sum: 'sum', avg: 'avg', count: 'filled', min: 'min', max: 'max', filled: 'filled', empty: 'filled' };

export function summaryRequest(fields: readonly Field[], chosen: Readonly<Record<string, ColumnSummary>> | undefined): SummaryRequest {
  const values = ['count'];
  const slots = new Map<string, number>();
  const kinds = new Map<string, ColumnSummary>();
  for (const field of fields) {
    const kind = summaryOf(field, chosen);
    if (kind === 'none') continue;
    kinds.set(field.id, kind);
    slots.set(field.id, values.length);
    values.push(`${API_VALUE[kind]}(${field.id})`);
  }
  return { values, slots, kinds };
}

/** A column's number in a summary row (its group's or the total), or undefined when the column shows none. */
export function columnValue(request: SummaryRequest, fieldId: string, row: readonly (number | null)[] | undefined): number | null | undefined {
  const slot = request.slots.get(fieldId);
  if (slot === undefined || !row) return undefined;
  const value = row[slot] ?? null;
  if (request.kinds.get(fieldId) === 'empty') return value === null ? null : (row[0] ?? 0) - value;
  return value;
}

/** A count is a whole number of records, shown as one; the other aggregates in the column's own format. */
export const countsRecords = (kind: ColumnSummary | undefined) => kind === 'count' || kind === 'filled' || kind === 'empty';
