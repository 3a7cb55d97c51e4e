import { sql } from 'kysely';
import { StepError, type StepContext } from './types.js';
import { renderText } from './render.js';

export interface Person {
  id: string;
  name: string;
  email: string;
}

/**
 * Members named by user id, email or role name (a placeholder may give either, `{{record.Owner.id}}`), in the order
 * named. A name that is none of them is an error naming it: a run does not quietly tell no one.
 */
export async function resolvePeople(refs: string[], ctx: StepContext): Promise<Person[]> {
  const names = refs.flatMap((ref) => renderText(ref, ctx.data).split(',')).map((s) => s.trim()).filter(Boolean);
  if (!names.length) throw new StepError('no one to tell: the recipients are empty');
  const { rows } = await sql<Person & { role: string; key: string }>`
    SELECT u.id, u.name, u.email, lower(r.name) AS role, k.key
    FROM unnest(${names}::text[]) AS k(key)
    JOIN workspace_members m ON m.workspace_id = ${ctx.run.workspaceId} AND m.active
    JOIN users u ON u.id = m.user_id
    JOIN roles r ON r.id = m.role_id
    WHERE u.id = k.key OR lower(u.email) = lower(k.key) OR r.name_key = lower(k.key)`.execute(ctx.trx);
  const missing = names.filter((name) => !rows.some((r) => r.key === name));
  if (missing.length) throw new StepError(`"${missing[0]}" is not a member, a member's email or a role of this workspace`);
  const seen = new Map<string, Person>();
  for (const row of rows) if (!seen.has(row.id)) seen.set(row.id, { id: row.id, name: row.name, email: row.email });
  return [...seen.values()];
}
