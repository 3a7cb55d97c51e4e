import { sql, type Transaction } from 'kysely';
import { audit } from '../access/changes.js';
import { accessFor } from '../access/load.js';
import type { WorkspaceOverview } from '../catalog/model.js';
import type { Database } from '../db.js';
import type { Engine } from '../engine.js';
import { newId } from '../ids.js';
import { nameKey } from '../schema-changes/names.js';
import { lockWorkspace } from '../schema-changes/lock.js';
import { templateSchema, type Template } from '../templates/format.js';
import { checkedModel, installSheetsIn, type InstallResult } from '../templates/install.js';
import type { InstallState } from '../templates/install-state.js';
import { choicesOf, isSelect } from '../templates/model.js';
import { scopeEngine } from '../transaction.js';
import { settingsPatchSchema } from '../workflows/settings.js';
import { createWorkspaceIn, createWorkspaceSchema } from '../workspaces.js';
import type { BackupArchive } from './archive.js';
import { DESIGN_ENTRY, fileEntry, MANIFEST_ENTRY, FILES_ENTRY, fileLineSchema, TEAM_ENTRY, teamSchema, WORKFLOWS_ENTRY, workflowsSchema, type BackupManifest, type BackupTeam } from './format.js';
import { IdMap } from './id-map.js';
import { restoreHistory, restoreLinks, restoreRecords } from './rows.js';

/** Where a restore puts attached files' bytes (the server's files folder); `discard` removes a failed restore's. */
export interface FileSink {
  write(workspaceId: string, attachmentId: string, bytes: AsyncIterable<Buffer>): Promise<void>;
  discard(workspaceId: string): Promise<void>;
}

export interface RestoreResult {
  workspace: { id: string; name: string };
  /** Members of the backup who are users here, added with their roles; the others, to invite. */
  members: { restored: { email: string; role: string }[]; notRestored: { email: string; name: string; role: string }[] };
  counts: { sheets: number; records: number; links: number; history: number; files: number };
}

/** Old sheet, field and choice ids to the new ones, from what the install made by key (the old ids). */
function mapDesign(ids: IdMap, design: Template, state: InstallState, ws: WorkspaceOverview): void {
  for (const sheet of design.sheets) {
    ids.sheets.set(sheet.key, state.sheetId(sheet.key));
    for (const field of state.model.fields(sheet.key).values()) {
      if (!state.hasField(sheet.key, field.key)) continue;
      const id = state.fieldId(sheet.key, field.key);
      ids.fields.set(field.key, id);
      if (!field.def || !isSelect(field.def.type)) continue;
      // Choices are made anew with the names they had: matched by name.
      const created = ws.sheets.flatMap((s) => s.fields).find((f) => f.id === id);
      const now = (created?.options as { choices?: { id: string; name: string }[] } | undefined)?.choices ?? [];
      const pairs = choicesOf(field.def).flatMap((c) => now.filter((n) => n.name === c.name).map((n) => [c.key, n.id] as const));
      ids.choices.set(field.key, new Map(pairs));
    }
  }
}

/** Fields in the order they had (the installer makes relational ones last), in one statement. */
async function restoreFieldOrder(trx: Transaction<Database>, ids: IdMap, sheets: BackupManifest['sheets']): Promise<void> {
  const order = sheets.flatMap((s) => s.fields.flatMap((old, position) => (ids.fields.has(old) ? [{ id: ids.fields.get(old)!, position }] : [])));
  if (!order.length) return;
  await sql`UPDATE fields AS f SET position = o.position FROM json_to_recordset(${JSON.stringify(order)}::json) AS o(id text, position integer) WHERE f.id = o.id AND f.workspace_id = ${ids.workspaceId}`.execute(trx);
}

