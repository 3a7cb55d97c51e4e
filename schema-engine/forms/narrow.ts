import type { SheetGrant } from '../access/model.js';
import type { WorkspaceOverview } from '../catalog/model.js';
import type { LinkOptions } from '../computed/sql.js';
import type { FormElement, FormLayout } from './layout.js';
import { filterElements } from './walk.js';

/** A condition with every `{"var": <field the user does not see>}` read as an empty value, as their records show it. */
function withoutHidden(logic: unknown, seen: (fieldId: string) => boolean): unknown {
  if (Array.isArray(logic)) return logic.map((l) => withoutHidden(l, seen));
  if (typeof logic !== 'object' || logic === null) return logic;
  const entries = Object.entries(logic);
  if (entries.length === 1 && entries[0]![0] === 'var') {
    const raw = entries[0]![1];
    const id = String(Array.isArray(raw) ? raw[0] : raw);
    return seen(id) || id.startsWith('$') ? logic : null;
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, withoutHidden(v, seen)]));
}

/**
 * A designed form as one user may use it: elements of fields hidden from them are gone (the caller gives the layout
 * over their narrowed sheet), conditions no longer name those fields, a related list shows only the columns they see,
 * and the fields their role may not write are read-only, with no default and not required (they could not fill them):
 * its read-only and hidden fields, or every field when it may neither add nor change records of the sheet.
 */
export function narrowLayout(ws: WorkspaceOverview, grant: SheetGrant, layout: FormLayout): FormLayout {
  const sheet = grant.sheet;
  if (!sheet) return layout;
  const seen = (id: string) => sheet.fields.some((f) => f.id === id);
  // A role that may neither add records nor change any writes none of the form's fields.
  const writesNothing = !grant.create && grant.rows('update') === undefined;
  const readOnly = (id: string) => writesNothing || grant.readOnly.has(id);
  const conditions = <T extends { visibleWhen?: unknown }>(node: T): T =>
    node.visibleWhen === undefined ? node : { ...node, visibleWhen: withoutHidden(node.visibleWhen, seen) };
  const element = (e: FormElement): FormElement => {
    const out = conditions(e);
    if (out.kind === 'related') {
      const field = sheet.fields.find((f) => f.id === out.field);
      const target = field && ws.sheets.find((s) => s.id === (field.options as LinkOptions).sheet);
      const columns = out.columns?.filter((c) => target?.fields.some((f) => f.id === c));
      return { ...out, ...(columns ? { columns } : {}), ...(readOnly(out.field) ? { readOnly: true } : {}) };
    }
    if (out.kind !== 'field') return out;
    const field = { ...out, ...(out.requiredWhen !== undefined ? { requiredWhen: withoutHidden(out.requiredWhen, seen) } : {}) };
    if (!readOnly(out.field)) return field;
    const { defaultValue: _default, required: _required, requiredWhen: _when, ...rest } = field;
    return { ...rest, readOnly: true };
  };
  const kept = filterElements(layout, (e) => !('field' in e) || seen(e.field));
  return {
    tabs: kept.tabs.map((tab) => ({
      ...conditions(tab),
      sections: tab.sections.map((section) => ({
        ...conditions(section),
        rows: section.rows.map((row) => ({ ...row, columns: row.columns.map((column) => ({ ...column, elements: column.elements.map(element) })) })),
      })),
    })),
  };
}
