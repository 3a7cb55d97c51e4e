/*
 * Reading what people type in spreadsheets: numbers with thousands separators, currencies with their symbols,
 * percentages, dates in the common orders, booleans, emails, phones. Pure functions, shared by type inference
 * (infer.ts) and by reading cells into field values (readers.ts), so a column is read as it was previewed.
 */

export type DateOrder = 'dmy' | 'mdy' | 'ymd';
export const DATE_ORDERS = ['dmy', 'mdy', 'ymd'] as const;

/** Spaces of every width, as thousands separators and around values. */
const SPACES = /[\s\u00a0\u2007\u202f\u3000]/g;

/** Symbols before or after an amount, longest first, with the ISO code each most often means. */
const CURRENCY_SYMBOLS: readonly [string, string][] = [
  ['NT$', 'TWD'],
  ['US$', 'USD'],
  ['HK$', 'HKD'],
  ['A$', 'AUD'],
  ['C$', 'CAD'],
  ['S$', 'SGD'],
  ['R$', 'BRL'],
  ['元', 'TWD'],
  ['$', 'USD'],
  ['€', 'EUR'],
  ['£', 'GBP'],
  ['¥', 'JPY'],
  ['￥', 'JPY'],
  ['₩', 'KRW'],
  ['₹', 'INR'],
  ['₽', 'RUB'],
  ['₺', 'TRY'],
  ['₫', 'VND'],
  ['฿', 'THB'],
  ['₱', 'PHP'],
];
const CURRENCY_CODES = new Set(Intl.supportedValuesOf('currency'));

/** The ISO code of the first currency symbol or code in a text (an XLSX number format such as `"NT$"#,##0`). */
export function currencyIn(text: string): string | undefined {
  const code = /(?<![A-Z])([A-Z]{3})(?![A-Z])/.exec(text)?.[1];
  if (code && CURRENCY_CODES.has(code)) return code;
  return CURRENCY_SYMBOLS.find(([symbol]) => text.includes(symbol))?.[1];
}

export interface ParsedNumber {
  value: number;
  /** Digits after the decimal point as written (25.50 → 2). */
  decimals: number;
  kind: 'plain' | 'percent' | 'currency';
  /** ISO 4217 code, for a currency. */
  currency?: string;
}

