import { sql } from 'kysely';
import { z } from 'zod';
import type { FieldDef } from '../catalog/model.js';
import { compileTemplate } from '../documents/template.js';
import { EngineError } from '../errors.js';
import type { RecordJson } from '../records/read.js';
import { defineFieldType, FieldValueError, zodOptions, type FieldType } from './field-type.js';
import { computedDefaults } from './shared/computed.js';

const input = z
  .object({
    label: z.string().trim().min(1, 'a button needs a label').max(100),
    workflow: z.string().trim().min(1).max(40).optional(),
    url: z.string().trim().min(1).max(2000).optional(),
  })
  .strict();

/** A button's options: its label and what pressing it does, exactly one of running a workflow or opening a URL. */
export interface ButtonOptions {
  label: string;
  workflow?: string;
  url?: string;
}

/** Schemes a pressed button may open: a button must not run script or reach local files. */
const ALLOWED_SCHEMES = /^(https?:\/\/|mailto:)/i;

/**
 * The URL a button opens for a record: its template filled with the record's values by field name (as they are
 * shown), each URL-encoded as it is inserted so a value cannot add a parameter or change the scheme; refused (400)
 * unless the result is an http(s) or mailto: address.
 */
export function buttonUrl(options: ButtonOptions, fields: readonly FieldDef[], record: RecordJson): string {
  const data: Record<string, unknown> = { id: record.id };
  for (const field of fields) {
    const value = record.fields[field.name];
    if (value !== undefined) data[field.name] = typeof value === 'number' ? value : encodeURIComponent(field.impl.format(value, field.options, 'en'));
  }
  // Handlebars escapes for HTML; encoded values hold none of those characters but ', which is given back.
  const url = compileTemplate(options.url!)(data, 'en').replace(/&#x27;/g, "'").replace(/&amp;/g, '&').trim();
  if (!ALLOWED_SCHEMES.test(url)) {
    const shown = url.slice(0, 200);
    throw new EngineError(
      'validation_failed',
      `The button's URL must start with http://, https:// or mailto:; it gave "${shown}"`,
      { fields: { url: 'must start with http://, https:// or mailto:' } },
      { message: `按鈕的網址必須以 http://、https:// 或 mailto: 開頭；它產生了「${shown}」`, details: { fields: { url: '必須以 http://、https:// 或 mailto: 開頭' } } },
    );
  }
  return url;
}

/**
 * A button: no value at all (no column, nothing in records, filters, sorts, exports or formulas). Pressing it runs a
 * `button` workflow of its sheet or opens a URL (workflows/button-field.ts).
 */
export const button: FieldType<ButtonOptions> = defineFieldType<ButtonOptions>({
  id: 'button',
  valueKind: 'text',
  valueless: true,
  parseOptions: zodOptions(input),
  // Checked here, where the error can be worded in both languages.
  bindOptions: (options) => {
    const { label, workflow, url } = options;
    if ((workflow === undefined) === (url === undefined)) {
      throw new FieldValueError(
        'options: a button runs a workflow or opens a URL; give exactly one of workflow and url',
        'options：按鈕執行一個工作流程或開啟一個網址；請只提供其中一個',
      );
    }
    if (url !== undefined) {
      try {
        compileTemplate(url);
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        throw new FieldValueError(`options.url: ${why}`, `options.url：網址範本有錯誤（${why}）`);
      }
      // A template that does not start with a value can be judged now: "javascript:…" is refused before anyone presses.
      if (!url.trimStart().startsWith('{{') && !ALLOWED_SCHEMES.test(url.trimStart())) {
        throw new FieldValueError('options.url: must start with http://, https:// or mailto:', 'options.url：必須以 http://、https:// 或 mailto: 開頭');
      }
    }
    return workflow !== undefined ? { label, workflow } : { label, url: url! };
  },
  verifyOptions: async (options, trx, { ws, sheet }) => {
    if (options.workflow === undefined) return;
    const found = await trx
      .selectFrom('workflows')
      .select('id')
      .where('id', '=', options.workflow)
      .where('workspace_id', '=', ws.id)
      .where('deleted_at', 'is', null)
      .where('trigger_type', '=', 'button')
      .where('trigger_sheet_id', '=', sheet.id)
      .executeTakeFirst();
    if (!found) {
      throw new FieldValueError(
        `options.workflow: there is no workflow "${options.workflow}" with a button trigger on "${sheet.name}"`,
        `options.workflow：「${sheet.name}」沒有按鈕觸發的工作流程「${options.workflow}」`,
      );
    }
  },
  ...computedDefaults,
  // No value to compute: the field reads as nothing in every listing.
  resolve: () => ({ ...button, computed: { select: () => sql`NULL`, dependsOn: [] } }),
});
