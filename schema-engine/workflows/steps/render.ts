import { DateTime } from 'luxon';
import type { SheetDef } from '../../catalog/model.js';
import { compileTemplate } from '../../documents/template.js';
import { isTimeZone } from '../schedule.js';
import type { TemplateData } from './types.js';

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

/**
 * The run's clock as text reads it: `now`, the instant, and `today`, its day in the workspace's time zone (near
 * midnight the UTC day is another one: a follow-up "due in 2 days" counts from the workspace's day).
 */
export function clockData(now: Date, zone: string): Pick<TemplateData, 'now' | 'today'> {
  return { now: now.toISOString(), today: DateTime.fromJSDate(now, { zone: isTimeZone(zone) ? zone : 'UTC' }).toISODate()! };
}
