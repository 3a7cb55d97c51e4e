/**
 * How values of number-like and date-like fields read as text, from their options. Pure (Intl only, no imports):
 * the engine (`format`, documents) and the client (cells, forms) format with this one module.
 */

/**
 * Intl formatters are slow to build and a grid formats hundreds of cells a frame: one per locale and options is kept.
 * An unknown locale falls back to English.
 */
function cachedFormatter<O, F>(make: (locale: string, options: O) => F): (locale: string, options: O) => F {
  const cache = new Map<string, F>();
  return (locale, options) => {
    const key = `${locale}|${JSON.stringify(options)}`;
    let formatter = cache.get(key);
    if (!formatter) {
      try {
        formatter = make(locale, options);
      } catch {
        formatter = make('en', options);
      }
      cache.set(key, formatter);
    }
    return formatter;
  };
}

export const numberFormatter = cachedFormatter((locale, options: Intl.NumberFormatOptions) => new Intl.NumberFormat(locale, options));
const dateTimeFormatter = cachedFormatter((locale, options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, options));

export interface NumberDisplay {
  precision?: number | undefined;
  /** false: no thousands separators (a year reads 1996, not 1,996); separators by default. */
  thousands?: boolean | undefined;
}
export interface CurrencyDisplay {
  currency: string;
  precision?: number | undefined;
}

export const formatNumber = (value: number, o: NumberDisplay, locale: string) =>
  numberFormatter(locale, { minimumFractionDigits: o.precision ?? 0, maximumFractionDigits: o.precision ?? 8, useGrouping: o.thousands !== false }).format(value);

export const formatCurrency = (value: number, o: CurrencyDisplay, locale: string) =>
  numberFormatter(locale, { style: 'currency', currency: o.currency, minimumFractionDigits: o.precision ?? 2, maximumFractionDigits: o.precision ?? 2 }).format(value);

export const formatPercent = (value: number, o: { precision?: number | undefined }, locale: string) =>
  numberFormatter(locale, { style: 'percent', minimumFractionDigits: o.precision ?? 0, maximumFractionDigits: o.precision ?? 6 }).format(value);

/**
 * How a date reads: `local` the locale's medium style (the default: "Mar 4, 2026", "2026年3月4日"), `long` with the
 * weekday, `iso` 2026-03-04, `us` 03/04/2026, `eu` 04/03/2026 (the same in every locale).
 */
export const DATE_FORMATS = ['local', 'long', 'iso', 'us', 'eu'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];
/** A datetime's clock: the locale's own, or forced to 12 or 24 hours. */
export const CLOCKS = ['locale', '12h', '24h'] as const;
export type Clock = (typeof CLOCKS)[number];

export interface DateDisplay {
  dateFormat?: DateFormat | undefined;
}
export interface DatetimeDisplay extends DateDisplay {
  clock?: Clock | undefined;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The day part of a UTC instant in a fixed pattern, or undefined for the locale's own styles. */
function fixedDay(date: Date, format: DateFormat): string | undefined {
  const [y, m, d] = [pad(date.getUTCFullYear(), 4), pad(date.getUTCMonth() + 1), pad(date.getUTCDate())];
  if (format === 'iso') return `${y}-${m}-${d}`;
  if (format === 'us') return `${m}/${d}/${y}`;
  if (format === 'eu') return `${d}/${m}/${y}`;
  return undefined;
}

const hourCycle = (clock: Clock | undefined): Intl.DateTimeFormatOptions => (clock === '12h' ? { hour12: true } : clock === '24h' ? { hourCycle: 'h23' } : {});

/** A calendar day (YYYY-MM-DD) as text; dates are days, never shifted by a time zone. */
export function formatDate(value: string, o: DateDisplay, locale: string): string {
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return value;
  const format = o.dateFormat ?? 'local';
  return fixedDay(date, format) ?? dateTimeFormatter(locale, { dateStyle: format === 'long' ? 'full' : 'medium', timeZone: 'UTC' }).format(date);
}

/** An instant as text in `timeZone` (UTC unless the caller knows the reader's zone). */
export function formatDatetime(value: string, o: DatetimeDisplay, locale: string, timeZone = 'UTC'): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const format = o.dateFormat ?? 'local';
  const clock = hourCycle(o.clock);
  if (format === 'local' || format === 'long') {
    const dateStyle = format === 'long' ? 'full' : 'medium';
    if (!o.clock || o.clock === 'locale') return dateTimeFormatter(locale, { dateStyle, timeStyle: 'short', timeZone }).format(date);
    // dateStyle/timeStyle cannot be combined with an hour cycle: spell the parts out.
    const day = dateTimeFormatter(locale, { dateStyle, timeZone }).format(date);
    return `${day} ${dateTimeFormatter(locale, { hour: 'numeric', minute: '2-digit', timeZone, ...clock }).format(date)}`;
  }
  // The fixed patterns read the wall clock of the zone: shift the instant so its UTC fields are that clock.
  const parts = Object.fromEntries(
    dateTimeFormatter('en-US', { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23', timeZone })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const wall = new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day)));
  const time = dateTimeFormatter(locale, { hour: 'numeric', minute: '2-digit', timeZone, ...(o.clock && o.clock !== 'locale' ? clock : format === 'iso' ? { hourCycle: 'h23' } : {}) }).format(date);
  return `${fixedDay(wall, format)!} ${time}`;
}
