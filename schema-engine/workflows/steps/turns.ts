import { sql, type RawBuilder, type Transaction } from 'kysely';
import { z } from 'zod';
import type { FieldDef, SheetDef, WorkspaceOverview } from '../../catalog/model.js';
import type { Database } from '../../db.js';
import { nameKey } from '../../schema-changes/name-key.js';
import type { StoredStep } from '../model.js';
import { invalid } from '../resolve.js';
import type { Person } from './people.js';
import { StepError, type StepContext } from './types.js';

/**
 * "In turn": a user field's value in an update or create step's mapping, `{"inTurn": ["Sales rep", "ann@example.com"]}`,
 * sets it to the next of the active members those name (role names, member ids or emails), in turn. Whose turn it is
 * lives in `workflow_turns`, one row per workflow, step and field, taken in the run's transaction.
 */
export interface InTurn {
  inTurn: string[];
}

const inTurnSchema = z
  .object({
    inTurn: z
      .array(z.string().trim().min(1, 'must not be empty').max(500).refine((s) => !s.includes('{{'), 'names members or roles, not {{…}} placeholders'))
      .min(1, 'must name at least one role or member')
      .max(50, 'names at most 50 roles or members'),
  })
  .strict();

/** Whether a mapping's value asks for "in turn" (an object with an `inTurn` key), well formed or not. */
export const asksInTurn = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, 'inTurn');

/** The stored value for a field of a step, checked when the workflow is saved (the names against members in checkTurns). */
export function resolveInTurn(field: FieldDef, value: unknown, path: string): InTurn {
  if (field.type !== 'user') throw invalid(path, `"in turn" sets a user field; "${field.name}" is a ${field.type} field`);
  const parsed = inTurnSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') throw invalid(path, `"in turn" is {"inTurn": [roles or members]}, with no ${issue.keys.map((k) => `"${k}"`).join(', ')}`);
    throw invalid(path, `${issue.path.join('.')}: ${issue.message}`);
  }
  return { inTurn: [...new Set(parsed.data.inTurn)] };
}

/** An in-turn value of a stored mapping (`resolveInTurn` made it). */
export const inTurnOf = (value: unknown): InTurn | undefined => (asksInTurn(value) ? (value as InTurn) : undefined);

/** Each in-turn field of a stored mapping. */
export function turnsOf(sheet: SheetDef | undefined, fields: Record<string, unknown>): { field: FieldDef; among: string[] }[] {
  return Object.entries(fields).flatMap(([id, value]) => {
    const turn = inTurnOf(value);
    const field = sheet?.fields.find((f) => f.id === id);
    return turn && field ? [{ field, among: turn.inTurn }] : [];
  });
}

/** The names among `refs` that are no role, member id or member's email of the workspace (deactivated members count). */
async function unknownPeople(trx: Transaction<Database>, workspaceId: string, refs: string[]): Promise<string[]> {
  if (!refs.length) return [];
  const keys = refs.map((ref) => nameKey(ref));
  const { rows } = await sql<{ ref: string }>`
    SELECT k.ref FROM unnest(${refs}::text[], ${keys}::text[]) AS k(ref, key)
    WHERE EXISTS (SELECT 1 FROM roles r WHERE r.workspace_id = ${workspaceId} AND r.name_key = k.key)
       OR EXISTS (SELECT 1 FROM workspace_members m JOIN users u ON u.id = m.user_id
                  WHERE m.workspace_id = ${workspaceId} AND (u.id = k.ref OR lower(u.email) = lower(k.ref)))`.execute(trx);
  const known = new Set(rows.map((r) => r.ref));
  return refs.filter((ref) => !known.has(ref));
}

/**
 * Every in-turn field of the steps names roles or members of the workspace: one that names neither is a 400 naming the
 * step and field (`steps.0.fields.Owner`). A role without active members is not: it may have some by the time it runs.
 */
export async function checkTurns(trx: Transaction<Database>, workspaceId: string, ws: WorkspaceOverview, steps: Iterable<[StoredStep, string]>): Promise<void> {
  for (const [step, path] of steps) {
    if (step.type !== 'update_record' && step.type !== 'create_record') continue;
    const sheet = ws.sheets.find((s) => s.id === step.sheet);
    for (const { field, among } of turnsOf(sheet, step.fields)) {
      const [unknown] = await unknownPeople(trx, workspaceId, among);
      if (unknown !== undefined) throw invalid(`${path}.fields.${field.name}`, `"${unknown}" is not a role, a member or a member's email of this workspace`);
    }
  }
}

