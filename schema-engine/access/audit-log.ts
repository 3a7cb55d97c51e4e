import { z } from 'zod';
import type { Engine } from '../engine.js';
import { badRequest } from '../errors.js';
import { requireMembers } from './guard.js';
import type { Access } from './model.js';

const PAGE = 100;

export interface AuditEntry {
  at: string;
  by: { id: string; name: string } | null;
  action: string;
  target: { kind: string; id: string | null; name: string | null };
  before: unknown;
  after: unknown;
}

const cursorSchema = z.string().regex(/^[1-9][0-9]{0,18}$/);

/** The workspace's audit log, newest first, a page at a time (admins). */
export async function listAudit(engine: Engine, access: Access, cursor?: string): Promise<{ entries: AuditEntry[]; nextCursor: string | null }> {
  requireMembers(access);
  if (cursor !== undefined && !cursorSchema.safeParse(cursor).success) throw badRequest('cursor: not a cursor of this log (take nextCursor from the previous page)', { fields: { cursor: 'is not valid' } });
  let query = engine.db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.by')
    .select(['a.id', 'a.at', 'a.action', 'a.target_kind', 'a.target_id', 'a.target_name', 'a.before', 'a.after', 'u.id as userId', 'u.name as userName'])
    .where('a.workspace_id', '=', access.workspaceId)
    .orderBy('a.id', 'desc')
    .limit(PAGE + 1);
  if (cursor !== undefined) query = query.where('a.id', '<', cursor);
  const rows = await query.execute();
  const page = rows.slice(0, PAGE);
  return {
    entries: page.map((r) => ({
      at: r.at.toISOString(),
      by: r.userId ? { id: r.userId, name: r.userName! } : null,
      action: r.action,
      target: { kind: r.target_kind, id: r.target_id, name: r.target_name },
      before: r.before ?? null,
      after: r.after ?? null,
    })),
    nextCursor: rows.length > PAGE ? String(page[page.length - 1]!.id) : null,
  };
}
