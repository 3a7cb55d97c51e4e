import { z } from 'zod';
import { importTarget, requireImportDesign } from '../access/imports.js';
import type { Access, SheetGrant } from '../access/model.js';
import type { FieldDef, SheetDef } from '../catalog/model.js';
import { findField } from '../catalog/resolve.js';
import { EngineError, badRequest } from '../errors.js';
import { fieldInputSchema, buildFieldSpec, type FieldInput } from '../schema-changes/field-input.js';
import { assertNameFree, nameKey, nameSchema } from '../schema-changes/names.js';
import { loadLibrary } from '../templates/library.js';
import type { ColumnPreview } from './infer.js';
import { readers } from './readers.js';
import { readSettingsSchema } from './source.js';
import { DATE_ORDERS, type DateOrder } from './values.js';
import type { FieldTypeId } from '../field-types/registry.js';

/** POST …/imports/:id/start (API.md), plus `clearEmpty` and the read settings, which this server adds. */
export const importStartSchema = z
  .object({
    sheet: z.string().max(255).optional(),
    newSheet: z.string().max(1000).optional(),
    mapping: z.record(z.string().max(1000), z.unknown()),
    mode: z.enum(['insert', 'upsert']),
    key: z.string().max(255).optional(),
    onError: z.enum(['abort', 'skip']),
    createMissingLinks: z.boolean().optional(),
    dateOrder: z.enum(DATE_ORDERS).optional(),
    /** Upsert: an empty cell clears the field (by default it leaves the record's value as it is). */
    clearEmpty: z.boolean().optional(),
  })
  .extend(readSettingsSchema.shape)
  .strict();
export type ImportStart = z.output<typeof importStartSchema>;

/** A column of the file and where it goes: an existing field (by id) or a new one. */
export interface ColumnTarget {
  /** Its index among the preview's columns. */
  column: number;
  name: string;
  field?: string;
  new?: FieldInput;
}

/** What a started import does, resolved to ids when it starts (a field renamed meanwhile is still found). */
export interface ImportPlan {
  sheet?: string;
  newSheet?: string;
  targets: ColumnTarget[];
  mode: 'insert' | 'upsert';
  /** The key's field id (upsert). */
  key?: string;
  onError: 'abort' | 'skip';
  createMissingLinks: boolean;
  dateOrder?: DateOrder;
  clearEmpty: boolean;
}

const REFUSED = {
  computed: 'is filled by the system (computed, automatic or read-only): it cannot be imported',
  files: 'is an attachment field: files cannot be imported from a spreadsheet',
};

/**
 * Checks a start against the file's columns and the sheet as the user may use it, and resolves it. Every problem is
 * reported at once (400 naming `mapping.<column>`, `sheet`, `key`…); fields the role may not write are a 403.
 */
export function resolveStart(access: Access, columns: readonly ColumnPreview[], input: ImportStart): ImportPlan {
  const problems: Record<string, string> = {};
  if ((input.sheet === undefined) === (input.newSheet === undefined)) throw badRequest('Give either "sheet" (an existing sheet) or "newSheet" (the name of a new one)', { fields: { sheet: 'give either sheet or newSheet' } });
  const upsert = input.mode === 'upsert';
  let grant: SheetGrant | undefined;
  let newSheet: string | undefined;
  if (input.sheet !== undefined) grant = importTarget(access, input.sheet, upsert);
  else {
    requireImportDesign(access);
    const parsed = nameSchema.safeParse(input.newSheet);
    if (!parsed.success) throw badRequest(`newSheet: ${parsed.error.issues[0]!.message}`, { fields: { newSheet: parsed.error.issues[0]!.message } });
    newSheet = parsed.data;
    assertNameFree(access.full.sheets, newSheet, 'sheet');
    if (upsert) problems.mode = 'a new sheet has no records to update: use "insert"';
  }
  const sheet = grant?.sheet;
  const targets: ColumnTarget[] = [];
  const taken = new Map<string, string>();
  const newNames = new Map<string, string>();
  for (const [column, target] of Object.entries(input.mapping)) {
    const at = `mapping.${column}`;
    const index = columns.findIndex((c) => c.name === column);
    if (index < 0) {
      problems[at] = `is not a column of the file (its columns are ${columns.map((c) => `"${c.name}"`).join(', ')})`;
      continue;
    }
    if (target === null) continue;
    if (typeof target === 'string') {
      const field = sheet && findField(sheet, target);
      if (!field) {
        problems[at] = sheet ? `"${target}" is not a field of sheet "${sheet.name}"` : `the new sheet has no field "${target}" yet: map the column as {"new": {"name", "type"}}`;
        continue;
      }
      const problem = fieldProblem(field, grant!);
      if (problem === 'forbidden') throw new EngineError('forbidden', `"${field.name}" is read-only for your role; nothing was imported`, { fields: { [at]: 'is read-only for your role' } });
      if (problem) problems[at] = `"${field.name}" ${problem}`;
      else if (taken.has(field.id)) problems[at] = `"${field.name}" is already filled from the column "${taken.get(field.id)}"`;
      else {
        taken.set(field.id, column);
        targets.push({ column: index, name: column, field: field.id });
      }
      continue;
    }
    const made = newField(target, at, problems);
    if (!made) continue;
    requireImportDesign(access);
    const key = nameKey(made.name);
    const clash = sheet?.fields.find((f) => nameKey(f.name) === key) ?? grant?.full.fields.find((f) => nameKey(f.name) === key);
    if (clash) problems[`${at}.new.name`] = `the sheet already has a field named "${clash.name}": map the column to it, or choose another name`;
    else if (newNames.has(key)) problems[`${at}.new.name`] = `the column "${newNames.get(key)}" makes a field of this name too`;
    else {
      newNames.set(key, column);
      targets.push({ column: index, name: column, new: made });
    }
  }
  if (!targets.length && !Object.keys(problems).length) problems.mapping = 'maps no column to a field';
  const key = upsert ? keyField(input.key, sheet, targets, problems) : undefined;
  if (Object.keys(problems).length) {
    const [where, what] = Object.entries(problems)[0]!;
    throw badRequest(`${where}: ${what}`, { fields: problems });
  }
  return {
    ...(grant ? { sheet: grant.full.id } : { newSheet }),
    targets,
    mode: input.mode,
    ...(key ? { key } : {}),
    onError: input.onError,
    createMissingLinks: input.createMissingLinks ?? false,
    ...(input.dateOrder ? { dateOrder: input.dateOrder } : {}),
    clearEmpty: input.clearEmpty ?? false,
  };
}

