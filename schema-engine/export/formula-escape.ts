/**
 * Text a spreadsheet would read as a formula (or as the start of one: `=`, `+`, `-`, `@`, and tab or carriage return,
 * which some spreadsheets skip before a formula). OWASP's advice for CSV: prefix such a cell with a single quote, so
 * spreadsheets show it as text and never run it.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export const escapeFormula = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);
