import type { Transaction } from 'kysely';
import type { FieldDef, SheetDef, WorkspaceOverview } from '../catalog/model.js';
import type { LinkOptions } from '../computed/sql.js';
import type { Database } from '../db.js';
import { FieldValueError } from '../field-types/field-type.js';
import { linkedIds } from '../field-types/link.js';
import { copyFromOf, type CopyFrom } from '../schema-changes/copy-from.js';
import { fetchRecords } from './fetch.js';
import type { StorageValues } from './input.js';
import type { RecordJson } from './read.js';

const noReferences = { user: () => undefined, attachment: () => undefined };

/** The value to store for a copied one (empty when the linked record's value does not fit the field). */
function storageOf(field: FieldDef, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  try {
    return field.impl.toStorage(value, field.options, noReferences);
  } catch (error) {
    if (error instanceof FieldValueError) return null;
    throw error;
  }
}

/** The record a link value picks: the first one linked (a many-valued link copies from its first). */
const pickOf = (writes: unknown): string | undefined => linkedIds(writes)[0];

/**
 * Copy on pick (schema-changes/copy-from.ts), in the write's transaction, after new linked records exist: each field
 * with `copyFrom` whose link the write sets (to a record, and on an update to another one than before; a second time
 * only with `again: "on_change"`) gets the linked record's value, unless the write gives the field itself.
 * `given`: the fields each input named; `before`: the records as they were, for an update.
 */
export async function applyCopies(
  trx: Transaction<Database>,
  ws: WorkspaceOverview,
  sheet: SheetDef,
  values: StorageValues[],
  given: readonly ReadonlySet<string>[],
  before?: readonly RecordJson[],
): Promise<void> {
  const planned = sheet.fields.flatMap((field) => {
    const copy = copyFromOf(field.options);
    const link = copy && sheet.fields.find((f) => f.id === copy.link && f.type === 'link');
    const target = link && ws.sheets.find((s) => s.id === (link.options as LinkOptions).sheet);
    const source = target?.fields.find((f) => f.id === copy!.field);
    if (!copy || !link || !target || !source) return [];
    const picks = picksOf(link, field, copy, values, given, before);
    return picks.size ? [{ field, target, source, picks }] : [];
  });
  // One read per linked sheet, however many fields copy from it (a picked product gives its price, unit, tax rate...).
  const wanted = new Map<SheetDef, Set<string>>();
  for (const { target, picks } of planned) wanted.set(target, new Set([...(wanted.get(target) ?? []), ...picks.values()]));
  const byId = new Map<string, RecordJson>();
  for (const [target, ids] of wanted) for (const r of await fetchRecords(trx, ws, target, [...ids])) byId.set(`${target.id}:${r.id}`, r);
  for (const { field, target, source, picks } of planned) {
    for (const [index, id] of picks) values[index]!.set(field.id, storageOf(field, byId.get(`${target.id}:${id}`)?.fields[source.name]));
  }
}

/** Record index → the linked record to copy from, for the records whose write picks one. */
function picksOf(link: FieldDef, field: FieldDef, copy: CopyFrom, values: StorageValues[], given: readonly ReadonlySet<string>[], before?: readonly RecordJson[]): Map<number, string> {
  const picks = new Map<number, string>();
  values.forEach((v, index) => {
    if (!v.has(link.id) || given[index]!.has(field.id)) return;
    const picked = pickOf(v.get(link.id));
    if (picked === undefined) return;
    const previous = (before?.[index]?.fields[link.name] as { id: string }[] | undefined)?.[0]?.id;
    if (previous === picked) return;
    if (previous !== undefined && copy.again !== 'on_change') return;
    picks.set(index, picked);
  });
  return picks;
}
