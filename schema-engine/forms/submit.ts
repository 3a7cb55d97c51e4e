import type { FieldDef, SheetDef } from '../catalog/model.js';
import { findField } from '../catalog/resolve.js';
import type { Engine } from '../engine.js';
import { badRequest, fieldErrors } from '../errors.js';
import type { RecordJson } from '../records/read.js';
import type { UpdateInput, WriteCheck } from '../records/write.js';
import { creatableSheet, readableSheet } from '../access/guard.js';
import type { Access } from '../access/model.js';
import { createSheetRecords, updateSheetRecord } from '../access/records.js';
import { ruleValues } from '../rules/check.js';
import { PUBLIC_FORM_USER_ID } from '../ids.js';
import { evaluateForm } from './evaluate.js';
import type { FormElement, FormLayout } from './layout.js';
import { placedElements } from './walk.js';

/** A published form as the server enforces it; a public form also limits what its link fields may pick. */
export interface FormRules {
  /** The form's id: a record created through it starts the `form_submitted` workflows of its sheet. */
  id?: string;
  name: string;
  layout: FormLayout;
  /** Public forms only: the records each link field may pick (a link field not listed is not fillable). */
  allowedLinks?: Readonly<Record<string, readonly string[]>>;
}

/** Submitted fields a condition hides: the write is undone and made again without them. */
class HiddenByCondition extends Error {
  constructor(readonly fieldIds: string[]) {
    super('fields hidden by a condition');
  }
}

/** Enough for a chain of conditions (a field hidden reveals or hides another): each pass drops at least one field. */
const MAX_PASSES = 10;

type Input = Map<string, unknown>;

export async function createThroughForm(engine: Engine, access: Access, sheetRef: string, form: FormRules, fields: unknown): Promise<RecordJson> {
  const grant = creatableSheet(access, sheetRef);
  const sheet = grant.full;
  const input = formInput(sheet, form, fields);
  for (const element of fieldElements(form)) {
    // A default of a field hidden from the user is not theirs to write (the form they see does not show it), and
    // writing it would refuse their whole submission naming it.
    if (element.kind === 'field' && grant.hidden.has(element.field)) continue;
    if (element.kind === 'field' && element.defaultValue !== undefined && element.defaultValue !== null && !input.has(element.field)) input.set(element.field, element.defaultValue);
  }
  const submitting = form.id ? { ...engine, origin: { ...engine.origin, form: form.id } } : engine;
  return passes(sheet, roleHidden(access, grant.hidden), form, input, async (values, check) => (await createSheetRecords(submitting, access, sheet.id, [values], check))[0]!);
}

export async function updateThroughForm(engine: Engine, access: Access, sheetRef: string, form: FormRules, recordId: string, update: UpdateInput): Promise<RecordJson> {
  const grant = readableSheet(access, sheetRef);
  const sheet = grant.full;
  const input = formInput(sheet, form, update.fields);
  return passes(sheet, roleHidden(access, grant.hidden), form, input, (values, check) => updateSheetRecord(engine, access, sheet.id, recordId, { fields: values, version: update.version }, check));
}

/**
 * Writes, then decides on the record as saved (lookups and formulas included) what the form showed: a submitted
 * field a condition hides is not written (the write is redone without it), and a shown required field left
 * empty refuses the whole write.
 */
async function passes(
  sheet: SheetDef,
  hidden: ReadonlySet<string>,
  form: FormRules,
  input: Input,
  write: (values: Record<string, unknown>, check: WriteCheck) => Promise<RecordJson>,
): Promise<RecordJson> {
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    try {
      return await write(Object.fromEntries(input), (records) => check(sheet, hidden, form, input, records[0]!));
    } catch (error) {
      if (!(error instanceof HiddenByCondition)) throw error;
      for (const id of error.fieldIds) input.delete(id);
    }
  }
  throw badRequest(`The conditions of form "${form.name}" do not settle; nothing was saved`);
}

/**
 * Fields a member's role hides from them: the form they see leaves them out (so they are never required of them),
 * and its conditions read them as empty, as in the layout they were shown (forms.ts), so whether a field they filled
 * in is kept never depends on (or tells) a value they may not see. A public form's visitor sees the form itself: its
 * conditions read the record as saved (a formula over the fields they filled in, say).
 */
function roleHidden(access: Access, hidden: ReadonlySet<string>): ReadonlySet<string> {
  return access.userId === PUBLIC_FORM_USER_ID ? new Set() : hidden;
}

function check(sheet: SheetDef, hidden: ReadonlySet<string>, form: FormRules, input: Input, record: RecordJson): void {
  const values = ruleValues(sheet, record);
  for (const id of hidden) values[id] = null;
  const state = evaluateForm(form.layout, values);
  const dropped = [...input.keys()].filter((id) => state.hiddenByCondition.has(id) && !state.writable.has(id));
  if (dropped.length) throw new HiddenByCondition(dropped);
  const missing = sheet.fields.filter((f) => state.required.has(f.id) && !hidden.has(f.id) && !Object.hasOwn(record.fields, f.name));
  if (missing.length) throw fieldErrors(Object.fromEntries(missing.map((f) => [f.name, 'is required'])));
}

const fieldElements = (form: FormRules) =>
  placedElements(form.layout)
    .map((p) => p.element)
    .filter((e): e is Extract<FormElement, { kind: 'field' | 'related' }> => e.kind === 'field' || e.kind === 'related');

/**
 * The submitted values the form lets through, keyed by field id: a field not on the form is refused, one the form
 * shows read-only or keeps hidden is ignored (its default applies on create). Public forms fill links only from
 * the records the admin allowed, and create no linked records.
 */
function formInput(sheet: SheetDef, form: FormRules, fields: unknown): Input {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw fieldErrors({ fields: 'must be an object of field values' });
  const elements = new Map(fieldElements(form).map((e) => [e.field, e]));
  const input: Input = new Map();
  const errors: Record<string, string> = {};
  for (const [ref, value] of Object.entries(fields)) {
    const field = findField(sheet, ref);
    const element = field && elements.get(field.id);
    if (!field || !element || (form.allowedLinks && element.kind === 'related')) {
      errors[field?.name ?? ref] = `is not on the form "${form.name}"`;
      continue;
    }
    if (element.readOnly || (element.kind === 'field' && element.hidden)) continue;
    if (form.allowedLinks && field.type === 'link') {
      const problem = linkProblem(field, form.allowedLinks[field.id], value);
      if (problem) errors[field.name] = problem;
    }
    input.set(field.id, value);
  }
  if (Object.keys(errors).length) throw fieldErrors(errors);
  return input;
}

function linkProblem(field: FieldDef, allowed: readonly string[] | undefined, value: unknown): string | undefined {
  if (!allowed) return `is not on the form (no records may be picked for "${field.name}")`;
  if (value === null) return undefined;
  if (!Array.isArray(value)) return 'must be a list of record ids';
  const ids = value.map((v) => (typeof v === 'string' ? v : typeof v === 'object' && v !== null && 'id' in v ? String(v.id) : null));
  const bad = ids.find((id) => id === null || !allowed.includes(id));
  return bad === undefined ? undefined : `can only pick the records this form offers${bad ? ` (not ${bad})` : ''}`;
}
