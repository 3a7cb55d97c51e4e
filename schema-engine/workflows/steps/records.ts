import type { SheetDef } from '../../catalog/model.js';
import { createSheetRecords, updateSheetRecord } from '../../access/records.js';
import { EngineError } from '../../errors.js';
import { ruleValues } from '../../rules/check.js';
import type { RecordJson } from '../../records/read.js';
import type { StoredStep } from '../model.js';
import { checkTemplate, displayFieldMap, invalid, resolveFieldMap, sheetRefOf } from '../resolve.js';
import { renderText } from './render.js';
import type { StepContext, StepHandler } from './types.js';

type Update = Extract<StoredStep, { type: 'update_record' }>;
type Create = Extract<StoredStep, { type: 'create_record' }>;

const NUMERIC = new Set(['number', 'currency', 'percent', 'rating', 'duration']);
const LISTS = new Set(['link', 'multi_user', 'multi_select']);

/**
 * A mapping's values for a write: text has its placeholders filled in, then reads as the field's type wants it
 * (a number, a checkbox, a list of ids); other JSON goes as it is. Keys stay field ids.
 */
export function renderFields(sheet: SheetDef, fields: Record<string, unknown>, ctx: StepContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(fields)) {
    const field = sheet.fields.find((f) => f.id === id);
    if (!field) throw new EngineError('validation_failed', `The field ${id} of "${sheet.name}" no longer exists; edit the workflow`);
    if (typeof value !== 'string' || !value.includes('{{')) {
      out[id] = value;
      continue;
    }
    const text = renderText(value, ctx.data).trim();
    if (text === '') out[id] = null;
    else if (NUMERIC.has(field.type) && Number.isFinite(Number(text))) out[id] = Number(text);
    else if (field.type === 'checkbox' && (text === 'true' || text === 'false')) out[id] = text === 'true';
    else if (LISTS.has(field.type)) out[id] = text.split(',').map((part) => part.trim()).filter(Boolean);
    else out[id] = text;
  }
  return out;
}

/** A written record as outputs show it: its id and values by name. */
const recordOutput = (sheet: SheetDef, record: RecordJson) => ({ id: record.id, sheet: sheet.name, ...record.fields });

function targetSheet(ctx: StepContext, sheetId: string): SheetDef {
  const sheet = ctx.access.full.sheets.find((s) => s.id === sheetId);
  if (!sheet) throw new EngineError('validation_failed', `The sheet ${sheetId} no longer exists; edit the workflow`);
  return sheet;
}

/** Changes the trigger record, or the record whose id a placeholder gives (a linked one: `{{record.Account.[0].id}}`). */
export const updateRecordStep: StepHandler<Update, { sheet: SheetDef; recordId: string; fields: Record<string, unknown> }> = {
  type: 'update_record',
  resolve(input, ctx) {
    const record = input.record ?? 'trigger';
    if (record !== 'trigger') checkTemplate(record, `${ctx.path}.record`);
    const sheet = input.sheet ? sheetRefOf(ctx.ws, input.sheet, `${ctx.path}.sheet`) : ctx.sheet;
    if (!sheet) throw invalid(`${ctx.path}.sheet`, 'is required: the trigger has no sheet');
    if (record === 'trigger' && sheet.id !== ctx.sheet?.id) throw invalid(`${ctx.path}.record`, `the trigger record is not of "${sheet.name}": give the record's id as {{…}}`);
    return { type: 'update_record', record, sheet: sheet.id, fields: resolveFieldMap(sheet, input.fields, `${ctx.path}.fields`) };
  },
  display: (stored, ctx) => {
    const sheet = ctx.ws.sheets.find((s) => s.id === stored.sheet);
    return { type: 'update_record', record: stored.record, sheet: sheet?.name ?? stored.sheet, fields: displayFieldMap(sheet, stored.fields) };
  },
  async plan(stored, ctx) {
    const sheet = targetSheet(ctx, stored.sheet);
    const recordId = stored.record === 'trigger' ? ctx.recordId : renderText(stored.record, ctx.data).trim();
    if (!recordId) throw new EngineError('validation_failed', stored.record === 'trigger' ? 'The run has no trigger record to update' : `"${stored.record}" gave no record id`);
    return { sheet, recordId, fields: renderFields(sheet, stored.fields, ctx) };
  },
  async execute(plan, ctx) {
    const record = await updateSheetRecord(ctx.engine, ctx.access, plan.sheet.id, plan.recordId, { fields: plan.fields });
    const isTrigger = plan.recordId === ctx.recordId && plan.sheet.id === ctx.sheet?.id;
    return { output: { record: recordOutput(plan.sheet, record) }, ...(isTrigger ? { record: ruleValues(plan.sheet, record) } : {}) };
  },
  preview: (plan) => ({ sheet: plan.sheet.name, record: plan.recordId, fields: displayFieldMap(plan.sheet, plan.fields) }),
};

/** Adds a record to any sheet, its fields mapped from the run's values. */
export const createRecordStep: StepHandler<Create, { sheet: SheetDef; fields: Record<string, unknown> }> = {
  type: 'create_record',
  resolve(input, ctx) {
    const sheet = sheetRefOf(ctx.ws, input.sheet, `${ctx.path}.sheet`);
    return { type: 'create_record', sheet: sheet.id, fields: resolveFieldMap(sheet, input.fields, `${ctx.path}.fields`) };
  },
  display: (stored, ctx) => {
    const sheet = ctx.ws.sheets.find((s) => s.id === stored.sheet);
    return { type: 'create_record', sheet: sheet?.name ?? stored.sheet, fields: displayFieldMap(sheet, stored.fields) };
  },
  async plan(stored, ctx) {
    const sheet = targetSheet(ctx, stored.sheet);
    return { sheet, fields: renderFields(sheet, stored.fields, ctx) };
  },
  async execute(plan, ctx) {
    const [record] = await createSheetRecords(ctx.engine, ctx.access, plan.sheet.id, [plan.fields]);
    return { output: { record: recordOutput(plan.sheet, record!) } };
  },
  preview: (plan) => ({ sheet: plan.sheet.name, fields: displayFieldMap(plan.sheet, plan.fields) }),
};
