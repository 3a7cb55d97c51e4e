import { sql } from 'kysely';
import { defineFieldType } from './field-type.js';
import { textCell } from './shared/export-cells.js';
import { choiceIdFor, choiceIdOfText, choiceName, choicePositionSql, choiceSchema, choiceTable, parseChoiceOptions, type ChoiceOptions } from './shared/choices.js';

export const singleSelect = defineFieldType<ChoiceOptions>({
  id: 'single_select',
  valueKind: 'choice',
  parseOptions: parseChoiceOptions,
  storage: () => 'text',
  readOnly: false,
  formulaType: () => undefined,
  readsAsWritten: true,
  searchable: false,
  inputSchema: () => ({ type: 'string' }),
  outputSchema: (o) => choiceSchema(o),
  invalidMessage: 'must be the name of one of the choices',
  toStorage: choiceIdFor,
  // A removed choice leaves its id in old rows; it reads as empty, and comes back if the choice is restored.
  fromStorage: (raw, o) => (raw === null ? undefined : choiceName(raw, o)),
  format: (value) => (value === undefined ? '' : String(value)),
  exportCell: textCell,
  sortSql: (column, o) => ({ expr: choicePositionSql(column, o), type: 'integer' }),
  toTextSql: (column, o) => sql`(SELECT c.name FROM ${choiceTable(o)} WHERE c.id = ${column})`,
  fromTextSql: (text, o) => choiceIdOfText(sql`trim(${text})`, o),
});
