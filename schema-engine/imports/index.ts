// Spreadsheet imports: upload → preview → start (a job) → progress, problems, cancel.
export { createImport, getImport, listImports, previewAgain, importMapping, startImport, cancelImport, problemsCsv, IMPORT_TASK, MAX_IMPORT_BYTES, type Upload, type ImportSummary } from './imports.js';
export { runImport, IMPORT_BATCH } from './run.js';
export { importStartSchema, type ImportStart } from './mapping.js';
export { readSettingsSchema, type ReadSettings } from './source.js';
export { type ImportLanguage } from './messages.js';
export { DATE_ORDERS, type DateOrder } from './values.js';
export type { ImportJson, Problem } from './store.js';
export { assertMayImport } from '../access/imports.js';
