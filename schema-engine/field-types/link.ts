import { sql } from 'kysely';
import { z } from 'zod';
import { findSheet } from '../catalog/resolve.js';
import { brokenResolved, listResolved } from '../computed/resolved.js';
import { displayValue, leafOf, linkedValues, linksToOne, overLink, rawValue, RELATIONSHIPS, type LinkOptions } from '../computed/sql.js';
import { defineFieldType, FieldValueError, zodOptions, type FieldType, type JsonSchema } from './field-type.js';

const input = z
  .object({
    sheet: z.string().min(1).max(200).optional(),
    relationship: z.enum(RELATIONSHIPS).optional(),
    inverseName: z.string().trim().min(1).max(200).optional(),
    inverseField: z.string().optional(),
    junction: z.string().optional(),
    side: z.enum(['a', 'b']).optional(),
  })
  .strict();
const parseInput = zodOptions(input);

/** Options as written: `inverseName` is only read when the link is created (schema-changes/link-fields.ts). */
export type LinkInput = LinkOptions & { inverseName?: string };

/** One written link: an existing record's id, or a new record created with its parent (a quote's line items). */
export type LinkWrite = { id: string } | { fields: Record<string, unknown> };

const RECORD_ID = '^[1-9][0-9]{0,17}$';

/** The ids of existing records a link write names (new records written inline have none yet). */
export const linkedIds = (writes: unknown): string[] => ((writes as LinkWrite[] | null | undefined) ?? []).flatMap((w) => ('id' in w ? [w.id] : []));

/** Linked records as read: each one's id and title (its primary field as text). */
const LINK_SCHEMA: JsonSchema = {
  type: 'array',
  items: { type: 'object', required: ['id', 'title'], properties: { id: { type: 'string' }, title: { type: 'string' } }, additionalProperties: false },
};

function toWrite(value: unknown): LinkWrite {
  if (typeof value === 'string' || typeof value === 'number') return { id: String(value) };
  const object = value as { id?: unknown; fields?: Record<string, unknown> };
  return object.fields !== undefined ? { fields: object.fields } : { id: String(object.id) };
}

export const link: FieldType<LinkInput> = defineFieldType<LinkInput>({
  id: 'link',
  valueKind: 'text',
  apiValueKind: 'link',
  parseOptions: (raw, previous) => {
    const parsed = parseInput(raw);
    // The sheet, the inverse and the junction of an existing link are fixed; only the relationship may change.
    if (previous) return { ...previous, relationship: parsed.relationship ?? previous.relationship, sheet: parsed.sheet ?? previous.sheet };
    if (parsed.sheet === undefined) throw new FieldValueError('options.sheet: name the sheet to link to');
    return { ...parsed, sheet: parsed.sheet, relationship: parsed.relationship ?? 'many_to_many' } as LinkInput;
  },
  bindOptions: (options, { ws }) => {
    const target = findSheet(ws, options.sheet);
    if (!target) throw new FieldValueError(`options.sheet: there is no sheet "${options.sheet}"`);
    return { ...options, sheet: target.id };
  },
  storage: () => null,
  readOnly: false,
  formulaType: () => undefined,
  searchable: false,
  invalidMessage: 'must be a list of record ids such as ["12"] (or of new records written as {"fields": {...}})',
  normalize: (value) => (value === null || value === undefined || Array.isArray(value) ? value : [value]),
  inputSchema: () => ({
    type: 'array',
    maxItems: 1000,
    items: {
      anyOf: [
        { type: 'string', pattern: RECORD_ID },
        { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
        { type: 'object', required: ['fields'], properties: { fields: { type: 'object' } }, additionalProperties: false },
        { type: 'object', required: ['id'], properties: { id: { anyOf: [{ type: 'string', pattern: RECORD_ID }, { type: 'integer', minimum: 1 }] } } },
      ],
    },
  }),
  outputSchema: () => LINK_SCHEMA,
  toStorage: (value, options) => {
    const writes = (value as unknown[]).map(toWrite);
    const ids = writes.flatMap((w) => ('id' in w ? [w.id] : []));
    if (new Set(ids).size !== ids.length) throw new FieldValueError('names a record more than once');
    if (linksToOne(options.relationship) && writes.length > 1) {
      throw new FieldValueError(`can link to one record only (the link is ${options.relationship}), not ${writes.length}`);
    }
    return writes;
  },
  fromStorage: () => undefined,
  format: () => '',
  // Read through `resolve`: the titles of the linked records (computed/resolved.ts).
  exportCell: () => undefined,
  toTextSql: () => sql`NULL::text`,
  fromTextSql: () => sql`NULL`,
  resolve(field, resolver): FieldType<LinkInput> {
    const options = field.options as LinkOptions;
    const target = resolver.sheet(options.sheet);
    if (!target) return brokenResolved(link, `the linked sheet is in the trash`);
    const primary = target.primaryFieldId ? resolver.field(target.id, target.primaryFieldId) : undefined;
    if (!primary || 'error' in primary) return brokenResolved(link, `the primary field of "${target.name}" cannot be computed`);
    const ws = resolver.ws;
    const leaf = leafOf(primary);
    // Each linked record as [id, title as selected]; the title is then formatted like the primary field.
    const pairs = (alias: string) => {
      const c = `${alias}c`;
      const title = primary.impl.computed?.list ? sql`NULL` : displayValue(primary, rawValue(primary, c));
      return sql`jsonb_agg(jsonb_build_array(${sql.ref(`${c}.id`)}::text, ${title}) ORDER BY ${sql.ref(`${alias}j.n`)})`;
    };
    const read = (raw: unknown[], workspaceId: string) =>
      raw.map((pair) => {
        const [id, title] = pair as [string, unknown];
        const value = primary.impl.fromStorage(title ?? null, primary.options, { workspaceId });
        return { id, title: value === undefined ? '' : primary.impl.format(value, primary.options, 'en') };
      });
    const resolved: FieldType<LinkInput> = listResolved(
      link,
      leaf,
      { viaLink: overLink(ws, field, pairs, (x) => sql`COALESCE(${x}, '[]'::jsonb)`), elements: (alias) => linkedValues(ws, field, primary, alias), dependsOn: [primary.id] },
      read,
    );
    return resolved;
  },
});
