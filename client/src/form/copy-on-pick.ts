import type { QueryClient } from '@tanstack/react-query';
import { recordQuery } from '../api/queries.js';
import type { Field, LinkRef, Sheet } from '../api/types.js';
import { copyFromOf } from '../schema/options.js';

/** The first record a link value picks (a new linked record typed in the form picks none yet). */
const pickOf = (value: unknown): string | undefined => ((value as (LinkRef | { fields: unknown })[] | undefined) ?? []).flatMap((v) => ('id' in v ? [v.id] : []))[0];

/**
 * Copy on pick in the form, as the server does it on save (schema-engine/records/copy-on-pick.ts): when the user
 * picks a record in a link, each field copying through that link takes the picked record's value, the first time
 * the link is set and, with `again: "on_change"`, whenever it changes to another record. Answers the values to set
 * (fields the user may not write are left to the server).
 */
export async function copiesOnPick(client: QueryClient, ws: string, sheets: readonly Sheet[], sheet: Sheet, link: Field, before: unknown, after: unknown, writable: (field: Field) => boolean): Promise<Record<string, unknown>> {
  if (link.type !== 'link') return {};
  const picked = pickOf(after);
  const previous = pickOf(before);
  if (picked === undefined || picked === previous) return {};
  const copies = sheet.fields.flatMap((field) => {
    const copy = copyFromOf(field);
    return copy && copy.link === link.id && writable(field) && (previous === undefined || copy.again === 'on_change') ? [{ field, copy }] : [];
  });
  const target = sheets.find((s) => s.id === link.options.sheet);
  if (!copies.length || !target) return {};
  // The picked record is often read already (the live totals' lookups read it): the cache answers then.
  const record = await client.fetchQuery(recordQuery(ws, target.id, picked));
  const out: Record<string, unknown> = {};
  for (const { field, copy } of copies) {
    const source = target.fields.find((f) => f.id === copy.field);
    if (source) out[field.name] = record.fields[source.name] ?? null;
  }
  return out;
}
