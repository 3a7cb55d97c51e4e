import { requireDesign } from '../access/guard.js';
import { listRoles, type roleJson } from '../access/roles.js';
import type { Access } from '../access/model.js';
import type { Engine } from '../engine.js';
import type { FieldDef, SheetDef, WorkspaceOverview } from '../catalog/model.js';
import { fieldJson } from '../catalog/model.js';
import type { LinkOptions } from '../computed/sql.js';
import type { Db } from '../db.js';
import type { Choice } from '../field-types/shared/choices.js';
import { conversionsOf, type ConversionJson } from '../conversions/conversions.js';
import { fieldTypes } from '../field-types/registry.js';
import { documentsOf } from '../documents/documents.js';
import { formsOf } from '../forms/forms.js';
import type { FormulaOptions } from '../field-types/formula.js';
import type { Logic } from '../formulas/parser.js';
import { renderFormula } from '../formulas/render.js';
import { listRecords, MAX_LIMIT } from '../query/list.js';
import { viewsOf } from '../views/views.js';
import { VALUE_PARTS } from './conversions.js';
import type { Template, TemplateConversion, TemplateField, TemplateRecord, TemplateRole, TemplateSheet } from './format.js';
import { isSelect, isWritable, TemplateModel } from './model.js';
import { exportWorkflows } from './workflows.js';

/** Keys of an exported workspace are its ids; a record's key is `r` and its id (unique within its sheet). */
const recordKey = (id: string) => `r${id}`;

/** The side of a link pair that created it (its junction table is named after it); the other is its inverse. */
const isCreatorSide = (field: FieldDef) => field.type === 'link' && (field.options as LinkOptions).junction === field.id;

function choiceKeys(field: FieldDef, names: unknown): unknown {
  const choices = (field.options as { choices: Choice[] }).choices;
  const key = (name: unknown) => choices.find((c) => c.name === name)?.id ?? String(name);
  return Array.isArray(names) ? names.map(key) : key(names);
}

function exportOptions(ws: WorkspaceOverview, field: FieldDef): Record<string, unknown> | undefined {
  const options = field.options as Record<string, unknown>;
  if (isSelect(field.type)) return { choices: (options.choices as Choice[]).map((c) => ({ key: c.id, name: c.name, color: c.color })) };
  if (field.type === 'link') {
    const o = field.options as LinkOptions;
    const inverse = ws.sheets.flatMap((s) => s.fields).find((f) => f.id === o.inverseField);
    return { sheet: o.sheet, relationship: o.relationship, inverseKey: o.inverseField, ...(inverse ? { inverseName: inverse.name } : {}) };
  }
  if (field.type === 'lookup') return { link: options.link, field: options.field };
  if (field.type === 'rollup') return { link: options.link, field: options.field, fn: options.fn };
  if (field.type === 'formula') {
    const { logic, expression } = field.options as FormulaOptions;
    return { expression: logic === undefined ? expression : renderFormula(logic as Logic, (id) => id) };
  }
  return Object.keys(options ?? {}).length ? options : undefined;
}

function exportField(ws: WorkspaceOverview, sheet: SheetDef, field: FieldDef, first: boolean): TemplateField {
  const out: TemplateField = { key: field.id, name: field.name, type: field.type };
  const options = exportOptions(ws, field);
  if (options) out.options = options;
  if (field.required) out.required = true;
  if (field.unique) out.unique = true;
  if (field.description) out.description = field.description;
  const defaultValue = fieldJson(field).defaultValue;
  if (defaultValue !== null && defaultValue !== undefined) out.defaultValue = isSelect(field.type) ? choiceKeys(field, defaultValue) : defaultValue;
  if (!first && sheet.primaryFieldId === field.id) out.primary = true;
  return out;
}

/** A record value as a template writes it: choices and records by key, people by email; files are left out. */
function exportValue(field: FieldDef, value: unknown): unknown {
  if (isSelect(field.type)) return choiceKeys(field, value);
  if (field.type === 'link') return (value as { id: string }[]).map((v) => recordKey(v.id));
  // People by email, one or a list (the type says which: `userIds`).
  const people = fieldTypes[field.type].userIds;
  if (people === 'one') return (value as { email: string }).email;
  if (people === 'many') return (value as { email: string }[]).map((u) => u.email);
  return value;
}

