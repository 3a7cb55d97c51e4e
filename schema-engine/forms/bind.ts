import type { FieldDef, SheetDef, WorkspaceOverview } from '../catalog/model.js';
import { findField } from '../catalog/resolve.js';
import type { LinkOptions } from '../computed/sql.js';
import { badRequest, EngineError } from '../errors.js';
import { valueProblem } from '../records/validator.js';
import { compileCondition } from '../rules/condition.js';
import { MAX_ELEMENTS, type FormElement, type FormLayout } from './layout.js';
import { filterElements } from './walk.js';

/** A bad layout names where: `layout.<element id>.<property>`. */
const fail = (where: string, message: string) => badRequest(`${where}: ${message}`, { fields: { [where]: message } });

interface Binding {
  ws: WorkspaceOverview;
  sheet: SheetDef;
  /** Placeholders of fields created with the save, by the new field's id. */
  placeholders: ReadonlyMap<string, string>;
  ids: Set<string>;
  fields: Set<string>;
  elements: number;
}

/**
 * Checks a layout written with field names or ids against its sheet and answers it with ids: every id unique,
 * every field known and placed once, related lists on link fields, conditions allow-listed, defaults valid.
 */
export function bindLayout(ws: WorkspaceOverview, sheet: SheetDef, layout: FormLayout, placeholders: ReadonlyMap<string, string> = new Map()): FormLayout {
  const b: Binding = { ws, sheet, placeholders, ids: new Set(), fields: new Set(), elements: 0 };
  return {
    tabs: layout.tabs.map((tab) => ({
      ...tab,
      id: unique(b, tab.id),
      ...condition(b, `layout.${tab.id}`, 'visibleWhen', tab.visibleWhen),
      sections: tab.sections.map((section) => ({
        ...section,
        id: unique(b, section.id),
        ...condition(b, `layout.${section.id}`, 'visibleWhen', section.visibleWhen),
        rows: section.rows.map((row) => ({
          ...row,
          id: unique(b, row.id),
          columns: row.columns.map((column) => ({ ...column, id: unique(b, column.id), elements: column.elements.map((e) => bindElement(b, e)) })),
        })),
      })),
    })),
  };
}

function unique(b: Binding, id: string): string {
  if (b.ids.has(id)) throw fail(`layout.${id}`, 'the id is used twice; every tab, section, row, column and element needs its own');
  b.ids.add(id);
  return id;
}

function bindElement(b: Binding, element: FormElement): FormElement {
  const where = `layout.${element.id}`;
  unique(b, element.id);
  if (++b.elements > MAX_ELEMENTS) throw fail('layout', `a form can have at most ${MAX_ELEMENTS} elements`);
  const visible = condition(b, where, 'visibleWhen', element.visibleWhen);
  if (element.kind !== 'field' && element.kind !== 'related') return { ...element, ...visible };
  const field = placedField(b, where, element.field);
  if (element.kind === 'related') {
    if (field.type !== 'link') throw fail(`${where}.field`, `"${field.name}" is not a link field; a related list shows the records of a link`);
    const target = b.ws.sheets.find((s) => s.id === (field.options as LinkOptions).sheet)!;
    const columns = element.columns?.map((ref) => {
      const column = findField(target, ref);
      if (!column) throw fail(`${where}.columns`, `"${target.name}" has no field "${ref}"`);
      return column.id;
    });
    return { ...element, ...visible, field: field.id, ...(columns ? { columns } : {}) };
  }
  const out: FormElement = { ...element, ...visible, ...condition(b, where, 'requiredWhen', element.requiredWhen), field: field.id };
  if (element.defaultValue !== undefined && element.defaultValue !== null) {
    if (field.impl.readOnly) throw fail(`${where}.defaultValue`, `"${field.name}" is computed or filled in by the system and takes no default`);
    const problem = field.type === 'link' ? undefined : valueProblem(field.impl, field.options, element.defaultValue);
    if (problem) throw fail(`${where}.defaultValue`, `"${field.name}" ${problem}`);
  }
  return out;
}

function placedField(b: Binding, where: string, ref: string): FieldDef {
  const id = b.placeholders.get(ref) ?? ref;
  const field = findField(b.sheet, id);
  if (!field) throw fail(`${where}.field`, `"${b.sheet.name}" has no field "${ref}"`);
  if (b.fields.has(field.id)) throw fail(`${where}.field`, `"${field.name}" is already on this form; a field can be placed once`);
  b.fields.add(field.id);
  return field;
}

/** A condition in stored form (field ids), under its key; nothing when there is none. */
function condition(b: Binding, where: string, key: 'visibleWhen' | 'requiredWhen', value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  try {
    return { [key]: compileCondition(b.sheet, value).condition };
  } catch (error) {
    if (error instanceof EngineError) throw fail(`${where}.${key}`, error.message.replace(/^condition: /, ''));
    throw error;
  }
}

/** A stored layout as the sheet is now: elements of deleted fields left out (a restore brings them back). */
export function liveLayout(sheet: SheetDef, layout: FormLayout): FormLayout {
  return filterElements(layout, (e) => !('field' in e) || sheet.fields.some((f) => f.id === e.field));
}
