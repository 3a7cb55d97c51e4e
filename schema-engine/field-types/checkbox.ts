import { sql } from 'kysely';
import { z } from 'zod';
import { defineFieldType, zodOptions } from './field-type.js';
import { booleanCell } from './shared/export-cells.js';

const options = z.object({}).strict();

const TRUE_WORDS = ['true', 'yes', 'y', '1', 'x', 'checked', 'on', '✓', '✔', '是', '對'];
const FALSE_WORDS = ['false', 'no', 'n', '0', 'unchecked', 'off', '否', '不是'];

// Unchecked is empty, as in Airtable: stored NULL (or false after a conversion) and omitted from records.
export const checkbox = defineFieldType<z.output<typeof options>>({
  id: 'checkbox',
  valueKind: 'boolean',
  parseOptions: zodOptions(options),
  storage: () => 'boolean',
  readOnly: false,
  formulaType: () => ({ kind: 'boolean' }),
  readsAsWritten: true,
  searchable: false,
  inputSchema: () => ({ type: 'boolean' }),
  // Unchecked is empty, so a value read is always true.
  outputSchema: () => ({ type: 'boolean', const: true }),
  invalidMessage: 'must be true or false',
  toStorage: (value) => (value === true ? true : null),
  fromStorage: (raw) => (raw === true ? true : undefined),
  format: (value) => (value === true ? '✓' : ''),
  // A spreadsheet has no empty checkbox: unchecked is FALSE.
  exportCell: (value) => booleanCell(value === true),
  toTextSql: (column) => sql`CASE WHEN ${column} THEN 'true' END`,
  fromTextSql: (text) => {
    const word = sql`lower(trim(${text}))`;
    return sql`CASE WHEN ${word} = ANY(${TRUE_WORDS}::text[]) THEN true WHEN ${word} = ANY(${FALSE_WORDS}::text[]) THEN false END`;
  },
});
