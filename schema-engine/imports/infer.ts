import { nameKey } from '../schema-changes/names.js';
import { cellText, hasTime, isEmptyCell, isFormatted, type Cell } from './cells.js';
import { currencyIn, isEmail, isPhone, isUrl, parseBoolean, parseDateParts, parseNumber, possibleOrders, splitList, type DateOrder } from './values.js';

/** What the preview says of a column: its name, a few values, and the field type its data suggests. */
export interface ColumnPreview {
  name: string;
  samples: string[];
  type: InferredType;
  options: Record<string, unknown>;
  /** For a date column: the order of day, month and year its values are read in. */
  dateOrder?: DateOrder;
  /** Whether that order was only guessed (every value read the same both ways, 01-02-03). */
  dateOrderGuessed?: boolean;
}

export type InferredType = 'text' | 'long_text' | 'number' | 'currency' | 'percent' | 'date' | 'datetime' | 'checkbox' | 'email' | 'url' | 'phone' | 'single_select' | 'multi_select';

const SAMPLES = 5;
/** A column with more distinct values than this is not a choice. */
const MAX_CHOICES = 50;
/** Nor one with values this long. */
const MAX_CHOICE_LENGTH = 60;

interface Tally {
  name: string;
  count: number;
}

/** Counts over a column's values, one pass, a few small maps: what decides its type. */
export class ColumnStats {
  nonEmpty = 0;
  samples: string[] = [];
  booleans = 0;
  numbers = 0;
  percents = 0;
  currencies = new Map<string, number>();
  decimals = 0;
  dates = 0;
  withTime = 0;
  /** Orders every numeric date of the column can be read in. */
  orders = new Set<DateOrder>(['dmy', 'mdy', 'ymd']);
  numericDates = 0;
  emails = 0;
  urls = 0;
  phones = 0;
  maxLength = 0;
  multiline = false;
  distinct = new Map<string, Tally>();
  parts = new Map<string, Tally>();
  partCount = 0;
  multiValued = 0;

  add(cell: Cell): void {
    if (isEmptyCell(cell)) return;
    this.nonEmpty++;
    const text = cellText(cell).trim();
    if (this.samples.length < SAMPLES) this.samples.push(text);
    this.maxLength = Math.max(this.maxLength, text.length);
    if (/[\r\n]/.test(text)) this.multiline = true;
    this.tally(this.distinct, text);
    if (typeof cell === 'boolean') this.booleans++;
    else if (typeof cell === 'number') this.number(cell, decimalsOf(cell));
    else if (cell instanceof Date) {
      this.dates++;
      if (hasTime(cell)) this.withTime++;
    } else if (isFormatted(cell)) {
      if (cell.format.includes('%')) this.percents++;
      else this.currencies.set(currencyIn(cell.format) ?? 'USD', (this.currencies.get(currencyIn(cell.format) ?? 'USD') ?? 0) + 1);
      this.number(cell.number, decimalsOf(cell.number));
    } else this.text(text);
  }

  private number(value: number, decimals: number): void {
    this.numbers++;
    this.decimals = Math.max(this.decimals, decimals);
  }

  private text(text: string): void {
    // Each test runs only while every value so far passed it: a column of names stops testing numbers at once.
    if (this.booleans === this.nonEmpty - 1 && parseBoolean(text) !== undefined) this.booleans++;
    const n = this.numbers === this.nonEmpty - 1 ? parseNumber(text) : undefined;
    if (n) {
      this.number(n.value, n.decimals);
      if (n.kind === 'percent') this.percents++;
      if (n.currency) this.currencies.set(n.currency, (this.currencies.get(n.currency) ?? 0) + 1);
    }
    const date = !n && this.dates === this.nonEmpty - 1 ? parseDateParts(text) : undefined;
    if (date) {
      const orders = possibleOrders(date);
      if (orders.length) {
        this.dates++;
        if (date.time) this.withTime++;
        if (date.numbers) {
          for (const order of [...this.orders]) if (!orders.includes(order)) this.orders.delete(order);
          this.numericDates++;
        }
      }
    }
    if (this.emails === this.nonEmpty - 1 && isEmail(text)) this.emails++;
    if (this.urls === this.nonEmpty - 1 && isUrl(text)) this.urls++;
    if (this.phones === this.nonEmpty - 1 && isPhone(text)) this.phones++;
    if (this.parts.size > MAX_CHOICES) return;
    const parts = splitList(text);
    this.partCount += parts.length;
    if (parts.length > 1) this.multiValued++;
    for (const part of parts) this.tally(this.parts, part);
  }

