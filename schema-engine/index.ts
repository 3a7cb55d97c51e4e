// The schema engine's public surface: the server and templates use only what is exported here.
export { createEngine, settle, type Engine } from './engine.js';
export type { Database, Db, MemberRole } from './db.js';
export { EngineError, badRequest, fieldErrors, notFound } from './errors.js';
export { sheetJson, fieldJson, type SheetDef, type FieldDef, type WorkspaceOverview } from './catalog/model.js';
export { sheetOrThrow, fieldOrThrow, findSheet, findField } from './catalog/resolve.js';
export { CATALOG_CHANNEL } from './catalog/cache.js';
export { createSheet, updateSheet, deleteSheet, createSheetSchema, patchSheetSchema, type Actor } from './schema-changes/sheets.js';
export { addField, updateField, deleteField } from './schema-changes/fields.js';
export { repairSearchIndexes } from './schema-changes/repair.js';
export { fieldInputSchema, fieldPatchSchema } from './schema-changes/field-input.js';
export { listTrash, restoreFromTrash } from './trash/trash.js';
export { createWorkspace, createWorkspaceIn, createWorkspaceSchema, workspacesOf, roleIn } from './workspaces.js';
export { createRecords, updateRecord, setRecordDeleted, MAX_BATCH } from './records/write.js';
export { fetchRecords, isRecordId } from './records/fetch.js';
export { readHistory } from './records/history.js';
export { listRecords, MAX_LIMIT, type ListQuery } from './query/list.js';
export { FIELD_TYPE_IDS, fieldTypes } from './field-types/registry.js';
export { newId } from './ids.js';
