import { requireDesign } from '../access/guard.js';
import type { Access } from '../access/model.js';
import { audit } from '../access/changes.js';
import type { Transaction } from 'kysely';
import type { Database } from '../db.js';
import type { Engine } from '../engine.js';
import { badRequest } from '../errors.js';
import { inOneTransaction } from '../transaction.js';
import { checkSheets } from './check.js';
import type { TemplateRole, TemplateSheet, TemplateWorkflow } from './format.js';
import { installExtras } from './install-extras.js';
import { installFields } from './install-fields.js';
import { installRecords } from './install-records.js';
import { InstallState } from './install-state.js';
import { TemplateModel } from './model.js';
import { checkRoles, installRoles, type InstalledRole } from './roles.js';
import type { Language } from './text.js';
import { checkWorkflows, installWorkflows, type InstalledWorkflow } from './workflows.js';

export interface InstallOptions {
  language: Language;
  sampleData: boolean;
  /** What is installed, for the audit log: a library template by key, or an imported file (its own key and name). */
  source?: { key: string; name: string; imported?: boolean };
}

export interface InstallResult {
  sheets: { id: string; name: string }[];
  /** The roles the install created (none when the installer may not manage members). */
  roles: InstalledRole[];
  /** The workflows the install created. */
  workflows: InstalledWorkflow[];
}

/**
 * Installs template sheets with the engine's public functions, in the order an admin would: sheets and fields
 * (links and what reads through them once their targets exist), rules, views, forms (published), documents, then sample
 * records, then the template's roles over the sheets created. A sheet or role name already taken gets a suffix. All
 * of it is one transaction: any failure leaves the workspace exactly as it was.
 */
export async function installSheets(engine: Engine, access: Access, sheets: readonly TemplateSheet[], options: InstallOptions, roles: readonly TemplateRole[] = [], workflows: readonly TemplateWorkflow[] = []): Promise<InstallResult> {
  requireDesign(access);
  const model = checkedModel(sheets, roles, workflows);
  return inOneTransaction(engine, access.workspaceId, async (scoped) => (await installSheetsIn(scoped, access, model, options, roles, workflows)).result);
}

/** The template's sheets as a model, once its sheets, roles and workflows are checked: else 400 naming the problems. */
export function checkedModel(sheets: readonly TemplateSheet[], roles: readonly TemplateRole[], workflows: readonly TemplateWorkflow[]): TemplateModel {
  const model = new TemplateModel(sheets);
  const problems = [...checkSheets(sheets), ...(model.problems.length ? [] : [...checkRoles(model, roles), ...checkWorkflows(model, workflows, roles.map((r) => r.key))])];
  if (problems.length) throw badRequest(`The template is not valid: ${problems.slice(0, 5).join('; ')}`, { fields: { template: problems.slice(0, 50).join('\n') } });
  return model;
}

/** The install in a caller's transaction (`scoped`), with what it made by template key (a restore maps ids with it). */
export async function installSheetsIn(scoped: Engine, access: Access, model: TemplateModel, options: InstallOptions, roles: readonly TemplateRole[] = [], workflows: readonly TemplateWorkflow[] = []): Promise<{ result: InstallResult; state: InstallState }> {
  const workspaceId = access.workspaceId;
  const sheets = model.sheets;
  const state = new InstallState(scoped, access, model, options.language);
  await installFields(state);
  for (const sheet of sheets) await installExtras(state, sheet);
  if (options.sampleData) await installRecords(state);
  const installedRoles = await installRoles(state, roles);
  // Roles are installed all or none (none when the installer may not manage members), in the template's order.
  const rolesByKey = new Map(installedRoles.length ? roles.map((r, i) => [r.key, installedRoles[i]!] as const) : []);
  const installedWorkflows = await installWorkflows(state, workflows, rolesByKey);
  const ws = await scoped.catalog.get(workspaceId);
  const result = { sheets: sheets.map((s) => ({ id: state.sheetId(s.key), name: ws.sheets.find((x) => x.id === state.sheetId(s.key))!.name })), roles: installedRoles, workflows: installedWorkflows };
  // One entry for the install as a whole, after those of each sheet, field, rule, view, form and document it made.
  const { source } = options;
  await audit(scoped.db as Transaction<Database>, access, 'template.install', { kind: 'template', id: source?.key ?? null, name: source?.name ?? null }, undefined, {
    ...(source?.imported ? { imported: true } : {}),
    language: options.language,
    sampleData: options.sampleData,
    sheets: result.sheets,
    roles: result.roles,
    workflows: result.workflows,
  });
  return { result, state };
}
