import type { Transaction } from 'kysely';
import type { FieldDef, SheetDef, WorkspaceOverview } from '../catalog/model.js';
import { linksToOne, MIRROR, type LinkOptions, type Relationship } from '../computed/sql.js';
import type { Database } from '../db.js';
import { badRequest, fieldErrors } from '../errors.js';
import type { LinkInput } from '../field-types/link.js';
import { newId, tableName } from '../ids.js';
import type { DdlAction } from './ddl.js';
import type { FieldSpec } from './field-input.js';
import { bumpSheetVersion, insertFieldRow } from './field-rows.js';
import { assertNameFree, freeName, sameName } from './names.js';
import { MAX_FIELDS } from './limits.js';

/** Unique indexes of a junction: a side that links to one record only holds each of its records once. */
export function junctionUniqueness(schema: string, linkId: string, relationship: Relationship, side: 'a' | 'b'): DdlAction[] {
  const other = side === 'a' ? 'b' : 'a';
  return [
    { kind: 'junction_index', schema, linkId, side, unique: linksToOne(relationship) },
    { kind: 'junction_index', schema, linkId, side: other, unique: linksToOne(MIRROR[relationship]) },
  ];
}

/**
 * A link field and its inverse on the linked sheet (the same sheet for a self link), sharing one junction table
 * created in the same transaction. The inverse is named after this sheet unless `inverseName` says otherwise.
 */
export async function addLinkPair(
  trx: Transaction<Database>,
  ws: WorkspaceOverview,
  sheet: SheetDef,
  fieldId: string,
  spec: FieldSpec,
  position: number,
): Promise<DdlAction[]> {
  const input = spec.options as LinkInput;
  const target = ws.sheets.find((s) => s.id === input.sheet)!;
  const selfLink = target.id === sheet.id;
  const taken = selfLink ? [...target.fields, { id: fieldId, name: spec.name }] : target.fields;
  if (target.fields.length >= MAX_FIELDS) throw badRequest(`"${target.name}" already has ${MAX_FIELDS} fields; its side of the link cannot be added`);
  let inverseName = input.inverseName;
  if (inverseName !== undefined) {
    if (taken.some((f) => sameName(f.name, inverseName!))) {
      throw fieldErrors({ [spec.name]: `options.inverseName: "${target.name}" already has a field named "${inverseName}"` });
    }
  } else {
    inverseName = freeName(taken, sheet.name);
  }
  const inverseId = newId('fld');
  const options: LinkOptions = { sheet: target.id, relationship: input.relationship, inverseField: inverseId, junction: fieldId, side: 'a' };
  const inverse: LinkOptions = { sheet: sheet.id, relationship: MIRROR[input.relationship], inverseField: fieldId, junction: fieldId, side: 'b' };
  await insertFieldRow(trx, { id: fieldId, workspaceId: ws.id, sheetId: sheet.id, position }, { ...spec, options });
  const inversePosition = Math.max(position, ...target.fields.map((f) => f.position)) + 1;
  await insertFieldRow(
    trx,
    { id: inverseId, workspaceId: ws.id, sheetId: target.id, position: inversePosition },
    { ...spec, name: inverseName, options: inverse, required: false, description: '', defaultValue: undefined },
  );
  if (!selfLink) await bumpSheetVersion(trx, target.id);
  return [
    { kind: 'create_junction', schema: ws.schema, linkId: fieldId, a: tableName(sheet.id), b: tableName(target.id) },
    ...junctionUniqueness(ws.schema, fieldId, input.relationship, 'a'),
  ];
}

/** Changing a link's relationship changes both fields and the junction's unique indexes (refused if links break it). */
export async function changeRelationship(trx: Transaction<Database>, ws: WorkspaceOverview, field: FieldDef, relationship: Relationship): Promise<DdlAction[]> {
  const options = field.options as LinkOptions;
  if (relationship === options.relationship) return [];
  const inverse = ws.sheets.flatMap((s) => s.fields).find((f) => f.id === options.inverseField);
  if (inverse) {
    await trx
      .updateTable('fields')
      .set({ options: JSON.stringify({ ...(inverse.options as LinkOptions), relationship: MIRROR[relationship] }) })
      .where('id', '=', inverse.id)
      .execute();
    await bumpSheetVersion(trx, inverse.sheetId);
  }
  return junctionUniqueness(ws.schema, options.junction, relationship, options.side);
}

/** The other field of a link pair, if it is live. */
export function inverseOf(ws: WorkspaceOverview, field: FieldDef): FieldDef | undefined {
  if (field.type !== 'link') return undefined;
  const id = (field.options as LinkOptions).inverseField;
  return ws.sheets.flatMap((s) => s.fields).find((f) => f.id === id);
}
