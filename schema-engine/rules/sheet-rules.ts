import { readableSheet, requireDesign } from '../access/guard.js';
import type { Access } from '../access/model.js';
import { audit, type AuditTarget } from '../access/changes.js';
import { z } from 'zod';
import type { RuleDef, SheetDef } from '../catalog/model.js';
import { findField, sheetOrThrow } from '../catalog/resolve.js';
import type { Engine } from '../engine.js';
import { badRequest, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { applySchemaChange } from '../schema-changes/apply.js';
import { bumpSheetVersion } from '../schema-changes/field-rows.js';
import { compileCondition, displayCondition } from './condition.js';

/** Every write evaluates every rule of its sheet: a bound keeps that cheap. */
export const MAX_RULES = 100;

const messageSchema = z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters');
/** Any JSON here: compileCondition checks it against the sheet, which zod cannot do. */
const conditionSchema = z.custom<unknown>((value) => value !== undefined, 'is required');
/** A lock rule's fields by name or id; null (or omitted) locks them all. */
const lockedFieldsSchema = z.array(z.string().min(1).max(200)).min(1, 'names at least one field (or null for all)').max(500).nullable();
export const ruleInputSchema = z
  .object({ kind: z.enum(['validate', 'lock']).optional(), condition: conditionSchema, message: messageSchema, lockedFields: lockedFieldsSchema.optional() })
  .strict();
export const rulePatchSchema = z.object({ condition: conditionSchema.optional(), message: messageSchema.optional(), lockedFields: lockedFieldsSchema.optional() }).strict();

export interface RuleJson {
  id: string;
  /** Said of lock rules only: a rule without it is a validation rule, as rules always were. */
  kind?: 'lock';
  condition: unknown;
  message: string;
  /** The fields the condition reads, by current name (by id once one is no longer in the sheet). */
  fields: string[];
  /** Lock rules: the fields they lock by name (fields no longer in the sheet left out), null for all. */
  lockedFields?: string[] | null;
}

export function ruleJson(sheet: SheetDef, rule: RuleDef): RuleJson {
  const nameOf = (id: string) => sheet.fields.find((f) => f.id === id)?.name ?? id;
  const base = { id: rule.id, condition: displayCondition(sheet, rule.condition), message: rule.message, fields: rule.fieldIds.map(nameOf) };
  if (rule.kind !== 'lock') return base;
  const locked = rule.lockedFieldIds?.flatMap((id) => sheet.fields.find((f) => f.id === id)?.name ?? []) ?? null;
  return { ...base, kind: 'lock', lockedFields: locked };
}

/** A lock rule's fields as ids (null: all); a validation rule locks nothing and takes none. */
function lockedFieldIds(sheet: SheetDef, kind: 'validate' | 'lock', refs: string[] | null | undefined): string[] | null {
  if (kind !== 'lock') {
    if (refs !== undefined) throw badRequest('lockedFields: only a lock rule locks fields', { fields: { lockedFields: 'only a lock rule locks fields' } });
    return [];
  }
  if (!refs) return null;
  return [
    ...new Set(
      refs.map((ref) => {
        const field = findField(sheet, ref);
        if (!field) throw badRequest(`lockedFields: "${ref}" is not a field of sheet "${sheet.name}"`, { fields: { lockedFields: `"${ref}" is not a field of the sheet` } });
        return field.id;
      }),
    ),
  ];
}

/** The rules of a sheet the user may read (those reading fields hidden from them are left out). */
export function listRules(access: Access, sheetRef: string): RuleJson[] {
  const { sheet } = readableSheet(access, sheetRef);
  return sheet.rules.map((rule) => ruleJson(sheet, rule));
}

export function ruleOrThrow(sheet: SheetDef, ruleId: string): RuleDef {
  const rule = sheet.rules.find((r) => r.id === ruleId);
  if (!rule) throw notFound(`Rule "${ruleId}" of sheet "${sheet.name}"`);
  return rule;
}

/** Engine callers (templates) get the same checks as the HTTP routes. */
function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = issue.path.length ? issue.path.join('.') : 'rule';
  throw badRequest(`${key}: ${issue.message}`, { fields: { [key]: issue.message } });
}

/** Rules have no name: the audit log names one by its message. */
const ruleTarget = (id: string, message: string): AuditTarget => ({ kind: 'rule', id, name: message.length > 100 ? `${message.slice(0, 99)}…` : message });
/** A rule as the audit log keeps it: its condition with field names, as the API shows it. */
const ruleState = (sheet: SheetDef, condition: unknown, message: string) => ({ sheet: { id: sheet.id, name: sheet.name }, condition: displayCondition(sheet, condition), message });

