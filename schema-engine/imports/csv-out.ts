import { escapeFormula } from '../export/formula-escape.js';

/**
 * One CSV line (RFC 4180, CRLF): a value with a delimiter, quote or line break is quoted; one a spreadsheet would
 * run as a formula starts with an apostrophe, so it shows as the text it is.
 */
export function cellsCsv(values: readonly string[]): string {
  return `${values.map((value) => quote(escapeFormula(value))).join(',')}\r\n`;
}

const quote = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
