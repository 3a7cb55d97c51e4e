import { FIELD_TYPE_IDS, type FieldTypeId } from '../../../schema-engine/field-types/type-ids.js';
import type { Choice, Field } from '../api/types.js';
import { clientType } from '../field-types/index.js';
import { choiceLines, choicesFromLines } from '../schema/options.js';
import type { ColumnPreview, DateOrder, StartBody, SuggestedTarget } from './api.js';

/** Where one column of the file goes, as the wizard edits it. */
export type ColumnDraft =
  | { kind: 'skip' }
  | { kind: 'field'; field: string }
  | { kind: 'new'; name: string; type: FieldTypeId; choices: string; options: Record<string, unknown> };

/** Types a new field made from a column may have: those a cell's text can fill (no computed, file or link fields). */
const NOT_FROM_CELLS: readonly FieldTypeId[] = ['attachment', 'link', 'autonumber', 'created_time', 'updated_time', 'created_by', 'updated_by', 'lookup', 'rollup', 'formula'];
export const NEW_FIELD_TYPES = FIELD_TYPE_IDS.filter((id) => !NOT_FROM_CELLS.includes(id));

/** Existing fields a column may fill (the server refuses computed and attachment fields, and read-only ones). */
export const fillable = (fields: readonly Field[]) => fields.filter((f) => !f.locked && ['value', 'link'].includes(fieldKind(f.type)));

const fieldKind = (type: string) => (type === 'link' ? 'link' : type === 'attachment' || NOT_FROM_CELLS.includes(type as FieldTypeId) ? 'refused' : 'value');

/** The wizard's starting point from the server's suggestion. */
export function draftsFrom(suggested: Record<string, SuggestedTarget>, columns: readonly ColumnPreview[]): Record<string, ColumnDraft> {
  const drafts: Record<string, ColumnDraft> = {};
  for (const column of columns) {
    const target = suggested[column.name];
    if (typeof target === 'string') drafts[column.name] = { kind: 'field', field: target };
    else if (target && typeof target === 'object') {
      const type = (NEW_FIELD_TYPES as readonly string[]).includes(target.new.type) ? (target.new.type as FieldTypeId) : 'text';
      drafts[column.name] = { kind: 'new', name: target.new.name, type, choices: choiceLines(target.new.options), options: target.new.options ?? {} };
    } else drafts[column.name] = { kind: 'skip' };
  }
  return drafts;
}

/** A new field's draft with another type: the inferred options stay for the type they were inferred for. */
export function withType(draft: Extract<ColumnDraft, { kind: 'new' }>, type: FieldTypeId, column: ColumnPreview): ColumnDraft {
  const inferred = type === column.type ? column.options : {};
  // A column made a choice field by hand starts with its sample values as the choices.
  const choices = draft.choices || choiceLines(column.options) || [...new Set(column.samples)].join('\n');
  return { ...draft, type, options: inferred, choices };
}

/** The mapping the start sends: a field's name, a new field with its options, or null (skipped). */
export function mappingOf(drafts: Record<string, ColumnDraft>): StartBody['mapping'] {
  const mapping: StartBody['mapping'] = {};
  for (const [column, draft] of Object.entries(drafts)) {
    if (draft.kind === 'skip') mapping[column] = null;
    else if (draft.kind === 'field') mapping[column] = draft.field;
    else {
      // Choices are edited as lines; other options go as the server suggested them.
      const kind = clientType(draft.type).valueKind;
      const options = kind === 'choice' || kind === 'choices' ? { ...draft.options, choices: choicesFromLines(draft.choices, draft.options.choices as Partial<Choice>[] | undefined) } : draft.options;
      mapping[column] = { new: { name: draft.name.trim(), type: draft.type, ...(Object.keys(options).length ? { options } : {}) } };
    }
  }
  return mapping;
}

/** The date order to start from: the file's, else the one the user's language reads. */
export const initialOrder = (columns: readonly ColumnPreview[], locale: string): DateOrder =>
  columns.find((c) => c.dateOrder)?.dateOrder ?? (locale === 'en' ? 'mdy' : 'dmy');
