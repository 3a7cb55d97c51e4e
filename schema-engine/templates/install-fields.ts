import type { z } from 'zod';
import type { FieldDef, SheetDef } from '../catalog/model.js';
import type { LinkOptions as StoredLink } from '../computed/sql.js';
import { badRequest } from '../errors.js';
import { addField } from '../schema-changes/fields.js';
import type { fieldInputSchema } from '../schema-changes/field-input.js';
import { freeName } from '../schema-changes/names.js';
import { createSheet } from '../schema-changes/sheets.js';
import { formulaOptionsSchema, type TemplateField, type TemplateSheet } from './format.js';
import type { InstallState } from './install-state.js';
import { choicesOf, isRelational, isSelect, linkOptions, lookupOptions, templateCopyFrom } from './model.js';
import { mapFormula } from './keys.js';
import { templateValue } from './values.js';

type FieldInput = z.output<typeof fieldInputSchema>;

/** How a field being created refers to another: by id once that exists, by name inside the sheet being created. */
interface Refs {
  sheet(key: string): string;
  field(sheetKey: string, key: string): string;
  /** A formula names fields (and shows the names it was written with). */
  name(sheetKey: string, key: string): string;
}

/** Link targets first, so a sheet's links (and what reads through them) are created with the sheet, in their place. */
function creationOrder(sheets: readonly TemplateSheet[]): TemplateSheet[] {
  const order: TemplateSheet[] = [];
  const seen = new Set<string>();
  const visit = (sheet: TemplateSheet) => {
    if (seen.has(sheet.key)) return;
    seen.add(sheet.key);
    for (const f of sheet.fields) {
      const target = f.type === 'link' ? sheets.find((s) => s.key === linkOptions(f).sheet) : undefined;
      if (target) visit(target);
    }
    order.push(sheet);
  };
  sheets.forEach(visit);
  return order;
}

/** The field keys a field reads (its own sheet's), and the other sheet's field it reads through a link. */
function reads(state: InstallState, sheet: TemplateSheet, def: TemplateField): { own: string[]; through?: { sheet: string; field: string } } {
  if (def.type === 'formula') {
    const own: string[] = [];
    mapFormula(formulaOptionsSchema.parse(def.options).expression, (k) => (own.push(k), k), (k) => k);
    return { own };
  }
  if (def.type === 'lookup' || def.type === 'rollup') {
    const o = lookupOptions(def);
    const link = state.model.field(sheet.key, o.link)!;
    return { own: [o.link], through: { sheet: link.link!.sheet, field: o.field } };
  }
  if (def.type === 'link') return { own: [], through: { sheet: linkOptions(def).sheet, field: '' } };
  const copy = templateCopyFrom(def);
  if (copy) return { own: [copy.link], through: { sheet: state.model.field(sheet.key, copy.link)!.link!.sheet, field: copy.field } };
  return { own: [] };
}

/** Fields created once what they read exists: computed ones, and stored ones copying through a link. */
const readsOthers = (def: TemplateField) => isRelational(def.type) || templateCopyFrom(def) !== undefined;

function fieldInput(state: InstallState, sheet: TemplateSheet, def: TemplateField, refs: Refs): FieldInput {
  const input: FieldInput = { name: state.text(def.name), type: def.type };
  let options: Record<string, unknown> | undefined = def.options;
  if (isSelect(def.type)) options = { choices: choicesOf(def).map((c) => ({ name: state.text(c.name), ...(c.color ? { color: c.color } : {}) })) };
  if (def.type === 'link') {
    const o = linkOptions(def);
    options = { sheet: refs.sheet(o.sheet), relationship: o.relationship, inverseName: state.text(o.inverseName ?? state.model.sheet(sheet.key)!.name) };
  }
  if (def.type === 'lookup' || def.type === 'rollup') {
    const o = lookupOptions(def);
    const target = state.model.field(sheet.key, o.link)!.link!.sheet;
    options = { ...o, link: refs.field(sheet.key, o.link), field: refs.field(target, o.field) };
  }
  const copy = templateCopyFrom(def);
  if (copy) {
    const target = state.model.field(sheet.key, copy.link)!.link!.sheet;
    options = { ...options, copyFrom: { ...copy, link: refs.field(sheet.key, copy.link), field: refs.field(target, copy.field) } };
  }
  if (def.type === 'formula') {
    const expression = mapFormula(formulaOptionsSchema.parse(def.options).expression, (k) => refs.name(sheet.key, k), (k) => state.choice(sheet.key, k));
    options = { expression };
  }
  if (options !== undefined) input.options = options;
  if (def.required !== undefined) input.required = def.required;
  if (def.unique !== undefined) input.unique = def.unique;
  if (def.description !== undefined) input.description = state.text(def.description);
  if (def.primary) input.primary = true;
  if (def.defaultValue !== undefined) input.defaultValue = templateValue(state, state.model.field(sheet.key, def.key)!, def.defaultValue);
  return input;
}

