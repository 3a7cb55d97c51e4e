import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSheets } from './check.js';
import { templateSchema, type Template, type TemplateRole, type TemplateSheet, type TemplateWorkflow } from './format.js';
import { TemplateModel } from './model.js';
import { checkRoles } from './roles.js';
import { localize, type Text } from './text.js';
import { checkWorkflows } from './workflows.js';

/** The template files shipped with the app: `templates/<key>.json` at the root of the repository. */
export const TEMPLATES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../templates');

/** A template with the sheets it installs: those of the templates it uses (once each, theirs first), then its own. */
export interface ResolvedTemplate {
  template: Template;
  sheets: TemplateSheet[];
  /** Its roles and those of the templates it uses (theirs first; one of the same key here replaces theirs). */
  roles: TemplateRole[];
  /** Its workflows and those of the templates it uses (theirs first; one of the same key here replaces theirs). */
  workflows: TemplateWorkflow[];
}

let cached: Map<string, ResolvedTemplate> | undefined;

/** Reads, validates and resolves every template file; a broken one throws (its test fails, not a user's install). */
export function loadLibrary(dir = TEMPLATES_DIR): Map<string, ResolvedTemplate> {
  if (dir === TEMPLATES_DIR && cached) return cached;
  const raw = new Map<string, Template>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const parsed = templateSchema.safeParse(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
    if (!parsed.success) throw new Error(`templates/${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    if (`${parsed.data.key}.json` !== file) throw new Error(`templates/${file}: its key is "${parsed.data.key}"`);
    raw.set(parsed.data.key, parsed.data);
  }
  const library = new Map<string, ResolvedTemplate>();
  for (const template of raw.values()) {
    const { sheets, roles, workflows } = resolve(raw, template.key);
    const model = new TemplateModel(sheets);
    const problems = [...checkSheets(sheets), ...checkRoles(model, roles), ...checkWorkflows(model, workflows, roles.map((r) => r.key))];
    if (problems.length) throw new Error(`templates/${template.key}.json: ${problems.join('; ')}`);
    library.set(template.key, { template, sheets, roles, workflows });
  }
  if (dir === TEMPLATES_DIR) cached = library;
  return library;
}

/**
 * A sheet of a used template that a template lists again gets its fields, rules, views, forms, documents, conversions
 * and records added; a field of the same key, or a view, form or document of the same (English) name, replaces the
 * used template's in its place (as `full-crm` adds a discount to quotes and totals them with it).
 */
function extend(base: TemplateSheet, more: TemplateSheet): TemplateSheet {
  const join = <T>(a: T[] | undefined, b: T[] | undefined) => [...(a ?? []), ...(b ?? [])];
  const byName = (item: { name: Text }) => localize(item.name, 'en');
  return {
    ...base,
    fields: merge(base.fields, more.fields, (f) => f.key),
    rules: join(base.rules, more.rules),
    views: merge(base.views, more.views, byName),
    forms: merge(base.forms, more.forms, byName),
    documents: merge(base.documents, more.documents, byName),
    conversions: join(base.conversions, more.conversions),
    records: join(base.records, more.records),
  };
}

/** The base's items with those of `more` of the same identity in their place, then the rest of `more`. */
function merge<T>(base: T[] | undefined, more: T[] | undefined, identity: (item: T) => string): T[] {
  const replacing = new Map((more ?? []).map((item) => [identity(item), item]));
  const merged = (base ?? []).map((item) => replacing.get(identity(item)) ?? item);
  const replaced = new Set((base ?? []).map(identity));
  return [...merged, ...(more ?? []).filter((item) => !replaced.has(identity(item)))];
}

function resolve(raw: Map<string, Template>, key: string): { sheets: TemplateSheet[]; roles: TemplateRole[]; workflows: TemplateWorkflow[] } {
  const sheets: TemplateSheet[] = [];
  const roles: TemplateRole[] = [];
  const workflows: TemplateWorkflow[] = [];
  const done = new Set<string>();
  const visit = (k: string, trail: string[]) => {
    if (done.has(k)) return;
    if (trail.includes(k)) throw new Error(`templates/${key}.json: "uses" goes round in a circle (${[...trail, k].join(' → ')})`);
    const template = raw.get(k);
    if (!template) throw new Error(`templates/${trail.at(-1)}.json: uses "${k}", which is not a template`);
    for (const used of template.uses ?? []) visit(used, [...trail, k]);
    done.add(k);
    for (const sheet of template.sheets) {
      const index = sheets.findIndex((s) => s.key === sheet.key);
      if (index < 0) sheets.push(sheet);
      else sheets[index] = extend(sheets[index]!, sheet);
    }
    for (const role of template.roles ?? []) {
      const index = roles.findIndex((r) => r.key === role.key);
      if (index < 0) roles.push(role);
      else roles[index] = role;
    }
    for (const wf of template.workflows ?? []) {
      const index = workflows.findIndex((w) => w.key === wf.key);
      if (index < 0) workflows.push(wf);
      else workflows[index] = wf;
    }
  };
  visit(key, []);
  return { sheets, roles, workflows };
}
