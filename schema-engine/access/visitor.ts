import { createHash } from 'node:crypto';
import type { SheetDef, WorkspaceOverview } from '../catalog/model.js';
import type { LinkOptions } from '../computed/sql.js';
import type { FormLayout } from '../forms/layout.js';
import { placedElements } from '../forms/walk.js';
import { PUBLIC_FORM_USER_ID } from '../ids.js';
import { NOTHING } from './builtins.js';
import { makeAccess } from './load.js';
import type { Access, RoleDef, SheetAccess } from './model.js';

/**
 * A public form's visitor goes through the same access layer as a member, with a role the form defines: add records
 * to its sheet, writing only the fields the published form shows (every other one is hidden), read nothing, and link
 * only to records of the sheets its link fields point to (the form's own settings narrow those to the ones offered).
 */
export function visitorAccess(ws: WorkspaceOverview, sheet: SheetDef, formId: string, layout: FormLayout): Access {
  const shown = new Set(placedElements(layout).flatMap(({ element }) => ('field' in element ? [element.field] : [])));
  const fields = Object.fromEntries(sheet.fields.filter((f) => !shown.has(f.id)).map((f) => [f.id, 'hidden' as const]));
  const sheets: Record<string, SheetAccess> = { [sheet.id]: { read: 'none', create: true, update: 'none', delete: 'none', fields } };
  for (const field of sheet.fields) {
    if (field.type === 'link' && shown.has(field.id)) sheets[(field.options as LinkOptions).sheet] ??= { read: 'all', create: false, update: 'none', delete: 'none' };
  }
  const digest = createHash('sha256').update(JSON.stringify(sheets)).digest('hex').slice(0, 16);
  const role: RoleDef = { id: `public:${formId}:${digest}`, name: 'public form', builtIn: null, design: false, members: false, sheets, otherSheets: NOTHING, version: 1 };
  return makeAccess(ws, role, { userId: PUBLIC_FORM_USER_ID, teams: [], teammates: [] });
}
