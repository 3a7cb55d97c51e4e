import type { FieldDef, SheetDef, WorkspaceOverview } from '../catalog/model.js';
import type { Resolver } from '../field-types/field-type.js';
import { brokenResolved } from './resolved.js';

/** How deep computed fields may build on each other (a lookup of a formula of a rollup…) before SQL grows absurd. */
export const MAX_DEPTH = 12;

/**
 * Resolves every computed field of a freshly loaded workspace: each gets the FieldType it reads with (its SQL over
 * the fields it refers to, already resolved). A reference to a field in the trash or a cycle does not fail the
 * load: that field reads as empty and says why (`computed.error`). A catalog narrowed for a user resolves without the
 * fields hidden from them (`hidden`), so what reads one of those reads nothing (access/narrow.ts). `readsHidden`, when
 * given, collects the computed fields that read a hidden field, directly or through other computed fields: the
 * narrowed catalog hides those too, or their options and expressions would name what is hidden.
 */
export function resolveWorkspace(raw: WorkspaceOverview, hidden: ReadonlySet<string> = new Set(), readsHidden?: Set<string>): WorkspaceOverview {
  const rawFields = new Map<string, FieldDef>();
  for (const sheet of raw.sheets) for (const field of sheet.fields) rawFields.set(field.id, field);
  const done = new Map<string, FieldDef>();
  const active: string[] = [];

  const resolver: Resolver = {
    ws: raw,
    sheet: (sheetId) => raw.sheets.find((s) => s.id === sheetId),
    field(sheetId, fieldId) {
      const found = rawFields.get(fieldId);
      if (!found || found.sheetId !== sheetId) {
        if (!hidden.has(fieldId)) return { error: 'is in the trash' };
        // Every field being resolved now reads this one, through the ones above it.
        for (const id of active) readsHidden?.add(id);
        return { error: 'reads a field hidden from your role' };
      }
      const ready = done.get(fieldId);
      if (ready) {
        if (readsHidden?.has(fieldId)) for (const id of active) readsHidden.add(id);
        return ready;
      }
      if (!found.impl.resolve) return found;
      if (active.includes(fieldId)) return { error: 'refers back to this field: a reference cycle', name: found.name };
      if (active.length >= MAX_DEPTH) return { error: `builds on more than ${MAX_DEPTH} computed fields`, name: found.name };
      active.push(fieldId);
      let impl;
      try {
        impl = found.impl.resolve(found, resolver);
      } finally {
        active.pop();
      }
      const resolved = { ...found, impl };
      // A field met again while it was being resolved (a cycle) stays broken for everyone, not only for the first.
      if (!done.has(fieldId)) done.set(fieldId, resolved);
      return done.get(fieldId)!;
    },
  };

  const sheets: SheetDef[] = raw.sheets.map((sheet) => ({
    ...sheet,
    fields: sheet.fields.map((field) => {
      const resolved = resolver.field(sheet.id, field.id);
      return 'error' in resolved ? { ...field, impl: brokenResolved(field.impl, resolved.error) } : resolved;
    }),
  }));
  return { ...raw, sheets };
}
