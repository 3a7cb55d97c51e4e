import { createWorkflow } from '../workflows/workflows.js';
import type { TemplateWorkflow } from './format.js';
import type { InstallState } from './install-state.js';
import { mapCondition } from './keys.js';
import type { TemplateModel } from './model.js';
import type { InstalledRole } from './roles.js';
import { LANGUAGES, localize, type Language, type Text } from './text.js';
import { loadWorkflow } from '../workflows/workflows.js';
import type { Engine } from '../engine.js';
import type { Access } from '../access/model.js';
import type { StoredStep } from '../workflows/model.js';

/** `$old.<key>`: a value before the update, in a record_updated condition. */
const OLD = '$old.';
/** `{{record.<key>}}` (and `{{old.<key>}}`) in a text: a field of the trigger sheet by key. */
const PLACEHOLDER = /\b(record|old)\.([A-Za-z0-9][A-Za-z0-9_-]*)/g;
/** Step keys whose values are texts (a language each, placeholders by key). */
const TEXTS = ['message', 'subject', 'body', 'to', 'cc', 'url', 'record'] as const;

/**
 * How a template workflow's keys become what the workflow API takes. The check (no database) answers keys back and
 * collects problems; the install answers ids, choice names and field names in the install's language.
 */
interface Names {
  sheet(key: string, at: string): string;
  field(sheetKey: string, key: string, at: string): string;
  /** A field as a placeholder segment: `[Field name]`. */
  placeholder(sheetKey: string, key: string): string | undefined;
  choice(sheetKey: string, key: string, at: string): string;
  text(text: Text): string;
  approver(ref: string): string;
  /** One of those an in-turn field goes round: `@<role key>`, or a member as the API takes them. */
  inTurn(ref: string): string;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const isText = (value: unknown): value is Text =>
  typeof value === 'string' || (typeof value === 'object' && value !== null && LANGUAGES.every((l) => typeof (value as Record<string, unknown>)[l] === 'string'));

function mapText(names: Names, sheetKey: string | undefined, value: Text): string {
  const text = names.text(value);
  if (!sheetKey) return text;
  return text.replace(PLACEHOLDER, (whole, scope: string, key: string) => {
    const segment = names.placeholder(sheetKey, key);
    return segment === undefined ? whole : `${scope}.${segment}`;
  });
}

function mapLogic(names: Names, sheetKey: string, logic: unknown, at: string): unknown {
  return mapCondition(
    logic,
    (k) => (k.startsWith(OLD) ? OLD + names.field(sheetKey, k.slice(OLD.length), at) : names.field(sheetKey, k, at)),
    (k) => names.choice(sheetKey, k, at),
  );
}

function mapFields(names: Names, sheetKey: string, triggerSheet: string | undefined, fields: unknown, at: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries((fields ?? {}) as Record<string, unknown>)) {
    const field = names.field(sheetKey, key, `${at}.${key}`);
    const single = value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1 ? (value as { choice?: unknown; inTurn?: unknown }) : undefined;
    const choice = str(single?.choice);
    if (choice !== undefined) out[field] = names.choice(sheetKey, choice, `${at}.${key}`);
    else if (Array.isArray(single?.inTurn)) out[field] = { inTurn: [...new Set(single.inTurn.map((ref) => names.inTurn(String(ref))))] };
    else out[field] = isText(value) ? mapText(names, triggerSheet, value) : value;
  }
  return out;
}

function mapSteps(names: Names, triggerSheet: string | undefined, steps: readonly Record<string, unknown>[], at: string): Record<string, unknown>[] {
  return steps.map((step, i) => {
    const path = `${at}.${i}`;
    const out: Record<string, unknown> = { ...step };
    for (const key of TEXTS) {
      const value = step[key];
      if (isText(value)) out[key] = mapText(names, triggerSheet, value);
      else if (Array.isArray(value)) out[key] = value.map((v) => (isText(v) ? mapText(names, triggerSheet, v) : v));
    }
    if (Array.isArray(step.users)) out.users = step.users.map((u) => (isText(u) ? mapText(names, triggerSheet, u) : u));
    const sheetKey = str(step.sheet) ?? triggerSheet;
    if (str(step.sheet)) out.sheet = names.sheet(str(step.sheet)!, `${path}.sheet`);
    if (step.fields !== undefined && sheetKey) out.fields = mapFields(names, sheetKey, triggerSheet, step.fields, `${path}.fields`);
    if (step.condition !== undefined && triggerSheet) out.condition = mapLogic(names, triggerSheet, step.condition, `${path}.condition`);
    if (Array.isArray(step.lockFields) && triggerSheet) out.lockFields = step.lockFields.map((k, j) => names.field(triggerSheet, String(k), `${path}.lockFields.${j}`));
    if (Array.isArray(step.approvers)) out.approvers = [...new Set(step.approvers.map((a) => names.approver(String(a))))];
    if (Array.isArray(step.onReject)) out.onReject = mapSteps(names, triggerSheet, step.onReject as Record<string, unknown>[], `${path}.onReject`);
    return out;
  });
}

