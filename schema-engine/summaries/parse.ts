import { z } from 'zod';
import type { FieldDef, SheetDef } from '../catalog/model.js';
import { findField } from '../catalog/resolve.js';
import type { Language } from '../messages.js';
import { summaryError } from './messages.js';

export const BUCKETS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type Bucket = (typeof BUCKETS)[number];

export const AGGREGATES = ['count', 'sum', 'avg', 'min', 'max', 'count_distinct', 'filled'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

export const MAX_GROUP_FIELDS = 2;
export const MAX_VALUES = 20;
const MAX_PARAMETER = 2000;

export interface GroupSpec {
  field: FieldDef;
  bucket?: Bucket;
}

export interface ValueSpec {
  fn: Aggregate;
  field?: FieldDef;
}

/** A summary's parameters as given (the route passes the query string; `filter` already parsed from JSON). */
export interface SummaryInput {
  groupBy?: unknown;
  values?: unknown;
  filter?: unknown;
  search?: unknown;
}

export interface SummarySpec {
  groups: GroupSpec[];
  values: ValueSpec[];
  filter?: unknown;
  search?: string;
}

/** The parameters' shapes; an issue becomes a 400 naming its parameter in the user's language. */
const text = z.string().max(MAX_PARAMETER).optional();
const shape = z.object({ groupBy: text, values: text, search: text, filter: z.unknown().optional() });

/** Checks the parameters and resolves every field they name against the sheet as the user sees it. */
export function parseSummary(sheet: SheetDef, input: SummaryInput, language: Language): SummarySpec {
  const parsed = shape.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const param = String(issue.path[0] ?? 'query');
    const key = issue.code === 'too_big' ? 'tooLong' : 'notText';
    throw summaryError(param, key, language, { max: MAX_PARAMETER });
  }
  const { groupBy, values, search, filter } = parsed.data;
  return {
    groups: groupBy ? parseGroupBy(sheet, groupBy, language) : [],
    values: parseValues(sheet, values || 'count', language),
    ...(filter !== undefined ? { filter } : {}),
    ...(search ? { search } : {}),
  };
}

/** One `Field` or `Field:bucket`; null when it names no field (a name may hold ':' or ',', so the caller tries). */
function groupOf(sheet: SheetDef, ref: string): GroupSpec | null {
  const whole = findField(sheet, ref) ?? findField(sheet, ref.trim());
  if (whole) return { field: whole };
  const colon = ref.lastIndexOf(':');
  if (colon < 0) return null;
  const bucket = ref.slice(colon + 1).trim();
  const field = findField(sheet, ref.slice(0, colon)) ?? findField(sheet, ref.slice(0, colon).trim());
  if (!field || !(BUCKETS as readonly string[]).includes(bucket)) return null;
  return { field, bucket: bucket as Bucket };
}

/**
 * `Stage`, `Close date:month`, `Owner,Stage`: up to two fields. A field name may itself hold a comma, so the whole
 * text is tried first, then each split into two names that both exist.
 */
function parseGroupBy(sheet: SheetDef, groupBy: string, language: Language): GroupSpec[] {
  const one = groupOf(sheet, groupBy);
  if (one) return [one];
  const parts = groupBy.split(',');
  for (let i = 1; i < parts.length; i++) {
    const first = groupOf(sheet, parts.slice(0, i).join(','));
    const second = first && groupOf(sheet, parts.slice(i).join(','));
    if (first && second) return [first, second];
  }
  if (parts.length > MAX_GROUP_FIELDS + 1 || (parts.length > MAX_GROUP_FIELDS && parts.every((p) => groupOf(sheet, p)))) {
    throw summaryError('groupBy', 'tooManyGroups', language, { max: MAX_GROUP_FIELDS, count: parts.length });
  }
  const unknown = parts.find((p) => !groupOf(sheet, p)) ?? groupBy;
  throw summaryError('groupBy', 'unknownField', language, { name: unknown.trim() });
}

const VALUE = /^\s*(count_distinct|count|sum|avg|min|max|filled)\s*(?:\((.*?)\))?\s*(?:,|$)/s;

/** `count,sum(Amount),avg(Amount)`; a field name ends at the `)` before a comma or the end. */
function parseValues(sheet: SheetDef, values: string, language: Language): ValueSpec[] {
  const specs: ValueSpec[] = [];
  let rest = values;
  while (rest.trim() !== '') {
    const match = VALUE.exec(rest);
    const fn = match?.[1] as Aggregate | undefined;
    const ref = match?.[2];
    // `count` takes no field; every other one needs one.
    if (!match || !fn || (fn === 'count') !== (ref === undefined)) throw summaryError('values', 'badValue', language, { text: rest.split(',')[0]!.trim() });
    if (ref === undefined) specs.push({ fn });
    else {
      const field = findField(sheet, ref) ?? findField(sheet, ref.trim());
      if (!field) throw summaryError('values', 'unknownField', language, { name: ref.trim() });
      specs.push({ fn, field });
    }
    rest = rest.slice(match[0].length);
  }
  if (specs.length > MAX_VALUES) throw summaryError('values', 'tooManyValues', language, { max: MAX_VALUES, count: specs.length });
  return specs;
}
