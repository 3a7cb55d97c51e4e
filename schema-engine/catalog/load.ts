import { resolveWorkspace } from '../computed/resolve.js';
import type { Db } from '../db.js';
import { fieldTypes, isFieldTypeId } from '../field-types/registry.js';
import { schemaName } from '../ids.js';
import { loadRules } from '../rules/load-rules.js';
import { loadSheetWorkflows } from '../workflows/watches.js';
import { loadSheetWebhooks } from '../webhooks/subscriptions.js';
import type { FieldDef, SheetDef, WorkspaceOverview } from './model.js';

/**
 * Reads one workspace's live sheets and fields into an overview (five queries: sheets, fields, rules, what the
 * workflows ask of writes, the record-event webhooks), computed fields resolved. Its catalog version is read first: a
 * change committing between the queries leaves the overview with the older version, so a write built from it is
 * refused and retried (catalog/current.ts) rather than trusted.
 */
export async function loadWorkspace(db: Db, workspaceId: string): Promise<WorkspaceOverview | undefined> {
  const ws = await db.selectFrom('workspaces').select(['id', 'name', 'catalog_version']).where('id', '=', workspaceId).executeTakeFirst();
  if (!ws) return undefined;
  const [sheetRows, fieldRows, rulesBySheet, workflowsOf, webhooksOf] = await Promise.all([
    db.selectFrom('sheets').selectAll().where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null).orderBy('position').execute(),
    db.selectFrom('fields').selectAll().where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null).orderBy('position').execute(),
    loadRules(db, workspaceId),
    loadSheetWorkflows(db, workspaceId),
    loadSheetWebhooks(db, workspaceId),
  ]);
  const fieldsBySheet = new Map<string, FieldDef[]>();
  for (const row of fieldRows) {
    if (!isFieldTypeId(row.type)) throw new Error(`field ${row.id} has unknown type ${row.type}`);
    const list = fieldsBySheet.get(row.sheet_id) ?? [];
    list.push({
      id: row.id,
      sheetId: row.sheet_id,
      name: row.name,
      type: row.type,
      impl: fieldTypes[row.type],
      options: row.options,
      required: row.required,
      unique: row.unique,
      description: row.description,
      defaultValue: row.default_value ?? undefined,
      position: row.position,
    });
    fieldsBySheet.set(row.sheet_id, list);
  }
  const sheets: SheetDef[] = sheetRows.map((row) => ({
    id: row.id,
    workspaceId,
    name: row.name,
    primaryFieldId: row.primary_field_id,
    version: row.version,
    position: row.position,
    fields: fieldsBySheet.get(row.id) ?? [],
    rules: rulesBySheet.get(row.id) ?? [],
    workflows: workflowsOf(row.id),
    webhooks: webhooksOf(row.id),
  }));
  return resolveWorkspace({ id: ws.id, name: ws.name, schema: schemaName(ws.id), catalogVersion: String(ws.catalog_version), sheets });
}
