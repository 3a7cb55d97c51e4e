import type { SheetDef } from '../../catalog/model.js';
import { createSheetRecords, updateSheetRecord } from '../../access/records.js';
import { EngineError } from '../../errors.js';
import { ruleValues } from '../../rules/check.js';
import type { RecordJson } from '../../records/read.js';
import type { StoredStep } from '../model.js';
import { checkTemplate, displayFieldMap, invalid, resolveFieldMap, sheetRefOf } from '../resolve.js';
import { fetchRecords } from '../../records/fetch.js';
import { renderText } from './render.js';
import { inTurnOf, planTurns, takeTurns, type TurnPlan } from './turns.js';
import type { StepContext, StepHandler } from './types.js';

type Update = Extract<StoredStep, { type: 'update_record' }>;
type Create = Extract<StoredStep, { type: 'create_record' }>;

const NUMERIC = new Set(['number', 'currency', 'percent', 'rating', 'duration']);
const LISTS = new Set(['link', 'multi_user', 'multi_select']);

/**
 * A mapping's values for a write: text has its placeholders filled in, then reads as the field's type wants it
 * (a number, a checkbox, a list of ids); other JSON goes as it is, but for `{inTurn}` (planTurns decides those). Keys
 * stay field ids.
 */
export function renderFields(sheet: SheetDef, fields: Record<string, unknown>, ctx: StepContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(fields)) {
    const field = sheet.fields.find((f) => f.id === id);
    if (!field) throw new EngineError('validation_failed', `The field ${id} of "${sheet.name}" no longer exists; edit the workflow`);
    if (inTurnOf(value)) continue;
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

/** A written record as outputs show it: its id and values by name, and whom in-turn fields gave it to. */
function recordOutput(sheet: SheetDef, record: RecordJson, assigned: Record<string, unknown>) {
  return { record: { id: record.id, sheet: sheet.name, ...record.fields }, ...(Object.keys(assigned).length ? { assigned } : {}) };
}

/** The mapping's values with each in-turn field's turn taken (in the step's transaction). */
async function withTurns(plan: { fields: Record<string, unknown>; turns: TurnPlan[] }, ctx: StepContext) {
  const taken = await takeTurns(ctx.trx, { workflowId: ctx.run.workflowId, path: ctx.path }, plan.turns);
  return { fields: { ...plan.fields, ...taken.values }, assigned: taken.assigned };
}

/** A plan as a test run shows it: field names, and for an in-turn field among whom and who is next. */
function previewFields(sheet: SheetDef, plan: { fields: Record<string, unknown>; turns: TurnPlan[] }) {
  const turns = Object.fromEntries(plan.turns.map((t) => [t.fieldId, { inTurn: t.among, next: t.next }]));
  return displayFieldMap(sheet, { ...plan.fields, ...turns });
}

function targetSheet(ctx: StepContext, sheetId: string): SheetDef {
  const sheet = ctx.access.full.sheets.find((s) => s.id === sheetId);
  if (!sheet) throw new EngineError('validation_failed', `The sheet ${sheetId} no longer exists; edit the workflow`);
  return sheet;
}

/** Changes the trigger record, or the record whose id a placeholder gives (a linked one: `{{record.Account.[0].id}}`). */
export const updateRecordStep: StepHandler<Update, { sheet: SheetDef; recordId: string; fields: Record<string, unknown>; turns: TurnPlan[] }> = {
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
    return { sheet, recordId, fields: renderFields(sheet, stored.fields, ctx), turns: await planTurns(sheet, stored.fields, ctx) };
  },
  async execute(plan, ctx) {
    const { fields, assigned } = await withTurns(plan, ctx);
    const record = await updateSheetRecord(ctx.engine, ctx.access, plan.sheet.id, plan.recordId, { fields });
    if (plan.recordId !== ctx.recordId || plan.sheet.id !== ctx.sheet?.id) return { output: recordOutput(plan.sheet, record, assigned) };
    // Later steps read the trigger record whole, as the run started with it, even when the run's user no longer sees
    // it (a lead handed to another owner shows its writer no values).
    const [whole] = ctx.access.ws === ctx.access.full ? [record] : await fetchRecords(ctx.trx, ctx.access.full, plan.sheet, [record.id]);
    return { output: recordOutput(plan.sheet, record, assigned), record: ruleValues(plan.sheet, whole ?? record) };
  },
  preview: (plan) => ({ sheet: plan.sheet.name, record: plan.recordId, fields: previewFields(plan.sheet, plan) }),
};

/** Adds a record to any sheet, its fields mapped from the run's values. */
export const createRecordStep: StepHandler<Create, { sheet: SheetDef; fields: Record<string, unknown>; turns: TurnPlan[] }> = {
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
    return { sheet, fields: renderFields(sheet, stored.fields, ctx), turns: await planTurns(sheet, stored.fields, ctx) };
  },
  async execute(plan, ctx) {
    const { fields, assigned } = await withTurns(plan, ctx);
    const [record] = await createSheetRecords(ctx.engine, ctx.access, plan.sheet.id, [fields]);
    return { output: recordOutput(plan.sheet, record!, assigned) };
  },
  preview: (plan) => ({ sheet: plan.sheet.name, fields: previewFields(plan.sheet, plan) }),
};
