import type { SheetDef } from '../catalog/model.js';
import type { LinkOptions } from '../computed/sql.js';
import type { FormElement, FormLayout } from './layout.js';

/**
 * The form every sheet has before anyone designs one: each field in the sheet's order, one per row, and the
 * children of a one-to-many link as an editable related list.
 */
export function defaultLayout(sheet: SheetDef): FormLayout {
  const rows = sheet.fields.map((field, i) => {
    const many = field.type === 'link' && (field.options as LinkOptions).relationship === 'one_to_many';
    const element: FormElement = many ? { kind: 'related', id: `e${i}`, field: field.id } : { kind: 'field', id: `e${i}`, field: field.id };
    return { id: `r${i}`, columns: [{ id: `c${i}`, elements: [element] }] };
  });
  return { tabs: [{ id: 'main', title: sheet.name, sections: [{ id: 'fields', rows }] }] };
}
