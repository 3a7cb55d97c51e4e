import type { SheetDef } from '../catalog/model.js';
import { findField } from '../catalog/resolve.js';
import { badRequest } from '../errors.js';
import { RULE_OPERATIONS } from './operations.js';
import { parseDatetime } from '../field-types/shared/calendar.js';

/** A JsonLogic value as stored and shown. */
export type Logic = null | boolean | number | string | Logic[] | { [op: string]: Logic };

export const MAX_RULE_DEPTH = 20;
export const MAX_RULE_NODES = 500;
/** Bounds the literals too (long texts, big lists), which the node count alone does not. */
export const MAX_CONDITION_CHARS = 100_000;

/**
 * JsonLogic's standard operators that read only the record they are given. Left out: `method` (calls JavaScript
 * methods), `log` (console), `all`/`some`/`none`/`map`/`filter`/`reduce` (their `var` reads list elements, not
 * fields) and `missing`/`missing_some` (they name fields in plain strings, which could not follow a rename;
 * `is_empty` says the same).
 */
const STANDARD_OPERATORS = ['==', '===', '!=', '!==', '<', '<=', '>', '>=', '!', '!!', 'and', 'or', 'if', '?:', 'in', 'cat', 'substr', '+', '-', '*', '/', '%', 'min', 'max', 'merge', 'var'];

/** Names that could reach an object's prototype if they were ever used as keys. */
const FORBIDDEN_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

export const RULE_OPERATORS: ReadonlySet<string> = new Set(
  [...STANDARD_OPERATORS, ...Object.keys(RULE_OPERATIONS)].filter((op) => !FORBIDDEN_NAMES.has(op)),
);

/** A text written as a date or date and time: it must be one that exists (rules compare it as a date). */
const DATE_SHAPED = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[Zz]|[+-]\d{2}:?\d{2})?)?$/;

export const conditionError = (message: string) => badRequest(`condition: ${message}`, { fields: { condition: message } });

interface Walk {
  sheet: SheetDef;
  nodes: number;
  fieldIds: string[];
}

/**
 * Checks a condition written with field names or ids and answers it with field ids in its vars (and the fields it
 * reads). Every object must be one allow-listed operator, every var a field of the sheet.
 */
export function compileCondition(sheet: SheetDef, input: unknown): { condition: Logic; fieldIds: string[] } {
  if (input === undefined) throw conditionError('is required');
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw conditionError('must be a JsonLogic object such as {">=": [{"var": "Close date"}, {"var": "Engage date"}]}');
  }
  if (JSON.stringify(input).length > MAX_CONDITION_CHARS) throw conditionError(`is longer than ${MAX_CONDITION_CHARS} characters`);
  const walk: Walk = { sheet, nodes: 0, fieldIds: [] };
  const condition = node(input, walk, 1);
  if (!walk.fieldIds.length) throw conditionError('must use at least one field, such as {"var": "Amount"}');
  return { condition, fieldIds: walk.fieldIds };
}

function node(value: unknown, walk: Walk, depth: number): Logic {
  if (depth > MAX_RULE_DEPTH) throw conditionError(`is nested more than ${MAX_RULE_DEPTH} deep`);
  if (++walk.nodes > MAX_RULE_NODES) throw conditionError(`has more than ${MAX_RULE_NODES} parts`);
  if (typeof value === 'string' && DATE_SHAPED.test(value) && !parseDatetime(value)) {
    throw conditionError(`${JSON.stringify(value)} is not a date that exists (write YYYY-MM-DD, years 1 to 9999)`);
  }
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw conditionError('numbers must be finite');
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => node(v, walk, depth + 1));
  if (typeof value !== 'object') throw conditionError(`${typeof value} is not a JSON value`);
  const keys = Object.keys(value);
  if (keys.length !== 1) throw conditionError(`each object must be one operator, such as {"==": [a, b]}, not ${keys.length} keys`);
  const op = keys[0]!;
  if (FORBIDDEN_NAMES.has(op)) throw conditionError(`"${op}" is not allowed`);
  if (!RULE_OPERATORS.has(op)) throw conditionError(`unknown operator "${op}"`);
  const raw = (value as Record<string, unknown>)[op];
  if (op === 'var') return { var: fieldRef(raw, walk) };
  return { [op]: Array.isArray(raw) ? raw.map((a) => node(a, walk, depth + 1)) : node(raw, walk, depth + 1) };
}

/**
 * A var names one field, by name or id, as `"Amount"` or `["Amount"]`; it is stored as the id. No default value:
 * rules see an empty field as null, which a default would never replace.
 */
function fieldRef(raw: unknown, walk: Walk): string {
  const ref = Array.isArray(raw) && raw.length === 1 ? raw[0] : raw;
  if (typeof ref !== 'string' || ref === '') throw conditionError('"var" takes the name (or id) of one field of the sheet, such as {"var": "Amount"}');
  if (FORBIDDEN_NAMES.has(ref)) throw conditionError(`"${ref}" is not allowed as a field reference (use the field's id)`);
  const field = findField(walk.sheet, ref);
  if (!field) throw conditionError(`unknown field "${ref}": the sheet "${walk.sheet.name}" has no such field`);
  if (!walk.fieldIds.includes(field.id)) walk.fieldIds.push(field.id);
  return field.id;
}

/** Rewrites every var of a stored condition (trusted: it was compiled) through `rename`. */
export function mapVars(logic: unknown, rename: (fieldId: string) => string): unknown {
  if (Array.isArray(logic)) return logic.map((a) => mapVars(a, rename));
  if (typeof logic !== 'object' || logic === null) return logic;
  const [op, raw] = Object.entries(logic)[0] ?? [];
  if (op === undefined) return logic;
  if (op === 'var') return { var: rename(String(raw)) };
  return { [op]: mapVars(raw, rename) };
}

/** The field ids a stored condition reads, in order of first use. */
export function conditionFieldIds(logic: unknown): string[] {
  const ids: string[] = [];
  mapVars(logic, (id) => {
    if (!ids.includes(id)) ids.push(id);
    return id;
  });
  return ids;
}

/** A stored condition as the API shows it: current field names; a field no longer in the sheet keeps its id. */
export function displayCondition(sheet: SheetDef, logic: unknown): unknown {
  return mapVars(logic, (id) => sheet.fields.find((f) => f.id === id)?.name ?? id);
}
