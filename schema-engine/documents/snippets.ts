/**
 * Template text for fields, shared by the starter template (server) and the editor's field palette (browser):
 * pure, so both write the same thing.
 */

/** A field as a template shows it: a computed field by its result type, a lookup or link as a list. */
export interface ShownField {
  name: string;
  type: string;
  options: Record<string, unknown>;
  list: boolean;
}

/** How a template names a value: `[Name]` (a segment literal) or, for names a literal cannot hold, a lookup. */
export function refOf(name: string): { param: string; bare: string } {
  if (!/[\]\\]/.test(name)) return { param: `[${name}]`, bare: `[${name}]` };
  const literal = `"${name.replaceAll('"', '\\"')}"`;
  return { param: `(lookup this ${literal})`, bare: `lookup this ${literal}` };
}

const JOINED = new Set(['multi_select', 'attachment', 'user', 'created_by', 'updated_by', 'link']);
const NUMERIC = new Set(['number', 'currency', 'percent', 'rating']);
export const isNumeric = (field: ShownField) => NUMERIC.has(field.type);

/** A mustache showing a field's value formatted for its type, in the document's locale. */
export function valueExpression(field: ShownField): string {
  const ref = refOf(field.name);
  const { type, options } = field;
  const digits = typeof options.precision === 'number' ? ` ${options.precision}` : '';
  switch (type) {
    case 'currency':
      return `{{currency ${ref.param} "${String(options.currency ?? 'USD')}"${digits}}}`;
    case 'number':
      return `{{number ${ref.param}${digits}}}`;
    case 'percent':
      return `{{percent ${ref.param}${digits}}}`;
    case 'date':
      return `{{date ${ref.param}}}`;
    case 'datetime':
    case 'created_time':
    case 'updated_time':
      return `{{datetime ${ref.param}}}`;
    case 'checkbox':
      return `{{#if ${ref.param}}}✓{{/if}}`;
    case 'long_text':
      return `{{lines ${ref.param}}}`;
    default:
      return field.list || JOINED.has(type) ? `{{join ${ref.param}}}` : `{{${ref.bare}}}`;
  }
}

/** A loop over a link field's records: a table row per record with the given fields. */
export function loopExpression(link: string, columns: readonly ShownField[]): string {
  const cells = columns.map((c) => `<td${isNumeric(c) ? ' class="num"' : ''}>${valueExpression(c)}</td>`).join('');
  return `{{#each ${refOf(link).param}}}\n    <tr>${cells}</tr>\n    {{else}}\n    <tr><td colspan="${Math.max(columns.length, 1)}" class="muted">—</td></tr>\n    {{/each}}`;
}

/** Each helper with an example, as the editor lists them. */
export const HELPER_EXAMPLES: readonly string[] = [
  '{{currency Total "USD"}}',
  '{{number Quantity 2}}',
  '{{percent Discount 1}}',
  '{{date [Close date] "long"}}',
  '{{datetime now timeZone="Asia/Taipei"}}',
  '{{sum [Line items] "Line total"}}',
  '{{count [Line items]}}',
  '{{inc @index}}',
  '{{join Tags ", "}}',
  '{{lines Address}}',
  '{{#if (eq Stage "Won")}}…{{/if}}',
  '{{default Notes "—"}}',
];
