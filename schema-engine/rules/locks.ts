import type { RuleDef, SheetDef } from '../catalog/model.js';
import { EngineError } from '../errors.js';
import type { RecordJson } from '../records/read.js';
import { holds, ruleValues } from './check.js';

/**
 * Lock rules: while a rule's condition holds on a record (as it was before the write), the fields it locks are
 * read-only, and a rule locking every field also keeps the record from being deleted. Designers (and the engine's own
 * writes, such as a template's install) are not held by them: they are how an issued document is corrected.
 */

/** The lock rules that hold on a record. */
export function lockingRules(sheet: SheetDef, record: RecordJson): RuleDef[] {
  const locks = sheet.rules.filter((rule) => rule.kind === 'lock');
  if (!locks.length) return [];
  const values = ruleValues(sheet, record);
  // A lock rule that cannot be evaluated does not lock: unlike a validation rule, it forbids rather than allows.
  return locks.filter((rule) => holds(rule, values));
}

/** Whether a rule locks the field. */
export const locks = (rule: RuleDef, fieldId: string) => rule.lockedFieldIds === null || rule.lockedFieldIds.includes(fieldId);

/**
 * Refuses an update that changed a locked field: `written` are the fields the write set, `after` the record as the
 * write left it (a field set to the value it had is no change). The error names the field and the rule's message.
 */
export function assertUnlockedByRules(sheet: SheetDef, before: RecordJson, after: RecordJson, written: Iterable<string>, index?: { at: number; of: number }): void {
  const rules = lockingRules(sheet, before);
  if (!rules.length) return;
  for (const fieldId of written) {
    const field = sheet.fields.find((f) => f.id === fieldId);
    if (!field) continue;
    const rule = rules.find((r) => locks(r, fieldId));
    if (!rule) continue;
    if (JSON.stringify(before.fields[field.name] ?? null) === JSON.stringify(after.fields[field.name] ?? null)) continue;
    throw lockedField(field.name, rule, index && index.of > 1 ? `Record ${index.at + 1} of ${index.of}: ` : '');
  }
}

/** The refusal of a write changing a field a rule locks (`where`: which record of a batch). */
export function lockedField(name: string, rule: RuleDef, where = ''): EngineError {
  const problem = `is locked: ${rule.message}`;
  return new EngineError('validation_failed', `${where}"${name}" ${problem}; nothing was saved`, { fields: { [name]: problem }, rule: rule.id, locked: true });
}

/** Refuses deleting a record a rule locking every field holds on. */
export function assertDeletableByRules(sheet: SheetDef, record: RecordJson): void {
  const rule = lockingRules(sheet, record).find((r) => r.lockedFieldIds === null);
  if (rule) throw new EngineError('validation_failed', `This record is locked and cannot be deleted: ${rule.message}`, { rule: rule.id, locked: true });
}
