/** A cell that a spreadsheet would run as a formula (= + - @, or a leading tab or carriage return). */
const DANGEROUS = /^[=+\-@\t\r]/;

/**
 * One CSV line (RFC 4180, CRLF): a value with a delimiter, quote or line break is quoted; one a spreadsheet would
 * run as a formula starts with an apostrophe, so it shows as the text it is.
 */
export function cellsCsv(values: readonly string[]): string {
  return `${values.map((value) => quote(DANGEROUS.test(value) ? `'${value}` : value)).join(',')}\r\n`;
}

const quote = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