/** A stored conversion: its ids are the keys; a select's value is its choice's key. */
function exportConversion(sheet: SheetDef, { name, spec }: ConversionJson): TemplateConversion {
  const out: TemplateConversion = {
    name,
    targets: spec.targets.map((t) => ({ key: t.key, sheet: t.sheetId, fields: t.fields, ...(t.match ? { match: t.match } : {}), links: t.links })),
    backLinks: spec.backLinks,
  };
  for (const part of VALUE_PARTS) {
    const value = spec[part];
    const field = value && sheet.fields.find((f) => f.id === value.fieldId);
    if (value && field) out[part] = { field: field.id, value: String(isSelect(field.type) ? choiceKeys(field, value.value) : value.value) };
  }
  return out;
}

async function exportRecords(db: Db, ws: WorkspaceOverview, sheet: SheetDef, fields: FieldDef[]): Promise<TemplateRecord[]> {
  const written = fields.filter((f) => isWritable(f.type) && f.type !== 'attachment');
  const out: TemplateRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await listRecords(db, ws, sheet, { limit: MAX_LIMIT, ...(cursor ? { cursor } : {}) });
    for (const record of page.records) {
      const values: Record<string, unknown> = {};
      for (const field of written) {
        const value = record.fields[field.name];
        if (value !== undefined && value !== null) values[field.id] = exportValue(field, value);
      }
      out.push({ key: recordKey(record.id), fields: values });
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

/**
 * A workspace as a template file of the same format (keys from ids): sheets, fields (a link once, with its inverse
 * named), validation rules, views, the published layouts of forms, documents, conversions and, optionally, every record.
 */
/** The workspace as a template file (designers: it holds every field and, if asked, every record). */
export async function exportWorkspace(engine: Engine, access: Access, options: { records: boolean }): Promise<Template> {
  requireDesign(access);
  const db = engine.db;
  const ws = access.full;
  const sheets: TemplateSheet[] = [];
  for (const sheet of ws.sheets) {
    const fields = sheet.fields.filter((f) => f.type !== 'link' || isCreatorSide(f));
    // The default form first: the first form a template installs is the default.
    const forms = (await formsOf(db, sheet)).filter((f) => f.published).sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
    const out: TemplateSheet = {
      key: sheet.id,
      name: sheet.name,
      fields: fields.map((f, i) => exportField(ws, sheet, f, i === 0)),
      rules: sheet.rules.map((r) => ({ condition: r.condition, message: r.message, ...(r.kind === 'lock' ? { kind: r.kind, lockedFields: r.lockedFieldIds ? [...r.lockedFieldIds] : null } : {}) })),
      views: (await viewsOf(db, sheet)).map((v) => ({ name: v.name, type: v.type, config: v.config })),
      forms: forms.map((f) => ({ name: f.name, layout: f.published as unknown as Record<string, unknown> })),
      documents: (await documentsOf(db, sheet)).map((d) => ({ name: d.name, template: d.template })),
      conversions: (await conversionsOf(db, sheet)).map((c) => exportConversion(sheet, c)),
    };
    if (options.records) out.records = await exportRecords(db, ws, sheet, fields);
    sheets.push(out);
  }
  // Roles come along for whoever may see them (managing members); they grant by sheet and field ids, the file's keys.
  const roles = access.role.members ? (await listRoles(engine, access)).filter((r) => !r.builtIn).map((r) => exportRole(ws, r)) : [];
  // Workflows come along too (by ids, as stored), with email documents by name.
  const documentNames = new Map<string, string>();
  for (const sheet of ws.sheets) for (const d of await documentsOf(db, sheet)) documentNames.set(d.id, d.name);
  const workflows = await exportWorkflows(engine, access, new TemplateModel(sheets), roles.map((r) => r.key), documentNames);
  return { key: 'export', name: ws.name, description: `Exported from "${ws.name}"`, sheets, ...(roles.length ? { roles } : {}), ...(workflows.length ? { workflows } : {}) };
}

/** A custom role as a template role: its grants on the exported sheets, field grants of fields that still exist. */
function exportRole(ws: WorkspaceOverview, role: ReturnType<typeof roleJson>): TemplateRole {
  const sheets: TemplateRole['sheets'] = {};
  for (const [sheetId, grant] of Object.entries(role.sheets)) {
    const sheet = ws.sheets.find((s) => s.id === sheetId);
    if (!sheet) continue;
    const fields = Object.fromEntries(Object.entries(grant.fields ?? {}).filter(([id]) => sheet.fields.some((f) => f.id === id)));
    const { fields: _fields, ...rest } = grant;
    sheets[sheetId] = { ...rest, ...(Object.keys(fields).length ? { fields } : {}) };
  }
  return { key: role.id, name: role.name, design: role.design, members: role.members, sheets, otherSheets: role.otherSheets };
}
