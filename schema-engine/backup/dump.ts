import { sql } from 'kysely';
import { requireBackup } from '../access/guard.js';
import type { Access } from '../access/model.js';
import type { FieldDef, SheetDef } from '../catalog/model.js';
import type { LinkOptions } from '../computed/sql.js';
import type { Db } from '../db.js';
import type { Engine } from '../engine.js';
import { columnName, junctionName, tableName } from '../ids.js';
import { hasColumn } from '../records/columns.js';
import { exportWorkspace } from '../templates/export.js';
import { BACKUP_FORMAT, BACKUP_VERSION, DESIGN_ENTRY, FILES_ENTRY, fileEntry, historyEntry, linksEntry, recordsEntry, TEAM_ENTRY, WORKFLOWS_ENTRY, type BackupManifest, type BackupTeam } from './format.js';

/** Rows are read and written this many at a time: a backup never holds a sheet in memory. */
const PAGE = 1000;

/** One entry of the archive: text made on demand (when the zip writer reaches it), or an attached file's bytes. */
export type BackupEntry = { name: string; text: () => AsyncIterable<string> } | { name: string; file: { workspaceId: string; id: string } };

export interface BackupPlan {
  entries: BackupEntry[];
  /** The last entry, once the others were written: the format, and the SHA-256 of each of them. */
  manifest: (checksums: Record<string, string>) => string;
}

/** The side of a link pair that created it: its junction table is named after it. */
const isCreatorSide = (field: FieldDef) => field.type === 'link' && (field.options as LinkOptions).junction === field.id;

async function* once(make: () => Promise<string>): AsyncIterable<string> {
  yield await make();
}

/** Emails of some user ids, for rows that name users: a backup names people by email, ids differ elsewhere. */
async function emailsOf(db: Db, ids: Iterable<string>): Promise<Map<string, string>> {
  const list = [...new Set(ids)];
  if (!list.length) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'email']).where('id', 'in', list).execute();
  return new Map(rows.map((r) => [r.id, r.email]));
}

/** A sheet's rows as stored, by id: system columns, users as emails, each live stored field's column by field id. */
async function* recordLines(db: Db, schema: string, sheet: SheetDef): AsyncIterable<string> {
  const stored = sheet.fields.filter(hasColumn);
  const users = stored.filter((f) => f.impl.userIds);
  let after = '0';
  for (;;) {
    const { rows } = await sql<{ id: string; row: Record<string, unknown> }>`
      SELECT t.id::text AS id, to_jsonb(t) AS row FROM ${sql.id(schema, tableName(sheet.id))} AS t WHERE t.id > ${after}::bigint ORDER BY t.id LIMIT ${PAGE}`.execute(db);
    if (!rows.length) return;
    const emails = await emailsOf(db, rows.flatMap(({ row }) => [row.created_by, row.updated_by, ...users.flatMap((f) => row[columnName(f.id)])].filter((v): v is string => typeof v === 'string')));
    const email = (id: unknown) => (typeof id === 'string' ? (emails.get(id) ?? null) : null);
    let out = '';
    for (const { row } of rows) {
      const values: Record<string, unknown> = {};
      for (const field of stored) {
        const value = row[columnName(field.id)];
        if (value !== null && value !== undefined) values[field.id] = field.impl.userIds === 'one' ? email(value) : field.impl.userIds === 'many' ? (value as unknown[]).map(email) : value;
      }
      out += `${JSON.stringify({ id: row.id, version: row.version, created_at: row.created_at, updated_at: row.updated_at, created_by: email(row.created_by), updated_by: email(row.updated_by), deleted_at: row.deleted_at, values })}\n`;
    }
    yield out;
    after = rows[rows.length - 1]!.id;
  }
}

/** A link pair's rows, in the order they were made. */
async function* linkLines(db: Db, schema: string, fieldId: string): AsyncIterable<string> {
  let after = '0';
  for (;;) {
    const { rows } = await sql<{ a: string; b: string; n: string }>`
      SELECT j.a::text AS a, j.b::text AS b, j.n::text AS n FROM ${sql.id(schema, junctionName(fieldId))} AS j WHERE j.n > ${after}::bigint ORDER BY j.n LIMIT ${PAGE}`.execute(db);
    if (!rows.length) return;
    yield rows.map((r) => `${JSON.stringify([r.a, r.b])}\n`).join('');
    after = rows[rows.length - 1]!.n;
  }
}

