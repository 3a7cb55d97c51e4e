import type { FieldDef, SheetDef } from '../catalog/model.js';
import { EngineError } from '../errors.js';
import { compileCondition, mapVars, type Logic } from '../rules/condition.js';
import { ruleHolds } from '../rules/operations.js';

/** A var reading a value before the update: `{"var": "$old.Stage"}`, stored as `$old.<field id>`. */
export const OLD = '$old.';

/** The sheet with a `$old.<name>` twin of each field, so the rule compiler resolves both kinds of var. */
const withOld = new WeakMap<SheetDef, SheetDef>();
function sheetWithOld(sheet: SheetDef): SheetDef {
  let twin = withOld.get(sheet);
  if (!twin) {
    const old: FieldDef[] = sheet.fields.map((f) => ({ ...f, id: OLD + f.id, name: OLD + f.name }));
    twin = { ...sheet, fields: [...sheet.fields, ...old] };
    withOld.set(sheet, twin);
  }
  return twin;
}

/**
 * Compiles a workflow condition (names or ids, `$old.` vars allowed) to field ids, as a 400 naming `path` when it
 * is not one.
 */
export function compileWorkflowCondition(sheet: SheetDef, input: unknown, path: string): Logic {
  try {
    return compileCondition(sheetWithOld(sheet), input).condition;
  } catch (error) {
    if (error instanceof EngineError && error.code === 'validation_failed') {
      const message = String((error.details?.fields as Record<string, string> | undefined)?.condition ?? error.message);
      throw new EngineError('validation_failed', `${path}: ${message}`, { fields: { [path]: message } });
    }
    throw error;
  }
}

/** A stored condition with current field names (an id once its field is gone). */
export function displayWorkflowCondition(sheet: SheetDef | undefined, logic: unknown): unknown {
  const nameOf = (id: string) => sheet?.fields.find((f) => f.id === id)?.name ?? id;
  return mapVars(logic, (id) => (id.startsWith(OLD) ? OLD + nameOf(id.slice(OLD.length)) : nameOf(id)));
}

/** Values by field id, with the values before the update under `$old` (all null when there is no before). */
export interface ConditionValues {
  record: Record<string, unknown>;
  old?: Record<string, unknown> | null;
}

/** Whether a compiled condition holds; one that cannot be evaluated does not. */
export function workflowConditionHolds(logic: unknown, values: ConditionValues): boolean {
  try {
    return ruleHolds(logic, { ...values.record, $old: values.old ?? {} });
  } catch {
    return false;
  }
}
