import { sql } from 'kysely';
import type { WorkspaceOverview } from '../catalog/model.js';
import type { Db } from '../db.js';
import type { Engine } from '../engine.js';
import { EngineError, notFound } from '../errors.js';
import { isCatalogId } from '../ids.js';
import type { Access, RecordOperation, RoleDef, SheetAccess, SheetGrant } from './model.js';
import { hiddenFields, narrowCatalog, sheetAccessOf } from './narrow.js';
import { roleFromRow, type RoleRow } from './roles-read.js';
import { scopeCondition, type Asker } from './scope.js';

/** A member's standing in a workspace, as every request needs it. */
export interface Membership {
  readonly role: RoleDef;
  readonly active: boolean;
  readonly teams: readonly string[];
  readonly teammates: readonly string[];
}

/** Memberships are read on every request: kept for a few seconds, dropped at once when the workspace's team changes. */
export class MembershipCache {
  private readonly entries = new Map<string, { value: Promise<Membership | undefined>; until: number }>();

  constructor(private readonly ttlMs = 10_000) {}

  get(db: Db, workspaceId: string, userId: string): Promise<Membership | undefined> {
    const key = `${workspaceId}:${userId}`;
    const entry = this.entries.get(key);
    if (entry && entry.until > Date.now()) return entry.value;
    if (this.entries.size > 10_000) this.entries.clear();
    const value = loadMembership(db, workspaceId, userId);
    this.entries.set(key, { value, until: Date.now() + this.ttlMs });
    value.catch(() => this.entries.delete(key));
    return value;
  }

  /** The workspace's members, roles or teams changed (here or on another server). */
  invalidate(workspaceId: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(`${workspaceId}:`)) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** One statement: the member's role, whether active, their teams and everyone sharing one of them. */
export async function loadMembership(db: Db, workspaceId: string, userId: string): Promise<Membership | undefined> {
  const { rows } = await sql<RoleRow & { active: boolean; teams: string[]; teammates: string[] }>`
    SELECT r.*, m.active,
      coalesce((SELECT array_agg(tm.team_id ORDER BY tm.team_id) FROM team_members tm WHERE tm.workspace_id = m.workspace_id AND tm.user_id = m.user_id), '{}') AS teams,
      coalesce((SELECT array_agg(DISTINCT o.user_id ORDER BY o.user_id) FROM team_members tm JOIN team_members o ON o.team_id = tm.team_id
                WHERE tm.workspace_id = m.workspace_id AND tm.user_id = m.user_id), '{}') AS teammates
    FROM workspace_members m JOIN roles r ON r.id = m.role_id
    WHERE m.workspace_id = ${workspaceId} AND m.user_id = ${userId}`.execute(db);
  const row = rows[0];
  if (!row) return undefined;
  const teammates = row.teammates.includes(userId) ? row.teammates : [...row.teammates, userId].sort();
  return { role: roleFromRow(row), active: row.active, teams: row.teams, teammates };
}

/**
 * The acting user's Access to a workspace: the one gate every engine entry point is given. Not a member (or no such
 * workspace): 403/404; an inactive member: 403.
 */
export async function accessFor(engine: Engine, workspaceId: string, userId: string): Promise<Access> {
  if (!isCatalogId(workspaceId)) throw notFound(`Workspace "${workspaceId}"`);
  const membership = await engine.members.get(engine.db, workspaceId, userId);
  if (!membership) throw new EngineError('forbidden', 'You are not a member of this workspace');
  if (!membership.active) throw new EngineError('forbidden', 'Your membership of this workspace was deactivated by an admin');
  const full = await engine.catalog.get(workspaceId);
  return makeAccess(full, membership.role, { userId, teams: membership.teams, teammates: membership.teammates });
}

/**
 * The same Access over the engine's current catalog: work that changes the schema and then uses what it made within
 * one transaction (a template install) asks again after each change.
 */
export async function refreshAccess(engine: Engine, access: Access): Promise<Access> {
  return makeAccess(await engine.catalog.get(access.workspaceId), access.role, access);
}

/** An Access from its parts: a member's (accessFor), or one the engine builds itself (a public form's visitor). */
export function makeAccess(full: WorkspaceOverview, role: RoleDef, asker: Asker): Access {
  const { ws, hidden } = narrowCatalog(full, role, asker);
  const grants = new Map<string, SheetGrant | undefined>();
  return {
    ...asker,
    workspaceId: full.id,
    role,
    full,
    ws,
    grant(sheetId) {
      if (!grants.has(sheetId)) grants.set(sheetId, buildGrant(full, ws, role, asker, sheetId, hidden.get(sheetId)));
      return grants.get(sheetId);
    },
  };
}

function buildGrant(full: WorkspaceOverview, ws: WorkspaceOverview, role: RoleDef, asker: Asker, sheetId: string, hidden: ReadonlySet<string> | undefined): SheetGrant | undefined {
  const fullSheet = full.sheets.find((s) => s.id === sheetId);
  if (!fullSheet) return undefined;
  const sheet = ws.sheets.find((s) => s.id === sheetId);
  const access: SheetAccess = sheetAccessOf(role, sheetId);
  const hiddenIds = hidden ?? hiddenFields(full, role, fullSheet);
  const readOnly = new Set(hiddenIds);
  if (!role.design) for (const [id, grant] of Object.entries(access.fields ?? {})) if (grant === 'read_only') readOnly.add(id);
  const scopes = new Map<RecordOperation, ReturnType<SheetGrant['rows']>>();
  return {
    full: fullSheet,
    sheet,
    access,
    create: access.create,
    readOnly,
    hidden: hiddenIds,
    rows(operation) {
      if (!scopes.has(operation)) {
        const scope = access[operation];
        const rows = scope === 'none' ? undefined : operation === 'read' ? (sheet?.rowScope ?? null) : scopeCondition(full, fullSheet, scope, access.where, asker);
        scopes.set(operation, rows);
      }
      return scopes.get(operation);
    },
  };
}
