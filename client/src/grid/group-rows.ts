import type { RecordJson } from '../api/types.js';
import type { LoadedRows } from './loaded-rows.js';

/** A group's header row in the grid: its value, and (from the summary API) its count and column values. */
export interface GroupHeaderEntry {
  key: string;
  /** The group's value as records read it; null for the records with none. */
  value: unknown;
  count: number | undefined;
  values: readonly (number | null)[] | undefined;
  collapsed: boolean;
}

/** The grid's rows with group headers among them: `at` gives a record row's record, `header` a header row's group. */
export interface GroupedRows {
  /** Rows, headers included. */
  count: number;
  /** Records loaded. */
  records: number;
  at(index: number): RecordJson | undefined;
  header(index: number): GroupHeaderEntry | undefined;
  /** The 1-based number of the record at row `index` among the records (headers are not counted). */
  number(index: number): number;
}

/** The loaded rows as they are, without groups. */
export const ungrouped = (rows: LoadedRows): GroupedRows => ({ ...rows, records: rows.count, header: () => undefined, number: (index) => index + 1 });

export interface SummaryGroup {
  group: unknown[];
  values: (number | null)[];
}

/**
 * The key of a group value: a record's value and the summary API's group value of the same group give the same key
 * (a user by id, a choice by name, empty as null).
 */
export function groupKey(value: unknown): string {
  if (value === undefined || value === null || value === '') return 'null';
  if (typeof value === 'object' && !Array.isArray(value) && 'id' in value) return `id:${String((value as { id: unknown }).id)}`;
  return JSON.stringify(value);
}

/**
 * The loaded records (sorted by the group field first) with a header before each group, the records of collapsed
 * groups left out. Rows stay addressed by index, so the windowed grid renders a header like any other row. One pass
 * over the loaded records per page or collapse (a plain grid keeps loaded-rows.ts's O(pages) indexing).
 */
export function groupRows(rows: LoadedRows, fieldName: string, summary: readonly SummaryGroup[] | undefined, collapsed: ReadonlySet<string>): GroupedRows {
  const byKey = new Map((summary ?? []).map((g) => [groupKey(g.group[0]), g]));
  const headers: GroupHeaderEntry[] = [];
  // Each entry: a record's row index (>= 0), or -(header + 1).
  const entries: number[] = [];
  let current: string | undefined;
  for (let i = 0; i < rows.count; i++) {
    const value = rows.at(i)!.fields[fieldName];
    const key = groupKey(value);
    if (key !== current) {
      current = key;
      const group = byKey.get(key);
      headers.push({ key, value: value ?? null, count: group?.values[0] ?? undefined, values: group?.values, collapsed: collapsed.has(key) });
      entries.push(-headers.length);
    }
    if (!collapsed.has(key)) entries.push(i);
  }
  return {
    count: entries.length,
    records: rows.count,
    number: (index) => (entries[index] ?? -1) + 1,
    at: (index) => {
      const entry = entries[index];
      return entry === undefined || entry < 0 ? undefined : rows.at(entry);
    },
    header: (index) => {
      const entry = entries[index];
      return entry === undefined || entry >= 0 ? undefined : headers[-entry - 1];
    },
  };
}

/** The listing's sort for a grid grouped by a field: that field first, then the view's own sort without it. */
export function groupedSort(sort: string | undefined, fieldId: string): string {
  const rest = (sort ?? '').split(',').filter((key) => key !== '' && key.replace(/^-/, '') !== fieldId);
  return [fieldId, ...rest].join(',');
}
