/*
 * A field's value as the text of one spreadsheet cell, both ways: what Ctrl+C puts on the clipboard, and what text
 * pasted from Excel or Google Sheets means for each field type. Pure, per type, so the client's field-type registry
 * can take each type's pair over.
 */
import { dateText, dateTimeText, parseBoolean, parseDateParts, possibleOrders, splitList, type DateOrder } from '../../../schema-engine/imports/values.js';
import type { Choice, Field, User } from '../api/types.js';
import { clientType } from '../field-types/index.js';
import { formatValue } from './format.js';
import { numberKind, numberText, parseNumberText, UnparsedNumber, type NumberProblem } from './number-text.js';

/** Why a pasted text is no value of its field. */
export type CellTextProblem = NumberProblem | 'notDate' | 'notDateTime' | 'notCheckbox' | 'notChoice' | 'notRating' | 'notUser' | 'notDuration' | 'notPastable';

/**
 * What a pasted text is: a value as the API takes it (users by id), a problem, or the titles of records to link,
 * found by the caller (`whole` is the text as one title, for a title that holds a comma).
 */
export type CellParse = { value: unknown } | { problem: CellTextProblem } | { titles: string[]; whole: string };

export interface CellTextContext {
  /** The workspace's members, matched by email or name. */
  members: readonly User[];
  /** How 03/04/2026 is read when both orders make a date (the user's locale). */
  dateOrder: DateOrder;
}

const problem = (p: CellTextProblem): CellParse => ({ problem: p });

/** Reads pasted text as a value of `field`. Empty text clears the cell (a checkbox is unticked). */
export function parseCellText(field: Field, raw: string, context: CellTextContext): CellParse {
  if (field.readOnly) return problem('notPastable');
  const text = field.type === 'long_text' ? raw : raw.trim();
  const kind = numberKind(field.type);
  if (kind) {
    const parsed = parseNumberText(text, { kind, currency: field.options.currency as string | undefined });
    return parsed instanceof UnparsedNumber ? problem(parsed.problem) : { value: parsed };
  }
  if (field.type === 'checkbox') {
    if (text === '') return { value: false };
    const ticked = parseBoolean(text, true);
    return ticked === undefined ? problem('notCheckbox') : { value: ticked };
  }
  if (field.type === 'link') return text === '' ? { value: [] } : { titles: splitList(text), whole: text };
  if (field.type === 'attachment') return text === '' ? { value: [] } : problem('notPastable');
  if (text === '') return { value: null };
  const module = clientType(field.type);
  if (module.pasteText) return module.pasteText(text, field, context);
  switch (field.type) {
    case 'date':
      return dateValue(text, context.dateOrder);
    case 'datetime':
      return dateTimeValue(text, context.dateOrder);
    case 'rating':
      return ratingValue(text, (field.options.max as number | undefined) ?? 5);
    case 'single_select': {
      const choice = choiceNamed(field, text);
      return choice === undefined ? problem('notChoice') : { value: choice };
    }
    case 'multi_select': {
      // A choice whose name holds a comma is matched whole first.
      const whole = choiceNamed(field, text);
      if (whole !== undefined) return { value: [whole] };
      const names = splitList(text).map((name) => choiceNamed(field, name));
      return names.some((n) => n === undefined) ? problem('notChoice') : { value: [...new Set(names)] };
    }
    case 'user': {
      const member = memberNamed(context.members, text);
      return member ? { value: member.id } : problem('notUser');
    }
    default:
      return { value: text };
  }
}

/** A choice by its exact name, else by its name in any case. */
function choiceNamed(field: Field, name: string): string | undefined {
  const choices = (field.options.choices as Choice[] | undefined) ?? [];
  return (choices.find((c) => c.name === name) ?? choices.find((c) => c.name.toLowerCase() === name.toLowerCase()))?.name;
}

/** A member by email, or by a name only one member has (names are compared in any case). */
export function memberNamed(members: readonly User[], text: string): User | undefined {
  const lower = text.toLowerCase();
  const byEmail = members.find((m) => m.email.toLowerCase() === lower);
  if (byEmail) return byEmail;
  const byName = members.filter((m) => m.name.toLowerCase() === lower);
  return byName.length === 1 ? byName[0] : undefined;
}

/** The order of a date's numbers: the locale's when both read as dates, else the only one that does. */
function orderFor(text: string, preferred: DateOrder) {
  const parts = parseDateParts(text);
  if (!parts) return undefined;
  const orders = possibleOrders(parts);
  const order = orders.includes(preferred) ? preferred : orders[0];
  return order ? { parts, order } : undefined;
}

function dateValue(text: string, preferred: DateOrder): CellParse {
  const read = orderFor(text, preferred);
  const date = read && !read.parts.time ? dateText(read.parts, read.order) : undefined;
  return date ? { value: date } : problem('notDate');
}

/** A date and time, read in UTC as the grid shows them unless the text names its zone. */
function dateTimeValue(text: string, preferred: DateOrder): CellParse {
  const read = orderFor(text, preferred);
  const stamp = read && dateTimeText(read.parts, read.order);
  if (!stamp) return problem('notDateTime');
  const zone = !stamp.zone || /^z$/i.test(stamp.zone) ? 'Z' : stamp.zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const at = new Date(`${stamp.local}${zone}`);
  return Number.isNaN(at.getTime()) ? problem('notDateTime') : { value: at.toISOString() };
}

/** A rating as its number (1 to max) or as stars (★★★☆☆ is 3). */
function ratingValue(text: string, max: number): CellParse {
  const stars = /^[★☆]+$/.test(text) ? [...text].filter((c) => c === '★').length : Number(text);
  if (!Number.isInteger(stars) || stars < 0 || stars > max) return problem('notRating');
  return { value: stars === 0 ? null : stars };
}

/**
 * A value as the text of a copied cell, read back the same when pasted: numbers plain (a percent as "25%"), dates
 * as stored, a checkbox as TRUE/FALSE, choices, people and linked records by name; computed values as shown.
 */
export function cellText(field: Field, value: unknown, locale: string): string {
  if (value === undefined || value === null) return field.type === 'checkbox' ? 'FALSE' : '';
  const kind = numberKind(field.type);
  if (kind) return kind === 'percent' ? `${numberText(value, kind)}%` : numberText(value, kind);
  const module = clientType(field.type);
  if (module.copyText) return module.copyText(value, field);
  switch (field.type) {
    case 'checkbox':
      return value === true ? 'TRUE' : 'FALSE';
    case 'date':
    case 'datetime':
      return String(value);
    case 'rating':
      return String(value);
    case 'multi_select':
      return (value as string[]).join(', ');
    default:
      return formatValue(field, value, locale);
  }
}

const TYPED_TYPES = new Set(['text', 'long_text', 'email', 'phone', 'url']);

/**
 * The value an editor starts from when the user types a character on a selected cell (type-to-edit): the character
 * for text and numbers; undefined for controls that are not typed into (a select, a date, a checkbox), which open
 * with the cell's value.
 */
export function typedStart(field: Field, text: string): { value: unknown } | undefined {
  const kind = numberKind(field.type);
  if (kind) return { value: parseNumberText(text, { kind, currency: field.options.currency as string | undefined }) };
  return TYPED_TYPES.has(field.type) ? { value: text } : undefined;
}