/** Each workflow's webhook secret (receivers keep checking signatures) and creation time (the list's order). */
async function restoreWorkflowSecrets(trx: Transaction<Database>, design: Template, installed: InstallResult, saved: { id: string; secret: string; createdAt: string }[]): Promise<void> {
  for (const [i, wf] of (design.workflows ?? []).entries()) {
    const old = saved.find((s) => s.id === wf.key);
    const id = installed.workflows[i]?.id;
    if (old && id) await trx.updateTable('workflows').set({ secret: old.secret, created_at: new Date(old.createdAt) }).where('id', '=', id).execute();
  }
}

/** Teams, then the members who are users of this installation (by email) with their roles and teams. */
async function restoreTeam(trx: Transaction<Database>, ids: IdMap, ownerId: string, team: BackupTeam, design: Template, installed: InstallResult): Promise<RestoreResult['members']> {
  const roles = await trx.selectFrom('roles').select(['id', 'name', 'builtin_key']).where('workspace_id', '=', ids.workspaceId).execute();
  const customRoles = new Map((design.roles ?? []).map((r, i) => [r.key, installed.roles[i]] as const));
  const roleOf = (role: BackupTeam['members'][number]['role']) => (role.builtIn ? roles.find((r) => r.builtin_key === role.builtIn) : customRoles.get(role.id));
  await ids.loadUsers([...team.teams.map((t) => t.managerEmail), ...team.members.map((m) => m.email)]);
  const teamIds = new Map(team.teams.map((t) => [t.id, newId('tea')] as const));
  if (team.teams.length) {
    await trx.insertInto('teams').values(team.teams.map((t) => ({ id: teamIds.get(t.id)!, workspace_id: ids.workspaceId, name: t.name, name_key: nameKey(t.name), manager_id: ids.user(t.managerEmail) }))).execute();
  }
  const out: RestoreResult['members'] = { restored: [], notRestored: [] };
  for (const member of team.members) {
    const userId = ids.user(member.email);
    const role = roleOf(member.role);
    if (!userId || !role) {
      out.notRestored.push({ email: member.email, name: member.name, role: member.role.name });
      continue;
    }
    // The restoring user is the new workspace's owner already; their teams still come back.
    if (userId !== ownerId) await trx.insertInto('workspace_members').values({ workspace_id: ids.workspaceId, user_id: userId, role_id: role.id, active: member.active }).execute();
    const teams = member.teams.flatMap((t) => teamIds.get(t) ?? []);
    if (teams.length) await trx.insertInto('team_members').values(teams.map((team_id) => ({ team_id, user_id: userId, workspace_id: ids.workspaceId }))).execute();
    out.restored.push({ email: member.email, role: userId === ownerId ? 'owner' : role.name });
  }
  return out;
}

/** The attached files: each one's bytes to the files folder under a new id, then their rows in one statement. */
async function restoreFiles(trx: Transaction<Database>, archive: BackupArchive, ids: IdMap, sink: FileSink): Promise<number> {
  const rows: { id: string; workspace_id: string; name: string; size: number; mime_type: string; created_at: Date; created_by: string | null }[] = [];
  const lines: ReturnType<typeof fileLineSchema.parse>[] = [];
  for await (const { line, number } of archive.lines(FILES_ENTRY)) lines.push(archive.line(FILES_ENTRY, number, line, fileLineSchema));
  await ids.loadUsers(lines.map((f) => f.createdBy));
  for (const file of lines) {
    const id = newId('att');
    if (!archive.has(fileEntry(file.id))) throw archive.refuse('file_missing', { file: file.id, entry: fileEntry(file.id) });
    await sink.write(ids.workspaceId, id, archive.bytes(fileEntry(file.id)));
    ids.attachments.set(file.id, id);
    rows.push({ id, workspace_id: ids.workspaceId, name: file.name, size: file.size, mime_type: file.mimeType, created_at: new Date(file.createdAt), created_by: ids.user(file.createdBy) });
  }
  if (rows.length) await trx.insertInto('attachments').values(rows).execute();
  return rows.length;
}

