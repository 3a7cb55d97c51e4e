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
  const hidden = new Map<string, ReadonlySet<string>>();
  const sheets: SheetDef[] = [];
  let restricted = false;
  for (const sheet of full.sheets) {
    const access = sheetAccessOf(role, sheet.id);
    if (access.read === 'none') {
      restricted = true;
      continue;
    }
    const hide = hiddenFields(full, role, sheet);
    hidden.set(sheet.id, hide);
    const rowScope = scopeCondition(full, sheet, access.read, access.where, asker) ?? undefined;
    if (hide.size || rowScope) restricted = true;
    // Raw definitions (their types' own modules), resolved again below over what this user sees.
    const fields = sheet.fields.filter((f) => !hide.has(f.id)).map((f) => ({ ...f, impl: fieldTypes[f.type] }));
    // Validation rules still hold on every write (checked over the whole record); shown are those it can read.
    const rules = sheet.rules.filter((r) => r.fieldIds.every((id) => !hide.has(id)));
    const indexed = searchFieldIds(sheet.fields);
    const searchIndexFields = indexed.some((id) => hide.has(id)) ? { searchIndexFields: indexed } : {};
    sheets.push({ ...sheet, fields, rules, ...(rowScope ? { rowScope } : {}), ...searchIndexFields });
  }
  if (!restricted) return { ws: full, hidden };
  const allHidden = new Set([...hidden.values()].flatMap((set) => [...set]));
  return { ws: resolveWorkspace({ ...full, sheets }, allHidden), hidden };
}
