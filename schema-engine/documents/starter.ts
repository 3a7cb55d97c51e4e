import type { FieldDef, SheetDef } from '../catalog/model.js';
import { isNumeric, loopExpression, valueExpression, type ShownField } from './snippets.js';

const SYSTEM = new Set(['created_time', 'updated_time', 'created_by', 'updated_by']);

/** The type and options a value is shown with: a computed field's result, a lookup's looked-up field. */
function shownAs(field: FieldDef): ShownField {
  const computed = field.impl.computed;
  const options = (o: unknown) => (o ?? {}) as Record<string, unknown>;
  if (computed?.list) return { name: field.name, type: computed.list.leaf.type, options: options(computed.list.leaf.options), list: true };
  if (computed?.result) return { name: field.name, type: computed.result.type, options: options(computed.result.options), list: false };
  return { name: field.name, type: field.type, options: options(field.options), list: field.type === 'link' };
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
/** Field names shown as text: escaped for HTML, and `{{` kept from reading as a mustache. */
const label = (name: string) => escapeHtml(name).replaceAll('{{', '\\{{');

function linkSection(field: FieldDef, sheets: readonly SheetDef[]): string {
  const options = field.options as { sheet?: string; inverseField?: string };
  const target = sheets.find((s) => s.id === options.sheet);
  if (!target) return '';
  const columns = target.fields.filter((f) => f.id !== options.inverseField && !SYSTEM.has(f.type)).slice(0, 6).map(shownAs);
  const th = columns.map((c) => `<th${isNumeric(c) ? ' class="num"' : ''}>${label(c.name)}</th>`).join('');
  return `
<h2>${label(field.name)}</h2>
<table>
  <thead><tr>${th}</tr></thead>
  <tbody>
    ${loopExpression(field.name, columns)}
  </tbody>
</table>
`;
}

/** A first template for a sheet: the record's fields as label and value, then a table per link field. */
export function starterTemplate(sheet: SheetDef, sheets: readonly SheetDef[] = []): string {
  const scalar = sheet.fields.filter((f) => f.id !== sheet.primaryFieldId && f.type !== 'link' && !SYSTEM.has(f.type));
  const rows = scalar.map((f) => `    <tr><th>${label(f.name)}</th><td>${valueExpression(shownAs(f))}</td></tr>`).join('\n');
  const links = sheet.fields.filter((f) => f.type === 'link').map((f) => linkSection(f, sheets));
  return `<header class="doc-header">
  <strong>{{record.sheet}}</strong>
  <span class="muted">{{date now "long"}}</span>
</header>

<h1>{{record.title}}</h1>
${rows ? `\n<table class="fields">\n  <tbody>\n${rows}\n  </tbody>\n</table>\n` : ''}${links.join('')}
<footer class="doc-footer">{{record.sheet}} · {{record.title}}</footer>
`;
}