/** Why a field cannot take a column (undefined: it can). */
function fieldProblem(field: FieldDef, grant: SheetGrant): string | 'forbidden' | undefined {
  const reader = readers[field.type as FieldTypeId];
  if (reader.kind === 'refused') return REFUSED[reader.why];
  if (grant.readOnly.has(field.id)) return 'forbidden';
  return undefined;
}

/** `{"new": FieldInput}`, checked as adding the field would check it. */
function newField(target: unknown, at: string, problems: Record<string, string>): FieldInput | undefined {
  const wrapped = z.object({ new: fieldInputSchema }).strict().safeParse(target);
  if (!wrapped.success) {
    const issue = wrapped.error.issues[0]!;
    problems[[at, ...issue.path].join('.')] = typeof target === 'object' && target !== null && 'new' in target ? issue.message : 'must be a field name or id, {"new": {"name", "type", "options"?}}, or null';
    return undefined;
  }
  const input = wrapped.data.new;
  try {
    const spec = buildFieldSpec(input);
    const reader = readers[spec.type];
    if (reader.kind === 'refused') problems[`${at}.new.type`] = `a ${spec.type} field ${REFUSED[reader.why].replace(/^is /, 'is ')}`;
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    problems[`${at}.new`] = Object.values((error.details?.fields ?? {}) as Record<string, string>)[0] ?? error.message;
    return undefined;
  }
  return { ...input, primary: undefined } as FieldInput;
}

const KEY_TYPES = new Set(['text', 'long_text', 'email', 'phone', 'url', 'number', 'currency', 'percent', 'rating', 'date', 'single_select']);

function keyField(ref: string | undefined, sheet: SheetDef | undefined, targets: ColumnTarget[], problems: Record<string, string>): string | undefined {
  if (ref === undefined) {
    problems.key = 'is required to update records by a key: name the field that identifies a record';
    return undefined;
  }
  const field = sheet && findField(sheet, ref);
  if (!field || !targets.some((t) => t.field === field.id)) {
    problems.key = `must be one of the existing fields the mapping fills (${targets.filter((t) => t.field).map((t) => `"${sheet!.fields.find((f) => f.id === t.field)!.name}"`).join(', ')})`;
    return undefined;
  }
  if (!KEY_TYPES.has(field.type)) {
    problems.key = `"${field.name}" is a ${field.type} field: a key is text, a number, a date or a single choice`;
    return undefined;
  }
  return field.id;
}

/** Field names in the other language of the templates they came from: 電子郵件 finds Email, and back. */
let aliases: Map<string, Set<string>> | undefined;
function templateAliases(): Map<string, Set<string>> {
  if (aliases) return aliases;
  aliases = new Map();
  for (const { sheets } of loadLibrary().values()) {
    for (const sheet of sheets) {
      for (const field of sheet.fields) {
        if (typeof field.name === 'string') continue;
        const keys = [matchKey(field.name.en), matchKey(field.name['zh-TW'])];
        for (const key of keys) {
          const set = aliases.get(key) ?? new Set<string>();
          for (const other of keys) if (other !== key) set.add(other);
          aliases.set(key, set);
        }
      }
    }
  }
  return aliases;
}

/** Column and field names compared as names are, and `close_date` as `Close date`. */
const matchKey = (name: string) => nameKey(name.replace(/[_]+/g, ' ').replace(/\s+/g, ' '));

/**
 * The mapping the wizard starts from: each column to the field of the same name (in either language of the
 * templates, ignoring case, width and `_`), else (for a designer) a new field of the type the data suggests.
 */
export function suggestMapping(access: Access, columns: readonly ColumnPreview[], sheet: SheetDef | undefined): Record<string, string | { new: FieldInput } | null> {
  const byKey = new Map<string, FieldDef>();
  for (const field of sheet?.fields ?? []) {
    if (readers[field.type as FieldTypeId].kind === 'refused') continue;
    byKey.set(matchKey(field.name), field);
  }
  const used = new Set<string>();
  const mapping: Record<string, string | { new: FieldInput } | null> = {};
  for (const column of columns) {
    const key = matchKey(column.name);
    const field = byKey.get(key) ?? [...(templateAliases().get(key) ?? [])].map((k) => byKey.get(k)).find(Boolean);
    if (field && !used.has(field.id)) {
      used.add(field.id);
      mapping[column.name] = field.name;
    } else if (access.role.design) {
      mapping[column.name] = { new: { name: column.name, type: column.type, ...(Object.keys(column.options).length ? { options: column.options } : {}) } };
    } else mapping[column.name] = null;
  }
  return mapping;
}
