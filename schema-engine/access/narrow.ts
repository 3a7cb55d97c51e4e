import type { SheetDef, WorkspaceOverview } from '../catalog/model.js';
import { resolveWorkspace } from '../computed/resolve.js';
import type { LinkOptions } from '../computed/sql.js';
import { fieldTypes } from '../field-types/registry.js';
import { searchFieldIds } from '../query/search-text.js';
import type { RoleDef, SheetAccess } from './model.js';
import { scopeCondition, type Asker } from './scope.js';

/** What a role grants on a sheet: its own entry, else the role's default for other sheets. */
export const sheetAccessOf = (role: RoleDef, sheetId: string): SheetAccess => role.sheets[sheetId] ?? role.otherSheets;

/** The fields of a sheet the role does not see: the ones it hides, and links to sheets it may not read at all. */
export function hiddenFields(full: WorkspaceOverview, role: RoleDef, sheet: SheetDef): Set<string> {
  const hidden = new Set<string>();
  if (role.design) return hidden;
  const access = sheetAccessOf(role, sheet.id);
  // The primary field titles the sheet's records wherever they are linked: it is never hidden (roles.ts refuses it).
  for (const [fieldId, grant] of Object.entries(access.fields ?? {})) if (grant === 'hidden' && fieldId !== sheet.primaryFieldId) hidden.add(fieldId);
  for (const field of sheet.fields) {
    if (field.type !== 'link') continue;
    const target = (field.options as LinkOptions).sheet;
    if (full.sheets.some((s) => s.id === target) && sheetAccessOf(role, target).read === 'none') hidden.add(field.id);
  }
  return hidden;
}

export interface Narrowed {
  readonly ws: WorkspaceOverview;
  /** Per sheet id, the field ids hidden from the user (still in the full catalog). */
  readonly hidden: ReadonlyMap<string, ReadonlySet<string>>;
}

const cache = new WeakMap<WorkspaceOverview, Map<string, Narrowed>>();

/**
 * The catalog as one user sees it: sheets they may not read left out, hidden fields removed, each sheet's readable
 * rows attached as its `rowScope`, and every computed field resolved again over what is left, so a link's titles, a
 * lookup or a rollup shows only readable records and what reads a hidden field reads nothing. Built once per catalog
 * snapshot, role version and user; a role that restricts nothing sees the catalog itself.
 */
export function narrowCatalog(full: WorkspaceOverview, role: RoleDef, asker: Asker): Narrowed {
  const key = `${role.id}:${role.version}:${asker.userId}:${asker.teams.join(',')}:${asker.teammates.join(',')}`;
  let byKey = cache.get(full);
  if (!byKey) cache.set(full, (byKey = new Map()));
  let narrowed = byKey.get(key);
  if (!narrowed) {
    narrowed = build(full, role, asker);
    byKey.set(key, narrowed);
  }
  return narrowed;
}

function build(full: WorkspaceOverview, role: RoleDef, asker: Asker): Narrowed {
  const readable = full.sheets.filter((sheet) => sheetAccessOf(role, sheet.id).read !== 'none');
  const hidden = new Map<string, Set<string>>(readable.map((sheet) => [sheet.id, hiddenFields(full, role, sheet)]));
  // A formula, lookup or rollup reading a hidden field is hidden too: its values would read nothing, but its options
  // (the field it reads, by id) and its expression ("{Cost} * 2") would still name what the role may not see.
  for (const fieldId of computedReadingHidden(full, readable, hidden)) {
    const sheet = readable.find((s) => s.fields.some((f) => f.id === fieldId));
    if (sheet) hidden.get(sheet.id)!.add(fieldId);
  }
  const sheets: SheetDef[] = [];
  let restricted = readable.length < full.sheets.length;
  for (const sheet of readable) {
    const { read, where } = sheetAccessOf(role, sheet.id);
    const hide = hidden.get(sheet.id)!;
    const rowScope = read === 'none' ? undefined : (scopeCondition(full, sheet, read, where, asker) ?? undefined);
    if (hide.size || rowScope) restricted = true;
    sheets.push(narrowSheet(sheet, hide, rowScope));
  }
  if (!restricted) return { ws: full, hidden };
  const allHidden = new Set([...hidden.values()].flatMap((set) => [...set]));
  return { ws: resolveWorkspace({ ...full, sheets }, allHidden), hidden };
}

/** A readable sheet without its hidden fields, its rows scoped. */
function narrowSheet(sheet: SheetDef, hide: ReadonlySet<string>, rowScope: SheetDef['rowScope']): SheetDef {
  // Raw definitions (their types' own modules), resolved again over what this user sees.
  const fields = sheet.fields.filter((f) => !hide.has(f.id)).map((f) => ({ ...f, impl: fieldTypes[f.type] }));
  // Validation rules still hold on every write (checked over the whole record); shown are those it can read.
  const rules = sheet.rules.filter((r) => r.fieldIds.every((id) => !hide.has(id)));
  const indexed = searchFieldIds(sheet.fields);
  const searchIndexFields = indexed.some((id) => hide.has(id)) ? { searchIndexFields: indexed } : {};
  return { ...sheet, fields, rules, ...(rowScope ? { rowScope } : {}), ...searchIndexFields };
}

/** The computed fields of the readable sheets that read a hidden field, directly or through other computed fields. */
function computedReadingHidden(full: WorkspaceOverview, readable: readonly SheetDef[], hidden: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
  const found = new Set<string>();
  const allHidden = new Set([...hidden.values()].flatMap((set) => [...set]));
  if (!allHidden.size) return found;
  resolveWorkspace({ ...full, sheets: readable.map((sheet) => narrowSheet(sheet, hidden.get(sheet.id)!, undefined)) }, allHidden, found);
  return found;
}
