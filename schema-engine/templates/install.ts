import type { Engine } from '../engine.js';
import { badRequest } from '../errors.js';
import { checkSheets } from './check.js';
import type { TemplateSheet } from './format.js';
import { installExtras } from './install-extras.js';
import { installFields } from './install-fields.js';
import { installRecords } from './install-records.js';
import { InstallState } from './install-state.js';
import { TemplateModel } from './model.js';
import { dropCreatedSheets } from './rollback.js';
import type { Language } from './text.js';

export interface InstallOptions {
  language: Language;
  sampleData: boolean;
  /** Who installs: the author of everything created, and `$me` in sample records. */
  userId: string;
}

export interface InstallResult {
  sheets: { id: string; name: string }[];
}

/**
 * Installs template sheets with the engine's public functions, in the order an admin would: sheets and fields
 * (links and what reads through them once their targets exist), rules, views, forms (published), documents, then sample
 * records. A sheet name already taken gets a suffix. All or nothing: the engine's schema changes commit one by one,
 * so a failure drops every sheet this install created (rollback.ts) before the error goes on.
 */
export async function installSheets(engine: Engine, workspaceId: string, sheets: readonly TemplateSheet[], options: InstallOptions): Promise<InstallResult> {
  const problems = checkSheets(sheets);
  if (problems.length) throw badRequest(`The template is not valid: ${problems.slice(0, 5).join('; ')}`, { fields: { template: problems.slice(0, 50).join('\n') } });
  const state = new InstallState(engine, workspaceId, new TemplateModel(sheets), options.language, options.userId);
  try {
    await installFields(state);
    for (const sheet of sheets) await installExtras(state, sheet);
    if (options.sampleData) await installRecords(state);
  } catch (error) {
    // The install's own error is what the caller needs; an undo that fails too is logged.
    await dropCreatedSheets(engine, workspaceId, state.created).catch((undo: unknown) => engine.log('template install: undo failed', undo));
    throw error;
  }
  const ws = await engine.catalog.get(workspaceId);
  return { sheets: sheets.map((s) => ({ id: state.sheetId(s.key), name: ws.sheets.find((x) => x.id === state.sheetId(s.key))!.name })) };
}
