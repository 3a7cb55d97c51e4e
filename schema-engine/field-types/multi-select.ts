import { sql } from 'kysely';
import { defineFieldType } from './field-type.js';
import { listCell } from './shared/export-cells.js';
import { choiceIdFor, choiceIdOfText, choiceName, choicePositionSql, choiceSchema, choiceTable, parseChoiceOptions, type ChoiceOptions } from './shared/choices.js';

export const multiSelect = defineFieldType<ChoiceOptions>({
  id: 'multi_select',
  valueKind: 'choices',
  parseOptions: parseChoiceOptions,
  storage: () => 'text[]',
  readOnly: false,
  formulaType: () => undefined,
  readsAsWritten: true,
  searchable: false,
  inputSchema: () => ({ type: 'array', items: { type: 'string' }, maxItems: 1000 }),
  outputSchema: (o) => ({ type: 'array', items: choiceSchema(o), uniqueItems: true }),
  invalidMessage: 'must be a list of choice names',
  toStorage: (value, o) => [...new Set((value as unknown[]).map((v) => choiceIdFor(v, o)))],
  fromStorage: (raw, o) => {
    if (!Array.isArray(raw)) return undefined;
    const names = raw.map((id) => choiceName(id, o)).filter((n): n is string => n !== undefined);
    return names.length ? names : undefined;
  },
  format: (value) => (Array.isArray(value) ? value.join(', ') : ''),
  exportCell: (value) => listCell(value, String),
  sortSql: (column, o) => ({ expr: choicePositionSql(sql`(${column})[1]`, o), type: 'integer' }),
  toTextSql: (column, o) =>
    sql`(SELECT string_agg(c.name, ', ' ORDER BY v.ord) FROM unnest(${column}) WITH ORDINALITY AS v(id, ord) JOIN ${choiceTable(o)} ON c.id = v.id)`,
  // A text naming one choice is that choice (its name may hold a comma); otherwise every comma-separated part must
  // name a choice, or the value does not convert. Parts keep their order; a repeated one counts once.
  fromTextSql: (text, o) => sql`coalesce(
    (SELECT ARRAY[w.id] FROM (SELECT ${choiceIdOfText(sql`trim(${text})`, o)} AS id) AS w WHERE w.id IS NOT NULL),
    (SELECT CASE WHEN count(*) > 0 AND bool_and(x.id IS NOT NULL) THEN array_agg(x.id ORDER BY x.ord) FILTER (WHERE x.first) END
     FROM (SELECT c.id, p.ord, row_number() OVER (PARTITION BY c.id ORDER BY p.ord) = 1 AS first
           FROM unnest(string_to_array(${text}, ',')) WITH ORDINALITY AS p(name, ord)
           CROSS JOIN LATERAL (SELECT ${choiceIdOfText(sql`trim(p.name)`, o)} AS id) AS c
           WHERE trim(p.name) <> '') AS x))`,
});
