import Big from 'big.js';
import { DateTime } from 'luxon';
import type { ExportCell, ExportContext } from '../field-type.js';
import { roundDecimal } from './decimal.js';

/** Cells the field types build their exports from (FieldType.exportCell); an empty value is an empty cell. */

export const textCell = (value: unknown): ExportCell | undefined =>
  value === undefined || value === null || value === '' ? undefined : { kind: 'text', text: String(value) };

/** Several values in one cell, comma-joined (choices, files, users). */
export const listCell = <T>(values: unknown, text: (value: T) => string): ExportCell | undefined =>
  Array.isArray(values) && values.length ? textCell((values as T[]).map(text).join(', ')) : undefined;

/** Excel's pattern for thousands grouped (as the app shows numbers) and `precision` decimals. */
const grouped = (precision: number) => `#,##0${precision > 0 ? `.${'0'.repeat(precision)}` : ''}`;

/** A number; `precision` fixes the decimals of its text and its format (none: as it is, Excel's General). */
export function numberCell(value: unknown, precision?: number, format = precision === undefined ? undefined : grouped(precision)): ExportCell | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return { kind: 'number', value, text: roundDecimal(value, precision), ...(format ? { format } : {}) };
}

const symbols = new Map<string, string>();

/** The currency's symbol as English shows it: "$" for USD only, "NT$", "€", "CA$". */
function currencySymbol(code: string): string {
  let symbol = symbols.get(code);
  if (symbol === undefined) {
    const parts = new Intl.NumberFormat('en', { style: 'currency', currency: code }).formatToParts(0);
    symbol = parts.find((p) => p.type === 'currency')?.value ?? code;
    symbols.set(code, symbol);
  }
  return symbol;
}

/** An amount: its text plain (what any spreadsheet reads as a number), its format with the currency's symbol. */
export const currencyCell = (value: unknown, code: string, precision: number): ExportCell | undefined =>
  numberCell(value, precision, `"${currencySymbol(code).replaceAll('"', '')}"${grouped(precision)}`);

/** A fraction shown as a percentage: 0.25 is "25%" in CSV (Excel reads it back as 0.25) and 0.25 formatted 0.00 %. */
export function percentCell(value: unknown, precision: number | undefined): ExportCell | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const percent = new Big(value).times(100);
  const text = precision === undefined ? percent.toString() : percent.round(precision, Big.roundHalfUp).toFixed(precision);
  return { kind: 'number', value, text: `${text}%`, format: `0.${'0'.repeat(precision ?? 2)}%`.replace('.%', '%') };
}

export const booleanCell = (value: boolean): ExportCell => ({ kind: 'boolean', value, text: value ? 'TRUE' : 'FALSE' });

/** A calendar day ("2026-11-22"): a real date in XLSX. */
export function dateCell(value: unknown): ExportCell | undefined {
  if (typeof value !== 'string') return undefined;
  const day = new Date(`${value}T00:00:00.000Z`);
  return Number.isNaN(day.getTime()) ? undefined : { kind: 'date', value: day, format: 'yyyy-mm-dd', text: value };
}

/** A moment (ISO 8601 UTC) as the workspace's clocks read it: "2026-11-22 17:30:00" in Asia/Taipei. */
export function datetimeCell(value: unknown, ctx: ExportContext): ExportCell | undefined {
  if (typeof value !== 'string') return undefined;
  const local = DateTime.fromISO(value, { zone: 'utc' }).setZone(ctx.timeZone);
  if (!local.isValid) return undefined;
  const wall = new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second, local.millisecond));
  return { kind: 'date', value: wall, format: 'yyyy-mm-dd hh:mm:ss', text: local.toFormat('yyyy-MM-dd HH:mm:ss') };
}
