import { designedSheet, readableSheet } from '../access/guard.js';
import type { Access } from '../access/model.js';
import { audit } from '../access/changes.js';
import { transact } from '../transaction.js';
import type { Engine } from '../engine.js';
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

/** A sheet's conversions as stored. */
export async function conversionsOf(db: Db, sheet: SheetDef): Promise<ConversionJson[]> {
  const rows = await db.selectFrom('conversions').select(['id', 'name', 'spec']).where('workspace_id', '=', sheet.workspaceId).where('sheet_id', '=', sheet.id).orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, spec: r.spec as ConversionSpec }));
}

/**
 * The conversions a user reading the sheet may run (or see greyed out), naming only fields they see: a spec reading
 * a field hidden from them would otherwise give its id (and which target field its value goes to).
 */
export async function listConversions(engine: Engine, access: Access, sheetRef: string): Promise<ConversionJson[]> {
  const grant = readableSheet(access, sheetRef);
  const conversions = await conversionsOf(engine.db, grant.full);
  if (access.role.design) return conversions;
  return conversions.map((c) => ({ ...c, spec: seenSpec(access, grant.hidden, c.spec) }));
}

/** A spec without the fields hidden from the user: on the source sheet (`hidden`) and on each target sheet. */
function seenSpec(access: Access, hidden: ReadonlySet<string>, spec: ConversionSpec): ConversionSpec {
  const shown = (id: string) => !hidden.has(id);
  const keep = <T>(record: Record<string, T>, ok: (key: string, value: T) => boolean) => Object.fromEntries(Object.entries(record).filter(([k, v]) => ok(k, v)));
  return {
    ...(spec.requires && shown(spec.requires.fieldId) ? { requires: spec.requires } : {}),
    ...(spec.mark && shown(spec.mark.fieldId) ? { mark: spec.mark } : {}),
    targets: spec.targets.map((target) => {
      const targetHidden = access.grant(target.sheetId)?.hidden ?? new Set<string>();
      const seen = (id: string) => !targetHidden.has(id);
      return {
        key: target.key,
        sheetId: target.sheetId,
        fields: keep(target.fields, (to, from) => seen(to) && shown(from)),
        ...(target.match !== undefined && seen(target.match) ? { match: target.match } : {}),
        links: keep(target.links, (to) => seen(to)),
      };
    }),
    backLinks: keep(spec.backLinks, (link) => shown(link)),
  };
}

export async function getConversion(db: Db, sheet: SheetDef, id: string): Promise<ConversionJson> {
  const found = (await conversionsOf(db, sheet)).find((c) => c.id === id);
  if (!found) throw notFound(`Conversion "${id}"`);
  return found;
}

export async function createConversion(engine: Engine, access: Access, sheetRef: string, input: ConversionInput): Promise<ConversionJson> {
  const db = engine.db;
  const ws = access.full;
  const sheet = designedSheet(access, sheetRef);
  const spec = bindConversion(ws, sheet, input);
  const existing = await conversionsOf(db, sheet);
  if (existing.length >= MAX_CONVERSIONS) throw badRequest(`A sheet can have at most ${MAX_CONVERSIONS} conversions`);
  assertNameFree(existing, input.name, 'conversion');
  const id = newId('cnv');
  await transact(db, async (trx) => {
    await trx.insertInto('conversions').values({ id, workspace_id: ws.id, sheet_id: sheet.id, name: input.name, spec: JSON.stringify(spec) }).execute();
    await audit(trx, access, 'conversion.create', { kind: 'conversion', id, name: input.name }, undefined, { sheet: { id: sheet.id, name: sheet.name }, name: input.name, spec });
  });
  return { id, name: input.name, spec };
}

export async function deleteConversion(engine: Engine, access: Access, sheetRef: string, id: string): Promise<void> {
  const db = engine.db;
  const sheet = designedSheet(access, sheetRef);
  await transact(db, async (trx) => {
    const deleted = await trx.deleteFrom('conversions').where('id', '=', id).where('sheet_id', '=', sheet.id).returning(['name', 'spec']).executeTakeFirst();
    if (!deleted) throw notFound(`Conversion "${id}"`);
    await audit(trx, access, 'conversion.delete', { kind: 'conversion', id, name: deleted.name }, { sheet: { id: sheet.id, name: sheet.name }, name: deleted.name, spec: deleted.spec }, undefined);
  });
}
