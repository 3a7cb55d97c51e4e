import type { SheetDef, WorkspaceOverview } from '../catalog/model.js';
import { findField, findSheet } from '../catalog/resolve.js';
import { compileTemplate } from '../documents/template.js';
import { EngineError } from '../errors.js';
import { compileWorkflowCondition, displayWorkflowCondition } from './conditions.js';
import type { StepInput, StoredStep, StoredTrigger, TriggerInput } from './model.js';
import { stepHandler } from './steps/registry.js';
import { asksInTurn, resolveInTurn } from './steps/turns.js';

/** A 400 naming where in the workflow the problem is: `{fields: {"steps.2.fields.Amount": "…"}}`. */
export function invalid(path: string, message: string): EngineError {
  return new EngineError('validation_failed', `${path}: ${message}`, { fields: { [path]: message } });
}

/** Trigger types this version runs; the others are refused when saved rather than saved and never run. */
const RUNNABLE_TRIGGERS = new Set(['record_created', 'record_updated', 'record_matches', 'form_submitted', 'button', 'schedule', 'date']);

function sheetAt(ws: WorkspaceOverview, ref: string, path: string): SheetDef {
  const sheet = findSheet(ws, ref);
  if (!sheet) throw invalid(path, `there is no sheet "${ref}"`);
  return sheet;
}

function fieldAt(sheet: SheetDef, ref: string, path: string): string {
  const field = findField(sheet, ref);
  if (!field) throw invalid(path, `the sheet "${sheet.name}" has no field "${ref}"`);
  return field.id;
}

/** Handlebars text is parsed when saved, so a broken placeholder is a 400 with its line and column. */
export function checkTemplate(source: string, path: string): void {
  if (!source.includes('{{')) return;
  try {
    compileTemplate(source);
  } catch (error) {
    if (error instanceof EngineError) {
      const message = String((error.details?.fields as Record<string, string> | undefined)?.template ?? error.message);
      throw invalid(path, message);
    }
    throw error;
  }
}

export function resolveTrigger(ws: WorkspaceOverview, trigger: TriggerInput): { trigger: StoredTrigger; sheet: SheetDef | undefined } {
  if (!RUNNABLE_TRIGGERS.has(trigger.type)) throw invalid('trigger.type', `"${trigger.type}" triggers are not available yet in this version`);
  switch (trigger.type) {
    case 'record_created':
      return { trigger: { type: trigger.type, sheet: sheetAt(ws, trigger.sheet, 'trigger.sheet').id }, sheet: sheetAt(ws, trigger.sheet, 'trigger.sheet') };
    case 'record_updated': {
      const sheet = sheetAt(ws, trigger.sheet, 'trigger.sheet');
      const fields = trigger.fields?.map((ref, i) => fieldAt(sheet, ref, `trigger.fields.${i}`));
      const condition = trigger.condition === undefined ? undefined : compileWorkflowCondition(sheet, trigger.condition, 'trigger.condition');
      return {
        trigger: { type: trigger.type, sheet: sheet.id, ...(fields?.length ? { fields: [...new Set(fields)] } : {}), ...(condition !== undefined ? { condition } : {}) },
        sheet,
      };
    }
    case 'record_matches': {
      const sheet = sheetAt(ws, trigger.sheet, 'trigger.sheet');
      return { trigger: { type: trigger.type, sheet: sheet.id, condition: compileWorkflowCondition(sheet, trigger.condition, 'trigger.condition') }, sheet };
    }
    case 'form_submitted': {
      const sheet = sheetAt(ws, trigger.sheet, 'trigger.sheet');
      return { trigger: { type: trigger.type, sheet: sheet.id, ...(trigger.form ? { form: trigger.form } : {}) }, sheet };
    }
    case 'date': {
      const sheet = sheetAt(ws, trigger.sheet, 'trigger.sheet');
      const field = fieldAt(sheet, trigger.field, 'trigger.field');
      const type = sheet.fields.find((f) => f.id === field)!.type;
      if (type !== 'date' && type !== 'datetime') throw invalid('trigger.field', `"${trigger.field}" is not a date field`);
      return { trigger: { ...trigger, sheet: sheet.id, field }, sheet };
    }
    case 'button': {
      const sheet = sheetAt(ws, trigger.sheet, 'trigger.sheet');
      return { trigger: { ...trigger, sheet: sheet.id }, sheet };
    }
    case 'schedule':
      if (trigger.every === 'week' && trigger.day !== undefined) throw invalid('trigger.day', 'is for monthly schedules: a weekly one takes "weekday" (1 Monday to 7 Sunday)');
      if (trigger.every === 'month' && trigger.weekday !== undefined) throw invalid('trigger.weekday', 'is for weekly schedules: a monthly one takes "day" (1 to 31)');
      if (trigger.every === 'day' && (trigger.day !== undefined || trigger.weekday !== undefined)) throw invalid(trigger.day !== undefined ? 'trigger.day' : 'trigger.weekday', 'a daily schedule takes only "at"');
      return { trigger, sheet: undefined };
  }
}