  private tally(map: Map<string, Tally>, text: string): void {
    if (map.size > MAX_CHOICES) return;
    const key = nameKey(text);
    const tally = map.get(key);
    if (tally) tally.count++;
    else map.set(key, { name: text, count: 1 });
  }

  /** Adds the counts of the same column over later rows. */
  absorb(later: ColumnStats): void {
    for (const key of ['nonEmpty', 'booleans', 'numbers', 'percents', 'dates', 'withTime', 'numericDates', 'emails', 'urls', 'phones', 'partCount', 'multiValued'] as const) this[key] += later[key];
    this.samples = [...this.samples, ...later.samples].slice(0, SAMPLES);
    this.decimals = Math.max(this.decimals, later.decimals);
    this.maxLength = Math.max(this.maxLength, later.maxLength);
    this.multiline ||= later.multiline;
    for (const order of [...this.orders]) if (!later.orders.has(order)) this.orders.delete(order);
    for (const [code, count] of later.currencies) this.currencies.set(code, (this.currencies.get(code) ?? 0) + count);
    for (const [target, source] of [[this.distinct, later.distinct], [this.parts, later.parts]] as const) {
      for (const [key, tally] of source) {
        if (target.size > MAX_CHOICES) break;
        const mine = target.get(key);
        if (mine) mine.count += tally.count;
        else target.set(key, { ...tally });
      }
    }
  }

  /** The type the values suggest, most specific first; `guessOrder`: the order of dates no value settles. */
  decide(name: string, guessOrder: DateOrder): ColumnPreview {
    const base = { name, samples: this.samples };
    const all = (count: number) => this.nonEmpty > 0 && count === this.nonEmpty;
    if (this.nonEmpty === 0) return { ...base, type: 'text', options: {} };
    if (all(this.booleans)) return { ...base, type: 'checkbox', options: {} };
    if (all(this.numbers)) {
      const precision = Math.min(8, this.decimals);
      if (all(this.percents)) return { ...base, type: 'percent', options: { precision: Math.max(0, precision - 2) } };
      const currency = [...this.currencies].sort((a, b) => b[1] - a[1])[0]?.[0];
      if (currency && this.percents === 0) return { ...base, type: 'currency', options: { currency, precision } };
      return { ...base, type: 'number', options: { precision } };
    }
    if (all(this.dates) && this.orders.size) {
      // Numeric dates (20-10-16) leave dmy, mdy or both; written ones (2016-10-20, 20 Oct 2016) say their order.
      const order = !this.numericDates
        ? {}
        : this.orders.size === 1
          ? { dateOrder: [...this.orders][0]! }
          : { dateOrder: this.orders.has(guessOrder) ? guessOrder : [...this.orders][0]!, dateOrderGuessed: true };
      return { ...base, type: this.withTime ? 'datetime' : 'date', options: {}, ...order };
    }
    if (all(this.emails)) return { ...base, type: 'email', options: {} };
    if (all(this.urls)) return { ...base, type: 'url', options: {} };
    if (all(this.phones)) return { ...base, type: 'phone', options: {} };
    const short = this.maxLength <= MAX_CHOICE_LENGTH && !this.multiline;
    const choices = (map: Map<string, Tally>) => ({ choices: [...map.values()].map((t) => ({ name: t.name.slice(0, 255) })) });
    if (short && this.multiValued > 0 && this.parts.size <= MAX_CHOICES && this.parts.size * 2 <= this.partCount) {
      return { ...base, type: 'multi_select', options: choices(this.parts) };
    }
    if (short && this.distinct.size <= MAX_CHOICES && this.distinct.size * 2 <= this.nonEmpty && this.nonEmpty >= 4) {
      return { ...base, type: 'single_select', options: choices(this.distinct) };
    }
    return { ...base, type: this.multiline || this.maxLength > 255 ? 'long_text' : 'text', options: {} };
  }
}

function decimalsOf(n: number): number {
  const text = String(Number(n.toPrecision(15)));
  const point = text.indexOf('.');
  return point < 0 || text.includes('e') ? 0 : text.length - point - 1;
}
