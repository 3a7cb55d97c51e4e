import { BUILT_IN_ROLES } from '../access/builtins.js';
import type { SheetAccess } from '../access/model.js';
import { createRole, listRoles } from '../access/roles.js';
import { cleanName, freeName, nameKey } from '../schema-changes/names.js';
import type { TemplateRole } from './format.js';
import type { InstallState } from './install-state.js';
import { mapCondition } from './keys.js';
import type { TemplateModel } from './model.js';
import { LANGUAGES, localize } from './text.js';

/** What a role's `where` may name besides the sheet's fields: the asker (access/scope.ts binds them). */
const ASKER_VARS = new Set(['$user', '$teams']);

/**
 * A template's roles, checked without a database: keys and names unique (in both languages, and not a built-in
 * role's), every sheet and field key one of the template's, no primary field hidden, conditions naming real fields and
 * choices. The engine checks the rest (a condition compiles over its sheet) when the install creates the role.
 */
export function checkRoles(model: TemplateModel, roles: readonly TemplateRole[]): string[] {
  const problems: string[] = [];
  const keys = new Set<string>();
  const builtIn = new Set(BUILT_IN_ROLES.map((r) => nameKey(r.name)));
  for (const language of LANGUAGES) {
    const seen = new Set<string>();
    for (const role of roles) {
      const name = nameKey(cleanName(localize(role.name, language)));
      if (seen.has(name)) problems.push(`roles: two have the ${language} name "${localize(role.name, language)}"`);
      if (builtIn.has(name)) problems.push(`roles.${role.key}.name: "${localize(role.name, language)}" is a built-in role`);
      seen.add(name);
    }
  }
  for (const role of roles) {
    if (keys.has(role.key)) problems.push(`roles.${role.key}: two roles have this key`);
    keys.add(role.key);
    for (const [sheetKey, grant] of Object.entries(role.sheets)) {
      const at = `roles.${role.key}.sheets.${sheetKey}`;
      const sheet = model.sheet(sheetKey);
      if (!sheet) {
        problems.push(`${at}: there is no sheet "${sheetKey}" in the template (or those it uses)`);
        continue;
      }
      const primary = (sheet.fields.find((f) => f.primary) ?? sheet.fields[0])!.key;
      for (const [fieldKey, fieldGrant] of Object.entries(grant.fields ?? {})) {
        if (!model.field(sheetKey, fieldKey)) problems.push(`${at}.fields: "${sheetKey}" has no field "${fieldKey}"`);
        else if (fieldKey === primary && fieldGrant === 'hidden') problems.push(`${at}.fields.${fieldKey}: the primary field can be read-only, not hidden`);
      }
      if (grant.where !== undefined) {
        mapCondition(
          grant.where,
          (k) => {
            if (!ASKER_VARS.has(k) && !model.field(sheetKey, k)) problems.push(`${at}.where: "${sheetKey}" has no field "${k}"`);
            return k;
          },
          (k) => {
            if (!model.choice(sheetKey, k)) problems.push(`${at}.where: no select of "${sheetKey}" has one choice "${k}"`);
            return k;
          },
        );
      }
    }
  }
  return problems;
}

/** A template grant as the engine's `createRole` takes it: fields and condition by id, choices by name. */
function sheetAccess(state: InstallState, sheetKey: string, grant: TemplateRole['sheets'][string]): SheetAccess {
  const field = (key: string) => (ASKER_VARS.has(key) ? key : state.fieldId(sheetKey, key));
  return {
    read: grant.read,
    create: grant.create,
    update: grant.update,
    delete: grant.delete,
    ...(grant.where !== undefined ? { where: mapCondition(grant.where, field, (k) => state.choice(sheetKey, k)) } : {}),
    ...(grant.fields ? { fields: Object.fromEntries(Object.entries(grant.fields).map(([k, g]) => [state.fieldId(sheetKey, k), g])) } : {}),
  };
}

export interface InstalledRole {
  id: string;
  name: string;
}

/**
 * Creates the template's roles over the sheets this install created, through the engine's `createRole` (audited, as
 * an admin's). A role name already taken gets a suffix, as a sheet's does: a role of the workspace is never changed
 * by an install, and each created role grants on the sheets of its own install. Creating roles is managing members:
 * an installer whose role may design but not manage members gets the sheets without the roles (answered as `[]`).
 */
export async function installRoles(state: InstallState, roles: readonly TemplateRole[]): Promise<InstalledRole[]> {
  if (!roles.length || !state.access.role.members) return [];
  const existing = (await listRoles(state.engine, state.access)).map((r) => ({ name: r.name }));
  const installed: InstalledRole[] = [];
  for (const role of roles) {
    const name = freeName(existing, state.text(role.name));
    existing.push({ name });
    const sheets = Object.fromEntries(Object.entries(role.sheets).map(([key, grant]) => [state.sheetId(key), sheetAccess(state, key, grant)]));
    const created = await createRole(state.engine, await state.current(), { name, design: role.design, members: role.members, sheets, otherSheets: role.otherSheets });
    installed.push({ id: created.id, name: created.name });
  }
  return installed;
}