/** The manifest's name, time zone and locale, as the workspace's settings take them (the manifest has no checksum). */
function checkSettings(archive: BackupArchive): void {
  const { name, timeZone, locale } = archive.manifest.workspace;
  for (const result of [createWorkspaceSchema.safeParse({ name }), settingsPatchSchema.safeParse({ timeZone, locale })]) {
    if (!result.success) throw archive.refuse('invalid', { entry: MANIFEST_ENTRY, where: ['workspace', ...result.error.issues[0]!.path].join('.'), problem: result.error.issues[0]!.message });
  }
}

/**
 * Restores a backup file as a new workspace owned by `ownerId`: the design through the template installer (fresh ids,
 * tables and columns), then teams and members, files, records with their ids, times and authors, links and history,
 * set-based. One transaction: any failure leaves no workspace, and the files written so far are removed.
 * Workflow runs are not in a backup: workflows come back enabled or not as they were, with no run in flight.
 */
export async function restoreWorkspace(engine: Engine, ownerId: string, archive: BackupArchive, files: FileSink): Promise<RestoreResult> {
  const { manifest } = archive;
  const design = await archive.parsed(DESIGN_ENTRY, templateSchema);
  const team = await archive.parsed(TEAM_ENTRY, teamSchema);
  const workflows = await archive.parsed(WORKFLOWS_ENTRY, workflowsSchema);
  const unknownSheet = manifest.sheets.find((s) => !design.sheets.some((d) => d.key === s.id));
  if (unknownSheet) throw archive.refuse('unknown_sheet', { sheet: unknownSheet.id });
  checkSettings(archive);
  const model = checkedModel(design.sheets, design.roles ?? [], design.workflows ?? []);
  let workspaceId: string | undefined;
  try {
    return await engine.db.transaction().execute(async (trx) => {
      const workspace = await createWorkspaceIn(trx, manifest.workspace.name, ownerId);
      workspaceId = workspace.id;
      await trx.updateTable('workspaces').set({ time_zone: manifest.workspace.timeZone, locale: manifest.workspace.locale }).where('id', '=', workspace.id).execute();
      await lockWorkspace(trx, workspace.id);
      const scoped = scopeEngine(engine, trx);
      const access = await accessFor(scoped, workspace.id, ownerId);
      const source = { key: 'backup', name: manifest.workspace.name, imported: true };
      const { result, state } = await installSheetsIn(scoped, access, model, { language: 'en', sampleData: false, source }, design.roles ?? [], design.workflows ?? []);
      const ws = await scoped.catalog.get(workspace.id);
      const ids = new IdMap(trx, workspace.id);
      mapDesign(ids, design, state, ws);
      await restoreFieldOrder(trx, ids, manifest.sheets);
      await restoreWorkflowSecrets(trx, design, result, workflows);
      const members = await restoreTeam(trx, ids, ownerId, team, design, result);
      const counts = { sheets: manifest.sheets.length, records: 0, links: 0, history: 0, files: await restoreFiles(trx, archive, ids, files) };
      for (const { id } of manifest.sheets) counts.records += await restoreRecords(trx, archive, ws, id, ws.sheets.find((s) => s.id === ids.sheets.get(id))!, ids);
      for (const { links } of manifest.sheets) for (const link of links) counts.links += await restoreLinks(trx, archive, ws, link, ids);
      for (const { id } of manifest.sheets) counts.history += await restoreHistory(trx, archive, ws, id, ws.sheets.find((s) => s.id === ids.sheets.get(id))!, ids);
      await audit(trx, access, 'workspace.restore', { kind: 'workspace', id: workspace.id, name: workspace.name }, undefined, { backupCreatedAt: manifest.createdAt, counts, members });
      return { workspace, members, counts };
    });
  } catch (error) {
    if (workspaceId) await files.discard(workspaceId);
    throw error;
  } finally {
    if (workspaceId) engine.catalog.invalidate(workspaceId);
  }
}
