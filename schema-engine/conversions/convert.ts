import type { FieldDef, SheetDef, WorkspaceOverview } from '../catalog/model.js';
import type { Engine } from '../engine.js';
import { EngineError, fieldErrors, notFound } from '../errors.js';
import { fetchRecords, isRecordId } from '../records/fetch.js';
import type { RecordJson } from '../records/read.js';
import { createRecords, updateRecord } from '../records/write.js';
import { readableSheet } from '../access/guard.js';
import type { Access } from '../access/model.js';
import { guardOf, writerOf } from '../access/records.js';
import { getConversion } from './conversions.js';
import { listRecords } from '../query/list.js';
import { scopeEngine, writeTransaction } from '../transaction.js';
import type { TargetSpec } from './spec.js';

export interface ConvertRequest {
  /** Target key → an existing record to link to instead of creating one (the account the lead's company is). */
  use?: Record<string, string>;
}

export interface ConvertResult {
  record: RecordJson;
  targets: Record<string, { sheetId: string; id: string; created: boolean }>;
}

const byId = (sheet: SheetDef, id: string) => sheet.fields.find((f) => f.id === id)!;

/** A value as read, written back: links and files by id (users and the rest are taken as read). */
function asInput(field: FieldDef, value: unknown): unknown {
  if (field.type === 'link' || field.type === 'attachment') return (value as { id: string }[]).map((v) => v.id);
  return value;
}

/**
 * Converts a record in one transaction: each target is an existing record (chosen, or matched on a field, among those
 * the user may read) or a new one from the mapped values, linked to the targets before it; then the record links back
 * to them and is marked. The user must be allowed to change the record and to add records to each target sheet it
 * creates in. Any refusal leaves everything as it was.
 */
export async function convertRecord(engine: Engine, access: Access, sheetRef: string, conversionId: string, recordId: string, request: ConvertRequest): Promise<ConvertResult> {
  const grant = readableSheet(access, sheetRef);
  const sheet = grant.full;
  const { spec } = await getConversion(engine.db, sheet, conversionId);
  if (!isRecordId(recordId)) throw notFound(`Record "${recordId}"`);
  const ws = access.full;
  const writer = writerOf(access);
  return writeTransaction(engine.db, ws, async (trx) => {
    const scoped = scopeEngine(engine, trx);
    const [source] = await fetchRecords(trx, ws, sheet, [recordId], { forUpdate: true });
    if (!source) throw notFound(`Record "${recordId}"`);
    await guardOf(access, grant, 'update')?.(trx, recordId);
    const value = (fieldId: string) => source.fields[byId(sheet, fieldId).name];
    if (spec.mark && value(spec.mark.fieldId) === spec.mark.value) {
      throw new EngineError('conflict', `This record is "${spec.mark.value}" already; it is converted once`);
    }
    if (spec.requires && value(spec.requires.fieldId) !== spec.requires.value) {
      const field = byId(sheet, spec.requires.fieldId);
      // A condition on a field hidden from the user neither names the field nor tells its value.
      if (grant.hidden.has(field.id)) throw new EngineError('validation_failed', 'This record does not meet the condition of this conversion yet');
      throw fieldErrors({ [field.name]: `must be "${spec.requires.value}" before converting (it is ${JSON.stringify(value(field.id) ?? null)})` });
    }
    // A user converting copies (and matches on) only what they may read: a hidden field's value would show in the
    // new record, or in which existing record it picked.
    const seenValue = (fieldId: string) => (grant.hidden.has(fieldId) ? undefined : value(fieldId));
    const targets: ConvertResult['targets'] = {};
    for (const target of spec.targets) {
      const tsheet = ws.sheets.find((s) => s.id === target.sheetId)!;
      const seenTarget = access.grant(tsheet.id)?.sheet;
      const existing = seenTarget && (await chosenOrMatched(scoped, access.ws, seenTarget, target, request.use?.[target.key], sheet, seenValue));
      if (existing) {
        targets[target.key] = { sheetId: tsheet.id, id: existing, created: false };
        continue;
      }
      if (!access.grant(tsheet.id)?.create) throw new EngineError('forbidden', `Your role (${access.role.name}) cannot add records to "${tsheet.name}", which this conversion creates`);
      const input = mapped(tsheet, target, sheet, seenValue);
      for (const [linkId, other] of Object.entries(target.links)) input[byId(tsheet, linkId).name] = [targets[other]!.id];
      const [created] = await prefixed(tsheet, () => createRecords(scoped, ws, tsheet, [input], writer));
      targets[target.key] = { sheetId: tsheet.id, id: created!.id, created: true };
    }
    const back: Record<string, unknown> = {};
    for (const [linkId, key] of Object.entries(spec.backLinks)) back[byId(sheet, linkId).name] = [targets[key]!.id];
    if (spec.mark) back[byId(sheet, spec.mark.fieldId).name] = spec.mark.value;
    const record = Object.keys(back).length ? await updateRecord(scoped, ws, sheet, recordId, { fields: back }, writer) : source;
    const [visible] = grant.sheet && access.ws !== ws ? await fetchRecords(trx, access.ws, grant.sheet, [recordId]) : [record];
    return { record: visible ?? { ...record, fields: {} }, targets };
  });
}

/** The mapped values of a new target record, empty ones left out. */
function mapped(tsheet: SheetDef, target: TargetSpec, sheet: SheetDef, value: (fieldId: string) => unknown): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [to, from] of Object.entries(target.fields)) {
    const v = value(from);
    if (v !== undefined && v !== null) input[byId(tsheet, to).name] = asInput(byId(sheet, from), v);
  }
  return input;
}

async function chosenOrMatched(
  engine: Engine,
  ws: WorkspaceOverview,
  tsheet: SheetDef,
  target: TargetSpec,
  chosen: string | undefined,
  sheet: SheetDef,
  value: (fieldId: string) => unknown,
): Promise<string | undefined> {
  if (chosen !== undefined) {
    const [found] = isRecordId(chosen) ? await fetchRecords(engine.db, ws, tsheet, [chosen]) : [];
    if (!found) throw fieldErrors({ [`use.${target.key}`]: `"${tsheet.name}" has no record ${chosen}` });
    return found.id;
  }
  if (!target.match) return undefined;
  const from = Object.entries(target.fields).find(([to]) => to === target.match)?.[1];
  const wanted = from === undefined ? undefined : value(from);
  if (wanted === undefined || wanted === null || typeof wanted === 'object') return undefined;
  const page = await listRecords(engine.db, ws, tsheet, { filter: { '==': [{ var: target.match }, wanted] }, limit: 1 });
  return page.records[0]?.id;
}

/** A target's refusal says which sheet it came from. */
async function prefixed<T>(tsheet: SheetDef, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof EngineError && error.code === 'validation_failed') throw new EngineError(error.code, `${tsheet.name}: ${error.message}`, error.details);
    throw error;
  }
}
