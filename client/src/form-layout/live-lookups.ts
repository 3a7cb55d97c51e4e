import { useQueries } from '@tanstack/react-query';
import type { FormLayout } from '../../../schema-engine/forms/layout.js';
import { recordQuery } from '../api/queries.js';
import type { LinkRef, Sheet } from '../api/types.js';

/** Field ids the layout's conditions read. */
export function conditionFieldIds(layout: FormLayout): Set<string> {
  const ids = new Set<string>();
  const walk = (logic: unknown): void => {
    if (Array.isArray(logic)) return logic.forEach(walk);
    if (typeof logic !== 'object' || logic === null) return;
    for (const [op, arg] of Object.entries(logic)) {
      if (op === 'var') ids.add(String(Array.isArray(arg) ? arg[0] : arg));
      else walk(arg);
    }
  };
  for (const tab of layout.tabs) {
    walk(tab.visibleWhen);
    for (const section of tab.sections) {
      walk(section.visibleWhen);
      for (const row of section.rows) for (const column of row.columns) for (const e of column.elements) walk([e.visibleWhen, 'requiredWhen' in e ? e.requiredWhen : null]);
    }
  }
  return ids;
}

/**
 * What the lookups the conditions read would be for the links now in the form, before it is saved: the linked
 * records are read and the looked-up field taken from each, so a condition on "Account industry" follows the
 * account the user just picked.
 */
export function useLiveLookups(ws: string, sheets: readonly Sheet[], sheet: Sheet, layout: FormLayout, values: Record<string, unknown>): Record<string, unknown> {
  const read = conditionFieldIds(layout);
  const lookups = sheet.fields.filter((f) => f.type === 'lookup' && read.has(f.id));
  const plan = lookups.flatMap((lookup) => {
    const link = sheet.fields.find((f) => f.id === lookup.options.link);
    const target = sheets.find((s) => s.id === link?.options.sheet);
    const field = target?.fields.find((f) => f.id === lookup.options.field);
    if (!link || !target || !field) return [];
    const ids = ((values[link.name] as (LinkRef | { fields: unknown })[] | undefined) ?? []).flatMap((v) => ('id' in v ? [v.id] : []));
    return [{ lookup, target, field, ids }];
  });
  const results = useQueries({
    queries: plan.flatMap(({ target, ids }) => ids.map((id) => recordQuery(ws, target.id, id))),
  });
  const out: Record<string, unknown> = {};
  let i = 0;
  for (const { lookup, field, ids } of plan) {
    const found = ids.map(() => results[i++]?.data);
    if (found.some((r) => !r)) continue;
    out[lookup.name] = found.flatMap((r) => valueList(r!.fields[field.name]));
  }
  return out;
}

/** A lookup reads as the flat list of the linked records' values. */
const valueList = (value: unknown): unknown[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);