/** Rules change no table: catalog rows only, and a new sheet version so every server drops its cached catalog. */
export async function createRule(engine: Engine, access: Access, sheetRef: string, input: unknown): Promise<RuleJson> {
  requireDesign(access);
  const workspaceId = access.workspaceId;
  const body = parse(ruleInputSchema, input);
  const ruleId = newId('rul');
  const sheetId = await applySchemaChange(engine, workspaceId, async (trx, ws) => {
    const sheet = sheetOrThrow(ws, sheetRef);
    if (sheet.rules.length >= MAX_RULES) throw badRequest(`A sheet has at most ${MAX_RULES} rules`, { fields: { condition: `the sheet already has ${MAX_RULES} rules` } });
    const { condition } = compileCondition(sheet, body.condition);
    const kind = body.kind ?? 'validate';
    const locked = lockedFieldIds(sheet, kind, body.lockedFields);
    const position = sheet.rules.reduce((max, r) => Math.max(max, r.position + 1), 0);
    await trx
      .insertInto('sheet_rules')
      .values({
        id: ruleId,
        workspace_id: ws.id,
        sheet_id: sheet.id,
        condition: JSON.stringify(condition),
        message: body.message,
        position,
        kind,
        locked_fields: kind === 'lock' && locked ? JSON.stringify(locked) : null,
      })
      .execute();
    await bumpSheetVersion(trx, sheet.id);
    await audit(trx, access, 'rule.create', ruleTarget(ruleId, body.message), undefined, ruleState(sheet, condition, body.message));
    return { result: sheet.id, ddl: [] };
  });
  return currentRule(engine, workspaceId, sheetId, ruleId);
}

export async function updateRule(engine: Engine, access: Access, sheetRef: string, ruleId: string, input: unknown): Promise<RuleJson> {
  requireDesign(access);
  const workspaceId = access.workspaceId;
  const body = parse(rulePatchSchema, input);
  const sheetId = await applySchemaChange(engine, workspaceId, async (trx, ws) => {
    const sheet = sheetOrThrow(ws, sheetRef);
    const rule = ruleOrThrow(sheet, ruleId);
    const changes: { condition?: string; message?: string; locked_fields?: string | null } = {};
    const condition = body.condition !== undefined ? compileCondition(sheet, body.condition).condition : rule.condition;
    if (body.condition !== undefined) changes.condition = JSON.stringify(condition);
    if (body.message !== undefined) changes.message = body.message;
    if (body.lockedFields !== undefined) {
      const locked = lockedFieldIds(sheet, rule.kind, body.lockedFields);
      changes.locked_fields = locked ? JSON.stringify(locked) : null;
    }
    if (Object.keys(changes).length) {
      await trx.updateTable('sheet_rules').set(changes).where('id', '=', rule.id).execute();
      await bumpSheetVersion(trx, sheet.id);
      const message = body.message ?? rule.message;
      await audit(trx, access, 'rule.update', ruleTarget(rule.id, message), ruleState(sheet, rule.condition, rule.message), ruleState(sheet, condition, message));
    }
    return { result: sheet.id, ddl: [] };
  });
  return currentRule(engine, workspaceId, sheetId, ruleId);
}

export async function deleteRule(engine: Engine, access: Access, sheetRef: string, ruleId: string): Promise<void> {
  requireDesign(access);
  const workspaceId = access.workspaceId;
  await applySchemaChange(engine, workspaceId, async (trx, ws) => {
    const sheet = sheetOrThrow(ws, sheetRef);
    const rule = ruleOrThrow(sheet, ruleId);
    await trx.deleteFrom('sheet_rules').where('id', '=', rule.id).execute();
    await bumpSheetVersion(trx, sheet.id);
    await audit(trx, access, 'rule.delete', ruleTarget(rule.id, rule.message), ruleState(sheet, rule.condition, rule.message), undefined);
    return { result: undefined, ddl: [] };
  });
}

async function currentRule(engine: Engine, workspaceId: string, sheetId: string, ruleId: string): Promise<RuleJson> {
  const sheet = sheetOrThrow(await engine.catalog.get(workspaceId), sheetId);
  return ruleJson(sheet, ruleOrThrow(sheet, ruleId));
}
