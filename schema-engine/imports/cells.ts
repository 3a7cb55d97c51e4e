/** One cell as a source gives it: text from CSV; typed values from XLSX. */
export type Cell = string | number | boolean | Date | FormattedNumber | null;

/** An XLSX number shown with a percent or currency format: the wizard's type and the field's value follow it. */
export interface FormattedNumber {
  readonly number: number;
  readonly format: string;
}

export interface SourceRow {
  /** As a spreadsheet numbers it: the first row is 1. */
  number: number;
  cells: Cell[];
}

export const isFormatted = (cell: Cell): cell is FormattedNumber => typeof cell === 'object' && cell !== null && !(cell instanceof Date);

export const isEmptyCell = (cell: Cell | undefined) => cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');

const pad = (n: number) => String(n).padStart(2, '0');

/** A Date from XLSX: a day at midnight UTC is a date; anything else a date and time (both as written, zone-less). */
export const hasTime = (date: Date) => date.getUTCHours() + date.getUTCMinutes() + date.getUTCSeconds() + date.getUTCMilliseconds() > 0;
export const dayOf = (date: Date) => `${String(date.getUTCFullYear()).padStart(4, '0')}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;

/** A cell as text: what the preview shows and what a text field gets. */
export function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  if (typeof cell === 'number') return numberText(cell);
  if (cell instanceof Date) return hasTime(cell) ? cell.toISOString().slice(0, 19).replace('T', ' ') : dayOf(cell);
  return numberText(cell.number);
}

/** Without exponent notation for ordinary numbers (1e21 stays as JavaScript writes it). */
const numberText = (n: number) => (Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(15))));
