import type { Field, LinkRef, User } from '../api/types.js';

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) numberFormats.set(key, (format = new Intl.NumberFormat(locale, options)));
  return format;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** Formatters are costly to create and a grid formats hundreds of cells a frame: one per locale and style. */
function dateFormat(locale: string, time: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${time}`;
  let format = dateFormats.get(key);
  if (!format) dateFormats.set(key, (format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', ...(time ? { timeStyle: 'short' } : {}), timeZone: 'UTC' })));
  return format;
}

/** The type a value reads as: a formula or rollup shows as its result type, a lookup as what it looks up. */
export function shownType(field: Field): { type: string; options: Record<string, unknown>; list: boolean } {
  if (field.result) return { type: field.result.type, options: field.result.options ?? {}, list: field.result.list === true };
  return { type: field.type, options: field.options, list: field.type === 'link' };
}

/** One value as display text in a locale (dates in UTC, as stored). */
export function formatScalar(type: string, options: Record<string, unknown>, value: unknown, locale: string): string {
  if (value === undefined || value === null) return '';
  const precision = options.precision as number | undefined;
  // A number that is not one (text a form still holds) is shown as it is, never formatted into "NaN".
  if ((type === 'number' || type === 'currency' || type === 'percent' || type === 'rating') && (typeof value !== 'number' || !Number.isFinite(value))) return typeof value === 'string' ? value : '';
  switch (type) {
    case 'number':
      return numberFormat(locale, { minimumFractionDigits: precision ?? 0, maximumFractionDigits: precision ?? 8 }).format(value as number);
    case 'currency':
      return numberFormat(locale, { style: 'currency', currency: String(options.currency ?? 'USD'), minimumFractionDigits: precision ?? 2, maximumFractionDigits: precision ?? 2 }).format(value as number);
    case 'percent':
      return numberFormat(locale, { style: 'percent', minimumFractionDigits: precision ?? 0, maximumFractionDigits: precision ?? 6 }).format(value as number);
    case 'date':
      return dateFormat(locale, false).format(new Date(`${String(value)}T00:00:00Z`));
    case 'datetime':
    case 'created_time':
    case 'updated_time':
      return dateFormat(locale, true).format(new Date(String(value)));
    case 'checkbox':
      return value === true ? '✓' : '';
    case 'rating': {
      const max = (options.max as number | undefined) ?? 5;
      return '★'.repeat(value as number) + '☆'.repeat(Math.max(0, max - (value as number)));
    }
    case 'user':
    case 'created_by':
    case 'updated_by':
      return (value as User).name;
    case 'multi_select':
      return (value as string[]).join(', ');
    case 'attachment':
      return (value as { name: string }[]).map((f) => f.name).join(', ');
    case 'link':
      return (value as LinkRef[]).map((l) => l.title).join(', ');
    default:
      return String(value);
  }
}

/** A record value as display text (lists joined with ", "). */
export function formatValue(field: Field, value: unknown, locale: string): string {
  if (value === undefined || value === null) return '';
  const shown = shownType(field);
  if (field.type === 'link') return formatScalar('link', {}, value, locale);
  if (shown.list && Array.isArray(value)) return value.map((v) => formatScalar(shown.type, shown.options, v, locale)).join(', ');
  return formatScalar(shown.type, shown.options, value, locale);
}

/** Values a user cannot type: filled automatically or computed. */
export const READ_ONLY_TYPES = new Set(['autonumber', 'created_time', 'updated_time', 'created_by', 'updated_by', 'lookup', 'rollup', 'formula']);
/** Computed, or read-only for the caller's role (`locked`, see api/access.ts). */
export const isReadOnly = (field: Field) => READ_ONLY_TYPES.has(field.type) || field.locked === true;
