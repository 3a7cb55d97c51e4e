import type { SheetDef } from '../../catalog/model.js';
import { compileTemplate } from '../../documents/template.js';

/** Handlebars escapes these for HTML; plain text (a subject, a field value) wants them back. */
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#x27;': "'", '&#x3D;': '=', '&#x60;': '`' };

/** Text with its placeholders filled in (the documents' isolated, prototype-less Handlebars), as plain text. */
export function renderText(source: string, data: unknown): string {
  if (!source.includes('{{')) return source;
  return compileTemplate(source)(data, 'en').replace(/&(amp|lt|gt|quot|#x27|#x3D|#x60);/g, (m) => ENTITIES[m]!);
}

/** The same, as HTML: values escaped, lines kept. */
export function renderHtml(source: string, data: unknown): string {
  return compileTemplate(source)(data, 'en').replace(/\r?\n/g, '<br>\n');
}

/** A record's values by field id as templates read them: by current field name, with its id. */
export function byName(sheet: SheetDef | undefined, id: string | null, values: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!values) return null;
  const out: Record<string, unknown> = id ? { id } : {};
  for (const field of sheet?.fields ?? []) if (Object.hasOwn(values, field.id)) out[field.name] = values[field.id];
  return out;
}
