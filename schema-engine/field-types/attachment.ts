import { sql } from 'kysely';
import { z } from 'zod';
import { defineFieldType, FieldValueError, zodOptions, type AttachmentRef } from './field-type.js';
import { reportedFileType } from './file-types.js';
import { listCell } from './shared/export-cells.js';

const options = z.object({}).strict();

const attachmentKey = (item: unknown) => (typeof item === 'object' && item !== null ? String((item as { id: unknown }).id) : String(item));

/** Files are uploaded first (POST /api/w/:ws/attachments); a record then refers to them by id. */
export const attachment = defineFieldType<z.output<typeof options>>({
  id: 'attachment',
  valueKind: 'attachments',
  parseOptions: zodOptions(options),
  storage: () => 'jsonb',
  readOnly: false,
  formulaType: () => undefined,
  searchable: false,
  inputSchema: () => ({
    type: 'array',
    maxItems: 100,
    items: {
      anyOf: [{ type: 'string' }, { type: 'object', required: ['id'], properties: { id: { type: 'string' } } }],
    },
  }),
  outputSchema: () => ({
    type: 'array',
    items: {
      type: 'object',
      required: ['id', 'name', 'size', 'mimeType', 'url'],
      properties: { id: { type: 'string' }, name: { type: 'string' }, size: { type: 'integer' }, mimeType: { type: 'string' }, url: { type: 'string' } },
      additionalProperties: false,
    },
  }),
  invalidMessage: 'must be a list of uploaded attachment ids',
  references: (value) => ({ attachments: (value as unknown[]).map(attachmentKey) }),
  toStorage: (value, _o, ctx) =>
    (value as unknown[]).map((item) => {
      const found = ctx.attachment(attachmentKey(item));
      if (!found) throw new FieldValueError(`no uploaded file has the id "${attachmentKey(item)}"`);
      return found;
    }),
  fromStorage: (raw, _o, ctx) => {
    if (!Array.isArray(raw) || raw.length === 0) return undefined;
    // The stored type is shown only if it is one the server decides (older values kept the uploading client's).
    return (raw as AttachmentRef[]).map((a) => ({ ...a, mimeType: reportedFileType(a.mimeType), url: `/api/w/${ctx.workspaceId}/attachments/${a.id}` }));
  },
  format: (value) => (Array.isArray(value) ? (value as AttachmentRef[]).map((a) => a.name).join(', ') : ''),
  exportCell: (value) => listCell<AttachmentRef>(value, (a) => a.name),
  toTextSql: (column) => sql`(SELECT string_agg(e->>'name', ', ') FROM jsonb_array_elements(${column}) AS e)`,
  fromTextSql: () => sql`NULL::jsonb`,
});
