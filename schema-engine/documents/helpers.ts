import Big from 'big.js';
import type { HelperOptions } from 'handlebars';
import { numberFormatter } from '../field-types/shared/display.js';

/** What a helper answers: text (escaped by Handlebars), a value for another helper, or markup it built safely. */
export type HelperResult = string | number | boolean | null | undefined | unknown[] | { toHTML(): string };
export type Helper = (args: readonly unknown[], options: HelperOptions, locale: string) => HelperResult;

/** Makes markup that is not escaped again; the helper escapes what it puts in. */
export interface HtmlTools {
  escape(text: string): string;
  safe(html: string): { toHTML(): string };
}

const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/** A number from a value: numbers and numeric text as they are, a list (a lookup) summed exactly; else undefined. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  if (Array.isArray(value)) {
    const numbers = value.map(toNumber).filter((n): n is number => n !== undefined);
    return numbers.length ? exactSum(numbers) : undefined;
  }
  return undefined;
}

function exactSum(numbers: readonly number[]): number {
  return numbers.reduce((total, n) => total.plus(new Big(n)), new Big(0)).toNumber();
}

const decimals = (value: unknown): number | undefined => {
  const n = toNumber(value);
  return n === undefined ? undefined : Math.min(20, Math.max(0, Math.trunc(n)));
};

const currencyCodes = new Set(Intl.supportedValuesOf('currency'));

/** A date-only value is that calendar day; a datetime is shown in UTC unless a timeZone is given. */
function toDate(value: unknown): { date: Date; dateOnly: boolean } | undefined {
  const first = Array.isArray(value) ? value.find((v) => !isEmpty(v)) : value;
  if (first instanceof Date) return Number.isNaN(first.getTime()) ? undefined : { date: first, dateOnly: false };
  if (typeof first !== 'string' || first === '') return undefined;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(first);
  const date = new Date(dateOnly ? `${first}T00:00:00Z` : first);
  return Number.isNaN(date.getTime()) ? undefined : { date, dateOnly };
}

const STYLES = new Set(['short', 'medium', 'long', 'full']);
type Style = 'short' | 'medium' | 'long' | 'full';

function formatDate(value: unknown, styleArg: unknown, options: HelperOptions, locale: string, withTime: boolean): string {
  const parsed = toDate(value);
  if (!parsed) return '';
  const style = (typeof styleArg === 'string' && STYLES.has(styleArg) ? styleArg : 'medium') as Style;
  const zone = typeof options.hash.timeZone === 'string' ? options.hash.timeZone : 'UTC';
  const format: Intl.DateTimeFormatOptions = { dateStyle: style, timeZone: parsed.dateOnly ? 'UTC' : zone };
  if (withTime && !parsed.dateOnly) format.timeStyle = 'short';
  try {
    return new Intl.DateTimeFormat(locale, format).format(parsed.date);
  } catch {
    return new Intl.DateTimeFormat(locale, { ...format, timeZone: 'UTC' }).format(parsed.date);
  }
}

/** Display text of one item of a list: a linked record or user by its title or name, a file by its name. */
function itemText(item: unknown): string {
  if (item === null || item === undefined) return '';
  if (typeof item !== 'object') return String(item);
  const object = item as Record<string, unknown>;
  for (const key of ['title', 'name', 'email', 'id']) if (typeof object[key] === 'string') return object[key] as string;
  return '';
}

const field = (item: unknown, key: unknown) =>
  typeof key === 'string' && item !== null && typeof item === 'object' && Object.prototype.hasOwnProperty.call(item, key) ? (item as Record<string, unknown>)[key] : item;

const compare = (test: (a: number | string, b: number | string) => boolean) => (args: readonly unknown[]) => {
  const [a, b] = args;
  const na = toNumber(a);
  const nb = toNumber(b);
  if (na !== undefined && nb !== undefined) return test(na, nb);
  return typeof a === 'string' && typeof b === 'string' ? test(a, b) : false;
};

