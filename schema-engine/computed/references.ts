import type { FieldDef } from '../catalog/model.js';
import { findField, findSheet } from '../catalog/resolve.js';
import { FieldValueError, type OptionScope, type Resolver } from '../field-types/field-type.js';
import type { LinkOptions } from './sql.js';

/** Options of a lookup or rollup: a link of this sheet and a field of the linked sheet. */
export interface ThroughLinkOptions {
  link: string;
  field: string;
}

/** Binds `link` (a link field of this sheet) and `field` (of the linked sheet), by name or id, to ids. */
export function bindThroughLink<O extends ThroughLinkOptions>(options: O, { ws, sheet }: OptionScope): O {
  const link = findField(sheet, options.link);
  if (!link) throw new FieldValueError(`options.link: "${sheet.name}" has no field "${options.link}"`);
  if (link.type !== 'link') throw new FieldValueError(`options.link: "${link.name}" is a ${link.type} field, not a link`);
  const target = findSheet(ws, (link.options as LinkOptions).sheet);
  if (!target) throw new FieldValueError(`options.link: the sheet "${link.name}" links to is in the trash`);
  const field = findField(target, options.field);
  if (!field) throw new FieldValueError(`options.field: "${target.name}" has no field "${options.field}"`);
  return { ...options, link: link.id, field: field.id };
}

/** The link and the linked field as resolved, or why they cannot be. */
export function resolveThroughLink(field: FieldDef, options: ThroughLinkOptions, resolver: Resolver): { link: FieldDef; target: FieldDef } | { error: string } {
  const link = resolver.field(field.sheetId, options.link);
  if ('error' in link) return { error: `its link field ${link.error}` };
  if (link.type !== 'link') return { error: 'its link field is no longer a link' };
  const target = resolver.field((link.options as LinkOptions).sheet, options.field);
  if ('error' in target) return { error: `the field it reads ${target.error}` };
  if (target.impl.valueless) return { error: `the field it reads ("${target.name}") is a ${target.type} field and has no value` };
  return { link, target };
}