/** What resolving a step may consult: the catalog and the trigger's sheet (the record a step reads by default). */
export interface ResolveContext {
  ws: WorkspaceOverview;
  sheet: SheetDef | undefined;
}

export function resolveSteps(ctx: ResolveContext, steps: StepInput[], prefix = 'steps'): StoredStep[] {
  return steps.map((step, i) => {
    const path = `${prefix}.${i}`;
    const handler = stepHandler(step.type);
    if (!handler) throw invalid(`${path}.type`, `"${step.type}" steps are not available yet in this version`);
    return handler.resolve(step as never, { ...ctx, path, resolveSteps: (inner, at) => resolveSteps(ctx, inner, at) });
  });
}

/** A field mapping with field ids for keys; text values are checked as templates, `{inTurn}` values as such (turns.ts). */
export function resolveFieldMap(sheet: SheetDef, fields: Record<string, unknown>, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [ref, value] of Object.entries(fields)) {
    const at = `${path}.${ref}`;
    const id = fieldAt(sheet, ref, at);
    const field = sheet.fields.find((f) => f.id === id)!;
    if (field.impl.readOnly) throw invalid(at, `"${field.name}" is computed or read-only and cannot be set`);
    if (asksInTurn(value)) {
      out[id] = resolveInTurn(field, value, at);
      continue;
    }
    if (typeof value === 'string') checkTemplate(value, at);
    out[id] = value;
  }
  return out;
}

/** A field mapping with current field names for keys. */
export function displayFieldMap(sheet: SheetDef | undefined, fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([id, value]) => [sheet?.fields.find((f) => f.id === id)?.name ?? id, value]));
}

export function sheetRefOf(ws: WorkspaceOverview, ref: string, path: string): SheetDef {
  return sheetAt(ws, ref, path);
}

export function fieldRefOf(sheet: SheetDef, ref: string, path: string): string {
  return fieldAt(sheet, ref, path);
}

/** The trigger as the API shows it: sheet and field names. */
export function displayTrigger(ws: WorkspaceOverview, trigger: StoredTrigger): unknown {
  if (trigger.type === 'schedule') return trigger;
  const sheet = ws.sheets.find((s) => s.id === trigger.sheet);
  const sheetName = sheet?.name ?? trigger.sheet;
  const fieldName = (id: string) => sheet?.fields.find((f) => f.id === id)?.name ?? id;
  switch (trigger.type) {
    case 'record_updated':
      return {
        ...trigger,
        sheet: sheetName,
        ...(trigger.fields ? { fields: trigger.fields.map(fieldName) } : {}),
        ...(trigger.condition !== undefined ? { condition: displayWorkflowCondition(sheet, trigger.condition) } : {}),
      };
    case 'record_matches':
      return { ...trigger, sheet: sheetName, condition: displayWorkflowCondition(sheet, trigger.condition) };
    case 'date':
      return { ...trigger, sheet: sheetName, field: fieldName(trigger.field) };
    default:
      return { ...trigger, sheet: sheetName };
  }
}

export function displaySteps(ctx: ResolveContext, steps: StoredStep[]): unknown[] {
  return steps.map((step) => stepHandler(step.type)?.display(step as never, { ...ctx, displaySteps: (inner) => displaySteps(ctx, inner) }) ?? step);
}