/** A sheet's history, oldest first, each entry's author by email and name (a user of another installation, or none). */
async function* historyLines(db: Db, workspaceId: string, sheetId: string): AsyncIterable<string> {
  let after = '0';
  for (;;) {
    const rows = await db
      .selectFrom('record_history as h')
      .leftJoin('users as u', 'u.id', 'h.by_user')
      .select(['h.id', 'h.record_id', 'h.at', 'h.action', 'h.changes', 'u.email', 'u.name', 'h.author_email', 'h.author_name'])
      .where('h.workspace_id', '=', workspaceId)
      .where('h.sheet_id', '=', sheetId)
      .where('h.id', '>', after)
      .orderBy('h.id')
      .limit(PAGE)
      .execute();
    if (!rows.length) return;
    yield rows
      .map((r) => `${JSON.stringify({ recordId: String(r.record_id), at: r.at.toISOString(), action: r.action, changes: r.changes, byEmail: r.email ?? r.author_email, byName: r.name ?? r.author_name })}\n`)
      .join('');
    after = String(rows[rows.length - 1]!.id);
  }
}

async function teamOf(db: Db, workspaceId: string): Promise<BackupTeam> {
  const teams = await db.selectFrom('teams as t').leftJoin('users as u', 'u.id', 't.manager_id').select(['t.id', 't.name', 'u.email']).where('t.workspace_id', '=', workspaceId).orderBy('t.created_at').orderBy('t.id').execute();
  const members = await db
    .selectFrom('workspace_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .innerJoin('roles as r', 'r.id', 'm.role_id')
    .select(['u.id as userId', 'u.email', 'u.name', 'r.id as roleId', 'r.name as roleName', 'r.builtin_key', 'm.active'])
    .where('m.workspace_id', '=', workspaceId)
    .orderBy('m.joined_at')
    .execute();
  const teamRows = await db.selectFrom('team_members').select(['team_id', 'user_id']).where('workspace_id', '=', workspaceId).execute();
  return {
    teams: teams.map((t) => ({ id: t.id, name: t.name, managerEmail: t.email })),
    members: members.map((m) => ({
      email: m.email,
      name: m.name,
      role: { builtIn: m.builtin_key, id: m.roleId, name: m.roleName },
      teams: teamRows.filter((r) => r.user_id === m.userId).map((r) => r.team_id),
      active: m.active,
    })),
  };
}

/**
 * What a backup of the workspace holds, each entry made when the archive reaches it (records, links and history a
 * page at a time). Owners and admins only: it holds every field of every record, and the members.
 */
export async function planBackup(engine: Engine, access: Access): Promise<BackupPlan> {
  requireBackup(access);
  const { db } = engine;
  const ws = access.full;
  const settings = await db.selectFrom('workspaces').select(['name', 'time_zone', 'locale']).where('id', '=', ws.id).executeTakeFirstOrThrow();
  const files = await db.selectFrom('attachments as a').leftJoin('users as u', 'u.id', 'a.created_by').select(['a.id', 'a.name', 'a.size', 'a.mime_type', 'a.created_at', 'u.email']).where('a.workspace_id', '=', ws.id).orderBy('a.id').execute();
  const sheets = ws.sheets.map((s) => ({ id: s.id, fields: s.fields.map((f) => f.id), links: s.fields.filter(isCreatorSide).map((f) => f.id) }));
  const entries: BackupEntry[] = [
    { name: DESIGN_ENTRY, text: () => once(async () => JSON.stringify(await exportWorkspace(engine, access, { records: false }))) },
    { name: TEAM_ENTRY, text: () => once(async () => JSON.stringify(await teamOf(db, ws.id))) },
    {
      name: WORKFLOWS_ENTRY,
      text: () =>
        once(async () => {
          const rows = await db.selectFrom('workflows').select(['id', 'secret', 'created_at']).where('workspace_id', '=', ws.id).where('deleted_at', 'is', null).execute();
          return JSON.stringify(rows.map((r) => ({ id: r.id, secret: r.secret, createdAt: r.created_at.toISOString() })));
        }),
    },
    {
      name: FILES_ENTRY,
      text: () => once(async () => files.map((f) => `${JSON.stringify({ id: f.id, name: f.name, size: Number(f.size), mimeType: f.mime_type, createdAt: f.created_at.toISOString(), createdBy: f.email })}\n`).join('')),
    },
    ...files.map((f): BackupEntry => ({ name: fileEntry(f.id), file: { workspaceId: ws.id, id: f.id } })),
  ];
  for (const sheet of ws.sheets) {
    entries.push({ name: recordsEntry(sheet.id), text: () => recordLines(db, ws.schema, sheet) });
    for (const link of sheets.find((s) => s.id === sheet.id)!.links) entries.push({ name: linksEntry(link), text: () => linkLines(db, ws.schema, link) });
    entries.push({ name: historyEntry(sheet.id), text: () => historyLines(db, ws.id, sheet.id) });
  }
  const manifest = (checksums: Record<string, string>): string => {
    const out: BackupManifest = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: new Date().toISOString(),
      workspace: { name: settings.name, timeZone: settings.time_zone, locale: settings.locale },
      sheets,
      checksums,
    };
    return JSON.stringify(out, null, 2);
  };
  return { entries, manifest };
}