/** What a step will do with one in-turn field: among whom, and who is next as the run starts the step. */
export interface TurnPlan {
  fieldId: string;
  fieldName: string;
  among: string[];
  members: Person[];
  next: Person;
}

/** The active members the names give, by id: a role's, a member named, a member by email. */
async function activeMembers(ctx: StepContext, refs: string[]): Promise<Person[]> {
  const keys = refs.map((ref) => nameKey(ref));
  const { rows } = await sql<Person>`
    SELECT DISTINCT u.id, u.name, u.email
    FROM unnest(${refs}::text[], ${keys}::text[]) AS k(ref, key)
    JOIN workspace_members m ON m.workspace_id = ${ctx.run.workspaceId} AND m.active
    JOIN users u ON u.id = m.user_id
    JOIN roles r ON r.id = m.role_id
    WHERE u.id = k.ref OR lower(u.email) = lower(k.ref) OR r.name_key = k.key
    ORDER BY u.id`.execute(ctx.trx);
  return rows;
}

/**
 * The member after `last` in the rotation (members ordered by id, the database's order, wrapping round); the first
 * when there is no last. A member who left the rotation (deactivated) is passed over: the next one after them goes.
 */
const nextAfter = (ids: string[], last: RawBuilder<unknown>) =>
  sql<string>`coalesce((SELECT min(c) FROM unnest(${ids}::text[]) AS c WHERE c > ${last}), (SELECT min(c) FROM unnest(${ids}::text[]) AS c))`;

/** Whose turns: a step (by its path) of a workflow. */
export interface TurnStep {
  workflowId: string;
  path: string;
}

/** The in-turn fields of a mapping, planned: who is next, read without taking the turn (a test run shows it). */
export async function planTurns(sheet: SheetDef, fields: Record<string, unknown>, ctx: StepContext): Promise<TurnPlan[]> {
  const plans: TurnPlan[] = [];
  for (const { field, among } of turnsOf(sheet, fields)) {
    const members = await activeMembers(ctx, among);
    if (!members.length) throw new StepError(`cannot set "${field.name}" in turn: ${among.map((a) => `"${a}"`).join(', ')} ${among.length > 1 ? 'have' : 'has'} no active member`);
    const ids = members.map((m) => m.id);
    const { rows } = await sql<{ next: string }>`
      SELECT ${nextAfter(ids, sql`(SELECT last_user_id FROM workflow_turns WHERE workflow_id = ${ctx.run.workflowId} AND step_path = ${ctx.path} AND field_id = ${field.id})`)} AS next`.execute(ctx.trx);
    plans.push({ fieldId: field.id, fieldName: field.name, among, members, next: members.find((m) => m.id === rows[0]!.next)! });
  }
  return plans;
}

/**
 * Takes each planned turn: one statement per field that inserts or moves the turn on and answers whom it gave. Its
 * row lock holds until the run's transaction ends, so runs of the same step at once take turns one after another,
 * and a step that fails (its transaction rolled back) gives no one a turn.
 */
export async function takeTurns(trx: Transaction<Database>, step: TurnStep, plans: TurnPlan[]): Promise<{ values: Record<string, string>; assigned: Record<string, Person> }> {
  const values: Record<string, string> = {};
  const assigned: Record<string, Person> = {};
  for (const plan of plans) {
    const ids = plan.members.map((m) => m.id);
    const { rows } = await sql<{ last_user_id: string }>`
      INSERT INTO workflow_turns AS t (workflow_id, step_path, field_id, last_user_id)
      VALUES (${step.workflowId}, ${step.path}, ${plan.fieldId}, ${nextAfter(ids, sql`NULL`)})
      ON CONFLICT (workflow_id, step_path, field_id) DO UPDATE SET last_user_id = ${nextAfter(ids, sql`t.last_user_id`)}, taken_at = now()
      RETURNING last_user_id`.execute(trx);
    const person = plan.members.find((m) => m.id === rows[0]!.last_user_id)!;
    values[plan.fieldId] = person.id;
    assigned[plan.fieldName] = person;
  }
  return { values, assigned };
}
