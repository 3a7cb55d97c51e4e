import type { SheetDef, WorkspaceOverview } from '../catalog/model.js';
import type { Db } from '../db.js';
import { badRequest, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { assertNameFree } from '../schema-changes/names.js';
import { bindConversion, type ConversionInput, type ConversionSpec } from './spec.js';

const MAX_CONVERSIONS = 20;

export interface ConversionJson {
  id: string;
  name: string;
  spec: ConversionSpec;
}

export async function listConversions(db: Db, sheet: SheetDef): Promise<ConversionJson[]> {
  const rows = await db.selectFrom('conversions').select(['id', 'name', 'spec']).where('workspace_id', '=', sheet.workspaceId).where('sheet_id', '=', sheet.id).orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, spec: r.spec as ConversionSpec }));
}

export async function getConversion(db: Db, sheet: SheetDef, id: string): Promise<ConversionJson> {
  const found = (await listConversions(db, sheet)).find((c) => c.id === id);
  if (!found) throw notFound(`Conversion "${id}"`);
  return found;
}

export async function createConversion(db: Db, ws: WorkspaceOverview, sheet: SheetDef, input: ConversionInput): Promise<ConversionJson> {
  const spec = bindConversion(ws, sheet, input);
  const existing = await listConversions(db, sheet);
  if (existing.length >= MAX_CONVERSIONS) throw badRequest(`A sheet can have at most ${MAX_CONVERSIONS} conversions`);
  assertNameFree(existing, input.name, 'conversion');
  const id = newId('cnv');
  await db.insertInto('conversions').values({ id, workspace_id: ws.id, sheet_id: sheet.id, name: input.name, spec: JSON.stringify(spec) }).execute();
  return { id, name: input.name, spec };
}

export async function deleteConversion(db: Db, sheet: SheetDef, id: string): Promise<void> {
  const result = await db.deleteFrom('conversions').where('id', '=', id).where('sheet_id', '=', sheet.id).executeTakeFirst();
  if (!result.numDeletedRows) throw notFound(`Conversion "${id}"`);
}
