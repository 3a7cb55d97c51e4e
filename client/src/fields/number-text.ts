import Big from 'big.js';

/** Why typed text is not a number the field can store. */
export type NumberProblem = 'notNumber' | 'grouping' | 'tooLarge' | 'tooPrecise' | 'notDuration';

/**
 * Text typed into a number input that does not read as a number. Forms, line items and grid cells hold it in place of
 * the value, so the text stays as typed and nothing is sent until it is fixed.
 */
export class UnparsedNumber {
  constructor(
    readonly text: string,
    readonly problem: NumberProblem,
  ) {}

  /** Compared by its text in the JSON the forms compare values with (and never a number). */
  toJSON(): { unparsed: string } {
    return { unparsed: this.text };
  }
}

export type NumberKind = 'number' | 'currency' | 'percent';

export interface NumberTextOptions {
  kind: NumberKind;
  /** A currency field's ISO code: "USD 1,200" and "$1,200" read as 1200. */
  currency?: string | undefined;
}

/** The largest magnitude the server stores (a JSON number: numeric below 1e308). */
const LIMIT = new Big('1e308');
const PLAIN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
/** Commas between thousands only: 1,234 and 12,345,678.9, never 1,2 or 1234,5. */
const GROUPED = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$/;

/**
 * Reads typed or pasted text as a number, the way a person writes one in English or Traditional Chinese: full-width
 * digits and punctuation (an IME's １２３), spaces, commas between thousands, a leading + or -, "1.5e6"; a currency
 * field also takes its symbol or code ("$1,234.50", "NT$900", "USD 5"), a percent field a trailing "%" (typed as 25
 * for 25 %, answered as the fraction 0.25). Anything else is a problem, never a guess: "1,5" could mean 1.5 or 15.
 * Empty text is null (the value is cleared).
 */
export function parseNumberText(raw: string, options: NumberTextOptions): number | null | UnparsedNumber {
  // NFKC turns full-width digits, commas, points, minus and percent signs into their ASCII forms.
  let text = raw.normalize('NFKC').replace(/\u2212/g, '-').replace(/[\s\u00a0\u202f]+/g, '');
  if (text === '') return null;
  if (options.kind === 'currency') text = stripCurrency(text, options.currency);
  if (options.kind === 'percent') text = text.replace(/%$/, '');
  const problem = (p: NumberProblem) => new UnparsedNumber(raw, p);
  if (text.includes(',')) {
    if (!GROUPED.test(text)) return /^[+-]?[\d,.]+$/.test(text) ? problem('grouping') : problem('notNumber');
    text = text.replace(/,/g, '');
  }
  if (!PLAIN.test(text)) return problem('notNumber');
  // big.js reads neither a leading + nor a point with no digits after it ("5.", typed on the way to "5.2").
  let exact = new Big(text.replace(/^\+/, '').replace(/\.(?=e|$)/i, ''));
  if (options.kind === 'percent') exact = exact.div(100);
  if (exact.abs().gte(LIMIT)) return problem('tooLarge');
  const value = Number(exact.toString());
  // A double keeps about 15 significant digits; more would be stored as a different number than the one typed.
  if (!Number.isFinite(value) || !new Big(value).eq(exact)) return problem('tooPrecise');
  return Object.is(value, -0) ? 0 : value;
}

/** Removes a currency symbol (with a country prefix such as NT$ or US$) or the field's code, before or after the amount. */
function stripCurrency(text: string, code: string | undefined): string {
  let out = text;
  if (code) out = out.replace(new RegExp(`^([+-]?)${code}|${code}$`, 'i'), '$1');
  return out.replace(/^([+-]?)[A-Za-z]{0,2}\p{Sc}/u, '$1').replace(/\p{Sc}$/u, '');
}

/**
 * A stored number as the text an input starts with: plain digits with a point (no grouping, so it reads back the
 * same), a percent as 25 for 0.25 computed in decimal (0.07 shows 7, not 7.000000000000001). Never "NaN".
 */
export function numberText(value: unknown, kind: NumberKind): string {
  if (value instanceof UnparsedNumber) return value.text;
  if (typeof value !== 'number') return typeof value === 'string' ? value : '';
  if (!Number.isFinite(value)) return '';
  const exact = kind === 'percent' ? new Big(value).times(100) : new Big(value);
  return exact.toFixed();
}

/** Whether two values of a number input are the same (an unparsed text equals the same text). */
export function sameNumber(a: unknown, b: unknown): boolean {
  if (a instanceof UnparsedNumber || b instanceof UnparsedNumber) return a instanceof UnparsedNumber && b instanceof UnparsedNumber && a.text === b.text;
  return (a ?? null) === (b ?? null);
}

/** The kind of number input a field type has, or undefined for fields that are not typed as numbers. */
export function numberKind(type: string): NumberKind | undefined {
  return type === 'number' || type === 'currency' || type === 'percent' ? type : undefined;
}
