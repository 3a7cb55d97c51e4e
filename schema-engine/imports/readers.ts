import { DateTime } from 'luxon';
import type { FieldDef } from '../catalog/model.js';
import type { FieldTypeId } from '../field-types/registry.js';
import type { ChoiceOptions } from '../field-types/shared/choices.js';
import { nameKey } from '../schema-changes/names.js';
import { parseDuration, type DurationFormat } from '../field-types/shared/duration.js';
import { cellText, dayOf, isFormatted, type Cell } from './cells.js';
import type { Reason } from './messages.js';
import { dateText, dateTimeText, parseBoolean, parseDateParts, parseNumber, splitList, type DateOrder } from './values.js';

export interface ReadContext {
  /** How numeric dates of this column are read. */
  dateOrder: DateOrder;
  /** The workspace's time zone: a date and time written without a zone is its wall-clock time. */
  timeZone: string;
}

/** A cell's value as the record API takes it, or why it cannot be one. */
export type Read = { value: unknown } | { problem: Reason };

type CellReader = (cell: Exclude<Cell, null>, field: FieldDef, ctx: ReadContext) => Read;

/**
 * How a column reaches a field, per field type: read cell by cell into the value the record API takes, matched
 * against other records (links, batch by batch in links.ts), or refused when the field is filled by the system.
 */
export type Reader = { kind: 'value'; read: CellReader } | { kind: 'link' } | { kind: 'refused'; why: 'computed' | 'files' };

const ok = (value: unknown): Read => ({ value });
const problem = (key: Reason['key'], params?: Reason['params']): Read => ({ problem: { key, ...(params ? { params } : {}) } });

const asText: CellReader = (cell) => ok(cellText(cell).trim());
const keepLines: CellReader = (cell) => ok(cellText(cell).replace(/^\s+|\s+$/g, ''));

function asNumber(cell: Exclude<Cell, null>): number | undefined {
  if (typeof cell === 'number') return cell;
  if (isFormatted(cell)) return cell.number;
  if (typeof cell === 'string') return parseNumber(cell)?.value;
  return undefined;
}

const numberReader: CellReader = (cell) => {
  const n = asNumber(cell);
  return n === undefined ? problem('not_number') : ok(n);
};

/** 3, 3.0, "★★★" */
const ratingReader: CellReader = (cell, field) => {
  const max = (field.options as { max?: number }).max ?? 5;
  const stars = typeof cell === 'string' && /^★+☆*$/.test(cell.trim()) ? cell.trim().replace(/☆/g, '').length : undefined;
  const n = stars ?? asNumber(cell);
  return n !== undefined && Number.isInteger(n) && n >= 1 && n <= max ? ok(n) : problem('not_rating', { max });
};

const dateReader: CellReader = (cell, _field, ctx) => {
  if (cell instanceof Date) return ok(dayOf(cell));
  const parts = typeof cell === 'string' ? parseDateParts(cell) : undefined;
  const text = parts && dateText(parts, ctx.dateOrder);
  return text ? ok(text) : problem('not_date', { order: ctx.dateOrder });
};

const datetimeReader: CellReader = (cell, _field, ctx) => {
  // XLSX times are wall-clock times without a zone (exceljs gives them as UTC): the workspace's zone places them.
  const written = cell instanceof Date ? { local: cell.toISOString().slice(0, 23) } : typeof cell === 'string' ? datetimeParts(cell, ctx.dateOrder) : undefined;
  if (!written) return problem('not_datetime', { order: ctx.dateOrder });
  const zone = written.zone ? (written.zone.toLowerCase() === 'z' ? 'UTC' : `UTC${written.zone.length === 5 ? `${written.zone.slice(0, 3)}:${written.zone.slice(3)}` : written.zone}`) : ctx.timeZone;
  const time = DateTime.fromISO(written.local, { zone });
  return time.isValid ? ok(time.toUTC().toISO()) : problem('not_datetime', { order: ctx.dateOrder });
};

function datetimeParts(text: string, order: DateOrder): { local: string; zone?: string } | undefined {
  const parts = parseDateParts(text);
  return parts && dateTimeText(parts, order);
}

const checkboxReader: CellReader = (cell) => {
  if (typeof cell === 'boolean') return ok(cell);
  const value = parseBoolean(cellText(cell), true);
  return value === undefined ? problem('not_boolean') : ok(value);
};

/** A choice by its name, compared as choice names are (case, width, invisible characters). */
function choiceNamed(field: FieldDef, text: string): string | undefined {
  const key = nameKey(text);
  return (field.options as ChoiceOptions).choices.find((c) => c.name === text || nameKey(c.name) === key)?.name;
}

const singleSelectReader: CellReader = (cell, field) => {
  const text = cellText(cell).trim();
  const name = choiceNamed(field, text);
  return name === undefined ? problem('not_choice', { value: text, field: field.name }) : ok(name);
};

const multiSelectReader: CellReader = (cell, field) => {
  const text = cellText(cell).trim();
  // A choice whose name holds a comma is itself, whole.
  const whole = choiceNamed(field, text);
  if (whole !== undefined) return ok([whole]);
  const names: string[] = [];
  for (const part of splitList(text)) {
    const name = choiceNamed(field, part);
    if (name === undefined) return problem('not_choice', { value: part, field: field.name });
    names.push(name);
  }
  return ok([...new Set(names)]);
};

/** Seconds from "1:30" (h:mm) or "1:30:15", or from an XLSX time (a fraction of a day) shown as one. */
const durationReader: CellReader = (cell, field) => {
  if (isFormatted(cell) && /[hs]/i.test(cell.format)) return ok(Math.round(cell.number * 86400));
  if (cell instanceof Date) return ok(Math.round((cell.getTime() - Date.UTC(1899, 11, 30)) / 1000));
  const seconds = parseDuration(cellText(cell), (field.options as { format?: DurationFormat }).format);
  return seconds === undefined ? problem('not_duration') : ok(seconds);
};

const computed = { kind: 'refused', why: 'computed' } as const;
const value = (read: CellReader): Reader => ({ kind: 'value', read });

/** One entry per field type: TypeScript fails the build when a type has none. */
export const readers = {
  text: value(asText),
  long_text: value(keepLines),
  email: value(asText),
  phone: value(asText),
  url: value(asText),
  number: value(numberReader),
  currency: value(numberReader),
  percent: value(numberReader),
  duration: value(durationReader),
  date: value(dateReader),
  datetime: value(datetimeReader),
  checkbox: value(checkboxReader),
  single_select: value(singleSelectReader),
  multi_select: value(multiSelectReader),
  rating: value(ratingReader),
  // A member by id or email; one the workspace does not have is refused by the engine, naming it.
  user: value(asText),
  // Members by id or email, comma-separated.
  multi_user: value((cell) => ok(splitList(cellText(cell)))),
  attachment: { kind: 'refused', why: 'files' },
  link: { kind: 'link' },
  autonumber: computed,
  created_time: computed,
  updated_time: computed,
  created_by: computed,
  updated_by: computed,
  lookup: computed,
  rollup: computed,
  formula: computed,
  button: computed,
} satisfies Record<FieldTypeId, Reader>;

export const readerOf = (field: FieldDef): Reader => readers[field.type as FieldTypeId];
