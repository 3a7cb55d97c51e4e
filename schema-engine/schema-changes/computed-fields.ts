import type { Transaction } from 'kysely';
import { loadWorkspace } from '../catalog/load.js';
import type { FieldDef, WorkspaceOverview } from '../catalog/model.js';
import type { Database } from '../db.js';
import { EngineError, fieldErrors } from '../errors.js';
import { FieldValueError, type OptionScope } from '../field-types/field-type.js';
import type { FieldSpec } from './field-input.js';
import { bindCopyFrom, copyFromOf } from './copy-from.js';

/** Options naming other sheets and fields (links, lookups, rollups, formulas) bound to their ids. */
export function bindSpec(spec: FieldSpec, scope: OptionScope): FieldSpec {
  const copy = copyFromOf(spec.options);
  if (!spec.impl.bindOptions && !copy) return spec;
  try {
    if (copy) return { ...spec, options: { ...(spec.options as object), copyFrom: bindCopyFrom(copy, spec.impl, spec.type, scope) } };
    return { ...spec, options: spec.impl.bindOptions!(spec.options, scope) };
  } catch (error) {
    if (error instanceof FieldValueError) throw fieldErrors({ [spec.name]: error.message }, undefined, error.zh === undefined ? undefined : { [spec.name]: error.zh });
    throw error;
  }
}

/** Options naming things outside the catalog (a button's workflow) checked against the database, as bindSpec words errors. */
export async function verifySpec(trx: Transaction<Database>, spec: FieldSpec, scope: OptionScope): Promise<void> {
  if (!spec.impl.verifyOptions) return;
  try {
    await spec.impl.verifyOptions(spec.options, trx, scope);
  } catch (error) {
    if (error instanceof FieldValueError) throw fieldErrors({ [spec.name]: error.message }, undefined, error.zh === undefined ? undefined : { [spec.name]: error.zh });
    throw error;
  }
}

/**
 * After a computed field's catalog row is written (same transaction): it must resolve (no cycle, nothing in the
 * trash, types that fit), or the change is refused and rolled back. (Its SQL is checked after the DDL: `verify`.)
 */
export async function assertComputes(trx: Transaction<Database>, workspaceId: string, sheetId: string, fieldId: string): Promise<void> {
  const ws = (await loadWorkspace(trx, workspaceId))!;
  const field = ws.sheets.find((s) => s.id === sheetId)!.fields.find((f) => f.id === fieldId)!;
  const { error, errorZh } = field.impl.computed ?? {};
  if (error) throw fieldErrors({ [field.name]: `cannot be computed: ${error}` }, undefined, errorZh === undefined ? undefined : { [field.name]: `無法計算：${errorZh}` });
}

/** Every computed field that reads the given fields, directly or through others, outside that set. */
export function dependentsOf(ws: WorkspaceOverview, fieldIds: ReadonlySet<string>): FieldDef[] {
  const all = ws.sheets.flatMap((s) => s.fields);
  const reached = new Set(fieldIds);
  const found: FieldDef[] = [];
  for (let grew = true; grew; ) {
    grew = false;
    for (const field of all) {
      if (reached.has(field.id) || !field.impl.computed?.dependsOn.some((id) => reached.has(id))) continue;
      reached.add(field.id);
      found.push(field);
      grew = true;
    }
  }
  return found;
}

/** Refuses to delete fields others are computed from or rules read, naming them, unless forced (they then show an error). */
export function assertNoDependents(ws: WorkspaceOverview, fieldIds: ReadonlySet<string>, what: string, force: boolean): void {
  if (force) return;
  const sheetName = (id: string) => ws.sheets.find((s) => s.id === id)?.name ?? id;
  const fields = dependentsOf(ws, fieldIds).map((f) => ({ sheet: sheetName(f.sheetId), sheetId: f.sheetId, field: f.name, fieldId: f.id }));
  const rules = ws.sheets.flatMap((s) =>
    s.rules.filter((r) => r.fieldIds.some((id) => fieldIds.has(id))).map((r) => ({ sheet: s.name, sheetId: s.id, rule: r.message, ruleId: r.id })),
  );
  if (!fields.length && !rules.length) return;
  const named = [...fields.map((d) => `"${d.sheet}.${d.field}"`), ...rules.map((r) => `the rule "${r.rule}" of "${r.sheet}"`)];
  throw new EngineError(
    'has_dependents',
    `${what} is used by ${named.join(', ')}; nothing was deleted. Change those first, or send ?force=true (they will then show an error until it is restored).`,
    { dependents: [...fields, ...rules] },
  );
}