/** Remembers the ids of created fields (and of the inverse side each link created). */
function remember(state: InstallState, sheetKey: string, defs: readonly TemplateField[], created: SheetDef | FieldDef[]): void {
  const fields = Array.isArray(created) ? created : created.fields;
  for (const def of defs) {
    const field = fields.find((f) => f.name === state.text(def.name))!;
    state.setField(sheetKey, def.key, field.id);
    if (def.type === 'link') {
      const inverse = state.model.fields(linkOptions(def).sheet);
      const key = [...inverse.values()].find((f) => f.inverseOf?.sheetKey === sheetKey && f.inverseOf.fieldKey === def.key)!.key;
      state.setField(linkOptions(def).sheet, key, (field.options as StoredLink).inverseField);
    }
  }
}

/**
 * Sheets, then their fields: each sheet is created with every field it can have at that moment (stored fields,
 * links to sheets already there, what reads them), the rest is added field by field once what it reads exists.
 */
export async function installFields(state: InstallState): Promise<void> {
  const { engine, workspaceId, model } = state;
  const existing = [...(await engine.catalog.get(workspaceId)).sheets];
  const pending: { sheet: TemplateSheet; def: TemplateField }[] = [];
  for (const sheet of creationOrder(model.sheets)) {
    const name = freeName(existing, state.text(sheet.name));
    existing.push({ name } as SheetDef);
    const included = new Set<string>();
    const defs: TemplateField[] = [];
    for (const def of sheet.fields) {
      const r = reads(state, sheet, def);
      const ownReady = r.own.every((k) => {
        const own = sheet.fields.find((f) => f.key === k);
        return included.has(k) || (own !== undefined && !readsOthers(own));
      });
      const throughReady = !r.through || (r.through.sheet === sheet.key ? r.through.field === '' || included.has(r.through.field) : state.sheetIds.has(r.through.sheet) && (r.through.field === '' || state.hasField(r.through.sheet, r.through.field)));
      if (!readsOthers(def) || (ownReady && throughReady)) {
        included.add(def.key);
        defs.push(def);
      } else pending.push({ sheet, def });
    }
    const local = (key: string) => state.text(sheet.fields.find((f) => f.key === key)!.name);
    const refs: Refs = {
      sheet: (key) => (key === sheet.key ? name : state.sheetId(key)),
      field: (sheetKey, key) => (sheetKey === sheet.key ? local(key) : state.fieldId(sheetKey, key)),
      name: (_, key) => local(key),
    };
    const created = await createSheet(engine, state.access, { name, fields: defs.map((def) => fieldInput(state, sheet, def, refs)) });
    state.sheetIds.set(sheet.key, created.id);
    remember(state, sheet.key, defs, created);
  }
  await addPending(state, pending);
}

async function addPending(state: InstallState, pending: { sheet: TemplateSheet; def: TemplateField }[]): Promise<void> {
  while (pending.length) {
    const index = pending.findIndex(({ sheet, def }) => {
      const r = reads(state, sheet, def);
      return r.own.every((k) => state.hasField(sheet.key, k)) && (!r.through || r.through.field === '' || state.hasField(r.through.sheet, r.through.field));
    });
    if (index < 0) throw badRequest(`The template cannot create ${pending.map(({ sheet, def }) => `${sheet.key}.${def.key}`).join(', ')} (they read each other)`);
    const [{ sheet, def }] = pending.splice(index, 1) as [{ sheet: TemplateSheet; def: TemplateField }];
    const ws = await state.engine.catalog.get(state.workspaceId);
    const nameOf = (id: string) => ws.sheets.flatMap((s) => s.fields).find((f) => f.id === id)!.name;
    const refs: Refs = { sheet: (key) => state.sheetId(key), field: (sheetKey, key) => state.fieldId(sheetKey, key), name: (sheetKey, key) => nameOf(state.fieldId(sheetKey, key)) };
    const field = await addField(state.engine, state.access, state.sheetId(sheet.key), fieldInput(state, sheet, def, refs));
    remember(state, sheet.key, [def], [field]);
  }
}
