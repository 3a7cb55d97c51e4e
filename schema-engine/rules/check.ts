import type { RuleDef, SheetDef } from '../catalog/model.js';
import { EngineError } from '../errors.js';
import type { RecordJson } from '../records/read.js';
import { ruleHolds } from './operations.js';

/**
 * A record's values as rules read them: keyed by field id (stored conditions name fields by id), each value as the
 * API returns it, an empty (omitted) one null. A field the sheet no longer has is absent, which `var` reads as null.
 */
export function ruleValues(sheet: SheetDef, record: RecordJson): Record<string, unknown> {
  return Object.fromEntries(sheet.fields.map((f) => [f.id, Object.hasOwn(record.fields, f.name) ? record.fields[f.name] : null]));
}

/** The first rule of the sheet (in order) that a record breaks. */
export function brokenRule(sheet: SheetDef, record: RecordJson): RuleDef | undefined {
  if (!sheet.rules.length) return undefined;
  const values = ruleValues(sheet, record);
  return sheet.rules.find((rule) => rule.kind === 'validate' && !holds(rule, values));
}

/** A rule that cannot be evaluated does not hold: a record is saved only when every rule says yes. */
export function holds(rule: RuleDef, values: Record<string, unknown>): boolean {
  try {
    return ruleHolds(rule.condition, values);
  } catch {
    return false;
  }
}

/** Each field the rule reads that the sheet still has, with the rule's message (fromEntries: names are data). */
function ruleFields(sheet: SheetDef, rule: RuleDef): Record<string, string> {
  const names = rule.fieldIds.flatMap((id) => sheet.fields.find((f) => f.id === id)?.name ?? []);
  return Object.fromEntries(names.map((name) => [name, rule.message]));
}

/**
 * Checks written records (as read back inside the write's transaction, so computed values are the saved row's)
 * against their sheet's rules. Throws validation_failed naming the first broken rule, and for a batch every record
 * that breaks one, so the transaction rolls back; answers the records otherwise.
 */
export function checkRules<R extends RecordJson>(sheet: SheetDef, records: R[]): R[] {
  if (!sheet.rules.length) return records;
  const broken = records.flatMap((record, index) => {
    const rule = brokenRule(sheet, record);
    return rule ? [{ index, rule }] : [];
  });
  const first = broken[0];
  if (!first) return records;
  const fields = ruleFields(sheet, first.rule);
  if (records.length === 1) throw new EngineError('validation_failed', first.rule.message, { fields, rule: first.rule.id });
  throw new EngineError('validation_failed', `Record ${first.index + 1} of ${records.length}: ${first.rule.message}; nothing was saved`, {
    fields,
    rule: first.rule.id,
    records: broken.map(({ index, rule }) => ({ index, fields: ruleFields(sheet, rule), rule: rule.id })),
  });
}