const same = (a: unknown, b: unknown) => a === b || (toNumber(a) !== undefined && toNumber(a) === toNumber(b) && typeof a !== 'boolean' && typeof b !== 'boolean');

/** The helpers documents may call, by name (docs/api.md "Documents" lists them). */
export function documentHelpers(html: HtmlTools): Record<string, Helper> {
  return {
    currency: ([value, code, digits], _o, locale) => {
      const n = toNumber(value);
      if (n === undefined) return '';
      const currency = typeof code === 'string' && currencyCodes.has(code.toUpperCase()) ? code.toUpperCase() : 'USD';
      const d = decimals(digits);
      return numberFormatter(locale, { style: 'currency', currency, ...(d === undefined ? {} : { minimumFractionDigits: d, maximumFractionDigits: d }) }).format(n);
    },
    number: ([value, digits], _o, locale) => {
      const n = toNumber(value);
      if (n === undefined) return '';
      const d = decimals(digits);
      return numberFormatter(locale, d === undefined ? {} : { minimumFractionDigits: d, maximumFractionDigits: d }).format(n);
    },
    percent: ([value, digits], _o, locale) => {
      const n = toNumber(value);
      if (n === undefined) return '';
      const d = decimals(digits) ?? 0;
      return numberFormatter(locale, { style: 'percent', minimumFractionDigits: d, maximumFractionDigits: d }).format(n);
    },
    date: ([value, style], options, locale) => formatDate(value, style, options, locale, false),
    // A date N days from a date (a workflow's `now`, a date field), as YYYY-MM-DD: a follow-up due in 2 days.
    addDays: ([value, days]) => {
      const from = typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined;
      const n = toNumber(days);
      if (!from || Number.isNaN(from.getTime()) || n === undefined) return '';
      return new Date(from.getTime() + Math.trunc(n) * 86_400_000).toISOString().slice(0, 10);
    },
    datetime: ([value, style], options, locale) => formatDate(value, style, options, locale, true),
    sum: ([list, key]) => (Array.isArray(list) ? exactSum(list.map((item) => toNumber(field(item, key)) ?? 0)) : (toNumber(list) ?? 0)),
    add: (args) => exactSum(args.map((a) => toNumber(a) ?? 0)),
    multiply: (args) => (args.length ? args.reduce<Big>((total, a) => total.times(new Big(toNumber(a) ?? 0)), new Big(1)).toNumber() : 0),
    count: ([list]) => (Array.isArray(list) ? list.length : isEmpty(list) ? 0 : 1),
    inc: ([value]) => (toNumber(value) ?? 0) + 1,
    join: ([list, separator]) => {
      const sep = typeof separator === 'string' ? separator : ', ';
      return (Array.isArray(list) ? list : isEmpty(list) ? [] : [list]).map(itemText).filter((s) => s !== '').join(sep);
    },
    lines: ([value]) => html.safe(html.escape(typeof value === 'string' ? value : itemText(value)).replace(/\r?\n/g, '<br>')),
    upper: ([value], _o, locale) => (typeof value === 'string' ? value.toLocaleUpperCase(locale) : itemText(value)),
    lower: ([value], _o, locale) => (typeof value === 'string' ? value.toLocaleLowerCase(locale) : itemText(value)),
    default: ([value, fallback]) => (isEmpty(value) ? (fallback as HelperResult) : (value as HelperResult)),
    eq: ([a, b]) => same(a, b),
    ne: ([a, b]) => !same(a, b),
    gt: compare((a, b) => a > b),
    gte: compare((a, b) => a >= b),
    lt: compare((a, b) => a < b),
    lte: compare((a, b) => a <= b),
    and: (args) => args.every((a) => !isEmpty(a) && a !== false && a !== 0),
    or: (args) => args.some((a) => !isEmpty(a) && a !== false && a !== 0),
    not: ([a]) => isEmpty(a) || a === false || a === 0,
    empty: ([a]) => isEmpty(a),
  };
}