/** The digits of an amount: 1,234.5 · 1.234,5 · 1 234,5 · 1'234.5 · 1234.5 · 1234,5 · 1e6. */
function parseDigits(body: string): { value: number; decimals: number } | undefined {
  let integer: string;
  let fraction = '';
  let m: RegExpExecArray | null;
  if ((m = /^(\d{1,3}(?:,\d{3})+)(?:\.(\d+))?$/.exec(body))) [integer, fraction] = [m[1]!.replaceAll(',', ''), m[2] ?? ''];
  else if ((m = /^(\d{1,3}(?:\.\d{3})+),(\d+)$/.exec(body)) || (m = /^(\d{1,3}(?:\.\d{3}){2,})$/.exec(body))) [integer, fraction] = [m[1]!.replaceAll('.', ''), m[2] ?? ''];
  else if ((m = /^(\d{1,3}(?:'\d{3})+)(?:\.(\d+))?$/.exec(body))) [integer, fraction] = [m[1]!.replaceAll("'", ''), m[2] ?? ''];
  else if ((m = /^(\d+)(?:\.(\d+))?$/.exec(body)) || (m = /^(\d*)\.(\d+)$/.exec(body))) [integer, fraction] = [m[1] || '0', m[2] ?? ''];
  // A comma followed by other than three digits is a decimal comma (1,5 · 12,75).
  else if ((m = /^(\d+),(\d{1,2}|\d{4,})$/.exec(body))) [integer, fraction] = [m[1]!, m[2]!];
  else if (/^\d+(?:\.\d+)?e[+-]?\d+$/i.test(body)) return { value: Number(body), decimals: 0 };
  else return undefined;
  // 00123 is a code (a postal code, an id), not the number 123.
  if (integer.length > 1 && integer.startsWith('0')) return undefined;
  const value = Number(fraction ? `${integer}.${fraction}` : integer);
  return Number.isFinite(value) ? { value, decimals: fraction.length } : undefined;
}

/** A number as written in a spreadsheet cell, or undefined when the text is not one. */
export function parseNumber(text: string): ParsedNumber | undefined {
  let s = text.replace(SPACES, '');
  if (!s || s.length > 60) return undefined;
  let negative = false;
  // Accounting negatives: (1,234.00)
  if (s.startsWith('(') && s.endsWith(')')) [negative, s] = [true, s.slice(1, -1)];
  if (s.startsWith('-') || s.startsWith('−')) [negative, s] = [!negative, s.slice(1)];
  else if (s.startsWith('+')) s = s.slice(1);
  let kind: ParsedNumber['kind'] = 'plain';
  let currency: string | undefined;
  if (s.endsWith('%') || s.endsWith('％')) [kind, s] = ['percent', s.slice(0, -1)];
  else {
    const code = /^([A-Z]{3})(?=[\d.,(-])|(?<=[\d.])([A-Z]{3})$/.exec(s);
    const iso = code && (code[1] ?? code[2]);
    if (iso && CURRENCY_CODES.has(iso)) [kind, currency, s] = ['currency', iso, code[1] ? s.slice(3) : s.slice(0, -3)];
    else {
      for (const [symbol, isoCode] of CURRENCY_SYMBOLS) {
        if (s.startsWith(symbol)) [kind, currency, s] = ['currency', isoCode, s.slice(symbol.length)];
        else if (s.endsWith(symbol)) [kind, currency, s] = ['currency', isoCode, s.slice(0, -symbol.length)];
        else continue;
        break;
      }
    }
  }
  // $-5 as well as -$5
  if (s.startsWith('-') || s.startsWith('−')) [negative, s] = [!negative, s.slice(1)];
  const digits = parseDigits(s);
  if (!digits) return undefined;
  const signed = negative ? -digits.value : digits.value;
  if (kind === 'percent') return { value: Number((signed / 100).toPrecision(15)), decimals: digits.decimals + 2, kind };
  return { value: signed, decimals: digits.decimals, kind, ...(currency ? { currency } : {}) };
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', 'checked', 'on', '✓', '✔', '☑', '是', '對', '有']);
const FALSE_WORDS = new Set(['false', 'no', 'n', 'unchecked', 'off', '✗', '☐', '否', '不是', '無']);
/** Digits and x mark checkboxes too, but a column of them is numbers or marks, not a guess of booleans. */
const MARKS_TRUE = new Set(['1', 'x']);
const MARKS_FALSE = new Set(['0']);

/** true / false from a word, or undefined; `marks` also accepts 1, 0 and x (a column already known to be a checkbox). */
export function parseBoolean(text: string, marks = false): boolean | undefined {
  const word = text.trim().toLowerCase();
  if (TRUE_WORDS.has(word) || (marks && MARKS_TRUE.has(word))) return true;
  if (FALSE_WORDS.has(word) || (marks && MARKS_FALSE.has(word))) return false;
  return undefined;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
  january: 1, february: 2, march: 3, april: 4, june: 6, july: 7, august: 8, september: 9, october: 10, november: 11, december: 12,
};

/** A date (and time) as written, before its order is known when the numbers alone do not tell. */
export interface DateParts {
  /** The three numbers in written order (a year of two digits as written), or a known y/m/d. */
  numbers?: [number, number, number];
  /** Set when the text names its order (a four-digit year first, a month name, 年月日). */
  known?: { y: number; m: number; d: number };
  time?: { h: number; min: number; s: number; ms: number; zone?: string };
}

const TIME = String.raw`(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,3})\d*)?)?\s*(am|pm|上午|下午)?\s*(z|[+-]\d{2}:?\d{2})?)?`;
const YMD = new RegExp(String.raw`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})${TIME}$`, 'i');
const ROC = new RegExp(String.raw`^(?:民國)?(1\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})日?${TIME}$`, 'i');
const NUMERIC = new RegExp(String.raw`^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})${TIME}$`, 'i');
const CJK = new RegExp(String.raw`^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日${TIME}$`, 'i');
const DAY_MONTH_NAME = new RegExp(String.raw`^(\d{1,2})[-/ ]([a-z]{3,9})\.?[-/ ,]+(\d{2}|\d{4})${TIME}$`, 'i');
const MONTH_NAME_DAY = new RegExp(String.raw`^([a-z]{3,9})\.?[ -](\d{1,2})(?:st|nd|rd|th)?,?[ -](\d{4})${TIME}$`, 'i');

function timeOf(m: RegExpExecArray, at: number): DateParts['time'] {
  if (m[at] === undefined) return undefined;
  let h = Number(m[at]);
  const meridiem = m[at + 4]?.toLowerCase();
  if (meridiem === 'pm' || meridiem === '下午') h = h === 12 ? 12 : h + 12;
  else if ((meridiem === 'am' || meridiem === '上午') && h === 12) h = 0;
  const zone = m[at + 5];
  return { h, min: Number(m[at + 1]), s: Number(m[at + 2] ?? 0), ms: Number((m[at + 3] ?? '0').padEnd(3, '0')), ...(zone ? { zone } : {}) };
}

/** The parts of a date written in text, or undefined when it is not one. */
export function parseDateParts(text: string): DateParts | undefined {
  const s = text.trim();
  if (s.length < 6 || s.length > 40) return undefined;
  let m: RegExpExecArray | null;
  if ((m = YMD.exec(s)) || (m = CJK.exec(s))) return { known: { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) }, time: timeOf(m, 4) };
  // 民國 years (Taiwan): 105/10/20 is 2016-10-20.
  if ((m = ROC.exec(s))) return { known: { y: Number(m[1]) + 1911, m: Number(m[2]), d: Number(m[3]) }, time: timeOf(m, 4) };
  if ((m = NUMERIC.exec(s))) return { numbers: [Number(m[1]), Number(m[2]), m[3]!.length === 2 ? -Number(m[3]) - 1 : Number(m[3])], time: timeOf(m, 4) };
  if ((m = DAY_MONTH_NAME.exec(s))) {
    const month = MONTHS[m[2]!.toLowerCase()];
    if (month) return { known: { y: fullYear(m[3]!), m: month, d: Number(m[1]) }, time: timeOf(m, 4) };
  }
  if ((m = MONTH_NAME_DAY.exec(s))) {
    const month = MONTHS[m[1]!.toLowerCase()];
    if (month) return { known: { y: Number(m[3]), m: month, d: Number(m[2]) }, time: timeOf(m, 4) };
  }
  return undefined;
}

/** Two-digit years as Excel reads them: 00-29 are 2000-2029, 30-99 are 1930-1999. */
function fullYear(written: string | number): number {
  const text = String(written);
  const n = Number(text);
  return text.length > 2 ? n : n < 30 ? 2000 + n : 1900 + n;
}

/** Negative numbers in `numbers` mark two-digit years as written (-1 - yy), so the order decides which one is the year. */
const yearOf = (n: number) => (n < 0 ? fullYear(String(-n - 1).padStart(2, '0')) : n);

/** The orders in which the three numbers make a real date. */
export function possibleOrders(parts: DateParts): DateOrder[] {
  if (parts.known) return validDate(parts.known) ? DATE_ORDERS.slice() : [];
  return DATE_ORDERS.filter((order) => {
    const ymd = inOrder(parts.numbers!, order);
    return ymd !== undefined && validDate(ymd);
  });
}

function inOrder([a, b, c]: [number, number, number], order: DateOrder): { y: number; m: number; d: number } | undefined {
  // Only the last number may be the year when the first two have one or two digits (20-10-16 is never 2020-…).
  if (order === 'ymd') return undefined;
  if (a < 0 || b < 0) return undefined;
  return order === 'dmy' ? { y: yearOf(c), m: b, d: a } : { y: yearOf(c), m: a, d: b };
}

function validDate({ y, m, d }: { y: number; m: number; d: number }): boolean {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  return d <= (m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31);
}
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYY-MM-DD` of a parsed date in the given order (used when the numbers leave it open), or undefined. */
export function dateText(parts: DateParts, order: DateOrder): string | undefined {
  const ymd = parts.known ?? inOrder(parts.numbers!, order);
  if (!ymd || !validDate(ymd)) return undefined;
  return `${pad(ymd.y, 4)}-${pad(ymd.m)}-${pad(ymd.d)}`;
}

/**
 * `YYYY-MM-DDTHH:MM:SS.sss` and the zone written (if any) of a parsed date with its time: a time without a zone is
 * the workspace's wall-clock time, resolved by the reader.
 */
export function dateTimeText(parts: DateParts, order: DateOrder): { local: string; zone?: string } | undefined {
  const date = dateText(parts, order);
  if (!date) return undefined;
  const t = parts.time ?? { h: 0, min: 0, s: 0, ms: 0 };
  if (t.h > 23 || t.min > 59 || t.s > 59) return undefined;
  return { local: `${date}T${pad(t.h)}:${pad(t.min)}:${pad(t.s)}.${pad(t.ms, 3)}`, ...(t.zone ? { zone: t.zone } : {}) };
}

const EMAIL = /^[^\s@,;<>]+@[^\s@,;<>]+\.[^\s@,;<>]+$/;
const URL_TEXT = /^(?:https?:\/\/|www\.)[^\s]+$/i;
const PHONE = /^\+?[\d\s\-().\/]{7,25}$/;

export const isEmail = (text: string) => EMAIL.test(text.trim());
export const isUrl = (text: string) => URL_TEXT.test(text.trim());

/** A phone number: digits with separators or a leading + or 0 (plain digits are a number). */
export function isPhone(text: string): boolean {
  const s = text.trim();
  if (!PHONE.test(s)) return false;
  const digits = s.replace(/\D/g, '');
  return digits.length >= 7 && digits.length <= 15 && (/^[+0(]/.test(s) || /[\s\-().]/.test(s));
}

/** Several values in one cell: commas, full-width commas and the ideographic enumeration comma. */
export function splitList(text: string): string[] {
  return text
    .split(/[,，、]/)
    .map((part) => part.trim())
    .filter(Boolean);
}