/** The workflow as the API's POST /workflows body. */
function workflowBody(names: Names, wf: TemplateWorkflow, at: string): Record<string, unknown> {
  const trigger: Record<string, unknown> = { ...wf.trigger };
  const sheetKey = str(wf.trigger.sheet);
  if (sheetKey) {
    trigger.sheet = names.sheet(sheetKey, `${at}.trigger.sheet`);
    if (str(wf.trigger.field)) trigger.field = names.field(sheetKey, str(wf.trigger.field)!, `${at}.trigger.field`);
    if (Array.isArray(wf.trigger.fields)) trigger.fields = wf.trigger.fields.map((k, j) => names.field(sheetKey, String(k), `${at}.trigger.fields.${j}`));
    if (wf.trigger.condition !== undefined) trigger.condition = mapLogic(names, sheetKey, wf.trigger.condition, `${at}.trigger.condition`);
  }
  return { name: names.text(wf.name), enabled: wf.enabled, trigger, steps: mapSteps(names, sheetKey, wf.steps, `${at}.steps`) };
}

/** A template's workflows checked without a database: unique keys, every sheet, field, choice and role key real. */
export function checkWorkflows(model: TemplateModel, workflows: readonly TemplateWorkflow[], roleKeys: readonly string[]): string[] {
  // Names need not be unique (a workspace may have two workflows of one name); keys must.
  const problems: string[] = [];
  const keys = new Set<string>();
  for (const wf of workflows) {
    if (keys.has(wf.key)) problems.push(`workflows.${wf.key}: two workflows have this key`);
    keys.add(wf.key);
    const role = (ref: string) => {
      if (ref.startsWith('@') && !roleKeys.includes(ref.slice(1))) problems.push(`workflows.${wf.key}: there is no role "${ref.slice(1)}" in the template`);
      return ref;
    };
    const names: Names = {
      sheet: (key, at) => {
        if (!model.sheet(key)) problems.push(`${at}: there is no sheet "${key}" in the template (or those it uses)`);
        return key;
      },
      field: (sheetKey, key, at) => {
        if (model.sheet(sheetKey) && !model.field(sheetKey, key)) problems.push(`${at}: "${sheetKey}" has no field "${key}"`);
        return key;
      },
      placeholder: (sheetKey, key) => (model.field(sheetKey, key) ? key : undefined),
      choice: (sheetKey, key, at) => {
        if (!model.choice(sheetKey, key)) problems.push(`${at}: no select of "${sheetKey}" has one choice "${key}"`);
        return key;
      },
      text: (text) => localize(text, 'en'),
      approver: (ref) => role(ref),
      inTurn: (ref) => role(ref),
    };
    workflowBody(names, wf, `workflows.${wf.key}`);
  }
  return problems;
}

export interface InstalledWorkflow {
  id: string;
  name: string;
}

/**
 * Creates the template's workflows through the engine's `createWorkflow` (each audited as a designer's), after the
 * sheets, forms and roles they name. Names need not be unique in a workspace, so none is suffixed.
 */
export async function installWorkflows(state: InstallState, workflows: readonly TemplateWorkflow[], roles: ReadonlyMap<string, InstalledRole>): Promise<InstalledWorkflow[]> {
  const installed: InstalledWorkflow[] = [];
  const language: Language = state.language;
  const names: Names = {
    sheet: (key) => state.sheetId(key),
    field: (sheetKey, key) => state.fieldId(sheetKey, key),
    placeholder: (sheetKey, key) => {
      const field = state.model.field(sheetKey, key);
      return field ? `[${localize(field.name, language).replace(/[\]]/g, '')}]` : undefined;
    },
    choice: (sheetKey, key) => state.choice(sheetKey, key),
    text: (text) => state.text(text),
    approver: (ref) => (ref.startsWith('@') ? (roles.get(ref.slice(1))?.name ?? 'manager') : ref),
    // Without the template's roles (an installer who may not create them), the installer takes every turn.
    inTurn: (ref) => (ref.startsWith('@') ? (roles.get(ref.slice(1))?.name ?? state.userId) : ref),
  };
  for (const wf of workflows) {
    const created = await createWorkflow(state.engine, await state.current(), workflowBody(names, wf, `workflows.${wf.key}`));
    installed.push({ id: created.id, name: created.name });
  }
  return installed;
}

/**
 * The workspace's workflows as template workflows, for an export: stored workflows already name sheets and fields by
 * id, the exported file's keys, so they go as they are, but for what names this workspace's own objects: a trigger's
 * form (the install publishes forms anew: any form of the sheet then starts it) and an email's document (by name).
 * One that names a sheet or field the export lacks is left out.
 */
export async function exportWorkflows(engine: Engine, access: Access, model: TemplateModel, roleKeys: readonly string[], documentNames: ReadonlyMap<string, string>): Promise<TemplateWorkflow[]> {
  const rows = await engine.db.selectFrom('workflows').select('id').where('workspace_id', '=', access.workspaceId).where('deleted_at', 'is', null).orderBy('created_at').orderBy('id').execute();
  const out: TemplateWorkflow[] = [];
  const steps = (list: StoredStep[]): Record<string, unknown>[] =>
    list.map((step) => {
      if (step.type === 'send_email' && step.document !== undefined) return { ...step, document: documentNames.get(step.document) ?? step.document };
      if (step.type === 'approval') return { ...step, onReject: steps(step.onReject) };
      return { ...step };
    });
  for (const { id } of rows) {
    const wf = await loadWorkflow(engine.db, access.workspaceId, id);
    const { form: _form, ...trigger } = wf.trigger as Record<string, unknown>;
    const candidate: TemplateWorkflow = { key: wf.id, name: wf.name, enabled: wf.enabled, trigger, steps: steps(wf.steps) };
    if (!checkWorkflows(model, [candidate], roleKeys).length) out.push(candidate);
  }
  return out;
}
