import type { Field, LinkRef, RecordJson, Sheet, User } from '../api/types.js';

const single = (f: Field) => f.type === 'link' && (f.options.relationship === 'many_to_one' || f.options.relationship === 'one_to_one');

/**
 * What a new record started from `parent` (through the new sheet's link field `via`) starts with: the link to the
 * parent, and the links the relationship carries: each other one-record link of the new sheet to a sheet the parent
 * also links one record of takes the parent's (a quote started from an opportunity gets the opportunity's account).
 */
export function carriedValues(sheet: Sheet, via: Field, parentSheet: Sheet, parent: RecordJson, parentTitle: string): Record<string, unknown> {
  const values: Record<string, unknown> = { [via.name]: [{ id: parent.id, title: parentTitle } satisfies LinkRef] };
  for (const field of sheet.fields) {
    if (field.id === via.id || !single(field)) continue;
    const from = parentSheet.fields.find((p) => single(p) && p.options.sheet === field.options.sheet);
    const value = from && (parent.fields[from.name] as LinkRef[] | undefined);
    if (value?.length) values[field.name] = value.slice(0, 1);
  }
  return values;
}

/**
 * A new record's people fields that the server gives the user creating it (the owner field, and those defaulting to
 * the current user), filled with them so the form shows it.
 */
export function currentUserDefaults(sheet: Sheet, me: User | undefined): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  if (!me) return values;
  for (const field of sheet.fields) {
    if (field.type === 'user' && (field.options.defaultCurrentUser === true || field.options.owner === true)) values[field.id] = { id: me.id, name: me.name, email: me.email };
  }
  return values;
}
